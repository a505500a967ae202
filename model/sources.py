"""The cited documents and their sections, so that every citation can be checked."""
from __future__ import annotations

import re
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
    paragraphs: tuple[str, ...] = ()   # "1", "2", "2.3": see paragraphs() below

    @property
    def citation(self) -> str:
        return f"{self.document}#{self.id}"


@lru_cache(maxsize=1)
def sections() -> dict[str, Section]:
    """Every citable section, keyed by its citation (``impl#4.1``)."""
    from cpmodel.model.yaml_source import read_yaml   # the C parser's quick path: read on every load
    data = read_yaml(SOURCES_FILE).data
    found = {}
    for document in data["documents"]:
        for section in document["sections"]:
            entry = Section(document["id"], str(section["id"]), section["heading"],
                            tuple(str(p) for p in section.get("paragraphs", ())))
            found[entry.citation] = entry
    return found


@lru_cache(maxsize=1)
def documents() -> dict[str, dict]:
    data = YAML(typ="safe").load(SOURCES_FILE.read_text(encoding="utf-8"))
    return {d["id"]: d for d in data["documents"]}


@lru_cache(maxsize=1)
def citable() -> frozenset[str]:
    """Every citation that resolves: a section (impl#4.1) or one of its paragraphs (impl#4.1/1)."""
    found = set(sections())
    for citation, section in sections().items():
        found |= {f"{citation}/{number}" for number in section.paragraphs}
    return frozenset(found)


def section_of(citation: str) -> str:
    """impl#2.1/2.5 -> impl#2.1"""
    return citation.split("/", 1)[0]


def heading_of(citation: str) -> str | None:
    """The heading a citation falls under, with its paragraph: 'Timing of ... (paragraph 1)'."""
    section = sections().get(section_of(citation))
    if section is None:
        return None
    if "/" in citation:
        return f"{section.heading} (paragraph {citation.split('/', 1)[1]})"
    return section.heading


def split_citations(text: str) -> list[str]:
    """A citation field may name several sections, separated by commas."""
    return [part.strip() for part in text.split(",") if part.strip()]


# -- paragraphs ---------------------------------------------------------------------------------
# Every paragraph and numbered item of the two documents has a reference, so that
# model/traceability.yaml can say what carries it. A paragraph is a non-empty line of a section's
# body; a list item ("- " in cpp, "•" in impl) belongs to the paragraph before it:
#   cpp#plan-made/2      the second paragraph under "If a Child is made the subject of a CP Plan"
#   cpp#plan-made/2.3    the third item of that paragraph's list
#   impl#2.1/2.5         section 2.1, paragraph 2 (the "jointly responsible for" list), item 5
# The references are positional, so they are only stable while the documents are: the
# traceability test re-reads the documents and fails if the table and the text drift apart.

SEED_FOLDERS = (Path(__file__).resolve().parents[2] / "shared" / "seeds", Path("/work/shared/seeds"))
_IMPL_SECTION = re.compile(r"^(\d+)\.\s+(\S.*)$")
_IMPL_PARAGRAPH = re.compile(r"^(\d+\.\d+)\s+(\S.*)$")
_IMPL_END = re.compile(r"^This procedure is Copyright")


@dataclass(frozen=True)
class Paragraph:
    """One paragraph or list item of a source document, with a short excerpt to recognise it."""

    ref: str          # cpp#plan-made/2.3
    section: str      # cpp#plan-made
    text: str

    @property
    def excerpt(self) -> str:
        words = self.text.split()
        return " ".join(words[:8]) + (" ..." if len(words) > 8 else "")


def seed_folder() -> Path | None:
    """Where the source documents are on this machine (they are not shipped with the project)."""
    return next((folder for folder in SEED_FOLDERS if folder.is_dir()), None)


def _slug(text: str) -> str:
    text = text.lower().replace("\u2018", "").replace("\u2019", "")
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")


def _cpp_section_of(line: str, headings: dict[str, str]) -> str | None:
    return headings.get(_slug(line))


@lru_cache(maxsize=4)
def paragraphs(folder: Path | None = None) -> tuple[Paragraph, ...]:
    """Every paragraph and list item of cpp and impl, in document order."""
    folder = folder or seed_folder()
    if folder is None:
        raise FileNotFoundError(f"source documents not found in any of {', '.join(map(str, SEED_FOLDERS))}")
    found: list[Paragraph] = []
    for document in documents().values():
        if document.get("external"):
            continue
        lines = (Path(folder) / document["file"]).read_text(encoding="utf-8").splitlines()
        reader = _read_impl if document["id"] == "impl" else _read_cpp
        found.extend(reader(document, lines))
    return tuple(found)


def _numbered(section: str, body: list[tuple[bool, str]]) -> list[Paragraph]:
    """Number the (is_item, text) lines of one section's body."""
    out, paragraph, item = [], 0, 0
    for is_item, text in body:
        if is_item and paragraph:
            item += 1
            out.append(Paragraph(f"{section}/{paragraph}.{item}", section, text))
        else:
            paragraph, item = paragraph + 1, 0
            out.append(Paragraph(f"{section}/{paragraph}", section, text))
    return out


def _read_cpp(document: dict, lines: list[str]) -> list[Paragraph]:
    # Headings are listed with "CP" for "Child Protection" (see sources.yaml).
    headings = {_slug(s["heading"].replace("CP ", "Child Protection ")): f"cpp#{s['id']}"
                for s in document["sections"]}
    bodies: dict[str, list[tuple[bool, str]]] = {}
    current = None
    for raw in lines:
        line = raw.strip()
        if not line:
            continue
        section = _cpp_section_of(line, headings) if len(line.split()) <= 12 and line[-1] not in ".:;," else None
        if section:
            current = section
            bodies.setdefault(current, [])
        elif current:
            bodies[current].append((line.startswith("- "), line.lstrip("- ").strip()))
    out = []
    for section, body in bodies.items():
        out.extend(_numbered(section, body))
    return out


def _read_impl(document: dict, lines: list[str]) -> list[Paragraph]:
    bodies: dict[str, list[tuple[bool, str]]] = {}
    current, started = None, False
    for raw in lines:
        line = raw.strip()
        if not line:
            continue
        if _IMPL_END.match(line):
            break
        section_match, paragraph_match = _IMPL_SECTION.match(line), _IMPL_PARAGRAPH.match(line)
        if not started and not (section_match and section_match.group(1) == "1"):
            continue  # the page's title and controls, before "1. Introduction"
        if paragraph_match:
            current, started = f"impl#{paragraph_match.group(1)}", True
            bodies.setdefault(current, []).append((False, paragraph_match.group(2)))
        elif section_match and len(line.split()) <= 12 and not line.endswith("."):
            current, started = f"impl#{section_match.group(1)}", True
            bodies.setdefault(current, [])
        elif started and current:
            bodies[current].append((line.startswith("\u2022"), line.lstrip("\u2022").strip()))
    out = []
    for section, body in bodies.items():
        out.extend(_numbered(section, body))
    return out
