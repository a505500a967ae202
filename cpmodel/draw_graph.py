"""The state graph as pictures and interchange files a trainer or another tool can open."""
from __future__ import annotations

import io
import shutil
import textwrap
from pathlib import Path

import matplotlib
import networkx as nx

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from cpmodel.atomic import write_files  # noqa: E402
from cpmodel.model.graph import state_graph  # noqa: E402
from cpmodel.model.procedure import Procedure  # noqa: E402
from cpmodel.figure_bytes import figure_bytes

KIND_COLOURS = {"start": "#9ad0a5", "decision": "#f6d58b", "final": "#c9c9c9", "normal": "#a9c8ea"}


def layered_positions(procedure: Procedure, graph: nx.MultiDiGraph, start: str | None = None) -> dict:
    """Columns by distance from the start, so a case reads left to right on a slide; within a
    column, states ordered by the average height of their neighbours (a few barycentre sweeps),
    which keeps related states side by side and edges short."""
    depth = nx.single_source_shortest_path_length(graph, start or procedure.start.id)
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


def graphviz_available() -> bool:
    """Graphviz's `dot` lays out a graph far better than anything drawn here; use it when installed."""
    return shutil.which("dot") is not None


def render_full(procedure: Procedure, image_format: str = "png") -> bytes:
    """The whole state graph: laid out by Graphviz when it is installed, else by the layered layout below."""
    if graphviz_available():
        return _dot_image(_styled_dot(procedure, state_graph(procedure), None, fontsize=14), image_format)
    return render_png(procedure, image_format)


def render_png(procedure: Procedure, image_format: str = "png") -> bytes:
    """The layered layout drawn with matplotlib: the fallback when Graphviz is not installed."""
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
    return figure_bytes(figure, image_format)


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
    """Write PNG and SVG (Graphviz's layout when installed), DOT, GraphML and Mermaid into folder."""
    return write_files(folder, {
        "procedure.png": render_full(procedure, "png"),
        "procedure.svg": render_full(procedure, "svg").decode("utf-8"),
        "procedure.dot": render_dot(procedure),
        "procedure.graphml": render_graphml(procedure),
        "procedure.mmd": render_mermaid(procedure),
    })


# -- slides: a view of at most about fifteen states, 1280x720 ----------------------------------------

SLIDE = (1280, 720)
SLIDE_INCHES = (SLIDE[0] / 96, SLIDE[1] / 96)
SLIDE_FONT = 22          # points before Graphviz scales the drawing to the slide
MIN_SLIDE_TEXT_PIXELS = 14   # a state's name at least this tall on the 1280x720 slide
PALE = {"start": "#dcefe0", "decision": "#fbefd0", "final": "#e8e8e8", "normal": "#dde9f6"}


def _edge_labels(graph: nx.MultiDiGraph, shown: set[str]) -> tuple[dict, dict]:
    labels, loops = {}, {}
    for source, target, data in graph.edges(data=True):
        if source not in shown or target not in shown:
            continue
        event = data["event"].replace("_", " ")
        if source == target:
            loops.setdefault(source, set()).add(event)
        else:
            labels.setdefault((source, target), set()).add(event)
    return labels, loops


def _node_label(graph, node, loops, hidden, width=16) -> str:
    text = textwrap.fill(graph.nodes[node]["label"], width)
    if node in loops:
        text += "\n" + textwrap.fill("\u21bb " + ", ".join(sorted(loops[node])), width + 4)
    if hidden.get(node):
        text += f"\n(+{hidden[node]} more route{'s' if hidden[node] != 1 else ''})"
    return text


