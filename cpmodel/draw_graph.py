"""The state graph as pictures and interchange files a trainer or another tool can open."""
from __future__ import annotations

import io
import textwrap
from pathlib import Path

import matplotlib
import networkx as nx

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from cpmodel.atomic import write_files  # noqa: E402
from model.graph import state_graph  # noqa: E402
from model.procedure import Procedure  # noqa: E402

KIND_COLOURS = {"start": "#9ad0a5", "decision": "#f6d58b", "final": "#c9c9c9", "normal": "#a9c8ea"}


def layered_positions(procedure: Procedure, graph: nx.MultiDiGraph) -> dict:
    """Columns by distance from the start, so a case reads left to right on a slide; within a
    column, states ordered by the average height of their neighbours (a few barycentre sweeps),
    which keeps related states side by side and edges short."""
    depth = nx.single_source_shortest_path_length(graph, procedure.start.id)
    fallback = max(depth.values(), default=0) + 1
    layers: dict[int, list[str]] = {}
    for node in graph.nodes:
        layers.setdefault(depth.get(node, fallback), []).append(node)
    undirected = nx.Graph((a, b) for a, b in graph.edges() if a != b)
    undirected.add_nodes_from(graph.nodes)
    height = {}
    for nodes in layers.values():
        for rank, node in enumerate(nodes):
            height[node] = rank - (len(nodes) - 1) / 2
    order = sorted(layers)
    for sweep in range(8):
        for layer in (order if sweep % 2 == 0 else reversed(order)):
            nodes = layers[layer]
            def centre(node):
                near = [height[n] for n in undirected[node] if depth.get(n, fallback) != layer]
                return sum(near) / len(near) if near else height[node]
            nodes.sort(key=lambda n: (centre(n), n))
            for rank, node in enumerate(nodes):
                height[node] = rank - (len(nodes) - 1) / 2
    spread = max(len(nodes) for nodes in layers.values())
    return {node: (3.0 * layer, -height[node] * 10 / max(spread, 1) * 2)
            for layer, nodes in layers.items() for node in nodes}


def render_png(procedure: Procedure) -> bytes:
    graph = state_graph(procedure)
    positions = layered_positions(procedure, graph)
    columns = len({x for x, _ in positions.values()})
    figure, axes = plt.subplots(figsize=(max(16, 3.4 * columns), 18), dpi=110)
    simple = nx.DiGraph((a, b) for a, b in graph.edges() if a != b)   # loops are listed under the state
    simple.add_nodes_from(graph.nodes)
    nx.draw_networkx_edges(simple, positions, ax=axes, arrowsize=12, edge_color="#555555",
                           connectionstyle="arc3,rad=0.08", node_size=2600, width=0.9)
    labels, loops = {}, {}
    for source, target, data in graph.edges(data=True):
        if source == target:
            loops.setdefault(source, set()).add(data["event"].replace("_", " "))
            continue
        labels.setdefault((source, target), set()).add(data["event"].replace("_", " "))
    for node, events in loops.items():
        x, y = positions[node]
        axes.annotate("\u21bb " + ", ".join(sorted(events)), (x, y), xytext=(0, -34), textcoords="offset points",
                      ha="center", fontsize=6.5, color="#444444")
    nx.draw_networkx_edge_labels(simple, positions, ax=axes, font_size=6.5, rotate=False,
                                 edge_labels={k: "\n".join(sorted(v)) for k, v in labels.items()},
                                 bbox={"boxstyle": "round,pad=0.1", "fc": "white", "ec": "none", "alpha": 0.8},
                                 connectionstyle="arc3,rad=0.08")
    for kind, colour in KIND_COLOURS.items():
        nodes = [n for n in graph.nodes if graph.nodes[n]["kind"] == kind]
        nx.draw_networkx_nodes(graph, positions, nodelist=nodes, node_color=colour, node_size=2600,
                               node_shape="s" if kind == "decision" else "o", ax=axes, label=kind,
                               edgecolors="#333333", linewidths=0.8)
    nx.draw_networkx_labels(graph, positions, ax=axes, font_size=7,
                            labels={n: textwrap.fill(graph.nodes[n]["label"], 16) for n in graph.nodes})
    axes.legend(loc="upper left", fontsize=10, markerscale=0.4, title="state kind")
    axes.set_title(f"{procedure.spec.name}: states and transitions (version {procedure.spec.version})", fontsize=14)
    axes.axis("off")
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", bbox_inches="tight")
    plt.close(figure)
    return buffer.getvalue()


