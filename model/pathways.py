"""Training pathways: dated case histories in scenarios/pathways/*.yaml, validated like the model."""
from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Optional

from pydantic import BaseModel, ConfigDict, Field, field_validator

from cpmodel.model.calendar import WorkingCalendar
from cpmodel.model.errors import InputError
from cpmodel.model.history import BREACH_KINDS, Step
from cpmodel.model.loader import suggestion, validate_model
from cpmodel.model.procedure import Procedure
from cpmodel.model.schema import Period, real_date
from cpmodel.model.yaml_source import read_yaml

PATHWAY_FOLDER = Path(__file__).resolve().parents[1] / "scenarios" / "pathways"
MOST_STEPS = 2000


def _date(value):
    return None if value is None else real_date(value)


class PathwayStep(BaseModel):
    model_config = ConfigDict(extra="forbid")
    date: dt.date
    event: str
    facts: dict = {}
    note: str = ""
    repeat_every: Optional[Period] = None
    repeat_until: Optional[dt.date] = None

    _dates = field_validator("date", "repeat_until", mode="before")(classmethod(lambda cls, v: _date(v)))


class Expected(BaseModel):
    model_config = ConfigDict(extra="forbid")
    kind: str
    item: str


class PathwayFile(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str
    description: str
    sections: list[str] = []
    start: Optional[str] = None
    facts: dict = {}
    until: Optional[dt.date] = None
    standards: Optional[str] = None           # an authority's standards file, by name or path, to check too
    expect_breaches: list[Expected] = []
    expect_advice: list[Expected] = []        # `should` items the history does not follow (not breaches)
    steps: list[PathwayStep] = Field(min_length=1)

    _until = field_validator("until", mode="before")(classmethod(lambda cls, v: _date(v)))


def pathway_names() -> list[str]:
    return sorted(p.stem for p in PATHWAY_FOLDER.glob("*.yaml"))


def load_pathway(name_or_path: str, procedure: Procedure) -> tuple[PathwayFile, list[Step]]:
    path = Path(name_or_path)
    if not path.suffix:
        path = PATHWAY_FOLDER / f"{name_or_path}.yaml"
        if not path.exists():
            raise InputError(str(name_or_path), None, "NAME",
                             f"no pathway of that name{suggestion(name_or_path, pathway_names())}; "
                             f"see `cpmodel pathway --list`")
    document = read_yaml(path)
    pathway = validate_model(PathwayFile, document)
    if pathway.start is not None and pathway.start not in procedure.states:
        raise document.error(("start",), f"unknown state {pathway.start!r}{suggestion(pathway.start, procedure.states)}")
    _check_expected(pathway, document, procedure)
    calendar = WorkingCalendar()
    steps: list[Step] = []
    previous = None
    for index, step in enumerate(pathway.steps):
        where = ("steps", index)
        if step.event not in procedure.events:
            raise document.error(where + ("event",), f"unknown event {step.event!r}{suggestion(step.event, procedure.events)}")
        for fact, value in step.facts.items():
            if fact not in procedure.facts:
                raise document.error(where + ("facts", fact), f"unknown fact {fact!r}{suggestion(fact, procedure.facts)}")
            if value not in procedure.facts[fact].domain():
                raise document.error(where + ("facts", fact), f"{value!r} is not a value of {fact!r}")
        if previous and step.date < previous:
            raise document.error(where + ("date",), f"{step.date} is before the step above ({previous}); "
                                 "steps go in date order")
        day = step.date
        if step.repeat_every is not None and (step.repeat_every.number == 0 or step.repeat_every.unit == "visits"):
            raise document.error(where + ("repeat_every",), f"repeat_every must be a positive length of time, "
                                 f"not {step.repeat_every}")
        if step.repeat_until is not None and step.repeat_every is None:
            raise document.error(where + ("repeat_until",), "repeat_until needs repeat_every (how often the step "
                                 "repeats until then)")
        if step.repeat_until is not None and step.repeat_until < step.date:
            raise document.error(where + ("repeat_until",), f"{step.repeat_until} is before the step's own date "
                                 f"({step.date}): the step would not repeat at all")
        while True:
            steps.append(Step(day, step.event, dict(step.facts), step.note))
            if len(steps) > MOST_STEPS:
                raise document.error(where, f"the pathway has more than {MOST_STEPS} steps once repeats are "
                                     "counted; a training pathway needs a few dozen")
            if step.repeat_every is None:
                break
            day = calendar.add(day, step.repeat_every)
            if step.repeat_until is None or day > step.repeat_until:
                break
        previous = step.date
    steps.sort(key=lambda s: s.date)   # stable: steps on one day keep their written order
    return pathway, steps


def _check_expected(pathway: PathwayFile, document, procedure: Procedure) -> None:
    """An expected breach or advice names a kind of breach and an id the procedure (or the
    pathway's standards) has: a misspelt one could never match, and the pathway's test would
    fail for a reason a trainer cannot see."""
    spec = procedure.spec
    known = {item.id for group in (spec.deadlines, spec.rules, spec.transitions, spec.invariants) for item in group}
    known |= set(procedure.events)
    for field in ("expect_breaches", "expect_advice"):
        for index, expected in enumerate(getattr(pathway, field)):
            where = (field, index)
            if expected.kind not in BREACH_KINDS:
                raise document.error(where + ("kind",), f"unknown kind {expected.kind!r}"
                                     f"{suggestion(expected.kind, BREACH_KINDS)}; kinds: {', '.join(BREACH_KINDS)}")
            if pathway.standards is None and expected.item not in known:
                raise document.error(where + ("item",), f"unknown item {expected.item!r}"
                                     f"{suggestion(expected.item, sorted(known))}: not a deadline, rule, "
                                     "transition or event of the procedure")


def walk_pathway(procedure: Procedure, pathway: PathwayFile, steps: list[Step], standards=None):
    """Walk a pathway: the walker and the breaches open at the end. The pathway's own standards
    file is used unless the caller gives one (a trainer comparing authorities)."""
    from cpmodel.model.history import walk_case
    from cpmodel.model.standards import load_standards

    if standards is None and pathway.standards:
        standards = load_standards(pathway.standards, procedure)
    checked = procedure.with_standards(standards)
    return walk_case(checked, steps, pathway.until, start=pathway.start, facts=pathway.facts)
