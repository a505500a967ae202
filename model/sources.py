"""The cited documents and their sections, so that every citation can be checked."""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ruamel.yaml import YAML

SOURCES_FILE = Path(__file__).with_name("sources.yaml")


@dataclass(frozen=True)
class Section:
    document: str
    id: str
    heading: str

    @property
    def citation(self) -> str:
        return f"{self.document}#{self.id}"


@lru_cache(maxsize=1)
def sections() -> dict[str, Section]:
    """Every citable section, keyed by its citation (``impl#4.1``)."""
    data = YAML(typ="safe").load(SOURCES_FILE.read_text(encoding="utf-8"))
    found = {}
    for document in data["documents"]:
        for section in document["sections"]:
            entry = Section(document["id"], str(section["id"]), section["heading"])
            found[entry.citation] = entry
    return found


@lru_cache(maxsize=1)
def documents() -> dict[str, dict]:
    data = YAML(typ="safe").load(SOURCES_FILE.read_text(encoding="utf-8"))
    return {d["id"]: d for d in data["documents"]}


def split_citations(text: str) -> list[str]:
    """A citation field may name several sections, separated by commas."""
    return [part.strip() for part in text.split(",") if part.strip()]
