"""What a compiled core would give: the engine's modules compiled with mypyc, against the same
modules as Python, side by side, with the same answers checked bit for bit.

Issue 14's tasks/s goal is out of reach of steps in Python (README, "What is left, and why"); a
compiled core is the decision it is blocked on. This trial measures that option without taking
it: both copies are laid out in a temporary folder (never in the source tree, where a compiled
module would shadow the file a developer edits), one of them compiled; each county replication
runs in its own process, the two copies in turns; every field of each result is compared
between them. Nothing is installed and nothing in the project changes.

Run:  .venv/bin/pip install -e '.[bench]' && .venv/bin/python benchmarks/compiled_engine_trial.py

mypyc compiles only code that type-checks; where mypy finds a fault in the engine as written (an
Optional it cannot narrow, mostly), the trial's copy marks the line `# type: ignore`, and the
compiled code checks the type at run time instead (a wrong type would stop the run with a
TypeError, never give another answer silently).
"""
from __future__ import annotations

import argparse
import datetime as dt
import io
import json
import re
import shutil
import subprocess
import sys
import tempfile
import tokenize
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
COMPILED = ["sim/workforce.py", "sim/diaries.py", "sim/overdue.py", "sim/days.py", "sim/engine.py", "sim/clock.py"]
MYPY_FLAGS = ["--follow-imports=silent", "--ignore-missing-imports"]


def lay_out(folder: Path) -> Path:
    """The installed package's layout (cpmodel, cpmodel.model, cpmodel.sim, cpmodel.proofs, as
    pyproject maps them) as plain folders, with the scenarios where sim/scenario.py looks."""
    package = folder / "cpmodel"
    shutil.copytree(ROOT / "cpmodel", package, ignore=shutil.ignore_patterns("__pycache__", "*.so"))
    for part in ("model", "proofs", "sim"):
        shutil.copytree(ROOT / part, package / part, ignore=shutil.ignore_patterns("__pycache__", "*.so"))
    shutil.copytree(ROOT / "scenarios", package / "scenarios")
    return folder


def ignore_type_faults(folder: Path, files: list[str]) -> int:
    """Mark each line mypy faults with `# type: ignore` (before any comment already on it); the
    number of lines marked."""
    marked = 0
    for _ in range(6):
        found = subprocess.run([PYTHON, "-m", "mypy", *MYPY_FLAGS, *files], cwd=folder, capture_output=True, text=True)
        faults: dict[str, set[int]] = {}
        for match in re.finditer(r"^(\S+\.py):(\d+): error", found.stdout, re.M):
            faults.setdefault(match.group(1), set()).add(int(match.group(2)))
        if not faults:
            return marked
        for name, lines in faults.items():
            path = folder / name
            text = path.read_text(encoding="utf-8").split("\n")
            comments = {token.start[0]: token.start[1] for token in
                        tokenize.generate_tokens(io.StringIO("\n".join(text)).readline) if token.type == tokenize.COMMENT}
            for number in lines:
                line = text[number - 1]
                if "type: ignore" in line:
                    continue
                at = comments.get(number, len(line))
                text[number - 1] = line[:at].rstrip() + "  # type: ignore" + (" " + line[at:] if at < len(line) else "")
                marked += 1
            path.write_text("\n".join(text), encoding="utf-8")
    raise SystemExit(f"error: mypy still finds faults after marking them:\n{found.stdout[-2000:]}")


def compile_copy(folder: Path) -> int:
    files = [f"cpmodel/{name}" for name in COMPILED]
    marked = ignore_type_faults(folder, files)
    built = subprocess.run([PYTHON, "-m", "mypyc", *MYPY_FLAGS, *files], cwd=folder, capture_output=True, text=True)
    modules = sorted(p.name for p in (folder / "cpmodel" / "sim").glob("*.so"))
    if built.returncode != 0 or len(modules) < len(COMPILED):
        raise SystemExit(f"error: mypyc did not build the engine ({built.returncode}):\n{(built.stdout + built.stderr)[-3000:]}")
    return marked


