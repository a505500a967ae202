"""Timing the documents leave open.

- vague_timing: a timing word with no window ('around ten days', 'promptly', 'as soon as
  possible', 'at once', 'regularly'): nobody can say when it is late. A permission (`may`) is
  never late, so a timing word in its text is not reported there (the deadline that times the
  same paragraph reports it).
- no_timescale: a duty that follows an event, owed by someone other than whoever takes the step
  that records the event, with no period, no timing word and no stated reason: 'by when?'. (A
  duty of the one taking the step, or of a member of that body, is done at that step: the
  chair's tasks at the conference; so is one its text places 'at the' or 'during the' event.)
"""
from __future__ import annotations

import re

from cpmodel.model.procedure import EventRef, Procedure, roles_of
from cpmodel.proofs.findings import Finding, citations_of, words_of
from cpmodel.proofs.text_drift import stated_periods

TIMING_WORDS = ("around", "about (?=\\w+ (?:working )?(?:days?|weeks?|months?))", "approximately", "promptly", "as soon as possible", "at once", "immediately",
                "without delay", "regularly", "in advance", "soon", "in good time")
_WORDS = re.compile(r"\b(" + "|".join(w if "(?" in w else re.escape(w) for w in TIMING_WORDS) + r")\b", re.IGNORECASE)
_VAGUE = {"around": "around", "promptly": "promptly", "at_once": "at once",
          "as_soon_as_possible": "as soon as possible", "regularly": "regularly"}


def timing_words(text: str) -> list[str]:
    found = []
    for match in _WORDS.finditer(text or ""):
        word = match.group(1).lower().strip()
        if word not in found:
            found.append(word)
    return found


def vague_timing(procedure: Procedure) -> list[Finding]:
    findings = []
    for deadline in procedure.spec.deadlines:
        words = timing_words(deadline.text)
        if getattr(deadline, "vague", None) and _VAGUE.get(deadline.vague, deadline.vague) not in words:
            words.insert(0, _VAGUE.get(deadline.vague, deadline.vague))
        if not words:
            continue
        period = deadline.within or deadline.every or deadline.not_before
        counted = (f"the model counts {'every ' if deadline.every else 'within '}{period}" if period is not None
                   else f"the model leaves the period to the parameter {deadline.parameter!r}"
                   if getattr(deadline, "parameter", None) else "the model sets no period")
        findings.append(Finding(
            kind="vague_timing", severity="warning", involved=[deadline.id],
            witness={"words": words, "model_period": str(period) if period is not None else None},
            message=f"{words_of(procedure, deadline.id)}: the document times this with "
                    f"{' and '.join(repr(w) for w in words)} and gives no window; {counted}, so what is "
                    "on time is the model's reading, not the document's",
            citations=citations_of(procedure, deadline.id)))
    for rule in procedure.spec.rules:
        if rule.strength == "may":
            continue   # a permission cannot be late
        words = timing_words(rule.text)
        if not words or stated_periods(rule.text):
            continue
        findings.append(Finding(
            kind="vague_timing", severity="warning", involved=[rule.id],
            witness={"words": words, "model_period": None},
            message=f"{words_of(procedure, rule.id)}: the document times this with "
                    f"{' and '.join(repr(w) for w in words)} and gives no window, so nobody can say when it is late",
            citations=citations_of(procedure, rule.id)))
    return findings


_AT_THE_EVENT = re.compile(r"\b(at|during) (the|every|each|a|any) |\bon the agenda\b", re.IGNORECASE)


def _takes_part(owners: set[str], takers: set[str]) -> bool:
    """The duty's owner takes the step, or belongs to the body that does (conference_chair, conference)."""
    return any(o == t or o.startswith(t + "_") for o in owners for t in takers)


def no_timescale(procedure: Procedure) -> list[Finding]:
    takers: dict[str, set[str]] = {}
    for transition in procedure.spec.transitions:
        takers.setdefault(transition.event, set()).update(roles_of(transition.by))
    anchored = {EventRef.parse(d.anchor).event for d in procedure.spec.deadlines if d.anchor}
    findings = []
    for rule in procedure.spec.rules:
        events = list(getattr(rule, "on", []) or [])
        if rule.strength not in ("must", "should") or not events:
            continue
        if getattr(rule, "interpretation", "") or stated_periods(rule.text) or timing_words(rule.text):
            continue   # a stated reason, a period or a timing word (reported as vague) says something
        owners = set(roles_of(rule.role))
        if owners and all(_takes_part(owners, takers.get(e, set())) for e in events):
            continue   # owed by whoever takes the step (or a member of that body): done at the step
        if _AT_THE_EVENT.search(rule.text or ""):
            continue   # 'at the conference', 'on the agenda of every core group': timed by the event
        counted = [e for e in events if e in anchored]
        findings.append(Finding(
            kind="no_timescale", severity="warning", involved=[rule.id],
            witness={"events": events, "owed_by": sorted(owners), "steps_taken_by": sorted(
                set().union(*(takers.get(e, set()) for e in events))), "deadlines_from_these_events": counted},
            message=f"{words_of(procedure, rule.id)}: a duty that follows {', '.join(repr(e) for e in events)}"
                    f"{' for ' + ', '.join(sorted(owners)) if owners else ''}, with no period, no timing word and no "
                    "stated reason; by when is it due?",
            citations=citations_of(procedure, rule.id)))
    return findings


def check(procedure: Procedure, _encoder=None) -> list[Finding]:
    return vague_timing(procedure) + no_timescale(procedure)
