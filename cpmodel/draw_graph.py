"""The state graph as pictures and interchange files a trainer or another tool can open."""
from __future__ import annotations

import io
import textwrap
from pathlib import Path

import matplotlib
import networkx as nx

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from cpmodel.atomic import write_bytes, write_text  # noqa: E402
from model.graph import state_graph  # noqa: E402
from model.procedure import Procedure  # noqa: E402

KIND_COLOURS = {"start": "#9ad0a5", "decision": "#f6d58b", "final": "#c9c9c9", "normal": "#a9c8ea"}


def layered_positions(procedure: Procedure, graph: nx.MultiDiGraph) -> dict:
    """Columns by distance from the start, so a case reads left to right on a slide."""
    depth = nx.single_source_shortest_path_length(graph, procedure.start.id)
    fallback = max(depth.values(), default=0) + 1
    for node in graph.nodes:
        graph.nodes[node]["layer"] = depth.get(node, fallback)
    return nx.multipartite_layout(graph, subset_key="layer", align="vertical", scale=10)


def render_png(procedure: Procedure) -> bytes:
    graph = state_graph(procedure)
    positions = layered_positions(procedure, graph)
    layers = len({graph.nodes[n]["layer"] for n in graph.nodes})
    figure, axes = plt.subplots(figsize=(max(16, 3.2 * layers), 18), dpi=110)
    simple = nx.DiGraph(graph)
    nx.draw_networkx_edges(simple, positions, ax=axes, arrowsize=12, edge_color="#555555",
                           connectionstyle="arc3,rad=0.08", node_size=2600, width=0.9)
    labels = {}
    for source, target, data in graph.edges(data=True):
        labels.setdefault((source, target), set()).add(data["event"].replace("_", " "))
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


def _plain_graph(graph: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """Copy with only string attributes, quoted where DOT needs it."""
    plain = nx.MultiDiGraph()
    for node, data in graph.nodes(data=True):
        plain.add_node(node, **{k: f'"{v}"' for k, v in data.items() if k != "layer"})
    for source, target, key, data in graph.edges(keys=True, data=True):
        plain.add_edge(source, target, key=key, **{k: f'"{v}"' for k, v in data.items()})
    return plain


def render_graphml(procedure: Procedure) -> str:
    graph = state_graph(procedure)
    for node in graph.nodes:
        graph.nodes[node].pop("layer", None)
    return "\n".join(nx.generate_graphml(graph))


def render_mermaid(procedure: Procedure) -> str:
    """Mermaid flowchart text (GitHub and many wikis draw it)."""
    lines = ["flowchart LR"]
    for state in procedure.spec.states:
        label = state.name.replace('"', "'")
        shape = ("{", "}") if state.kind == "decision" else (("([", "])") if state.kind in ("start", "final") else ("[", "]"))
        lines.append(f'    {state.id}{shape[0]}"{label}"{shape[1]}')
    for transition in procedure.spec.transitions:
        lines.append(f"    {transition.source} -->|{transition.event}| {transition.target}")
    return "\n".join(lines) + "\n"


def write_all(procedure: Procedure, folder: Path) -> list[Path]:
    """Write PNG, DOT, GraphML and Mermaid into folder; return the paths."""
    outputs = {
        "procedure.png": render_png(procedure),
        "procedure.dot": render_dot(procedure),
        "procedure.graphml": render_graphml(procedure),
        "procedure.mmd": render_mermaid(procedure),
    }
    written = []
    for name, content in outputs.items():
        path = folder / name
        if isinstance(content, bytes):
            write_bytes(path, content)
        else:
            write_text(path, content)
        written.append(path)
    return written
