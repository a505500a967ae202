"""How long `cpmodel audit` takes on a generated log of about 100,000 events (target: under 10 s).

Run:  .venv/bin/python benchmarks/bench_audit.py [--cases 3300]
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from event_logs import write_log  # noqa: E402

from cpmodel.model import load_procedure  # noqa: E402
from cpmodel.model.audit import audit_log  # noqa: E402


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=3300)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    path = Path(tempfile.mkdtemp()) / "events.csv"
    write_log(path, args.cases, planted_every=50, seed=6)
    procedure = load_procedure()
    times = []
    for _ in range(args.repeat):
        started = time.perf_counter()
        result = audit_log(path, procedure)
        times.append(time.perf_counter() - started)
    best = min(times)
    print(f"{result.events:,} events in {result.cases:,} cases audited in {best:.2f} s (best of {args.repeat}); "
          f"{result.events / best:,.0f} events/s; target < 10 s: {'met' if best < 10 else 'MISSED'}")


if __name__ == "__main__":
    main()
