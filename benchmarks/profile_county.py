"""Profile one county replication (5 years) and write the top of the profile to a text file.

Run:  .venv/bin/python benchmarks/profile_county.py benchmarks/profiles/NAME.txt
The profiles kept in benchmarks/profiles/ record each step of the engine speed-up.
"""
from __future__ import annotations

import cProfile
import io
import pstats
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from cpmodel.model import load_procedure  # noqa: E402
from cpmodel.sim.engine import Replication  # noqa: E402
from cpmodel.sim.scenario import load_scenario  # noqa: E402


def main() -> None:
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else None
    procedure = load_procedure()
    county, _ = load_scenario(None, procedure)
    replication = Replication(procedure, county, 1)
    profiler = cProfile.Profile()
    started = time.perf_counter()
    profiler.enable()
    result = replication.run()
    profiler.disable()
    seconds = time.perf_counter() - started
    tasks = sum(len(v) for v in result.lateness.values())
    text = io.StringIO()
    text.write(f"county, 5 years, 1 replication, seed 1: {seconds:.2f} s under the profiler, "
               f"{result.events:,} SimPy events, {tasks:,} measured duties\n\n")
    pstats.Stats(profiler, stream=text).sort_stats("tottime").print_stats(30)
    if out:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(text.getvalue())
    print(text.getvalue()[:6000])


if __name__ == "__main__":
    main()
