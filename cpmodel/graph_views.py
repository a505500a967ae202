"""Sub-graphs a trainer can put on a slide: at most about fifteen states, chosen from the model.

- `main`: the way most cases go: the states that lie on the most shortest routes from the start
  to each way a case ends;
- a section (`cpp#avoiding-double-protection`, `avoiding-double-protection`, `impl#8`, `8`): the
  states citing it (or its numbered subsections), with the states one step away for context;
- a state id (`review_conference`): that state and its neighbours.
States left out are counted on the states they connect to ("+3 more routes"), so a slide never
pretends the procedure is smaller than it is."""
from __future__ import annotations

from dataclasses import dataclass, field

import networkx as nx

from cpmodel.model.errors import InputError
from cpmodel.model.graph import state_graph
from cpmodel.model.procedure import Procedure
from cpmodel.model.sources import sections, split_citations

MAX_STATES = 15


@dataclass
class GraphView:
    name: str
    title: str
    focus: list[str]          # the states the view is about (drawn strongly)
    context: list[str]        # neighbours shown for orientation (drawn pale)
    hidden_routes: dict[str, int]   # state -> routes to states left out of the view
    optional: list[str] = field(default_factory=list)   # states that may be left out to fit, least needed last

    @property
    def states(self) -> list[str]:
        return self.focus + [s for s in self.context if s not in self.focus]


def narrowed(view: GraphView, graph: nx.MultiDiGraph) -> GraphView | None:
    """The view without its least needed state (None when nothing more may go): used when a
    slide would otherwise need text too small to read."""
    optional = view.optional or view.context
    if not optional:
        return None
    gone = optional[-1]
    focus = [s for s in view.focus if s != gone]
    context = [s for s in view.context if s != gone]
    return GraphView(view.name, view.title, focus, context, _hidden(graph, set(focus) | set(context)),
                     [s for s in view.optional if s != gone])


def _hidden(graph: nx.MultiDiGraph, shown: set[str]) -> dict[str, int]:
    hidden: dict[str, int] = {}
    for source, target in graph.edges():
        if source in shown and target not in shown:
            hidden[source] = hidden.get(source, 0) + 1
        elif target in shown and source not in shown:
            hidden[target] = hidden.get(target, 0) + 1
    return hidden


def _ranked_neighbours(graph: nx.MultiDiGraph, around: list[str], limit: int) -> list[str]:
    """Neighbours of the focus states, the most connected to the focus first, in file order on ties."""
    order = {node: index for index, node in enumerate(graph.nodes)}
    counts: dict[str, int] = {}
    for node in around:
        for other in list(graph.successors(node)) + list(graph.predecessors(node)):
            if other not in around:
                counts[other] = counts.get(other, 0) + 1
    ranked = sorted(counts, key=lambda n: (-counts[n], order[n]))
    return ranked[:max(0, limit)]


def _timed_states(procedure: Procedure) -> dict[str, int]:
    """How many deadlines are counted from, or due at, an event that leads into each state: the
    states the procedure's timescales are about."""
    from cpmodel.model.procedure import EventRef

    counts: dict[str, int] = {}
    for deadline in procedure.spec.deadlines:
        events = {EventRef.parse(text).event for text in (deadline.event, deadline.anchor) if text and EventRef.parse(text)}
        for transition in procedure.spec.transitions:
            if transition.event in events and transition.source != transition.target:
                counts[transition.target] = counts.get(transition.target, 0) + 1
    return counts


def main_view(procedure: Procedure, graph: nx.MultiDiGraph) -> GraphView:
    """The states on the most routes from the start to an ending, and those the timescales are about."""
    start = procedure.start.id
    finals = [s.id for s in procedure.spec.states if s.kind == "final"]
    weight: dict[str, int] = {}
    for final in finals:
        try:
            for path in nx.all_shortest_paths(graph, start, final):
                for node in path:
                    weight[node] = weight.get(node, 0) + 1
        except nx.NetworkXNoPath:
            continue
    for state, count in _timed_states(procedure).items():
        weight[state] = weight.get(state, 0) + 2 * count
    order = {node: index for index, node in enumerate(graph.nodes)}
    grown = _grow_connected(graph, start, weight, order)
    chosen = sorted(grown, key=order.get)
    return GraphView("main", "the main route of a case", chosen, [], _hidden(graph, set(chosen)), grown[1:])


