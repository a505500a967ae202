"""Audit many case histories at once from a CSV event log (pseudonymised ids only).

Format (the contract in the README): columns `case_id`, `date` (ISO), `event`, then any of the
procedure's facts as columns (`legal_status`, `plo`, ...), giving the case's situation at that
event; empty cells say nothing. Rows may come in any order.
"""
from __future__ import annotations

import csv
import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from model.calendar import WorkingCalendar
from model.errors import InputError, display_path
from model.history import Breach, CaseWalk, ProcedureIndex, Step
from model.loader import suggestion
from model.procedure import Procedure

REQUIRED = ("case_id", "date", "event")
PERSONAL = re.compile(r"(^|_)(name|names|forename|surname|first_?name|last_?name|full_?name|dob|birth|"
                      r"birthday|date_of_birth|address|postcode|nhs|ni_number|email|phone)($|_)", re.I)
LOOKS_LIKE_NAME = re.compile(r"^[A-Z][a-z]+(?:[ '-][A-Z][a-z]+)+$")


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


def _parse_value(fact, text: str):
    if fact.type == "bool":
        lowered = text.strip().lower()
        if lowered in ("true", "yes", "1"):
            return True
        if lowered in ("false", "no", "0"):
            return False
        raise ValueError(f"{text!r} is not true or false")
    if fact.type == "int":
        value = int(text)
        if not fact.min <= value <= fact.max:
            raise ValueError(f"{value} is outside {fact.min}..{fact.max}")
        return value
    if text not in fact.values:
        raise ValueError(f"{text!r} is not one of {', '.join(fact.values)}")
    return text


def read_event_log(path: Path, procedure: Procedure) -> dict[str, list[Step]]:
    shown = display_path(path)
    try:
        stream = open(path, newline="", encoding="utf-8-sig")
    except OSError as error:
        raise InputError(shown, None, "", f"cannot read the file ({error.strerror})") from None
    with stream:
        reader = csv.reader(stream)
        header = next(reader, None)
        if not header:
            raise InputError(shown, 1, "header", "the file is empty; the first row names the columns")
        header = [h.strip() for h in header]
        for column in header:
            if PERSONAL.search(column):
                raise InputError(shown, 1, column, "looks like a name, date of birth or other personal detail; "
                                 "the audit accepts pseudonymised ids only: remove this column")
        missing = [c for c in REQUIRED if c not in header]
        if missing:
            raise InputError(shown, 1, "header", f"missing column(s) {', '.join(missing)}")
        fact_columns = [c for c in header if c not in REQUIRED]
        for column in fact_columns:
            if column not in procedure.facts:
                raise InputError(shown, 1, column, f"unknown column{suggestion(column, procedure.facts)}; columns "
                                 "are case_id, date, event and the procedure's facts")
        events = procedure.events
        cases: dict[str, list[tuple[dt.date, int, Step]]] = {}
        for line, row in enumerate(reader, start=2):
            if not any(cell.strip() for cell in row):
                continue
            if len(row) != len(header):
                raise InputError(shown, line, "row", f"has {len(row)} cells, the header has {len(header)}")
            record = dict(zip(header, (cell.strip() for cell in row)))
            case = record["case_id"]
            if not case:
                raise InputError(shown, line, "case_id", "is empty")
            if LOOKS_LIKE_NAME.match(case):
                raise InputError(shown, line, "case_id", f"{case!r} looks like a person's name; use pseudonymised ids")
            try:
                date = dt.date.fromisoformat(record["date"])
            except ValueError:
                raise InputError(shown, line, "date", f"{record['date']!r} is not a real date (YYYY-MM-DD)") from None
            if record["event"] not in events:
                raise InputError(shown, line, "event", f"unknown event {record['event']!r}"
                                 f"{suggestion(record['event'], events)}")
            facts = {}
            for column in fact_columns:
                if record[column]:
                    try:
                        facts[column] = _parse_value(procedure.facts[column], record[column])
                    except ValueError as error:
                        raise InputError(shown, line, column, str(error)) from None
            cases.setdefault(case, []).append((date, line, Step(date, record["event"], facts)))
    return {case: [step for _, _, step in sorted(rows, key=lambda r: (r[0], r[1]))] for case, rows in cases.items()}


def audit_log(path: Path, procedure: Procedure, until: dt.date | None = None, standards=None) -> AuditResult:
    """Walk every case of a log. With `standards` (an authority's local standards) the periods the
    procedure leaves to the plan are checked too, their breaches labelled as local standards."""
    cases = read_event_log(path, procedure)
    procedure = procedure.with_standards(standards)
    index = ProcedureIndex(procedure)
    calendar = WorkingCalendar()
    result = AuditResult(display_path(path), len(cases), sum(len(s) for s in cases.values()),
                         standards=standards.name if standards is not None else None)
    for case, steps in cases.items():
        walker = CaseWalk(index, calendar, narrate=False)
        for step in steps:
            walker.walk(step)
        found = [b for report in walker.reports for b in report.breaches]
        advice = [b for report in walker.reports for b in report.advice]
        if until is not None:
            found += walker.finish(until)
            advice += walker.end_advice
        result.breaches[case] = found
        result.advice[case] = advice
    return result