def _styled_dot(procedure: Procedure, graph: nx.MultiDiGraph, view, fontsize: int, width: int = 16):
    """A pydot graph laid out left to right, in the kind colours; context states pale."""
    import pydot

    shown = set(view.states) if view else set(graph.nodes)
    focus = set(view.focus) if view else shown
    hidden = view.hidden_routes if view else {}
    labels, loops = _edge_labels(graph, shown)
    title = (f"{procedure.spec.name}: {view.title}" if view
             else f"{procedure.spec.name}: states and transitions (version {procedure.spec.version})")
    dot = pydot.Dot(graph_type="digraph", rankdir="LR", label=_quote(textwrap.fill(title, 80) if view else title), labelloc="t", fontsize=str(fontsize + 6),
                    fontname="Helvetica", nodesep="0.2", ranksep="0.35", pad="0.15", bgcolor="white")
    dot.set_node_defaults(fontname="Helvetica", fontsize=str(fontsize), style="filled", penwidth="1.2", margin="0.12,0.06")
    dot.set_edge_defaults(fontname="Helvetica", fontsize=str(round(fontsize * (0.75 if view else 0.85))), color="#555555", arrowsize="0.8")
    for node in graph.nodes:
        if node not in shown:
            continue
        kind = graph.nodes[node]["kind"]
        strong = node in focus
        dot.add_node(pydot.Node(_quote(node), label=_quote(_node_label(graph, node, loops, hidden, width)),
                                shape="box" if kind == "decision" else ("doubleoctagon" if kind == "final" else "ellipse")
                                if kind != "normal" else "box",
                                style="filled" if kind == "decision" else "rounded,filled",
                                fillcolor=(KIND_COLOURS if strong else PALE)[kind],
                                fontcolor="#111111" if strong else "#555555",
                                color="#333333" if strong else "#999999"))
    for (source, target), events in labels.items():
        text = _quote("\n".join(textwrap.fill(e, 12 if view else 14) for e in sorted(events)))
        dot.add_edge(pydot.Edge(_quote(source), _quote(target), label=text))
    return dot


def _quote(text: str) -> str:
    return '"' + text.replace('"', "'") + '"'


def _dot_image(dot, image_format: str, dpi: int | None = None) -> bytes:
    if dpi:
        dot.set("dpi", str(dpi))
    return dot.create(prog="dot", format=image_format)


def render_view(procedure: Procedure, view, image_format: str = "png") -> bytes:
    """A slide: the view's states at a size legible from the back of a room, 1280x720 as PNG."""
    graph = state_graph(procedure)
    if graphviz_available():
        from cpmodel.graph_views import narrowed

        while True:   # leave out context states, least connected first, until the text is legible
            dot, scale = max(((d, _dot_scale(d)) for d in (_slide_dot(procedure, graph, view, direction)
                                                           for direction in ("LR", "TB"))), key=lambda pair: pair[1])
            smaller = narrowed(view, graph)
            if scale * SLIDE_FONT * 96 / 72 >= MIN_SLIDE_TEXT_PIXELS or smaller is None:
                break
            view = smaller
        if image_format == "svg":
            return _dot_image(dot, "svg")
        return _on_slide(_dot_image(dot, "png", dpi=96))
    return _matplotlib_view(procedure, graph, view, image_format)


def _slide_dot(procedure: Procedure, graph: nx.MultiDiGraph, view, direction: str):
    dot = _styled_dot(procedure, graph, view, fontsize=SLIDE_FONT, width=13)
    dot.set("rankdir", direction)
    dot.set("size", f"{SLIDE_INCHES[0]:.3f},{SLIDE_INCHES[1]:.3f}")
    dot.set("ratio", "compress")
    return dot


def _dot_scale(dot) -> float:
    """How much Graphviz shrinks the drawing to fit the slide (1 = not at all): text size follows it."""
    import re

    svg = dot.create(prog="dot", format="svg").decode("utf-8")
    match = re.search(r'transform="scale\(([\d.]+)', svg)
    return float(match.group(1)) if match else 1.0


def slide_text_pixels(svg: bytes | str) -> float:
    """The height in pixels of a state's name on the 1280x720 slide (the legibility the tests check)."""
    import re

    text = svg.decode("utf-8") if isinstance(svg, bytes) else svg
    match = re.search(r'transform="scale\(([\d.]+)', text)
    return (float(match.group(1)) if match else 1.0) * SLIDE_FONT * 96 / 72


