"""The procedure file's shape, validated by pydantic. Cross-references are checked in loader.py."""
from __future__ import annotations

import datetime as dt
import re
from typing import Any, Literal, Optional, Union

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

Unit = Literal["working_days", "days", "weeks", "months", "visits"]
# Strength as the document words it. Only must/should produce lateness or breaches; `may` is a
# discretion, `consider` a duty to consider (never a duty to act).
RuleStrength = Literal["must", "should", "may", "consider", "must_not", "should_not"]
DeadlineStrength = Literal["must", "should", "may", "consider"]
TimingWord = Literal["around", "promptly", "at_once", "as_soon_as_possible", "regularly"]
_MODALITY_OF = {"must": "obliged", "should": "obliged", "consider": "obliged", "may": "permitted",
                "must_not": "forbidden", "should_not": "forbidden"}
_STRENGTH_OF = {"obliged": "must", "permitted": "may", "forbidden": "must_not"}
UNITS = ("working_days", "days", "weeks", "months", "visits")
Identifier = Field(pattern=r"^[a-z][a-z0-9_]*$")
MOST_MONTHS = 240          # 20 years: a child's whole childhood
MOST_INT_VALUES = 1000     # an int fact's min..max; its domain is listed and searched
_PERIOD = re.compile(r"^\s*(-?\d+)\s+([a-z_]+)\s*$")


def real_date(value) -> dt.date:
    """A date from YAML text, or a sentence saying why it is not one (2027-02-30 does not exist)."""
    from cpmodel.model.calendar import check_input_date, date_from_text   # here: the calendar needs Period
    if isinstance(value, dt.datetime):
        raise ValueError(f"{value.isoformat()[:40]!r} is a date and a time: write the date alone (YYYY-MM-DD)")
    if isinstance(value, dt.date):
        return check_input_date(value)
    return check_input_date(date_from_text(str(value)))


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)


def _as_list(value: Any) -> Any:
    """Scope fields take one id or a list of ids."""
    if isinstance(value, str):
        return [value]
    return value


class Item(Strict):
    """Anything a policy writer cites. `interpretation` records the modeller's reading where the
    document is unclear, so the checker can show every guess."""

    interpretation: str = ""


class Period(Strict):
    """A length of time with its unit, as the documents state it ("10 working days")."""

    number: int = Field(ge=0, le=1000)   # no procedure timescale is longer; guards date arithmetic
    unit: Unit

    @model_validator(mode="before")
    @classmethod
    def _from_text(cls, value: Any) -> Any:
        if isinstance(value, bool):
            raise ValueError("a period is a number and a unit, e.g. '10 working_days'")
        if isinstance(value, (int, float)):
            raise ValueError(f"period {value} has no unit: write e.g. '{value} working_days' "
                             f"(units: {', '.join(UNITS)})")
        if isinstance(value, str):
            match = _PERIOD.match(value)
            if not match:
                raise ValueError(f"period {value!r} is not 'NUMBER UNIT' (units: {', '.join(UNITS)})")
            return {"number": int(match.group(1)), "unit": match.group(2)}
        return value

    @model_validator(mode="after")
    def _months_in_range(self) -> "Period":
        # 1000 months would be 83 years: past the working-day calendar from any start date.
        if self.unit == "months" and self.number > MOST_MONTHS:
            raise ValueError(f"a period of {self.number} months is longer than any procedure timescale "
                             f"(at most {MOST_MONTHS} months)")
        return self

    def __str__(self) -> str:
        return f"{self.number} {self.unit.replace('_', ' ')}"


RoleRef = Union[str, list[str], None]


class Role(Item):
    id: str = Identifier
    name: str
    description: str = ""
    citation: str