def render_dot(procedure: Procedure) -> str:
    graph = state_graph(procedure)
    dot = nx.nx_pydot.to_pydot(_plain_graph(graph))
    dot.set_rankdir("LR")
    for node in dot.get_nodes():
        name = node.get_name().strip('"')
        if name in graph.nodes:
            node.set_shape("box" if graph.nodes[name]["kind"] == "decision" else "ellipse")
            node.set_style("filled")
            node.set_fillcolor(KIND_COLOURS[graph.nodes[name]["kind"]])
    for edge in dot.get_edges():
        edge.set_label(edge.get("event"))
    return dot.to_string()


def dot_string(value) -> str:
    """A DOT quoted string: the text can never close the quotes and add attributes of its own.
    Backslashes are doubled (DOT reads \\N, \\l as label escapes), quotes escaped, line breaks
    written as DOT's \\n."""
    text = str(value).replace("\\", "\\\\").replace('"', '\\"')
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\\n")
    return f'"{text}"'


def _plain_graph(graph: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """Copy with only string attributes, quoted and escaped for DOT."""
    plain = nx.MultiDiGraph()
    for node, data in graph.nodes(data=True):
        plain.add_node(node, **{k: dot_string(v) for k, v in data.items()})
    for source, target, key, data in graph.edges(keys=True, data=True):
        plain.add_edge(source, target, key=key, **{k: dot_string(v) for k, v in data.items()})
    return plain


def render_graphml(procedure: Procedure) -> str:
    graph = state_graph(procedure)
    return "\n".join(nx.generate_graphml(graph))


# Mermaid's own entity codes: a label can hold no markup, no quotes that end it, no line breaks.
_MERMAID_ENTITIES = {"#": "#35;", "&": "#38;", '"': "#quot;", "<": "#lt;", ">": "#gt;", "`": "#96;",
                     "|": "#124;", "\\": "#92;", "[": "#91;", "]": "#93;", "{": "#123;", "}": "#125;",
                     "(": "#40;", ")": "#41;"}
_MERMAID_WORDS = {"end", "graph", "flowchart", "subgraph", "style", "class", "classdef", "click",
                  "linkstyle", "direction", "default", "call", "href"}


def mermaid_label(text) -> str:
    """Text for a Mermaid "label": every character that could end the label or be read as HTML
    or Markdown is written as an entity code; line breaks become spaces."""
    plain = " ".join(str(text).split())
    return "".join(_MERMAID_ENTITIES.get(character, character) for character in plain)


def mermaid_id(identifier: str) -> str:
    """A node id Mermaid will not read as a keyword ("end" closes a subgraph)."""
    return f"state_{identifier}" if identifier.lower() in _MERMAID_WORDS else identifier


def render_mermaid(procedure: Procedure) -> str:
    """Mermaid flowchart text (GitHub and many wikis draw it)."""
    lines = ["flowchart LR"]
    for state in procedure.spec.states:
        shape = ("{", "}") if state.kind == "decision" else (("([", "])") if state.kind in ("start", "final") else ("[", "]"))
        lines.append(f'    {mermaid_id(state.id)}{shape[0]}"{mermaid_label(state.name)}"{shape[1]}')
    for transition in procedure.spec.transitions:
        lines.append(f'    {mermaid_id(transition.source)} -->|"{mermaid_label(transition.event)}"| '
                     f"{mermaid_id(transition.target)}")
    return "\n".join(lines) + "\n"


def write_all(procedure: Procedure, folder: Path) -> list[Path]:
    """Write PNG, DOT, GraphML and Mermaid into folder; return the paths."""
    return write_files(folder, {
        "procedure.png": render_png(procedure),
        "procedure.dot": render_dot(procedure),
        "procedure.graphml": render_graphml(procedure),
        "procedure.mmd": render_mermaid(procedure),
    })
