"""The work a case creates, read from the procedure's deadlines (never written in code).

A deadline counted from event A creates, when A happens in a case, a task for its event due
within the period; a recurring deadline creates the next task each time the last one is done.
Which deadlines are simulated depends on the scenario: the accountable role must be staffed.
"""
from __future__ import annotations

from dataclasses import dataclass

from cpmodel.model.conditions import Condition
from cpmodel.model.procedure import EventRef, Procedure, roles_of
from cpmodel.model.schema import Deadline, Period

# Duties done face to face at a time agreed with others: they need a slot in someone's working
# day (one sitting), booked in the diary. Other duties (notes, letters, reports) fill free time.
APPOINTMENTS = frozenset({"visit", "meeting", "conference"})


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
    appointment: bool = False


@dataclass
class DutyRules:
    by_anchor: dict[str, list[Duty]]
    by_before: dict[str, list[Duty]]
    simulated: list[str]
    not_simulated: dict[str, str]
    never_late: set[str]          # 'may' and 'consider' duties: simulated as work, never counted late


# Deadlines counted in visits whose outcome the engine draws for every visit and measures (seen
# alone); the others (the bedroom seen) are not drawn, so not measured.
MEASURED_FROM_VISITS = frozenset({"seen_alone_alternate_visits"})


def duty_of(deadline: Deadline, procedure: Procedure, scenario) -> Duty | str:
    """The duty a deadline puts on this scenario's staff, or why it is not simulated.

    The one place where the procedure's deadlines become simulated work.
    """
    roles = roles_of(deadline.role) or ([scenario.assign_unaccountable[deadline.id]]
                                        if deadline.id in scenario.assign_unaccountable else [])
    if len(roles) != 1:
        return "no single accountable role (assign one under assign_unaccountable)"
    if roles[0] not in scenario.roles:
        return f"role {roles[0]!r} is given to no staff in this scenario (its roles: section)"
    if deadline.every is not None and deadline.every.unit == "visits":
        if deadline.id in MEASURED_FROM_VISITS:
            return "no task of its own: measured from the outcome of each visit"
        return "an outcome of a visit (counted in visits) that the simulation does not draw"
    if deadline.parameter and deadline.parameter_period and getattr(deadline, deadline.parameter_period) is None:
        standard = scenario.local_standards.get(deadline.id) or scenario.local_standards.get(deadline.parameter)
        if standard is None:
            return (f"the plan sets its period ({deadline.parameter}); give the authority's number "
                    "under local_standards")
        deadline = deadline.model_copy(update={deadline.parameter_period: standard})
    if deadline.not_before is not None and deadline.within is None:
        return "an ordering rule, followed by the case flow"
    event = EventRef.parse(deadline.event)
    anchor = EventRef.parse(deadline.anchor) if deadline.anchor else None
    every = scenario.local_standards.get(deadline.id, deadline.every) if deadline.every else None
    within = scenario.local_standards.get(deadline.id, deadline.within) if deadline.within else None
    return Duty(deadline.id, event.event, event.occurrence, anchor.event if anchor else None,
                anchor.occurrence if anchor else None, within, every, deadline.before, roles[0],
                procedure.condition("deadline", deadline.id), deadline.duty in APPOINTMENTS)


def duty_rules(procedure: Procedure, scenario) -> DutyRules:
    by_anchor: dict[str, list[Duty]] = {}
    by_before: dict[str, list[Duty]] = {}
    simulated, skipped = [], {}
    for deadline in procedure.spec.deadlines:
        duty = duty_of(deadline, procedure, scenario)
        if isinstance(duty, str):
            skipped[deadline.id] = duty
            continue
        if duty.before:
            by_before.setdefault(duty.before, []).append(duty)
        elif duty.anchor:
            by_anchor.setdefault(duty.anchor, []).append(duty)
        simulated.append(deadline.id)
    never_late = {d.id for d in procedure.spec.deadlines if d.id in simulated and not d.lateness_counts}
    return DutyRules(by_anchor, by_before, simulated, skipped, never_late)
