"""Backtest: the engine's summaries on every shipped scenario (cut short) equal those of record,
bit for bit. Speed-ups must not change an answer; an intended change rewrites the fixture
(`python tests/engine_fixture.py`) in a commit that says why."""
import json

import pytest

from engine_fixture import FIXTURE, shipped_scenarios, summary_of
from sim_helpers import PROCEDURE

RECORDED = json.loads(FIXTURE.read_text())


def test_every_shipped_scenario_has_a_summary_of_record():
    assert sorted(RECORDED) == shipped_scenarios()


@pytest.mark.parametrize("name", shipped_scenarios())
def test_summary_is_unchanged_bit_for_bit(name):
    assert summary_of(name, PROCEDURE) == RECORDED[name]
