"""A simulation scenario: everything a manager sets, validated once at the edge.

Scenario files are YAML (see scenarios/county.yaml); errors name file, line and field (exit 2).
"""
from __future__ import annotations

import datetime as dt
import hashlib
import math
from pathlib import Path
from typing import Literal, Optional

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from cpmodel.model.errors import InputErrors
from cpmodel.model.loader import suggestion, validate_model
from cpmodel.model.procedure import Procedure
from cpmodel.model.schema import Period, real_date
from cpmodel.model.yaml_source import read_yaml

SCENARIO_FOLDER = Path(__file__).resolve().parents[1] / "scenarios"
BUNDLED_SCENARIO = SCENARIO_FOLDER / "county.yaml"
Probability = Field(ge=0, le=1)


class Strict(BaseModel):
    # No infinities or NaN anywhere: ".inf" vacancy weeks would stall the simulation.
    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)


# Limits that make sense for children's social care in England: generous (several times the
# largest real value), but small enough that a typing slip cannot run for ever or fill memory.
MOST_STAFF = 50_000           # England has about 33,000 children and family social workers
MOST_PLAN_STARTS = 20_000     # England starts about 5,200 plans a month
MOST_CHILDREN = 20            # children in one household


class StaffGroup(Strict):
    """A pool of staff: how many, how much of a week each works, and how often they are away."""

    count: int = Field(ge=1, le=MOST_STAFF)
    fte: float = Field(default=1.0, gt=0, le=1.5)
    # at least an hour: a shift of seconds would take each task through thousands of days of spells
    hours_per_week: float = Field(default=37.0, ge=1, le=60)
    max_caseload: Optional[int] = Field(default=None, ge=1, le=1000)
    leave_days_per_year: float = Field(default=27, ge=0, le=120)
    sickness_days_per_year: float = Field(default=8, ge=0, le=120)
    turnover_per_year: float = Field(default=0.0, ge=0, le=2)
    vacancy_weeks: float = Field(default=12, ge=0, le=520)
    cost_per_fte: Optional[float] = Field(default=None, ge=0, le=10_000_000)   # a year, in the authority's currency

    @field_validator("count", mode="before")
    @classmethod
    def _someone(cls, value):
        if value == 0 and not isinstance(value, bool):
            raise ValueError("a staff group needs at least 1 person: the work of its roles would never "
                             "be done (to study vacancies, use turnover_per_year and vacancy_weeks)")
        return value


class Staff(Strict):
    social_workers: StaffGroup
    team_managers: StaffGroup
    conference_chairs: StaffGroup
    allocation: Literal["caseload", "pooled"] = "caseload"


class Calendar(Strict):
    start_date: dt.date
    closures: list[dt.date] = Field(default=[], max_length=20_000)
    day_starts_hour: float = Field(default=9.0, ge=0, lt=24)
    always_open: bool = False

    @field_validator("start_date", "closures", mode="before")
    @classmethod
    def _real_dates(cls, value):
        return [real_date(v) for v in value] if isinstance(value, list) else real_date(value)


class Demand(Strict):
    plan_starts_per_month: float = Field(gt=0, le=MOST_PLAN_STARTS)
    children_per_household: dict[int, float] = Field(min_length=1)
    age_at_start: dict[str, float] = Field(min_length=1)
    unborn_share: float = Probability

    @field_validator("children_per_household", mode="before")
    @classmethod
    def _sizes_given_once(cls, value):
        # YAML keeps 1 and "1" apart; as sizes they are one, and one share would silently replace the other
        if isinstance(value, dict):
            seen: dict[str, object] = {}
            for key in value:
                text = str(key).strip()
                if text in seen:
                    raise ValueError(f"household size {text} is given twice (as {seen[text]!r} and {key!r})")
                seen[text] = key
        return value

    @field_validator("children_per_household")
    @classmethod
    def _household_sizes(cls, value):
        for size in value:
            if not 1 <= size <= MOST_CHILDREN:
                raise ValueError(f"a household has 1 to {MOST_CHILDREN} children, not {size}")
        return _check_distribution(value)

    @field_validator("age_at_start")
    @classmethod
    def _distribution(cls, value):
        bands = []
        for band in value:
            low, dash, high = band.partition("-")
            try:
                low_age, high_age = int(low), int(high)
            except ValueError:
                raise ValueError(f"age band {band!r} is not LOW-HIGH in whole years, e.g. '0-4'") from None
            if not dash or not 0 <= low_age <= high_age <= 17:
                raise ValueError(f"age band {band!r}: ages at the start of a plan run from 0 to 17, low to high")
            bands.append((low_age, high_age, band))
        for (_, first_high, first), (second_low, _, second) in zip(sorted(bands), sorted(bands)[1:]):
            if second_low <= first_high:
                raise ValueError(f"age bands {first!r} and {second!r} overlap")
        return _check_distribution(value)


