"""Audit many case histories at once from a CSV event log (pseudonymised ids only; the log is
read by `event_log`, whose docstring gives the format)."""
from __future__ import annotations

import datetime as dt
import gc
from collections import Counter
from dataclasses import dataclass, field
from operator import attrgetter
from pathlib import Path

from cpmodel.model.calendar import WorkingCalendar
from cpmodel.model.errors import display_path
from cpmodel.model.event_log import HOUSEHOLD, checked_rows
from cpmodel.model.history import Breach, CaseWalk, ProcedureIndex, Step
from cpmodel.model.procedure import Procedure


@dataclass
class AuditResult:
    file: str
    cases: int
    events: int
    breaches: dict[str, list[Breach]] = field(default_factory=dict)
    advice: dict[str, list[Breach]] = field(default_factory=dict)   # `should` not followed: not breaches
    standards: str | None = None                                     # the local standards checked, if any

    def totals(self) -> Counter:
        return Counter(f"{b.kind}:{b.item}" for found in self.breaches.values() for b in found)

    def advice_totals(self) -> Counter:
        return Counter(f"{b.kind}:{b.item}" for found in self.advice.values() for b in found)

    def to_json(self) -> dict:
        return {"schema_version": 2, "file": self.file, "cases": self.cases, "events": self.events,
                "standards": self.standards,
                "cases_with_breaches": sum(1 for b in self.breaches.values() if b),
                "totals": dict(sorted(self.totals().items())),
                "local_standard_breaches": sum(1 for found in self.breaches.values() for b in found
                                               if b.basis == "local_standard"),
                "breaches": {case: [b.to_json() for b in found] for case, found in sorted(self.breaches.items()) if found},
                "cases_with_advice_not_followed": sum(1 for b in self.advice.values() if b),
                "advice_totals": dict(sorted(self.advice_totals().items())),
                "advice_not_followed": {case: [b.to_json() for b in found]
                                        for case, found in sorted(self.advice.items()) if found}}


def read_event_log(path: Path, procedure: Procedure) -> dict[str, list[Step]]:
    """Rows of the log as each case's steps in date order (file order within a day)."""
    cases: dict[str, list[Step]] = {}
    for _, case, date, event, facts, _ in checked_rows(path, procedure, extra=(HOUSEHOLD,)):
        steps = cases.get(case)
        if steps is None:
            steps = cases[case] = []
        steps.append(Step(date, event, facts))
    for steps in cases.values():
        steps.sort(key=_date_of)   # stable: rows come in file order, so a day keeps it
    return cases


_date_of = attrgetter("date")


def audit_log(path: Path, procedure: Procedure, until: dt.date | None = None, standards=None) -> AuditResult:
    """Walk every case of a log. With `standards` (an authority's local standards) the periods the
    procedure leaves to the plan are checked too, their breaches labelled as local standards."""
    collecting = gc.isenabled()
    gc.disable()    # reading and walking make hardly any reference cycles; the collector's passes
    try:            # over the growing rows and results cost a tenth of the time for nothing
        cases = read_event_log(path, procedure)
        procedure = procedure.with_standards(standards)
        index = ProcedureIndex(procedure)
        calendar = WorkingCalendar()
        result = AuditResult(display_path(path), len(cases), sum(len(s) for s in cases.values()),
                             standards=standards.name if standards is not None else None)
        _walk_cases(cases, index, calendar, until, result)
    finally:
        if collecting:
            gc.enable()
    return result


def _walk_cases(cases, index: ProcedureIndex, calendar: WorkingCalendar, until, result: AuditResult) -> None:
    for case, steps in cases.items():
        walker = CaseWalk(index, calendar, narrate=False)
        walk = walker.walk
        for step in steps:
            walk(step)
        found, advice = walker.breaches, walker.advice
        if until is not None:
            found += walker.finish(until)
            advice += walker.end_advice
        result.breaches[case] = found
        result.advice[case] = advice
