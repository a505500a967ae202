"""Mutation score: how many planted defects `cpmodel check` or `cpmodel diff` catch, by operator.

Run:  .venv/bin/python benchmarks/mutation_score.py [--operators unit_flip ...] [--limit N] [--markdown]

Each operator makes mutants of the shipped model, one small edit each, of the kind a policy writer
makes by mistake. A mutant is *caught* when `cpmodel diff` against the shipped model either
- gives a finding of `check` of one of the operator's expected kinds that is new and
  unacknowledged (an error or a warning) or that changed (its severity, message or witness: a
  change of winner is a changed conflict), or
- describes the revision's consequence with the operator's kind of change, witness included: a
  condition whose meaning changed (`scope_changed`, with a case where one holds and the other does
  not), a route removed or added (`route_removed` / `route_added`, with a consequence: a path gone,
  a state cut off, a deadline whose event can no longer happen, a pathway that walks differently),
  a timescale changed (`timescale_changed`, with the old and new period).
Mutants the loader rejects (exit 2: the edit is not a valid procedure) and mutants equivalent to
the shipped model (a condition Z3 proves means the same in every case where the item can apply;
two rules whose precedence changed that can never apply together) are counted apart and left out
of the score. The table also gives how many were caught by `check`'s findings alone and the share
on which `check` itself exits 1.
"""
from __future__ import annotations

import argparse
import copy
import json
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from ruamel.yaml import YAML  # noqa: E402

from cpmodel.model.conditions import Compare, Not, parse, render  # noqa: E402
from cpmodel.model.errors import InputError  # noqa: E402
from cpmodel.model.loader import BUNDLED_PROCEDURE, load_procedure, procedure_from_document  # noqa: E402
from cpmodel.model.yaml_source import YamlDocument  # noqa: E402
from cpmodel.proofs import run_checks  # noqa: E402
from cpmodel.proofs.diff import diff_procedures  # noqa: E402

CHECK_KINDS = {
    "unit_flip": {"unit_inconsistency", "text_drift", "infeasible_deadline", "uncovered_stretch"},
    "guard_off_by_one": {"vacuous", "text_drift", "gap", "overlap", "unreachable_by_guard", "conflict",
                         "transition_conflict"},
    "guard_negated": {"vacuous", "gap", "overlap", "unreachable_by_guard", "conflict", "transition_conflict",
                      "text_drift", "infeasible_deadline"},
    "override_removed": {"conflict", "transition_conflict"},
    "override_reversed": {"conflict", "transition_conflict", "override_cycle"},
    "role_removed": {"unaccountable"},
    "role_doubled": {"unaccountable"},
    "transition_added": {"overlap", "gap", "transition_conflict", "vacuous", "unreachable_by_guard", "dead_end"},
    "transition_removed": {"gap", "unreachable", "dead_end", "unreachable_by_guard", "transition_conflict",
                           "unmeetable_deadline"},
    "period_changed": {"text_drift", "infeasible_deadline", "uncovered_stretch", "unit_inconsistency"},
    "state_orphaned": {"unreachable", "unreachable_by_guard", "dead_end"},
}
# What `diff` describes for each operator (proofs/consequences.py).
DIFF_KINDS = {
    "unit_flip": {"timescale_changed"},
    "guard_off_by_one": {"scope_changed"},
    "guard_negated": {"scope_changed"},
    "transition_added": {"route_added"},
    "transition_removed": {"route_removed"},
    "period_changed": {"timescale_changed"},
    "state_orphaned": {"route_removed"},
}
EXPECTED = {operator: kinds | DIFF_KINDS.get(operator, set()) for operator, kinds in CHECK_KINDS.items()}
OPERATORS = tuple(EXPECTED)
# A route finding counts only with a consequence beyond the edit itself.
_ROUTE_CONSEQUENCES = ("path_gone", "path_new", "no_way_in", "no_way_out", "unreachable_now", "stuck_now",
                       "reachable_now", "deadlines", "rules_never_triggered", "pathways", "same_event_from_source")


@dataclass
class Mutant:
    operator: str
    description: str
    data: dict
    condition_change: tuple | None = None   # (kind, id, old text, new text), for the equivalence test
    overrides: tuple | None = None          # (rule, rule) whose precedence the mutant changes


