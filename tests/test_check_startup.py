"""`cpmodel check` loads what checking needs and nothing else: not networkx (its reachability
questions are answered by model/digraph.py), not the holidays library (the bank holiday dates
come from model/bank_holidays.json), and none of what only drawing or simulating needs."""
import json
import subprocess
import sys

import pytest

NOT_LOADED = ("networkx", "holidays", "matplotlib", "scipy", "simpy", "dask", "distributed", "jinja2", "numpy")
PROBE = """
import json, sys
sys.argv = ["cpmodel"] + {arguments!r}
from cpmodel.cli import main
try:
    main()
except SystemExit as stop:
    code = stop.code
sys.stderr.write("LOADED " + json.dumps([name for name in {names!r} if name in sys.modules]) + " " + str(code) + "\\n")
"""


def loaded_by(arguments: list[str]) -> tuple[list[str], str]:
    finished = subprocess.run([sys.executable, "-c", PROBE.format(arguments=arguments, names=NOT_LOADED)],
                              capture_output=True, text=True, timeout=120)
    line = next(line for line in finished.stderr.splitlines() if line.startswith("LOADED "))
    names, code = line[len("LOADED "):].rsplit(" ", 1)
    return json.loads(names), code


@pytest.mark.parametrize("arguments", [["check"], ["check", "--json"]])
def test_check_loads_none_of_the_heavy_libraries(arguments):
    names, code = loaded_by(arguments)
    assert code == "0"
    assert names == []


def test_the_probe_sees_a_library_that_is_loaded():
    """The same probe on a command that draws sees networkx loaded: it can see a loaded library."""
    names, _code = loaded_by(["graph", "--view", "no-such-view"])
    assert "networkx" in names


def test_in_its_own_process_check_freezes_its_modules_and_keeps_the_collector_on():
    script = ("import gc, sys\nsys.argv = ['cpmodel', 'check', '--json']\nfrom cpmodel.cli import main\n"
              "try:\n    main()\nexcept SystemExit:\n    pass\n"
              "sys.stderr.write(f'FROZEN {gc.get_freeze_count()} {gc.isenabled()}\\n')\n")
    finished = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    frozen, enabled = next(line for line in finished.stderr.splitlines() if line.startswith("FROZEN ")).split()[1:]
    assert int(frozen) > 10_000 and enabled == "True"    # the loaded modules: about 60,000 objects


def test_inside_another_program_nothing_is_frozen_and_the_collector_is_left_as_it_was():
    import gc

    from cpmodel.startup import loading_modules

    frozen = gc.get_freeze_count()
    with loading_modules():
        assert not gc.isenabled()
    assert gc.isenabled() and gc.get_freeze_count() == frozen
    gc.disable()
    try:
        with loading_modules():
            pass
        assert not gc.isenabled()       # a host that had it off keeps it off
    finally:
        gc.enable()