def _grow_connected(graph: nx.MultiDiGraph, start: str, weight: dict[str, int], order: dict[str, int]) -> list[str]:
    """From the start, add the heaviest neighbouring state until the view is full: a connected
    picture, never islands whose link was left out. In the order grown (so dropping from the
    end keeps it connected)."""
    chosen = [start]
    while len(chosen) < MAX_STATES:
        frontier = {n for c in chosen for n in list(graph.successors(c)) + list(graph.predecessors(c))} - set(chosen)
        if not frontier:
            break
        chosen.append(min(frontier, key=lambda n: (-weight.get(n, 0), order[n])))
    return chosen


def _section_ref(text: str) -> str | None:
    known = sections()
    if text in known:
        return text
    matches = [ref for ref in known if ref.split("#", 1)[1] == text]
    return matches[0] if len(matches) == 1 else None


def section_view(procedure: Procedure, graph: nx.MultiDiGraph, ref: str) -> GraphView:
    def cites(state) -> bool:
        for citation in split_citations(state.citation):
            section = citation.split("/")[0]
            if section == ref or section.startswith(ref + "."):
                return True
        return False

    focus = [s.id for s in procedure.spec.states if cites(s)]
    if not focus:   # a section no state cites: the states its transitions join
        joined = []
        for transition in procedure.spec.transitions:
            if any(c.split("/")[0] == ref or c.startswith(ref + ".") for c in split_citations(transition.citation)):
                joined += [transition.source, transition.target]
        focus = list(dict.fromkeys(joined))
    if not focus:   # a section only deadlines cite: the states their events lead into
        from cpmodel.model.procedure import EventRef
        events = {EventRef.parse(d.event).event for d in procedure.spec.deadlines if EventRef.parse(d.event)
                  and any(c.split("/")[0] == ref for c in split_citations(d.citation))}
        focus = list(dict.fromkeys(t.target for t in procedure.spec.transitions if t.event in events))
    if not focus:
        raise InputError("--view", None, ref, "no state, route or deadline of the model cites this section "
                         "(see `cpmodel book` for what the model makes of it)")
    focus = focus[:MAX_STATES]
    context = _ranked_neighbours(graph, focus, MAX_STATES - len(focus))
    shown = set(focus) | set(context)
    return GraphView(ref, f"{sections()[ref].heading} ({ref})", focus, context, _hidden(graph, shown))


def state_view(procedure: Procedure, graph: nx.MultiDiGraph, state_id: str) -> GraphView:
    context = _ranked_neighbours(graph, [state_id], MAX_STATES - 1)
    shown = {state_id} | set(context)
    return GraphView(state_id, f"around \u201c{procedure.states[state_id].name}\u201d", [state_id], context,
                     _hidden(graph, shown))


def choose_view(procedure: Procedure, name: str) -> GraphView:
    """`main`, a section or a state; one line naming the choices when the name is none of them."""
    graph = state_graph(procedure)
    if name == "main":
        return main_view(procedure, graph)
    if name in procedure.states:
        return state_view(procedure, graph, name)
    ref = _section_ref(name)
    if ref is not None:
        return section_view(procedure, graph, ref)
    from cpmodel.model.loader import suggestion
    choices = ["main", *procedure.states, *sections(), *(r.split("#", 1)[1] for r in sections())]
    raise InputError("--view", None, name, f"not 'main', a state id or a section{suggestion(name, choices)}; "
                     "states: `cpmodel export`, sections: model/sources.yaml")