@dataclass
class Outcome:
    mutant: Mutant
    status: str                  # caught | escaped | rejected | equivalent
    kinds: list[str] = field(default_factory=list)
    check_exit_1: bool = False
    by_check: bool = False       # caught by check's findings, not only by diff's description


def shipped_data() -> dict:
    return YAML(typ="safe").load(BUNDLED_PROCEDURE.read_text(encoding="utf-8"))


def _items(data, collection):
    return data.get(collection) or []


def _find(data, collection, item_id):
    return next(i for i in _items(data, collection) if i["id"] == item_id)


def _mutant(base, operator, description, change, condition_change=None, overrides=None) -> Mutant:
    data = copy.deepcopy(base)
    change(data)
    return Mutant(operator, description, data, condition_change, overrides)


# -- operators ------------------------------------------------------------------------------------
def unit_flip(base):
    flips = {"working_days": "days", "days": "working_days", "weeks": "months", "months": "weeks"}
    for deadline in _items(base, "deadlines"):
        for name in ("within", "every", "not_before"):
            value = deadline.get(name)
            if not isinstance(value, str):
                continue
            number, unit = value.split()
            if int(number) == 0 or unit not in flips:
                continue   # '0 working days' and '0 days' are the same: an equivalent mutant
            new = f"{number} {flips[unit]}"
            yield _mutant(base, "unit_flip", f"{deadline['id']}.{name}: {value} -> {new}",
                          lambda d, i=deadline["id"], n=name, v=new: _find(d, "deadlines", i).update({n: v}))


def _conditions(base):
    for collection, kind in (("transitions", "transition"), ("rules", "rule"), ("deadlines", "deadline")):
        for item in _items(base, collection):
            text = item.get("when", "true")
            yield collection, kind, item, text


def _rewrite(condition, target, replacement):
    """The condition with one atom (by identity) replaced."""
    from cpmodel.model.conditions import And, Implies, Or
    if condition is target:
        return replacement
    if isinstance(condition, Not):
        return Not(_rewrite(condition.operand, target, replacement))
    if isinstance(condition, And):
        return And(tuple(_rewrite(c, target, replacement) for c in condition.operands))
    if isinstance(condition, Or):
        return Or(tuple(_rewrite(c, target, replacement) for c in condition.operands))
    if isinstance(condition, Implies):
        return Implies(_rewrite(condition.premise, target, replacement), _rewrite(condition.conclusion, target, replacement))
    return condition


def _int_atoms(condition, int_facts):
    from cpmodel.model.conditions import And, Implies, Or
    if isinstance(condition, Compare) and condition.name in int_facts:
        yield condition
    elif isinstance(condition, Not):
        yield from _int_atoms(condition.operand, int_facts)
    elif isinstance(condition, (And, Or)):
        for operand in condition.operands:
            yield from _int_atoms(operand, int_facts)
    elif isinstance(condition, Implies):
        yield from _int_atoms(condition.premise, int_facts)
        yield from _int_atoms(condition.conclusion, int_facts)


def guard_off_by_one(base):
    int_facts = {f["id"] for f in base["facts"] if f["type"] == "int"}
    strictness = {"<": "<=", "<=": "<", ">": ">=", ">=": ">"}
    for collection, kind, item, text in _conditions(base):
        tree = parse(text)
        for atom in _int_atoms(tree, int_facts):
            variants = [Compare(atom.name, atom.op, atom.value + 1), Compare(atom.name, atom.op, atom.value - 1)]
            if atom.op in strictness:
                variants.append(Compare(atom.name, strictness[atom.op], atom.value))
            for variant in variants:
                new = render(_rewrite(tree, atom, variant))
                yield _mutant(base, "guard_off_by_one", f"{item['id']}.when: {text!r} -> {new!r}",
                              lambda d, c=collection, i=item["id"], n=new: _find(d, c, i).update(when=n),
                              (kind, item["id"], text, new))