def _on_slide(png: bytes) -> bytes:
    """Centre a picture on a white 1280x720 slide (Graphviz only scales down to fit)."""
    from PIL import Image

    with Image.open(io.BytesIO(png)) as picture:
        picture = picture.convert("RGB")
        picture.thumbnail(SLIDE)
        slide = Image.new("RGB", SLIDE, "white")
        slide.paste(picture, ((SLIDE[0] - picture.width) // 2, (SLIDE[1] - picture.height) // 2))
    buffer = io.BytesIO()
    slide.save(buffer, format="PNG")
    return buffer.getvalue()


def _matplotlib_view(procedure: Procedure, graph: nx.MultiDiGraph, view, image_format: str) -> bytes:
    """The fallback slide: columns by distance from the view's first state, states as labelled
    boxes, one arrow per pair of states with its events."""
    shown = set(view.states)
    sub = graph.subgraph(shown).copy()
    start = procedure.start.id if procedure.start.id in shown else view.states[0]
    raw = layered_positions(procedure, sub, start)
    xs = sorted({x for x, _ in raw.values()})
    columns = {x: sorted((n for n in raw if raw[n][0] == x), key=lambda n: -raw[n][1]) for x in xs}
    positions = {}
    for index, x in enumerate(xs):
        nodes = columns[x]
        for rank, node in enumerate(nodes):
            positions[node] = ((index + 0.5) / len(xs), 1 - (rank + 0.5) / len(nodes))
    labels, loops = _edge_labels(graph, shown)
    figure = plt.figure(figsize=(SLIDE[0] / 100, SLIDE[1] / 100), dpi=100)
    axes = figure.add_axes((0.01, 0.01, 0.98, 0.88))
    axes.set_xlim(0, 1)
    axes.set_ylim(0, 1)
    axes.axis("off")
    for (source, target), events in labels.items():
        (x1, y1), (x2, y2) = positions[source], positions[target]
        bend = 0.15 if (target, source) in labels else 0.05
        axes.annotate("", xy=(x2, y2), xytext=(x1, y1), zorder=1,
                      arrowprops={"arrowstyle": "-|>", "color": "#666666", "lw": 1.1, "shrinkA": 30, "shrinkB": 30,
                                  "connectionstyle": f"arc3,rad={bend}"})
        axes.text(x1 + (x2 - x1) * 0.5, y1 + (y2 - y1) * 0.5 + (0.02 if bend > 0.1 else 0),
                  "\n".join(textwrap.fill(e, 16) for e in sorted(events)), fontsize=8.5, ha="center", va="center",
                  color="#333333", zorder=2, bbox={"boxstyle": "round,pad=0.12", "fc": "white", "ec": "none", "alpha": 0.9})
    for node in shown:
        kind = graph.nodes[node]["kind"]
        strong = node in view.focus
        x, y = positions[node]
        axes.text(x, y, _node_label(graph, node, loops, view.hidden_routes, 16), ha="center", va="center", zorder=3,
                  fontsize=10.5, color="#111111" if strong else "#555555",
                  bbox={"boxstyle": "square,pad=0.4" if kind == "decision" else "round,pad=0.4",
                        "fc": (KIND_COLOURS if strong else PALE)[kind], "ec": "#333333" if strong else "#999999"})
    figure.suptitle(f"{procedure.spec.name}: {view.title}", fontsize=16, y=0.97)
    return figure_bytes(figure, image_format, dpi=100, tight=False)


def write_view(procedure: Procedure, view, folder: Path) -> list[Path]:
    """The slide as PNG (1280x720) and SVG (zooms without blurring)."""
    safe = view.name.replace("#", "-").replace("/", "-")
    return write_files(folder, {f"view-{safe}.png": render_view(procedure, view, "png"),
                                f"view-{safe}.svg": render_view(procedure, view, "svg").decode("utf-8")})
