"""`cpmodel check --json` on the shipped model finds exactly the findings of record (ids, kinds,
severities, witnesses, acknowledgements): the check's speed-ups changed how, not what."""
import json

from typer.testing import CliRunner

from check_record import RECORD, findings_of
from cpmodel.cli import app


def test_check_json_gives_the_findings_of_record():
    result = CliRunner().invoke(app, ["check", "--json"])
    assert result.exit_code == 0, result.output
    assert findings_of(json.loads(result.output)) == json.loads(RECORD.read_text())