def guard_negated(base):
    for collection, kind, item, text in _conditions(base):
        if text.strip() == "true":
            continue   # 'not true' is 'false': a trivial mutant; only stated conditions are negated
        new = f"not ({text})"
        yield _mutant(base, "guard_negated", f"{item['id']}.when: {text!r} -> {new!r}",
                      lambda d, c=collection, i=item["id"], n=new: _find(d, c, i).update(when=n),
                      (kind, item["id"], text, new))


def override_removed(base):
    for rule in _items(base, "rules"):
        for other in rule.get("overrides", []):
            yield _mutant(base, "override_removed", f"{rule['id']} no longer overrides {other}",
                          lambda d, r=rule["id"], o=other: _find(d, "rules", r)["overrides"].remove(o),
                          overrides=(rule["id"], other))


def override_reversed(base):
    for rule in _items(base, "rules"):
        for other in rule.get("overrides", []):
            def reverse(d, r=rule["id"], o=other):
                _find(d, "rules", r)["overrides"].remove(o)
                _find(d, "rules", o).setdefault("overrides", []).append(r)
            yield _mutant(base, "override_reversed", f"{other} overrides {rule['id']} instead", reverse,
                          overrides=(rule["id"], other))


def _duties(base):
    for rule in _items(base, "rules"):
        if rule.get("strength", {"obliged": "must"}.get(rule.get("modality"), "may")) in ("must", "should", "consider"):
            yield "rules", rule
    for deadline in _items(base, "deadlines"):
        yield "deadlines", deadline


def role_removed(base):
    for collection, item in _duties(base):
        if item.get("role"):
            yield _mutant(base, "role_removed", f"{item['id']}: role {item['role']} removed",
                          lambda d, c=collection, i=item["id"]: _find(d, c, i).pop("role"))


def role_doubled(base):
    roles = [r["id"] for r in base["roles"]]
    for collection, item in _duties(base):
        current = item.get("role")
        current = [current] if isinstance(current, str) else list(current or [])
        if not current:
            continue   # nobody to double: a duty with no role is already reported (and giving it one is a fix)
        extra = next(r for r in roles if r not in current)
        yield _mutant(base, "role_doubled", f"{item['id']}: role {current or 'none'} -> {current + [extra]}",
                      lambda d, c=collection, i=item["id"], v=current + [extra]: _find(d, c, i).update(role=v))


def transition_added(base):
    """A second way out of a decision (not one left to judgement): an exclusive outcome added."""
    states = {s["id"]: s for s in base["states"]}
    for state in base["states"]:
        if state.get("kind") != "decision" or state.get("judgement"):
            continue
        ways = [t for t in base["transitions"] if t["from"] == state["id"]]
        for way in ways:
            target = next((t["to"] for t in ways if t["to"] != way["to"]), None)
            if target is None or states[target].get("kind") == "start":
                continue
            def add(d, w=way, t=target):   # a new outcome, exclusive as every new transition is by default
                copy_ = {k: v for k, v in w.items() if k not in ("id", "to", "exclusive")}
                d["transitions"].append({"id": f"{w['id']}_also", "to": t, **copy_})
            yield _mutant(base, "transition_added", f"{way['id']} also leads to {target}", add)


def transition_removed(base):
    for transition in base["transitions"]:
        yield _mutant(base, "transition_removed", f"{transition['id']} removed",
                      lambda d, i=transition["id"]: d.__setitem__(
                          "transitions", [t for t in d["transitions"] if t["id"] != i]))


def period_changed(base):
    for deadline in _items(base, "deadlines"):
        for name in ("within", "every", "not_before"):
            value = deadline.get(name)
            if not isinstance(value, str):
                continue
            number, unit = value.split()
            for new_number in (int(number) + 1, int(number) - 1):
                if new_number < 0 or (name == "every" and new_number == 0):
                    continue
                new = f"{new_number} {unit}"
                yield _mutant(base, "period_changed", f"{deadline['id']}.{name}: {value} -> {new}",
                              lambda d, i=deadline["id"], n=name, v=new: _find(d, "deadlines", i).update({n: v}))


def state_orphaned(base):
    for state in base["states"]:
        if state.get("kind") == "start":
            continue
        incoming = [t["id"] for t in base["transitions"] if t["to"] == state["id"] and t["from"] != state["id"]]
        if not incoming:
            continue
        yield _mutant(base, "state_orphaned", f"{state['id']}: ways in removed ({', '.join(incoming)})",
                      lambda d, drop=set(incoming): d.__setitem__(
                          "transitions", [t for t in d["transitions"] if t["id"] not in drop]))


