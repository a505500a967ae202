"""Conflict: a case in which one rule permits or obliges what another forbids or makes impossible."""
from __future__ import annotations

import itertools

from cpmodel.model.conditions import facts_named
from cpmodel.model.digraph import has_cycle, has_path, successors_of
from cpmodel.model.procedure import Procedure
from cpmodel.proofs.encode import FactEncoder
from cpmodel.proofs.findings import Finding, citations_of, words_of

KIND = "conflict"


def precedence(procedure: Procedure) -> dict[str, list[str]]:
    """{rule: the rules it overrides}: an edge a -> b when rule a overrides rule b."""
    return successors_of(procedure.rules, ((rule.id, other) for rule in procedure.spec.rules
                                           for other in rule.overrides))


def _precedence_graph(procedure: Procedure):
    """The same as a networkx graph, for what is more than reachability (cycles, shortest chains)."""
    import networkx as nx

    graph = nx.DiGraph()
    graph.add_nodes_from(procedure.rules)
    for rule in procedure.spec.rules:
        for other in rule.overrides:
            graph.add_edge(rule.id, other)
    return graph


def override_cycles(procedure: Procedure) -> list[Finding]:
    findings = []
    if not has_cycle(precedence(procedure)):
        return findings
    import networkx as nx

    for cycle in nx.simple_cycles(_precedence_graph(procedure)):
        findings.append(Finding(
            kind="override_cycle", severity="error", involved=sorted(cycle),
            message=f"{' and '.join(words_of(procedure, r) for r in cycle)}: these rules override each other "
                    f"in a circle ({' -> '.join(cycle + cycle[:1])}), so no rule can take precedence",
            citations=citations_of(procedure, *cycle)))
    return findings


def clashing_pairs(procedure: Procedure):
    """Pairs of rules whose joint application is contradictory, with the reason why."""
    rules = procedure.spec.rules
    excludes = {(a.id, b) for a in procedure.spec.actions for b in a.excludes}
    excludes |= {(b, a) for a, b in excludes}
    for first, second in itertools.combinations(rules, 2):
        modalities = {first.modality, second.modality}
        if first.action == second.action:
            if "forbidden" in modalities and modalities != {"forbidden"}:
                yield first, second, f"{first.id!r} {_verb(first)} and {second.id!r} {_verb(second)} {first.action!r}"
        elif (first.action, second.action) in excludes and "forbidden" not in modalities \
                and "obliged" in modalities:
            yield first, second, (f"{first.id!r} {_verb(first)} {first.action!r} and {second.id!r} "
                                  f"{_verb(second)} {second.action!r}, which cannot both happen")


def _verb(rule) -> str:
    return {"obliged": "obliges", "permitted": "permits", "forbidden": "forbids"}[rule.modality]


def check(procedure: Procedure, encoder: FactEncoder) -> list[Finding]:
    order = precedence(procedure)
    findings = override_cycles(procedure)
    for first, second, clash in clashing_pairs(procedure):
        conditions = [procedure.condition("rule", r.id) for r in (first, second)]
        outcome = encoder.search(*map(encoder.encode, conditions),
                                 show=facts_named(conditions[0]) | facts_named(conditions[1]))
        if not outcome.satisfiable:
            continue
        winner = None
        if has_path(order, first.id, second.id) and not has_path(order, second.id, first.id):
            winner, loser = first, second
        elif has_path(order, second.id, first.id) and not has_path(order, first.id, second.id):
            winner, loser = second, first
        quoted = f"{words_of(procedure, first.id)} and {words_of(procedure, second.id)}"
        case = _case_text(outcome.witness)
        if winner:
            chain = override_chain(procedure, order, winner.id, loser.id)
            why = (f"{winner.id!r} declares that it overrides {loser.id!r}" if len(chain) == 2 else
                   "of the chain of overrides " + " -> ".join(repr(r) for r in chain))
            outcome_words = {"obliged": "required", "permitted": "allowed", "forbidden": "forbidden"}[winner.modality]
            findings.append(Finding(
                kind=KIND, severity="info", involved=[first.id, second.id],
                witness=outcome.witness | {"winner": winner.id, "overridden": loser.id,
                                           "outcome": f"{winner.action} {outcome_words}"},
                message=f"{quoted}: resolved conflict in a case like {case}: {clash}. {winner.id!r} wins, "
                        f"because {why}; so {winner.action!r} is {outcome_words} there",
                citations=citations_of(procedure, first.id, second.id)))
        else:
            findings.append(Finding(
                kind=KIND, severity="error", involved=[first.id, second.id], witness=outcome.witness,
                message=f"{quoted}: conflict in a case like {case}: {clash}, and neither rule overrides "
                        "the other (say which wins with `overrides`, or narrow one rule's `when`)",
                citations=citations_of(procedure, first.id, second.id)))
    return findings


def override_chain(procedure: Procedure, order: dict[str, list[str]], winner: str, loser: str) -> list[str]:
    """The shortest chain of overrides from winner to loser: the two alone when one names the other
    (as networkx finds it), else networkx's shortest path."""
    if loser in order[winner]:
        return [winner, loser]
    import networkx as nx

    return nx.shortest_path(_precedence_graph(procedure), winner, loser)


def _case_text(witness: dict) -> str:
    if not witness:
        return "every fact at its default"
    return ", ".join(f"{k}={'true' if v is True else 'false' if v is False else v}" for k, v in witness.items())
