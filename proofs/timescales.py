"""Timescale changed: a deadline whose period the revision changed, with what it does to a date.

'10 working days' becoming '10 days', or 'every 2 visits' becoming 'every 3 visits', leaves a
consistent procedure; the policy writer needs the consequence: the old and new period and, on a
shipped training pathway that sets the deadline, the due date before and after (or, where no
pathway sets it, the due date counted from a fixed sample day). A text that still states the old
number is reported by the text-drift check as well.
"""
from __future__ import annotations

import datetime as dt

from cpmodel.model.calendar import WorkingCalendar
from cpmodel.model.procedure import Procedure
from cpmodel.proofs.findings import Finding, citations_of, words_of
from cpmodel.proofs.pathway_walks import walks

KIND = "timescale_changed"
SAMPLE_DAY = dt.date(2027, 3, 1)    # a Monday with no bank holiday near it: the same answer every run
_FIELDS = {"within": "within", "every": "every", "not_before": "not before"}


def _period(deadline, name: str):
    value = getattr(deadline, name)
    if value is None and deadline.parameter and deadline.parameter_period == name:
        return f"{{parameter: {deadline.parameter}}}"
    return value


def _said(value) -> str:
    return "no period" if value is None else str(value)


def _on_pathway(old: Procedure, new: Procedure, deadline_id: str) -> dict | None:
    """The first date a shipped pathway sets this deadline on, with its due date before and after."""
    for name, walk in walks(old).items():
        for entry in walk.deadlines:
            if entry["deadline"] != deadline_id:
                continue
            match = next((e for e in walks(new, [name])[name].deadlines
                          if e["deadline"] == deadline_id and e["set_on"] == entry["set_on"]), None)
            return {"pathway": name, "from": entry["set_on"], "due_before": entry["due"],
                    "due_after": match["due"] if match else None}
    return None


def _sample(was, now) -> dict | None:
    """Due dates counted from the sample day, for periods of time (not of visits)."""
    if not all(hasattr(p, "unit") and p.unit != "visits" for p in (was, now)):
        return None
    calendar = WorkingCalendar()
    return {"pathway": None, "from": SAMPLE_DAY.isoformat(), "due_before": calendar.add(SAMPLE_DAY, was).isoformat(),
            "due_after": calendar.add(SAMPLE_DAY, now).isoformat()}


def _day(text: str | None) -> str:
    if text is None:
        return "not set at all"
    day = dt.date.fromisoformat(text)
    return f"{day.strftime('%A')} {day.day} {day.strftime('%B %Y')}"


def check(old: Procedure, new: Procedure) -> list[Finding]:
    findings = []
    for deadline in new.spec.deadlines:
        was_deadline = old.deadlines.get(deadline.id)
        if was_deadline is None:
            continue
        for name, label in _FIELDS.items():
            was, now = _period(was_deadline, name), _period(deadline, name)
            if str(was) == str(now):
                continue
            witness = {"deadline": deadline.id, "field": name, "old": _said(was), "new": _said(now)}
            text = f"{words_of(new, deadline.id)}: its period ({label}) was {_said(was)}, now {_said(now)}"
            sample = _on_pathway(old, new, deadline.id) or (_sample(was, now) if was and now else None)
            if sample:
                witness["sample"] = sample
                counted = (f"on the pathway {sample['pathway']}, set on {_day(sample['from'])}"
                           if sample["pathway"] else f"counted from {_day(sample['from'])}")
                if sample["due_after"] == sample["due_before"]:
                    text += f"; {counted}, it is still due {_day(sample['due_before'])}"
                else:
                    text += (f"; {counted}, it was due {_day(sample['due_before'])} and is now due "
                             f"{_day(sample['due_after'])}")
            elif getattr(was, "unit", None) == "visits" and getattr(now, "unit", None) == "visits":
                text += (f"; it is now owed at least once in every {now.number} visits, "
                         f"where before it was once in every {was.number}")
            findings.append(Finding(kind=KIND, severity="info", involved=[deadline.id, name], witness=witness,
                                    message=text, citations=citations_of(new, deadline.id)))
    return findings
