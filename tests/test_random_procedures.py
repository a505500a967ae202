"""Random procedures, valid and broken: the loader accepts the one and explains the other."""
import copy

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from helpers import write_variant
from cpmodel.model.errors import InputError
from cpmodel.model.loader import load_procedure
from cpmodel.model.conditions import render, And, Compare, Fact, Not, Or

CITES = ["cpp#avoiding-double-protection", "impl#4.1", "impl#8.3", "cpp#children-returning-home"]


@st.composite
def conditions(draw, facts, depth=2):
    kind = draw(st.sampled_from(["fact", "compare", "not", "and", "or"] if depth else ["fact", "compare"]))
    if kind == "fact":
        return Fact(draw(st.sampled_from([f["id"] for f in facts if f["type"] == "bool"])))
    if kind == "compare":
        return Compare("level", draw(st.sampled_from(["==", "<", ">="])), draw(st.integers(0, 3)))
    if kind == "not":
        return Not(draw(conditions(facts, depth - 1)))
    parts = tuple(draw(st.lists(conditions(facts, depth - 1), min_size=2, max_size=3)))
    return And(parts) if kind == "and" else Or(parts)


@st.composite
def valid_procedures(draw):
    facts = [{"id": f"fact_{i}", "type": "bool"} for i in range(draw(st.integers(1, 4)))]
    facts.append({"id": "level", "type": "int", "min": 0, "max": 3})
    count = draw(st.integers(3, 7))
    states = [{"id": f"state_{i}", "name": f"State {i}", "citation": draw(st.sampled_from(CITES)),
               "kind": "start" if i == 0 else ("final" if i == count - 1 else "normal")} for i in range(count)]
    transitions = [{"id": f"step_{i}", "from": f"state_{i}", "to": f"state_{i + 1}", "event": f"event_{i}",
                    "citation": draw(st.sampled_from(CITES)),
                    "when": render(draw(conditions(facts)))} for i in range(count - 1)]
    actions = [{"id": "act"}]
    rules = [{"id": f"rule_{i}", "modality": draw(st.sampled_from(["obliged", "permitted", "forbidden"])),
              "action": "act", "role": "chair", "when": render(draw(conditions(facts))),
              "citation": draw(st.sampled_from(CITES))} for i in range(draw(st.integers(0, 4)))]
    deadlines = [{"id": "deadline_0", "event": "event_1", "anchor": "event_0", "duty": "meeting", "role": "chair",
                  "within": f"{draw(st.integers(0, 30))} {draw(st.sampled_from(['working_days', 'days', 'weeks', 'months']))}",
                  "citation": "impl#4.1"}]
    return {"name": "random", "version": "1", "roles": [{"id": "chair", "name": "Chair", "citation": "impl#4.1"}],
            "facts": facts, "states": states, "transitions": transitions, "actions": actions, "rules": rules,
            "deadlines": deadlines}


def break_state(data):
    data["transitions"][0]["to"] = "nowhere"


def break_duplicate(data):
    data["states"].append(copy.deepcopy(data["states"][0]))


def break_citation(data):
    data["states"][0]["citation"] = "impl#99"


def break_fact(data):
    data["transitions"][0]["when"] = "unknown_fact"


def break_period(data):
    data["deadlines"][0]["within"] = "-1 days"


def break_syntax(data):
    data["transitions"][0]["when"] = "fact_0 and or"


def break_role(data):
    data["deadlines"][0]["role"] = "nobody"


BREAKERS = [break_state, break_duplicate, break_citation, break_fact, break_period, break_syntax, break_role]
SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@SETTINGS
@given(valid_procedures())
def test_random_valid_procedures_load(tmp_path, data):
    procedure = load_procedure(write_variant(tmp_path, data))
    assert len(procedure.spec.states) == len(data["states"])


@SETTINGS
@given(valid_procedures(), st.sampled_from(BREAKERS))
def test_random_broken_procedures_are_refused_with_a_located_message(tmp_path, data, breaker):
    breaker(data)
    path = write_variant(tmp_path, data)
    try:
        load_procedure(path)
    except InputError as error:
        assert error.line is not None and error.line >= 1
        assert error.field
        assert error.message
    else:
        raise AssertionError(f"{breaker.__name__} was accepted")