class CaseFlow(Strict):
    """How cases move: review outcomes and monthly chances of other events (published where cited)."""

    end_at_review: list[float] = Field(min_length=1, max_length=1000)
    moved_authority_per_month: float = Probability
    becomes_looked_after_s20_per_month: float = Probability
    double_protection_removal_share: float = Probability
    removal_request_days: float = Field(default=14, ge=0, le=3650)
    long_term_plan_weeks: float = Field(default=20, gt=0, le=1040)
    hospital_admission_per_month: float = Probability
    hospital_stay_days: float = Field(default=5, gt=0, le=3650)
    core_group_before_discharge_share: float = Probability
    no_access_per_visit: float = Probability
    seen_alone_per_visit: float = Probability
    absent_agencies_at_discontinuation: float = Probability
    # Monthly chance, between reviews, that the plan is judged no longer needed and the review
    # conference is brought forward to end it (default none: plans end only at scheduled reviews).
    review_brought_forward_per_month: float = Field(default=0.0, ge=0, le=1)

    @field_validator("end_at_review")
    @classmethod
    def _probabilities(cls, value):
        for index, p in enumerate(value):
            if not 0 <= p <= 1:
                raise ValueError(f"end_at_review[{index}] = {p} is not a probability between 0 and 1")
        return value


def _never_shut_for_a_year(calendar: "Calendar", horizon_days: int) -> None:
    """Refuse closures that leave no working day for over a year of the run (or of what follows
    it, where due dates still fall): the service would be shut, and no work could be done."""
    from cpmodel.model.calendar import WorkingCalendar
    from cpmodel.sim.days import BEYOND_HORIZON_DAYS
    working = WorkingCalendar(first_year=calendar.start_date.year - 1,
                              last_year=calendar.start_date.year + horizon_days // 365 + 3,
                              closures=frozenset(calendar.closures))
    year, since = dt.timedelta(days=366), calendar.start_date
    for offset in range(horizon_days + BEYOND_HORIZON_DAYS):   # as far as the simulation's calendar runs
        day = calendar.start_date + dt.timedelta(days=offset)
        if working.is_working_day(day):
            since = day
        elif day - since > year:
            raise ValueError(f"calendar.closures leave no working day from {since + dt.timedelta(days=1)} to {day}: "
                             "the service would be shut for over a year (a closure is a day it is shut)")


class Scenario(Strict):
    name: str = Field(min_length=1, max_length=200, pattern=r"\S")   # shown on every report and plot
    description: str = ""
    seed: int = Field(default=1, ge=0, lt=2**63)
    replications: int = Field(default=10, ge=1, le=10_000)
    horizon_years: float = Field(ge=0.25, le=50)   # a quarter: the shortest review cycle is 3 months
    warm_up_months: float = Field(default=0, ge=0, le=600)
    calendar: Calendar
    staff: Staff
    demand: Demand
    case_flow: CaseFlow
    task_hours: dict[str, dict[str, float]]
    task_time: Literal["fixed", "exponential"] = "fixed"
    roles: dict[str, Literal["social_workers", "team_managers", "conference_chairs"]]
    local_standards: dict[str, Period] = {}
    assign_unaccountable: dict[str, str] = {}
    booking_margin_working_days: int = Field(default=1, ge=0, le=20)   # see sim/diaries.py
    sources: dict[str, str] = {}

    @model_validator(mode="after")
    def _horizon_after_warm_up(self) -> "Scenario":
        if self.warm_up_months / 12 >= self.horizon_years:
            raise ValueError(f"horizon_years ({self.horizon_years}) must be longer than the warm-up "
                             f"({self.warm_up_months} months)")
        for event, hours in self.task_hours.items():
            for role, value in hours.items():
                if value < 0 or math.isnan(value):
                    raise ValueError(f"task_hours.{event}.{role} must not be negative (got {value})")
                if value > 1000:
                    raise ValueError(f"task_hours.{event}.{role} is {value:g} hours; no single task takes "
                                     "more than 1000 hours")
        from cpmodel.model.calendar import LAST_YEAR
        end = self.calendar.start_date.year + math.ceil(self.horizon_years) + 3
        if end > LAST_YEAR:
            raise ValueError(f"a run from {self.calendar.start_date} over {self.horizon_years:g} years needs bank "
                             f"holidays to about {end}, beyond the calendar's last year ({LAST_YEAR})")
        if self.calendar.closures and not self.calendar.always_open:
            _never_shut_for_a_year(self.calendar, self.horizon_days)
        return self

    @field_validator("local_standards")
    @classmethod
    def _positive_standards(cls, value):
        for name, period in value.items():
            if period.unit == "visits":
                raise ValueError(f"{name} is {period.number} visits: a local standard is a length of time "
                                 "(days, working_days, weeks or months)")
            if period.number == 0:
                raise ValueError(f"{name} is 0 {period.unit}: a duty repeated every 0 days would never "
                                 "end; give a positive period")
        return value

    @property
    def horizon_days(self) -> int:
        return int(round(self.horizon_years * 365.25))

    @property
    def warm_up_days(self) -> int:
        return int(round(self.warm_up_months * 365.25 / 12))


