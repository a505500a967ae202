"""Text drift: an item whose own text states a number or a unit that the model does not.

The text is what a policy writer reads; the period and the condition are what the checker, the
simulation and the pathways use. "within ten working days" over `within: 10 days`, or "two
visits in a row" over `failed_visits_in_a_row >= 1`, is a revision that says one thing and does
another.
"""
from __future__ import annotations

import re

from model.conditions import Compare, atoms
from model.procedure import Procedure
from proofs.findings import Finding, citations_of, words_of
from proofs.units import periods_of

KIND = "text_drift"
_NUMBERS = {"zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
            "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
            "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30}
_NUMBER = r"(\d+|" + "|".join(_NUMBERS) + r")"
_UNITS = [(r"working[\s-]+days?", "working_days"), (r"days?", "days"), (r"weeks?|weekly", "weeks"),
          (r"months?|monthly", "months"), (r"visits?", "visits")]
_PERIOD = re.compile(rf"\b{_NUMBER}(?:st|nd|rd|th)?[\s-]+({'|'.join(u for u, _ in _UNITS)})\b", re.IGNORECASE)
_ANY_NUMBER = re.compile(rf"\b{_NUMBER}(?:st|nd|rd|th)?\b", re.IGNORECASE)


def _number(word: str) -> int:
    return int(word) if word.isdigit() else _NUMBERS[word.lower()]


def _unit(word: str) -> str:
    return next(unit for pattern, unit in _UNITS if re.fullmatch(pattern, word, re.IGNORECASE))


def stated_periods(text: str) -> list[tuple[int, str]]:
    """Every 'NUMBER UNIT' the text states ("ten working days", "six-weekly", "3 months")."""
    return [(_number(m.group(1)), _unit(m.group(2))) for m in _PERIOD.finditer(text or "")]


def stated_numbers(text: str) -> set[int]:
    return {_number(m.group(1)) for m in _ANY_NUMBER.finditer(text or "")}


def thresholds(condition, procedure: Procedure) -> list[tuple[str, set[int]]]:
    """For each comparison of a number fact: the numbers a text may state for it."""
    found = []
    for atom in atoms(condition):
        if isinstance(atom, Compare) and procedure.facts[atom.name].type == "int":
            value = atom.value
            accepted = {"<": {value, value - 1}, ">": {value, value + 1}}.get(atom.op, {value})
            found.append((f"{atom.name} {atom.op} {value}", accepted))
    return found


def _text(item) -> str:
    return " ".join(t for t in (getattr(item, "text", ""), getattr(item, "description", "")) if t)


def check(procedure: Procedure, _encoder=None) -> list[Finding]:
    findings = []
    for deadline in procedure.spec.deadlines:
        stated = stated_periods(_text(deadline))
        for period in periods_of(deadline):
            if stated and (period.number, period.unit) not in stated:
                said = ", ".join(f"{n} {u.replace('_', ' ')}" for n, u in stated)
                findings.append(Finding(
                    kind=KIND, severity="error", involved=[deadline.id],
                    witness={"text_states": said, "period": str(period)},
                    message=f"{words_of(procedure, deadline.id)}: the text says {said}, but the deadline counts "
                            f"{period}; make them agree",
                    citations=citations_of(procedure, deadline.id)))
    for kind, collection in (("rule", procedure.spec.rules), ("deadline", procedure.spec.deadlines),
                             ("transition", procedure.spec.transitions)):
        for item in collection:
            numbers = stated_numbers(_text(item))
            if not numbers or getattr(item, "interpretation", ""):
                continue   # a recorded interpretation explains the number the model uses
            for comparison, accepted in thresholds(procedure.condition(kind, item.id), procedure):
                if not accepted & numbers:
                    findings.append(Finding(
                        kind=KIND, severity="error", involved=[item.id],
                        witness={"text_numbers": sorted(numbers), "condition": comparison},
                        message=f"{words_of(procedure, item.id)}: the text states "
                                f"{', '.join(map(str, sorted(numbers)))}, but the condition is `{comparison}`; "
                                "make them agree",
                        citations=citations_of(procedure, item.id)))
    return findings