# The copy's modules are imported first: run_all then puts the project's own folder first on the
# path, and what it imports of cpmodel is already loaded from the copy.
RUN = """import dataclasses, hashlib, json, sys, time
from cpmodel.model import load_procedure
from cpmodel.sim import engine
from cpmodel.sim.engine import Replication
from cpmodel.sim.scenario import load_scenario
sys.path.insert(0, {benchmarks!r})
from run_all import scaled
p = load_procedure(); county, _ = load_scenario(None, p)
{shorter}r = Replication(p, scaled(county, {factor}), {seed})
t, c = time.perf_counter(), time.process_time(); result = r.run()
t, c = time.perf_counter() - t, time.process_time() - c
fields = {{f.name: getattr(result, f.name) for f in dataclasses.fields(result)}}
digest = hashlib.sha256(json.dumps(fields, sort_keys=True, default=str).encode()).hexdigest()
print(json.dumps({{'seconds': t, 'cpu_seconds': c, 'tasks': result.tasks_done, 'digest': digest,
                  'engine': engine.__file__}}))
"""


def replication(folder: Path, factor: int, seed: int, years: float | None) -> dict:
    shorter = f"county = county.model_copy(update={{'horizon_years': {years}, 'warm_up_months': 0}})\n" if years else ""
    script = RUN.format(benchmarks=str(ROOT / "benchmarks"), shorter=shorter, factor=factor, seed=seed)
    from run_all import code_of      # the copy first on the path, with compiled modules cached
    finished = subprocess.run([PYTHON, "-c", script], cwd=folder, capture_output=True, text=True, env=code_of(folder))
    if finished.returncode != 0:
        raise SystemExit(f"error: a replication failed in {folder.name}:\n{finished.stderr[-3000:]}")
    measured = json.loads(finished.stdout.strip().splitlines()[-1])
    # the copy laid out here, not the project's own install, ran (compiled: a module built by mypyc)
    if not measured["engine"].startswith(str(folder)):
        raise SystemExit(f"error: the replication ran {measured['engine']}, not the copy in {folder}")
    measured["compiled"] = measured.pop("engine").endswith(".so")
    return measured


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="rounds at each caseload (default 3)")
    parser.add_argument("--factors", default="1,8", help="caseloads to measure, comma-separated (default 1,8)")
    parser.add_argument("--seeds", default="1,2,3", help="seeds whose answers are compared at x1 (default 1,2,3)")
    parser.add_argument("--years", type=float, default=None, help="simulated years (default: the scenario's five)")
    parser.add_argument("--out", type=Path, default=None, help="JSON file to write (a new file)")
    parser.add_argument("--no-baseline", action="store_true", help="do not run the baseline's county beside both at x1")
    args = parser.parse_args()
    try:
        factors = [int(f) for f in args.factors.split(",")]
        seeds = [int(s) for s in args.seeds.split(",")]
    except ValueError:
        print("error: --factors and --seeds take whole numbers separated by commas, e.g. 1,8", file=sys.stderr)
        raise SystemExit(2) from None
    if args.repeat < 1 or any(f < 1 for f in factors) or not seeds or (args.years is not None and args.years <= 0):
        print("error: --repeat and each factor must be at least 1, and --years above 0", file=sys.stderr)
        raise SystemExit(2)
    try:
        import mypyc  # noqa: F401
    except ImportError:
        print("error: the trial needs mypy's compiler, mypyc: pip install -e '.[bench]'", file=sys.stderr)
        raise SystemExit(2) from None
    out = args.out or ROOT / "benchmarks" / "results" / f"{dt.datetime.now():%Y%m%d-%H%M%S}-compiled-trial.json"
    if out.exists():
        print(f"error: {out} already exists; choose a new file (nothing is overwritten)", file=sys.stderr)
        raise SystemExit(2)
    with tempfile.TemporaryDirectory() as holder:
        python, compiled = lay_out(Path(holder) / "python"), lay_out(Path(holder) / "compiled")
        marked = compile_copy(compiled)
        print(f"compiled {len(COMPILED)} modules with mypyc ({marked} lines marked '# type: ignore')", flush=True)
        same = []
        for seed in seeds:           # the same answers, every field of the result
            a, b = replication(python, 1, seed, args.years), replication(compiled, 1, seed, args.years)
            if a["compiled"] or not b["compiled"]:
                raise SystemExit("error: the Python copy ran a compiled engine, or the compiled copy a Python one")
            same.append(a["digest"] == b["digest"])
            print(f"seed {seed}: {'the same answers' if same[-1] else 'ANSWERS DIFFER'}", flush=True)
        from run_all import BASELINE_COUNTY, baseline_county_tasks, baseline_tree, json_printed_by
        # The baseline's county (five years, its own scenario) beside both at x1, as run_all's
        # tasks/s row runs it: the goal is 3x its tasks per second
        tree = baseline_tree(Path(holder)) if args.years is None and 1 in factors and not args.no_baseline else None
        their_tasks = baseline_county_tasks(tree) if tree is not None else None
        rows = []
        for factor in factors:
            rounds = []
            for number in range(args.repeat):   # in turns, the order turned about each round
                pair = [(python, "python"), (compiled, "compiled")]
                measured = {name: replication(folder, factor, 1, args.years) for folder, name in (pair if number % 2 == 0 else pair[::-1])}
                if measured["python"]["digest"] != measured["compiled"]["digest"]:
                    same.append(False)
                if factor == 1 and tree is not None:
                    measured["baseline"] = json_printed_by(BASELINE_COUNTY, tree) | {"tasks": their_tasks}
                rounds.append({name: {k: v for k, v in m.items() if k != "digest"} for name, m in measured.items()})
            ratio = float(np.median([r["python"]["cpu_seconds"] / r["compiled"]["cpu_seconds"] for r in rounds]))
            per_task = {name: float(np.median([1e6 * r[name]["cpu_seconds"] / r[name]["tasks"] for r in rounds]))
                        for name in ("python", "compiled")}
            rows.append({"factor": factor, "speedup": ratio, "cpu_us_per_task": per_task, "rounds": rounds})
            print(f"x{factor}: compiled {ratio:.2f}x the Python engine's speed (CPU per task {per_task['python']:.1f} "
                  f"against {per_task['compiled']:.1f} us; rounds: "
                  + ", ".join(f"{r['python']['cpu_seconds'] / r['compiled']['cpu_seconds']:.2f}x" for r in rounds) + ")",
                  flush=True)
            if factor == 1 and tree is not None:
                rate = lambda r, name: r[name]["tasks"] / r[name]["cpu_seconds"]
                for name in ("python", "compiled"):
                    against = [rate(r, name) / rate(r, "baseline") for r in rounds]
                    rows[-1][f"{name}_against_baseline"] = float(np.median(against))
                    print(f"x1: {name} {float(np.median(against)):.2f}x the baseline's tasks per second (CPU; rounds: "
                          + ", ".join(f"{a:.2f}x" for a in against) + "; the goal is 3x)", flush=True)
    if len(rows) > 1:
        low, high = rows[0], rows[-1]
        for name in ("python", "compiled"):
            growth = high["cpu_us_per_task"][name] / low["cpu_us_per_task"][name]
            exponent = 1 + np.log(growth) / np.log(high["factor"] / low["factor"])
            print(f"{name}: CPU per task x{growth:.2f} from x{low['factor']} to x{high['factor']}, exponent {exponent:.2f}")
    from run_all import machine
    record = {"machine": machine(), "modules": COMPILED, "lines_marked": marked, "same_answers": all(same), "rows": rows}
    from cpmodel.atomic import write_text
    write_text(out, json.dumps(record, indent=2) + "\n")
    print(f"wrote {out}")
    if not all(same):
        raise SystemExit(1)


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT / "benchmarks"))
    main()