class FactDefinition(Item):
    id: str = Identifier
    type: Literal["bool", "enum", "int"]
    values: Optional[list[str]] = None
    min: Optional[int] = None
    max: Optional[int] = None
    default: Union[bool, int, str, None] = None
    description: str = ""

    @model_validator(mode="after")
    def _shape(self) -> "FactDefinition":
        if self.type == "enum" and not self.values:
            raise ValueError("an enum fact needs 'values', a list of at least one value")
        if self.type != "enum" and self.values is not None:
            raise ValueError(f"'values' is only for enum facts, not {self.type}")
        if self.type == "int":
            if self.min is None or self.max is None:
                raise ValueError("an int fact needs bounds 'min' and 'max'")
            if self.min > self.max:
                raise ValueError(f"min {self.min} is above max {self.max}")
            if self.max - self.min + 1 > MOST_INT_VALUES:
                raise ValueError(f"an int fact may take at most {MOST_INT_VALUES} values; {self.min}..{self.max} "
                                 f"is {self.max - self.min + 1} (facts count small things, such as an age 0..18)")
        elif self.min is not None or self.max is not None:
            raise ValueError("'min' and 'max' are only for int facts")
        if self.values is not None:
            repeated = sorted({v for v in self.values if self.values.count(v) > 1})
            if repeated:
                raise ValueError(f"value {repeated[0]!r} is listed twice in 'values'")
        self._default_fits()
        return self

    def _default_fits(self) -> None:
        """A default outside the fact's values would be a case that cannot exist."""
        value = self.default
        if value is None:
            return
        if self.type == "bool" and not isinstance(value, bool):
            raise ValueError(f"default {value!r} is not true or false")
        if self.type == "int" and (isinstance(value, bool) or not isinstance(value, int)
                                   or not self.min <= value <= self.max):
            raise ValueError(f"default {value!r} is not a whole number in {self.min}..{self.max}")
        if self.type == "enum" and value not in self.values:
            raise ValueError(f"default {value!r} is not one of the values ({', '.join(self.values)})")

    def domain(self) -> list:
        """Every value this fact can take, in order (the first is its quiet default)."""
        if self.type == "bool":
            return [False, True]
        if self.type == "enum":
            return list(self.values)
        return list(range(self.min, self.max + 1))

    def quiet_value(self):
        """The value that counts as 'nothing special' when shrinking a witness."""
        if self.default is not None:
            return self.default
        return self.domain()[0]


class Invariant(Item):
    id: str = Identifier
    when: str
    text: str = ""
    citation: str


class State(Item):
    id: str = Identifier
    name: str
    kind: Literal["start", "normal", "decision", "final"] = "normal"
    assumes: str = "true"
    decided_by: RoleRef = None      # who makes the decision taken here
    judgement: bool = False         # every way out is a valid outcome: the documents leave it to that person
    description: str = ""
    citation: str

    @model_validator(mode="after")
    def _judgement_is_a_decision(self) -> "State":
        if self.judgement and self.kind != "decision":
            raise ValueError("'judgement' is only for decision states (kind: decision)")
        return self


class Transition(Item):
    id: str = Identifier
    source: str = Field(alias="from")
    target: str = Field(alias="to")
    event: str = Identifier
    when: str = "true"
    exclusive: bool = True
    action: Optional[str] = None
    by: RoleRef = None                # who takes the step; none where the documents name nobody
    strength: Literal["must", "should", "may"] = "must"
    description: str = ""
    citation: str


class Action(Item):
    id: str = Identifier
    description: str = ""
    excludes: list[str] = []


class Rule(Item):
    id: str = Identifier
    strength: Optional[RuleStrength] = None
    modality: Optional[Literal["obliged", "permitted", "forbidden"]] = None   # v1; derived from strength
    action: str
    role: RoleRef = None
    in_states: list[str] = Field([], alias="in")     # applies only while the case is in these states
    on: list[str] = []                               # applies only at the step recording these events
    when: str = "true"
    overrides: list[str] = []
    text: str = ""
    citation: str

    _lists = field_validator("in_states", "on", mode="before")(lambda cls, value: _as_list(value))

    @model_validator(mode="after")
    def _strength_and_modality(self) -> "Rule":
        if self.strength is None and self.modality is None:
            raise ValueError("a rule needs a 'strength' (must, should, may, consider, must_not, should_not)")
        if self.strength is None:
            self.strength = _STRENGTH_OF[self.modality]
        elif self.modality is None:
            self.modality = _MODALITY_OF[self.strength]
        elif _MODALITY_OF[self.strength] != self.modality:
            raise ValueError(f"strength {self.strength!r} and modality {self.modality!r} disagree; "
                             "keep only 'strength' (modality is the version 1 field)")
        return self