GENERATORS = {name: globals()[name] for name in OPERATORS}


def mutants(operators=OPERATORS, base=None) -> list[Mutant]:
    base = base or shipped_data()
    return [m for operator in operators for m in GENERATORS[operator](base)]


# -- judging ------------------------------------------------------------------------------------
def _never_together(procedure, first: str, second: str) -> bool:
    """Two rules that can never apply in the same case and place: their precedence changes nothing."""
    from cpmodel.proofs.encode import FactEncoder
    from cpmodel.proofs.vacuity import applicability

    one, other = procedure.rules[first], procedure.rules[second]
    if one.in_states and other.in_states and not set(one.in_states) & set(other.in_states):
        return True
    if one.on and other.on and not set(one.on) & set(other.on):
        return True
    encoder = FactEncoder(procedure)
    parts = [*applicability(procedure, encoder, "rule", one).values(), *applicability(procedure, encoder, "rule", other).values()]
    return not encoder.satisfiable(*parts)


def _equivalent(procedure_before, mutant_procedure, change) -> bool:
    """Z3: the mutated condition means the same as the original in every case where the item can
    apply (the states a rule or deadline is limited to; the state a step enters), under the facts'
    domains and the invariants."""
    import z3

    from cpmodel.proofs.encode import FactEncoder
    kind, item_id, _old, _new = change
    encoder = FactEncoder(mutant_procedure)
    old = encoder.encode(procedure_before.condition(kind, item_id))
    new = encoder.encode(mutant_procedure.condition(kind, item_id))
    item = {"rule": mutant_procedure.rules, "deadline": mutant_procedure.deadlines,
            "transition": mutant_procedure.transitions}[kind][item_id]
    states = [item.target] if kind == "transition" else list(item.in_states)
    where = [z3.Or([encoder.encode(mutant_procedure.condition("state", s)) for s in states])] if states else []
    return not encoder.satisfiable(z3.Xor(old, new), *where)


def _described(consequence: dict) -> bool:
    """A description of the revision that carries its witness."""
    witness = consequence["witness"]
    if consequence["kind"] == "scope_changed":
        return bool(witness.get("gained") or witness.get("lost") or witness.get("scope"))
    if consequence["kind"] in ("route_removed", "route_added"):
        return any(witness.get(key) for key in _ROUTE_CONSEQUENCES)
    if consequence["kind"] == "timescale_changed":
        return witness.get("old") != witness.get("new")
    return False


def judge(mutant: Mutant, shipped, shipped_report, folder: Path | None = None) -> Outcome:
    """Load the mutant as the loader loads any file (validation and cross-references included;
    the data is handed over directly, as the YAML text would be parsed to exactly this data)."""
    document = YamlDocument(f"<mutant: {mutant.description}>", mutant.data, {(): 1})
    try:
        procedure = procedure_from_document(document)
    except InputError:
        return Outcome(mutant, "rejected")
    if mutant.overrides and _never_together(procedure, *mutant.overrides):
        return Outcome(mutant, "equivalent")
    if mutant.condition_change and _equivalent(shipped, procedure, mutant.condition_change):
        return Outcome(mutant, "equivalent")
    report = run_checks(procedure)
    result = diff_procedures(shipped, procedure, shipped_report, report)
    expected = CHECK_KINDS[mutant.operator]
    by_check = ({f["kind"] for f in result.findings_added
                 if f["kind"] in expected and f["severity"] in ("error", "warning") and not f["acknowledged"]}
                | {c["kind"] for c in result.findings_changed if c["kind"] in expected})
    by_diff = {c["kind"] for c in result.consequences
               if c["kind"] in DIFF_KINDS.get(mutant.operator, ()) and _described(c)}
    kinds = sorted(by_check | by_diff)
    return Outcome(mutant, "caught" if kinds else "escaped", kinds, report.failed(), bool(by_check))


