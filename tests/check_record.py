"""The record of `cpmodel check` on the shipped model: each finding's id, kind, severity, witness
and whether it is acknowledged. Speed-ups must leave it unchanged; a change in what the checks
find rewrites it (`python tests/check_record.py`) in a commit that says why."""
import json
from pathlib import Path

RECORD = Path(__file__).resolve().parent / "data" / "check_record.json"


def findings_of(report_json: dict) -> list[dict]:
    return [{key: finding[key] for key in ("id", "kind", "severity", "witness", "acknowledged")}
            for finding in report_json["findings"]]


if __name__ == "__main__":
    from cpmodel.model import load_procedure
    from cpmodel.proofs import run_checks
    RECORD.write_text(json.dumps(findings_of(run_checks(load_procedure()).to_json()), indent=1, sort_keys=True) + "\n")
