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

from model.loader import validate_model
from model.procedure import Procedure
from model.schema import Period, real_date
from model.yaml_source import read_yaml

SCENARIO_FOLDER = Path(__file__).resolve().parents[1] / "scenarios"
BUNDLED_SCENARIO = SCENARIO_FOLDER / "county.yaml"
Probability = Field(ge=0, le=1)


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class StaffGroup(Strict):
    """A pool of staff: how many, how much of a week each works, and how often they are away."""

    count: int = Field(ge=0)
    fte: float = Field(default=1.0, gt=0, le=1.5)
    hours_per_week: float = Field(default=37.0, gt=0, le=60)
    max_caseload: Optional[int] = Field(default=None, ge=1)
    leave_days_per_year: float = Field(default=27, ge=0, le=120)
    sickness_days_per_year: float = Field(default=8, ge=0, le=120)
    turnover_per_year: float = Field(default=0.0, ge=0, le=2)
    vacancy_weeks: float = Field(default=12, ge=0)
    cost_per_fte: Optional[float] = Field(default=None, ge=0)   # a year, in the authority's currency


class Staff(Strict):
    social_workers: StaffGroup
    team_managers: StaffGroup
    conference_chairs: StaffGroup
    allocation: Literal["caseload", "pooled"] = "caseload"


class Calendar(Strict):
    start_date: dt.date
    closures: list[dt.date] = []
    day_starts_hour: float = Field(default=9.0, ge=0, lt=24)
    always_open: bool = False

    @field_validator("start_date", "closures", mode="before")
    @classmethod
    def _real_dates(cls, value):
        return [real_date(v) for v in value] if isinstance(value, list) else real_date(value)


class Demand(Strict):
    plan_starts_per_month: float = Field(gt=0)
    children_per_household: dict[int, float]
    age_at_start: dict[str, float]
    unborn_share: float = Probability

    @field_validator("children_per_household", "age_at_start")
    @classmethod
    def _distribution(cls, value):
        return _check_distribution(value)


class CaseFlow(Strict):
    """How cases move: review outcomes and monthly chances of other events (published where cited)."""

    end_at_review: list[float] = Field(min_length=1)
    moved_authority_per_month: float = Probability
    becomes_looked_after_s20_per_month: float = Probability
    double_protection_removal_share: float = Probability
    removal_request_days: float = Field(default=14, ge=0)
    long_term_plan_weeks: float = Field(default=20, gt=0)
    hospital_admission_per_month: float = Probability
    hospital_stay_days: float = Field(default=5, gt=0)
    core_group_before_discharge_share: float = Probability
    no_access_per_visit: float = Probability
    seen_alone_per_visit: float = Probability
    absent_agencies_at_discontinuation: float = Probability

    @field_validator("end_at_review")
    @classmethod
    def _probabilities(cls, value):
        for index, p in enumerate(value):
            if not 0 <= p <= 1:
                raise ValueError(f"end_at_review[{index}] = {p} is not a probability between 0 and 1")
        return value


class Scenario(Strict):
    name: str
    description: str = ""
    seed: int = Field(default=1, ge=0)
    replications: int = Field(default=10, ge=1, le=10_000)
    horizon_years: float = Field(gt=0, le=50)
    warm_up_months: float = Field(default=0, ge=0)
    calendar: Calendar
    staff: Staff
    demand: Demand
    case_flow: CaseFlow
    task_hours: dict[str, dict[str, float]]
    task_time: Literal["fixed", "exponential"] = "fixed"
    roles: dict[str, Literal["social_workers", "team_managers", "conference_chairs"]]
    local_standards: dict[str, Period] = {}
    assign_unaccountable: dict[str, str] = {}
    release_lead_working_days: int = Field(default=3, ge=0, le=60)
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
        return self

    @property
    def horizon_days(self) -> int:
        return int(round(self.horizon_years * 365.25))

    @property
    def warm_up_days(self) -> int:
        return int(round(self.warm_up_months * 365.25 / 12))


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
    deadlines = procedure.deadlines
    for name in scenario.local_standards:
        if name not in deadlines:
            raise document.error(("local_standards", name), f"unknown deadline kind {name!r}; known: "
                                 f"{', '.join(sorted(deadlines))}")
    for name, role in scenario.assign_unaccountable.items():
        if name not in deadlines:
            raise document.error(("assign_unaccountable", name), f"unknown deadline kind {name!r}")
        if role not in scenario.roles:
            raise document.error(("assign_unaccountable", name), f"role {role!r} is not mapped under 'roles'")
    for role in scenario.roles:
        if role not in procedure.roles:
            raise document.error(("roles", role), f"unknown role {role!r} in the procedure")
    for event in scenario.task_hours:
        if event not in procedure.events:
            raise document.error(("task_hours", event), f"unknown event {event!r}; events are what "
                                 "the procedure's transitions record")
        for role in scenario.task_hours[event]:
            if role not in scenario.roles:
                raise document.error(("task_hours", event, role), f"role {role!r} is not mapped under 'roles'")
    from sim.duties import duty_rules
    from sim.engine import task_hours
    rules = duty_rules(procedure, scenario)
    for duties in list(rules.by_anchor.values()) + list(rules.by_before.values()):
        for duty in duties:
            if task_hours(scenario, duty.event, duty.role) is None:
                raise document.error(("task_hours",), f"deadline kind {duty.kind!r} is simulated (its role "
                                     f"{duty.role!r} is staffed) but task_hours has no hours for event "
                                     f"{duty.event!r} by {duty.role!r} or the same staff")
    digest = hashlib.sha256(Path(path or BUNDLED_SCENARIO).read_bytes()).hexdigest()
    return scenario, digest