def _remember_deadline_results() -> None:
    """The deadline check is a pure function of the deadlines, facts, invariants and states: most
    mutants leave those alone, so its result is reused (the other checks always run afresh)."""
    from cpmodel.proofs import report as checks

    if getattr(checks.CHECKS["deadlines"], "remembers", False):
        return
    original, memory = checks.CHECKS["deadlines"], {}

    def remembering(procedure, encoder):
        spec = procedure.spec
        key = json.dumps([[x.model_dump(by_alias=True) for x in getattr(spec, c)]
                          for c in ("deadlines", "facts", "invariants", "states")], sort_keys=True, default=str)
        if key not in memory:
            memory[key] = original(procedure, encoder)
        return copy.deepcopy(memory[key])

    remembering.remembers = True
    checks.CHECKS["deadlines"] = remembering


def score(operators=OPERATORS, limit=None, progress=None) -> list[Outcome]:
    _remember_deadline_results()
    shipped = load_procedure()
    shipped_report = run_checks(shipped)
    outcomes = []
    for operator in operators:
        for index, mutant in enumerate(mutants([operator])):
            if limit is not None and index >= limit:
                break
            outcomes.append(judge(mutant, shipped, shipped_report))
            if progress:
                progress(outcomes[-1])
    return outcomes


def table(outcomes: list[Outcome], markdown: bool = False) -> str:
    rows = []
    for operator in dict.fromkeys(o.mutant.operator for o in outcomes):
        group = [o for o in outcomes if o.mutant.operator == operator]
        counted = [o for o in group if o.status in ("caught", "escaped")]
        caught = [o for o in counted if o.status == "caught"]
        exits = sum(o.check_exit_1 for o in counted)
        share = 100 * len(caught) / len(counted) if counted else float("nan")
        rows.append((operator, len(group), len(counted), len(caught), share, sum(o.by_check for o in caught), exits,
                     sum(o.status == "equivalent" for o in group), sum(o.status == "rejected" for o in group)))
    header = ("operator", "mutants", "scored", "caught", "score", "by check's findings", "check exits 1",
              "equivalent", "rejected")
    if markdown:
        lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
        lines += [f"| `{r[0]}` | {r[1]} | {r[2]} | {r[3]} | {r[4]:.0f}% | {r[5]} | {r[6]} | {r[7]} | {r[8]} |"
                  for r in rows]
        return "\n".join(lines)
    lines = [f"{header[0]:<20} {header[1]:>7} {header[2]:>6} {header[3]:>6} {header[4]:>6} {header[5]:>19} "
             f"{header[6]:>13} {header[7]:>10} {header[8]:>8}"]
    lines += [f"{r[0]:<20} {r[1]:>7} {r[2]:>6} {r[3]:>6} {r[4]:>5.0f}% {r[5]:>19} {r[6]:>13} {r[7]:>10} {r[8]:>8}"
              for r in rows]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--operators", nargs="+", choices=OPERATORS, default=list(OPERATORS))
    parser.add_argument("--limit", type=int, default=None, help="At most N mutants per operator.")
    parser.add_argument("--markdown", action="store_true", help="Print the table for the README.")
    parser.add_argument("--escaped", action="store_true", help="List the mutants that escaped.")
    parser.add_argument("--json", type=Path, default=None, help="Write every outcome to this file.")
    args = parser.parse_args()
    started = time.perf_counter()
    outcomes = score(args.operators, args.limit,
                     progress=lambda o: print(f"  {o.status:10} {o.mutant.operator}: {o.mutant.description}"
                                              f"{' -> ' + ', '.join(o.kinds) if o.kinds else ''}",
                                              file=sys.stderr, flush=True))
    print(table(outcomes, args.markdown))
    print(f"\n{len(outcomes)} mutants in {time.perf_counter() - started:.0f} s")
    if args.escaped:
        for outcome in outcomes:
            if outcome.status == "escaped":
                print(f"escaped  {outcome.mutant.operator}: {outcome.mutant.description}")
    if args.json:
        args.json.write_text(json.dumps([{"operator": o.mutant.operator, "mutant": o.mutant.description,
                                          "status": o.status, "kinds": o.kinds, "check_exit_1": o.check_exit_1,
                                          "by_check": o.by_check}
                                         for o in outcomes], indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
