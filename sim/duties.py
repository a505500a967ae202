"""The work a case creates, read from the procedure's deadlines (never written in code).

A deadline counted from event A creates, when A happens in a case, a task for its event due
within the period; a recurring deadline creates the next task each time the last one is done.
Which deadlines are simulated depends on the scenario: the accountable role must be staffed.
"""
from __future__ import annotations

from dataclasses import dataclass

from model.conditions import Condition
from model.procedure import EventRef, Procedure, roles_of
from model.schema import Period


@dataclass(frozen=True)
class Duty:
    """A simulated deadline: who is accountable, for what event, counted from what."""

    kind: str                 # the deadline id, the name results are reported under
    event: str
    occurrence: int | None    # the N-th time of the event this deadline is about (None: any)
    anchor: str | None
    anchor_occurrence: int | None
    within: Period | None
    every: Period | None
    before: str | None
    role: str
    condition: Condition


@dataclass
class DutyRules:
    by_anchor: dict[str, list[Duty]]
    by_before: dict[str, list[Duty]]
    simulated: list[str]
    not_simulated: dict[str, str]
    never_late: set[str]          # 'may' and 'consider' duties: simulated as work, never counted late


def duty_rules(procedure: Procedure, scenario) -> DutyRules:
    by_anchor: dict[str, list[Duty]] = {}
    by_before: dict[str, list[Duty]] = {}
    simulated, skipped = [], {}
    for deadline in procedure.spec.deadlines:
        roles = roles_of(deadline.role) or ([scenario.assign_unaccountable[deadline.id]]
                                            if deadline.id in scenario.assign_unaccountable else [])
        if len(roles) != 1:
            skipped[deadline.id] = "no single accountable role (assign one under assign_unaccountable)"
            continue
        if roles[0] not in scenario.roles:
            skipped[deadline.id] = f"role {roles[0]!r} is not staffed in this scenario"
            continue
        if deadline.every is not None and deadline.every.unit == "visits":
            skipped[deadline.id] = "counted in visits: measured from visit outcomes"
            continue
        if deadline.parameter and deadline.parameter_period and getattr(deadline, deadline.parameter_period) is None:
            standard = scenario.local_standards.get(deadline.id) or scenario.local_standards.get(deadline.parameter)
            if standard is None:
                skipped[deadline.id] = (f"the plan sets its period ({deadline.parameter}); give the authority's "
                                        f"number under local_standards")
                continue
            deadline = deadline.model_copy(update={deadline.parameter_period: standard})
        if deadline.not_before is not None and deadline.within is None:
            skipped[deadline.id] = "an ordering rule, followed by the case flow"
            continue
        event = EventRef.parse(deadline.event)
        anchor = EventRef.parse(deadline.anchor) if deadline.anchor else None
        every = scenario.local_standards.get(deadline.id, deadline.every) if deadline.every else None
        within = scenario.local_standards.get(deadline.id, deadline.within) if deadline.within else None
        duty = Duty(deadline.id, event.event, event.occurrence, anchor.event if anchor else None,
                    anchor.occurrence if anchor else None, within, every, deadline.before, roles[0],
                    procedure.condition("deadline", deadline.id))
        if duty.before:
            by_before.setdefault(duty.before, []).append(duty)
        elif anchor:
            by_anchor.setdefault(anchor.event, []).append(duty)
        simulated.append(deadline.id)
    never_late = {d.id for d in procedure.spec.deadlines if d.id in simulated and not d.lateness_counts}
    return DutyRules(by_anchor, by_before, simulated, skipped, never_late)
