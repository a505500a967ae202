"""Text drift: an item whose own text states a number or a unit that the model does not.

The text is what a policy writer reads; the period and the condition are what the checker, the
simulation and the pathways use. "within ten working days" over `within: 10 days`, or "two
visits in a row" over `failed_visits_in_a_row >= 1`, is a revision that says one thing and does
another.
"""
from __future__ import annotations

import re

from cpmodel.model.conditions import Compare, atoms
from cpmodel.model.procedure import Procedure
from cpmodel.proofs.findings import Finding, citations_of, words_of
from cpmodel.proofs.units import periods_of

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


_MORE = re.compile(r"\b(more than|over|above|exceeding)\s+$", re.IGNORECASE)
_FEWER = re.compile(r"\b(fewer than|less than|under|below)\s+$", re.IGNORECASE)
_TOKEN = re.compile(r"[a-z0-9]+", re.IGNORECASE)


def stated_boundaries(text: str, fact: str) -> set[int]:
    """The first or last value a text says a number fact takes where the item applies ('two
    visits' -> 2, 'more than two' -> 3, 'under 18' -> 17). Numbers near a word of the fact's name
    ('age 17', 'two home visits') are preferred over other numbers in the text."""
    words = [w for w in fact.split("_") if len(w) >= 3]
    tokens = [(m.start(), m.group(0).lower()) for m in _TOKEN.finditer(text or "")]
    near, anywhere = set(), set()
    for match in _ANY_NUMBER.finditer(text or ""):
        value = _number(match.group(1))
        before = text[:match.start()]
        value += 1 if _MORE.search(before) else -1 if _FEWER.search(before) else 0
        position = next(i for i, (start, _) in enumerate(tokens) if start >= match.start())
        close = tokens[max(0, position - 4):position + 5]
        anywhere.add(value)
        if any(token.startswith(word) for _, token in close for word in words):
            near.add(value)
    return near or anywhere


def boundary(atom) -> int:
    """The value at which a comparison starts (or stops) holding: '>= 2' and '> 1' both give 2."""
    return {">": atom.value + 1, "<": atom.value - 1}.get(atom.op, atom.value)


def thresholds(condition, procedure: Procedure) -> list:
    """Every comparison of a number fact in a condition."""
    return [atom for atom in atoms(condition)
            if isinstance(atom, Compare) and procedure.facts[atom.name].type == "int"]


def _sources(procedure: Procedure, item) -> list[str]:
    """Where the documents' number is stated: the recorded interpretation first (the model's own
    reading), then the item's text, then, for a step, the state it leads to."""
    sources = [getattr(item, "interpretation", "") or "", _text(item)]
    if hasattr(item, "target"):
        target = procedure.states[item.target]
        sources.append(f"{target.name}. {target.description}")
    return [s for s in sources if s]


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
            for atom in thresholds(procedure.condition(kind, item.id), procedure):
                stated = next((found for found in (stated_boundaries(text, atom.name) for text in _sources(procedure, item))
                               if found), set())
                if not stated or boundary(atom) in stated:
                    continue
                comparison = f"{atom.name} {atom.op} {atom.value}"
                findings.append(Finding(
                    kind=KIND, severity="error", involved=[item.id],
                    witness={"stated": sorted(stated), "condition": comparison, "applies_from": boundary(atom)},
                    message=f"{words_of(procedure, item.id)}: the words give {atom.name} "
                            f"{' or '.join(map(str, sorted(stated)))}, but the condition `{comparison}` starts at "
                            f"{boundary(atom)}; make them agree",
                    citations=citations_of(procedure, item.id)))
    return findings