class Deadline(Item):
    id: str = Identifier
    event: str
    anchor: Optional[str] = None
    within: Optional[Period] = None
    every: Optional[Period] = None
    not_before: Optional[Period] = None
    before: Optional[str] = None
    # A period the procedure leaves to the plan or the authority: `every: {parameter: visit_interval}`.
    # Here it has no number; an authority's standards file supplies one (Procedure.with_standards).
    parameter: Optional[str] = None
    parameter_period: Optional[Literal["within", "every"]] = None
    standard_source: str = ""          # set when a standards file supplied the period
    strength: DeadlineStrength = "must"
    in_states: list[str] = Field([], alias="in")     # the duty is live only while the case is in these states
    vague: Optional[TimingWord] = None               # the document's timing word, where it gives no window
    when: str = "true"
    duty: str = Identifier
    role: RoleRef = None
    text: str = ""
    note: str = ""
    citation: str

    _lists = field_validator("in_states", mode="before")(lambda cls, value: _as_list(value))

    @model_validator(mode="before")
    @classmethod
    def _parameter_periods(cls, data: Any) -> Any:
        if not isinstance(data, dict):
            return data
        for name in ("within", "every"):
            value = data.get(name)
            if isinstance(value, dict) and "parameter" in value:
                if set(value) != {"parameter"}:
                    raise ValueError(f"'{name}: {{parameter: NAME}}' takes only the parameter's name")
                if data.get("parameter") not in (None, value["parameter"]):
                    raise ValueError("a deadline has at most one parameter period")
                data = {k: v for k, v in data.items() if k != name}
                data["parameter"], data["parameter_period"] = value["parameter"], name
        return data

    @property
    def lateness_counts(self) -> bool:
        """Only what the document says must or should happen can be late."""
        return self.strength in ("must", "should")

    @model_validator(mode="after")
    def _something_to_meet(self) -> "Deadline":
        if not (self.within or self.every or self.not_before or self.before or self.parameter):
            raise ValueError("a deadline needs 'within', 'every', 'not_before' or 'before'")
        if (self.within or self.every or self.not_before or self.parameter) and not self.anchor:
            raise ValueError("a deadline with a period needs an 'anchor' event to count from")
        for name in ("within", "not_before"):
            period = getattr(self, name)
            if period is not None and period.unit == "visits":
                raise ValueError(f"'{name}' cannot count visits; only 'every' can")
        if self.every is not None and self.every.number == 0:
            raise ValueError("'every' must be a positive period")
        return self


class Parameter(Item):
    """A timescale the documents leave to each plan or to the authority (how often a child is seen)."""

    id: str = Identifier
    name: str
    set_by: Literal["plan", "authority"]
    unit: Optional[Unit] = None
    description: str = ""
    citation: str


class Acknowledgement(Strict):
    finding: str
    reason: str = Field(min_length=1)
    by: str
    date: str

    @field_validator("date")
    @classmethod
    def _iso_date(cls, value: str) -> str:
        real_date(value)
        return value


class ProcedureFile(Strict):
    name: str
    version: str
    roles: list[Role]
    facts: list[FactDefinition]
    invariants: list[Invariant] = []
    states: list[State]
    transitions: list[Transition]
    actions: list[Action] = []
    rules: list[Rule] = []
    deadlines: list[Deadline] = []
    parameters: list[Parameter] = []
    acknowledgements: list[Acknowledgement] = []
