"""Case facts and conditions as Z3 terms; the smallest witness case for a satisfiable query."""
from __future__ import annotations

from dataclasses import dataclass

import z3

from cpmodel.model.conditions import And, Compare, Condition, Const, Fact, Implies, Member, Not, Or
from cpmodel.model.procedure import Procedure

DEFAULT_TIMEOUT_MS = 10_000


class SolverUndecided(Exception):
    """Z3 answered 'unknown' (a timeout or a theory it gave up on)."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@dataclass
class Outcome:
    satisfiable: bool
    witness: dict


class FactEncoder:
    """One Z3 variable per fact: Bool, or Int (enum values by position, ints within bounds)."""

    def __init__(self, procedure: Procedure, timeout_ms: int = DEFAULT_TIMEOUT_MS):
        self.procedure = procedure
        self.timeout_ms = timeout_ms
        self.variables = {}
        self.domain = []
        self.domain_of = {}     # fact id -> its bounds, for explanations
        self._answers: dict[tuple, tuple] = {}   # satisfiable(): term ids -> (answer, the terms)
        self._terms: dict = {}                    # encode(): condition -> its Z3 term
        for fact in procedure.spec.facts:
            if fact.type == "bool":
                variable = z3.Bool(fact.id)
            else:
                variable = z3.Int(fact.id)
                upper = len(fact.values) - 1 if fact.type == "enum" else fact.max
                lower = 0 if fact.type == "enum" else fact.min
                self.domain.append(z3.And(variable >= lower, variable <= upper))
                self.domain_of[fact.id] = self.domain[-1]
            self.variables[fact.id] = variable
        self.invariants = [self.encode(c) for c in procedure.invariant_conditions()]
        self.invariant_of = {i.id: self.encode(procedure.condition("invariant", i.id))
                             for i in procedure.spec.invariants}

    def _value(self, name: str, value):
        fact = self.procedure.facts[name]
        if fact.type == "enum":
            return fact.values.index(value)
        if fact.type == "bool":
            return z3.BoolVal(value)
        return value

    def encode(self, condition: Condition):
        """The condition as a Z3 term, built once for each condition (the checks ask for the same
        guards and assumptions many times; a condition tree is frozen, so it can be a key)."""
        term = self._terms.get(condition)
        if term is None:
            term = self._terms[condition] = self._encode(condition)
        return term

    def _encode(self, condition: Condition):
        if isinstance(condition, Const):
            return z3.BoolVal(condition.value)
        if isinstance(condition, Fact):
            return self.variables[condition.name]
        if isinstance(condition, Compare):
            left, right = self.variables[condition.name], self._value(condition.name, condition.value)
            return {"==": lambda: left == right, "!=": lambda: left != right, "<": lambda: left < right,
                    "<=": lambda: left <= right, ">": lambda: left > right, ">=": lambda: left >= right}[condition.op]()
        if isinstance(condition, Member):
            variable = self.variables[condition.name]
            return z3.Or([variable == self._value(condition.name, v) for v in condition.values])
        if isinstance(condition, Not):
            return z3.Not(self.encode(condition.operand))
        if isinstance(condition, And):
            return z3.And([self.encode(c) for c in condition.operands])
        if isinstance(condition, Or):
            return z3.Or([self.encode(c) for c in condition.operands])
        if isinstance(condition, Implies):
            return z3.Implies(self.encode(condition.premise), self.encode(condition.conclusion))
        raise TypeError(f"not a condition: {condition!r}")

    def search(self, *constraints, show=()) -> Outcome:
        """Is there a case meeting the invariants and the constraints? If so, the smallest one.

        Smallest: as many facts as possible keep their quiet value (false, the first enum value,
        the lower bound), so the witness shows only what matters, as Hypothesis shrinks examples.
        """
        if not self.satisfiable(*constraints):   # the one incremental solver decides; Optimize only if a case exists
            return Outcome(False, {})
        optimizer = z3.Optimize()
        optimizer.set("timeout", self.timeout_ms)
        optimizer.add(*self.domain, *self.invariants, *constraints)
        for fact in self.procedure.spec.facts:
            quiet = self._value(fact.id, fact.quiet_value())
            optimizer.add_soft(self.variables[fact.id] == quiet)
        if optimizer.check() == z3.sat:
            return Outcome(True, self.case_from(optimizer.model(), set(show)))
        solver = z3.Solver()    # Optimize gave up within the time limit: any case, not the smallest
        solver.set("timeout", self.timeout_ms)
        solver.add(*self.domain, *self.invariants, *constraints)
        if solver.check() != z3.sat:
            raise SolverUndecided(solver.reason_unknown())
        return Outcome(True, self.case_from(solver.model(), set(show)))

    def satisfiable(self, *constraints) -> bool:
        """Can the constraints hold in some case meeting the domains and invariants?

        Each question is answered once: the checks ask many twice (a step's guard is asked by the
        vacuity and the reachability checks). Z3 builds each term once, so a term is known by its
        id; the cache keeps the terms, so no id is given to another term while it is there."""
        key = tuple(c.get_id() for c in constraints) if all(isinstance(c, z3.AstRef) for c in constraints) else None
        known = self._answers.get(key) if key is not None else None
        if known is not None:
            return known[0]
        if getattr(self, "_incremental", None) is None:  # one solver, domains and invariants once
            self._incremental = z3.Solver()
            self._incremental.set("timeout", self.timeout_ms)
            self._incremental.add(*self.domain, *self.invariants)
        solver = self._incremental
        solver.push()
        try:
            solver.add(*constraints)
            answer = solver.check()
        finally:
            solver.pop()
        if answer == z3.unknown:
            raise SolverUndecided(self._incremental.reason_unknown())
        if key is not None:
            self._answers[key] = (answer == z3.sat, constraints)
        return answer == z3.sat

    def explain(self, named: dict[str, object]) -> list[str]:
        """Why the named constraints cannot hold together: the smallest set of reasons.

        Reasons are the named constraints themselves, 'invariant:<id>' and 'domain:<fact>'. Z3's
        unsat core is shrunk by deletion (one at a time), so no reason can be left out.
        """
        reasons = dict(named)
        reasons.update({f"invariant:{k}": v for k, v in self.invariant_of.items()})
        reasons.update({f"domain:{k}": v for k, v in self.domain_of.items()})

        def unsat(labels) -> bool:
            solver = z3.Solver()
            solver.set("timeout", self.timeout_ms)
            solver.add(*(reasons[label] for label in labels))
            answer = solver.check()
            if answer == z3.unknown:
                raise SolverUndecided(solver.reason_unknown())
            return answer == z3.unsat

        solver = z3.Solver()
        solver.set("timeout", self.timeout_ms)
        markers = {}
        for label, constraint in reasons.items():
            marker = z3.Bool(f"reason::{label}")
            markers[str(marker)] = label
            solver.assert_and_track(constraint, marker)
        answer = solver.check()
        if answer != z3.unsat:
            if answer == z3.unknown:
                raise SolverUndecided(solver.reason_unknown())
            return []
        core = sorted(markers[str(m)] for m in solver.unsat_core())
        for label in list(core):
            trial = [c for c in core if c != label]
            if trial and unsat(trial):
                core = trial
        return core

    def case_from(self, model, show: set[str] = frozenset()) -> dict:
        """The witness: the facts that differ from their quiet value, and those asked for."""
        case = {}
        for fact in self.procedure.spec.facts:
            raw = model.eval(self.variables[fact.id], model_completion=True)
            if fact.type == "bool":
                value = z3.is_true(raw)
            elif fact.type == "enum":
                value = fact.values[raw.as_long()]
            else:
                value = raw.as_long()
            if value != fact.quiet_value() or fact.id in show:
                case[fact.id] = value
        return case
