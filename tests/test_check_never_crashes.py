"""Random mutations of the shipped model never crash `check`: a finding or exit 2, never a traceback."""
import copy

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from cpmodel.cli import app
from helpers import shipped_data, write_variant

SHIPPED = shipped_data()
COLLECTIONS = ["states", "transitions", "rules", "deadlines", "facts", "roles", "invariants", "actions"]
junk = st.one_of(st.none(), st.booleans(), st.integers(-5, 50), st.text(max_size=12),
                 st.sampled_from(["plan_in_force", "true", "plo and", "10 days", "-3 weeks", "s20", "impl#4.1",
                                  "core_group#2", "conference_chair", "not plo", "legal_status == care_order"]),
                 st.lists(st.sampled_from(["double_protection_removal", "x"]), max_size=2))


@st.composite
def mutations(draw):
    data = copy.deepcopy(SHIPPED)
    for _ in range(draw(st.integers(1, 3))):
        collection = draw(st.sampled_from(COLLECTIONS))
        items = data[collection]
        index = draw(st.integers(0, len(items) - 1))
        action = draw(st.sampled_from(["set", "delete_field", "delete_item", "duplicate"]))
        if action == "delete_item":
            items.pop(index)
        elif action == "duplicate":
            items.append(copy.deepcopy(items[index]))
        else:
            field = draw(st.sampled_from(sorted(items[index])))
            if action == "delete_field":
                items[index].pop(field)
            else:
                items[index][field] = draw(junk)
    return data


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                 HealthCheck.too_slow])
@given(mutations())
def test_random_mutations_give_findings_or_exit_2_never_a_traceback(tmp_path, data):
    path = write_variant(tmp_path, data)
    result = CliRunner().invoke(app, ["check", str(path), "--json"])
    assert result.exit_code in (0, 1, 2), result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    if result.exit_code == 2:
        assert "procedure.yaml" in result.output