def check_against_procedure(scenario: Scenario, procedure: Procedure, document) -> None:
    """What only the procedure can tell: the names the scenario uses, and hours for every duty it
    simulates. document.error(path, message) locates a problem (a file's line, or a --set)."""
    problems = _cross_check(scenario, procedure, document)
    if problems:
        raise InputErrors(problems)
    from cpmodel.sim.duties import duty_rules
    from cpmodel.sim.engine import task_hours
    rules = duty_rules(procedure, scenario)
    for duties in list(rules.by_anchor.values()) + list(rules.by_before.values()):
        for duty in duties:
            if task_hours(scenario, duty.event, duty.role) is None:
                raise document.error(("task_hours",), f"deadline kind {duty.kind!r} is simulated (its role "
                                     f"{duty.role!r} is staffed) but task_hours has no hours for event "
                                     f"{duty.event!r} by {duty.role!r} or the same staff")


def _cross_check(scenario: Scenario, procedure: Procedure, document) -> list:
    """Names the scenario uses that the procedure does not know, each blamed on its own field."""
    problems = []
    deadlines, roles = procedure.deadlines, procedure.roles
    for role in scenario.roles:
        if role not in roles:
            problems.append(document.error(("roles", role), f"unknown role {role!r} in the procedure"
                                           f"{suggestion(role, roles)}"))
    for name in scenario.local_standards:
        if name not in deadlines:
            problems.append(document.error(("local_standards", name), f"unknown deadline kind {name!r}"
                                           f"{suggestion(name, deadlines)}; known: {', '.join(sorted(deadlines))}"))
    for name, role in scenario.assign_unaccountable.items():
        if name not in deadlines:
            problems.append(document.error(("assign_unaccountable", name), f"unknown deadline kind {name!r}"
                                           f"{suggestion(name, deadlines)}"))
        if role not in scenario.roles:
            problems.append(document.error(("assign_unaccountable", name), _unmapped(role, scenario, roles)))
    for event, hours in scenario.task_hours.items():
        if event not in procedure.events:
            problems.append(document.error(("task_hours", event), f"unknown event {event!r}"
                                           f"{suggestion(event, procedure.events)}; events are what "
                                           "the procedure's transitions record"))
        for role in hours:
            if role not in scenario.roles:
                problems.append(document.error(("task_hours", event, role), _unmapped(role, scenario, roles)))
    return problems


def _unmapped(role: str, scenario: Scenario, roles) -> str:
    if role in roles:
        return f"role {role!r} is not mapped under 'roles'"
    return f"unknown role {role!r}{suggestion(role, list(scenario.roles) + list(roles))}"


def _check_distribution(value: dict) -> dict:
    for key, p in value.items():
        if not 0 <= p <= 1:
            raise ValueError(f"probability for {key!r} is {p}, not between 0 and 1")
    total = sum(value.values())
    if abs(total - 1) > 1e-6:
        raise ValueError(f"probabilities sum to {total:g}, not 1")
    return value


def load_scenario(path: Path | str | None, procedure: Procedure) -> tuple[Scenario, str]:
    """Load, validate and cross-check a scenario against the procedure; return it and its hash."""
    document = read_yaml(path or BUNDLED_SCENARIO)
    if not isinstance(document.data, dict):
        raise document.error((), "a scenario must be a mapping with keys such as 'staff' and 'demand'")
    scenario = validate_model(Scenario, document)
    check_against_procedure(scenario, procedure, document)
    digest = hashlib.sha256(Path(path or BUNDLED_SCENARIO).read_bytes()).hexdigest()
    return scenario, digest
