"""HTML through Jinja2 templates (`cpmodel/templates/`), autoescaped: no string concatenation of
markup, no user text unescaped."""
from __future__ import annotations

import base64
from functools import lru_cache
from pathlib import Path

TEMPLATES = Path(__file__).with_name("templates")


@lru_cache(maxsize=1)
def environment():
    from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html", "j2"]),
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.filters["words"] = lambda text: (text or "").replace("_", " ")
    env.filters["percent"] = lambda share, digits=1: "n/a" if share is None else f"{100 * share:.{digits}f}%"
    env.globals["stylesheet"] = (TEMPLATES / "cpmodel.css").read_text(encoding="utf-8")
    return env


def render(template: str, **context) -> str:
    return environment().get_template(template).render(**context)


def data_uri(content: bytes, mime: str) -> str:
    return f"data:{mime};base64,{base64.b64encode(content).decode()}"


def inline_svg(svg: bytes | str) -> str:
    """An SVG document as markup to place in the page (it zooms with the page), without the XML
    prolog and DOCTYPE that are not allowed inside HTML."""
    text = svg.decode("utf-8") if isinstance(svg, bytes) else svg
    start = text.find("<svg")
    return text[start:] if start >= 0 else text
