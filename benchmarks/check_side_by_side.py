"""`cpmodel check` before and after a change, side by side in one run: each round times the code of
an earlier commit and the working tree, one after the other, as whole processes.

Run:  .venv/bin/python benchmarks/check_side_by_side.py --baseline COMMIT [--rounds 11] [--bytecode]

The earlier commit is unpacked (`git archive`) into a temporary folder laid out as the installed
package (model/, proofs/, sim/ inside cpmodel/) and put first on PYTHONPATH; both run with this
venv's libraries. Interleaving the rounds puts both under the same load on a shared machine; the
best and the median of wall and CPU time are printed. --bytecode also times both with their
bytecode cached (in folders of their own), as a normal installation has it; without it, Python
compiles whatever has no cached bytecode, which this project's editable install never writes when
PYTHONDONTWRITEBYTECODE is set. Both must give the same `check --json` (the file name aside).
"""
from __future__ import annotations

import argparse
import io
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHECK = "import sys; sys.argv = ['cpmodel', 'check'] + sys.argv[1:]; from cpmodel.cli import main; main()"


def unpack(commit: str, folder: Path) -> Path:
    """The commit's code as an importable package under folder/pkg (data folders linked beside it)."""
    archive = subprocess.run(["git", "archive", commit], cwd=ROOT, capture_output=True, check=True).stdout
    source = folder / "src"
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(source, filter="data")
    package = folder / "pkg" / "cpmodel"
    shutil.copytree(source / "cpmodel", package)
    for name in ("model", "proofs", "sim"):
        shutil.copytree(source / name, package / name)
    for name in ("scenarios", "standards"):        # found beside the package, as in the project
        if (source / name).exists():
            (package / name).symlink_to(source / name)
    return folder / "pkg"


def run(environment: dict, arguments: list[str]) -> tuple[float, float, str]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    finished = subprocess.run([sys.executable, "-c", CHECK, *arguments], capture_output=True, text=True,
                              env=environment, cwd=tempfile.gettempdir())
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if finished.returncode not in (0, 1):
        raise RuntimeError(finished.stderr[-2000:])
    return wall, after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime, finished.stdout


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline", required=True, help="The earlier commit (a hash, tag or branch).")
    parser.add_argument("--rounds", type=int, default=11)
    parser.add_argument("--bytecode", action="store_true", help="Also time both with their bytecode cached.")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="cpmodel-side-by-side-") as scratch:
        folder = Path(scratch)
        plain = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONPYCACHEPREFIX")}
        variants = {"before": plain | {"PYTHONPATH": str(unpack(args.baseline, folder / "before"))},
                    "after": dict(plain)}
        if args.bytecode:
            for name in ("before", "after"):
                cached = variants[name] | {"PYTHONPYCACHEPREFIX": str(folder / f"bytecode-{name}")}
                writing = {k: v for k, v in cached.items() if k != "PYTHONDONTWRITEBYTECODE"}
                run(writing, [])                   # writes the bytecode once
                variants[f"{name}, bytecode cached"] = cached
        answers = {}
        for name in ("before", "after"):
            data = json.loads(run(variants[name], ["--json"])[2])
            data["procedure"].pop("file", None)
            answers[name] = data
        same = answers["before"] == answers["after"]
        times: dict[str, list[tuple[float, float]]] = {name: [] for name in variants}
        for _ in range(args.rounds):
            for name, environment in variants.items():
                times[name].append(run(environment, [])[:2])
    print(f"`cpmodel check`, {args.rounds} rounds interleaved, load average {os.getloadavg()[0]:.1f} at the end; "
          f"baseline {args.baseline}")
    for name, measured in times.items():
        walls, cpus = [w for w, _ in measured], [c for _, c in measured]
        print(f"  {name:26s} wall best {min(walls):.2f} s, median {statistics.median(walls):.2f} s | "
              f"CPU best {min(cpus):.2f} s, median {statistics.median(cpus):.2f} s")
    ratio = min(c for _, c in times["after"]) / min(c for _, c in times["before"])
    print(f"  CPU after / before (best): {ratio:.2f}; `check --json` the same: {'yes' if same else 'NO'}")
    if not same:
        sys.exit(1)


if __name__ == "__main__":
    main()
