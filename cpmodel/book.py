"""The procedure as a book a committee reads beside the documents: one section per document
section, in the documents' order; under each paragraph reference, what the model makes of it in
plain English, the checker's findings that touch it, and, where the model does not carry a
paragraph, the reason given in `model/traceability.yaml`.

This module builds the book as plain data; `book_html` and `book_docx` lay it out."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from ruamel.yaml import YAML

from cpmodel.sentences import (STRENGTH_MEANING, Words, scope_events, scope_states, strength_is_worded,
                               strength_of)
from cpmodel.model.procedure import Procedure
from cpmodel.model.sources import documents, paragraphs, sections, split_citations

KIND_TITLES = {"rule": "Rule", "deadline": "Deadline", "decision": "Decision", "route": "Route",
               "state": "Stage", "role": "Role", "invariant": "Always true", "parameter": "Left to the plan",
               "fact": "Fact", "action": "Action"}
KIND_ORDER = ("rule", "deadline", "decision", "route", "state", "parameter", "invariant", "action", "fact", "role")


@dataclass
class FindingNote:
    id: str
    severity: str
    kind: str
    message: str
    acknowledged: bool
    reason: str = ""


@dataclass
class Entry:
    """One model item, in words, under a paragraph or section it cites."""
    kind: str
    id: str
    sentence: str
    detail: str = ""
    formal: str = ""
    strength: str | None = None
    strength_worded: bool = False
    interpretation: str = ""
    citations: list[str] = field(default_factory=list)
    findings: list[FindingNote] = field(default_factory=list)

    @property
    def title(self) -> str:
        return KIND_TITLES.get(self.kind, self.kind)

    @property
    def strength_meaning(self) -> str:
        return STRENGTH_MEANING.get(self.strength or "", "")


@dataclass
class ParagraphBlock:
    ref: str
    excerpt: str
    entries: list[Entry] = field(default_factory=list)
    not_modelled: str | None = None
    traced: bool = False
    repeats: dict[str, str] = field(default_factory=dict)   # item id -> the paragraph above where it is written out


@dataclass
class SectionBlock:
    ref: str
    heading: str
    paragraphs: list[ParagraphBlock] = field(default_factory=list)
    entries: list[Entry] = field(default_factory=list)        # items citing the whole section
    findings: list[FindingNote] = field(default_factory=list)  # findings citing it, on no item shown here

    @property
    def anchor(self) -> str:
        return self.ref.replace("#", "-").replace(".", "-").replace("/", "-")


@dataclass
class DocumentBlock:
    id: str
    title: str
    sections: list[SectionBlock]


@dataclass
class Book:
    name: str
    version: str
    file: str
    documents: list[DocumentBlock]
    summary: dict
    notes: list[str]
    uncited: list[Entry] = field(default_factory=list)


# -- traceability ----------------------------------------------------------------------------------

def load_traceability(procedure: Procedure) -> dict[str, dict]:
    """`traceability.yaml` beside the procedure file, as {paragraph ref: entry}; empty if absent.
    Read through the model's own loader where it exists, so a bad table is one clear error."""
    path = Path(procedure.file).with_name("traceability.yaml")
    if not path.exists():
        return {}
    try:
        from cpmodel.model.traceability import load_traceability as load_table
    except ImportError:       # a first-version model: read the table as it is written
        data = YAML(typ="safe").load(path.read_text(encoding="utf-8")) or {}
        entries = data.get("paragraphs", []) if isinstance(data, dict) else []
        return {str(e["ref"]): e for e in entries if isinstance(e, dict) and "ref" in e}
    table = load_table(procedure, path)
    return {entry.ref: {"carried_by": list(entry.carried_by), "not_modelled": entry.not_modelled}
            for entry in table.entries}


# -- entries -----------------------------------------------------------------------------------------

def _entries(procedure: Procedure, words: Words) -> list[Entry]:
    overridden_by: dict[str, list[str]] = {}
    for rule in procedure.spec.rules:
        for other in rule.overrides:
            overridden_by.setdefault(other, []).append(rule.id)
    found: list[Entry] = []

    def add(kind, item, sentence, detail="", formal=""):
        strength = strength_of(item) or ("must" if kind == "deadline" else None)   # a v1 deadline is a duty
        found.append(Entry(kind, item.id, sentence, " ".join((detail or "").split()), formal,
                           strength, strength_is_worded(item),
                           " ".join(str(getattr(item, "interpretation", "") or "").split()),
                           split_citations(getattr(item, "citation", "") or "")))

    for rule in procedure.spec.rules:
        add("rule", rule, words.rule(rule, overridden_by.get(rule.id, [])), rule.text, _formal(rule.when, rule))
    for deadline in procedure.spec.deadlines:
        detail = " ".join(part for part in (deadline.text, deadline.note) if part)
        add("deadline", deadline, words.deadline(deadline), detail, _formal(deadline.when, deadline))
    for state in procedure.spec.states:
        add("decision" if state.kind == "decision" else "state", state, words.state_sentence(state), state.description)
    for transition in procedure.spec.transitions:
        add("route", transition, words.transition(transition), transition.description, _formal(transition.when, transition))
    for parameter in getattr(procedure.spec, "parameters", None) or []:
        add("parameter", parameter, words.parameter(parameter), getattr(parameter, "description", ""))
    for invariant in procedure.spec.invariants:
        add("invariant", invariant, words.invariant(invariant), invariant.text, invariant.when)
    for action in procedure.spec.actions:
        add("action", action, words.action_sentence(action))
    for fact in procedure.spec.facts:
        add("fact", fact, words.fact_sentence(fact))
    for role in procedure.spec.roles:
        add("role", role, words.role_sentence(role))
    return found


def _formal(condition: str, item) -> str:
    parts = []
    if condition and condition.strip() != "true":
        parts.append(f"when: {condition}")
    if scope_states(item):
        parts.append("in: " + ", ".join(scope_states(item)))
    if scope_events(item):
        parts.append("on: " + ", ".join(scope_events(item)))
    return "; ".join(parts)


def _finding_notes(check_report) -> list[tuple[FindingNote, list[str], list[str]]]:
    notes = []
    for finding in check_report.findings if check_report else []:
        if finding.kind == "interpretation":      # the item's own interpretation is shown with it
            continue
        reason = " ".join(finding.acknowledgement["reason"].split()) if finding.acknowledged else ""
        notes.append((FindingNote(finding.id, finding.severity, finding.kind, finding.message, finding.acknowledged,
                                  reason), list(finding.involved), list(finding.citations)))
    return notes


# -- the book ------------------------------------------------------------------------------------------

def build_book(procedure: Procedure, check_report=None, source_folder: Path | None = None) -> Book:
    words = Words(procedure)
    entries = _entries(procedure, words)
    trace = load_traceability(procedure)
    known = sections()
    notes: list[str] = []
    try:
        paragraph_list = list(paragraphs(source_folder))
    except (FileNotFoundError, OSError):
        paragraph_list = []
        notes.append("The source documents were not found on this machine, so paragraphs are not listed; "
                     "items are shown under the sections they cite.")
    if not trace:
        notes.append("There is no model/traceability.yaml beside this procedure, so paragraphs the model does "
                     "not carry are not marked with reasons.")
    by_paragraph: dict[str, ParagraphBlock] = {}
    blocks: dict[str, SectionBlock] = {ref: SectionBlock(ref, section.heading) for ref, section in known.items()}
    for paragraph in paragraph_list:
        block = ParagraphBlock(paragraph.ref, paragraph.excerpt)
        entry = trace.get(paragraph.ref)
        if entry is not None:
            block.traced = True
            block.not_modelled = " ".join(str(entry.get("not_modelled") or "").split()) or None
        by_paragraph[paragraph.ref] = block
        blocks.setdefault(paragraph.section, SectionBlock(paragraph.section, paragraph.section)).paragraphs.append(block)

    by_id: dict[str, list[Entry]] = {}
    for entry in entries:
        by_id.setdefault(entry.id, []).append(entry)
    placed: dict[int, set[str]] = {}
    uncited = []

    def place(entry: Entry, where: list[Entry], key: str) -> None:
        if key not in placed.setdefault(id(entry), set()):
            placed[id(entry)].add(key)
            where.append(entry)

    for entry in entries:
        for ref in entry.citations:
            section = ref.split("/")[0]      # cpp#plan-made/2.3 is in cpp#plan-made
            if ref in by_paragraph:
                place(entry, by_paragraph[ref].entries, ref)
            elif section in blocks:       # a section, or a paragraph when the documents are not here
                place(entry, blocks[section].entries, section)
        if not placed.get(id(entry)):
            uncited.append(entry)
    for ref, trace_entry in trace.items():       # traceability names items a paragraph is carried by
        if ref in by_paragraph:
            for item_id in trace_entry.get("carried_by") or []:
                for entry in by_id.get(str(item_id), []):
                    place(entry, by_paragraph[ref].entries, ref)

    for note, involved, cited in _finding_notes(check_report):
        attached = False
        for item_id in involved:
            for entry in by_id.get(item_id, []):
                entry.findings.append(note)
                attached = True
        if not attached:
            for ref in cited:
                target = blocks.get(ref) or blocks.get(ref.split("/")[0])
                if target is not None:
                    target.findings.append(note)

    for block in blocks.values():
        block.entries.sort(key=_entry_order)
        first_shown: dict[str, str] = {entry.id: block.ref for entry in block.entries}
        for paragraph in block.paragraphs:
            paragraph.entries.sort(key=_entry_order)
            for entry in paragraph.entries:   # an item carrying several paragraphs is written out once a section
                if entry.id in first_shown:
                    paragraph.repeats[entry.id] = first_shown[entry.id]
                else:
                    first_shown[entry.id] = paragraph.ref
    book_documents = []
    for document_id, document in documents().items():
        ordered = [blocks[ref] for ref in known if known[ref].document == document_id]
        ordered += [b for ref, b in blocks.items() if ref.startswith(f"{document_id}#") and ref not in known]
        book_documents.append(DocumentBlock(document_id, document.get("title", document_id), ordered))
    return Book(procedure.spec.name, procedure.spec.version, procedure.file, book_documents,
                _summary(entries, paragraph_list, by_paragraph, check_report), notes, uncited)


def _entry_order(entry: Entry):
    return (KIND_ORDER.index(entry.kind) if entry.kind in KIND_ORDER else len(KIND_ORDER), entry.id)


def _summary(entries, paragraph_list, by_paragraph, check_report) -> dict:
    kinds = Counter(entry.kind for entry in entries)
    strengths = Counter(entry.strength for entry in entries if entry.kind in ("rule", "deadline") and entry.strength)
    carried = sum(1 for block in by_paragraph.values() if block.entries)
    not_modelled = sum(1 for block in by_paragraph.values() if block.not_modelled)
    cited_sections = {ref for entry in entries for ref in entry.citations}
    in_cited_section = sum(1 for p in paragraph_list if not by_paragraph[p.ref].entries
                           and not by_paragraph[p.ref].not_modelled and p.section in cited_sections)
    untraced = sum(1 for block in by_paragraph.values() if not block.entries and not block.not_modelled) - in_cited_section
    findings = Counter()
    for finding in (check_report.findings if check_report else []):
        findings["acknowledged" if finding.acknowledged else finding.severity] += 1
    return {"paragraphs": len(paragraph_list), "carried": carried, "not_modelled": not_modelled,
            "in_cited_section": in_cited_section, "neither": untraced, "kinds": dict(kinds), "strengths": dict(strengths),
            "strengths_worded": any(entry.strength_worded for entry in entries),
            "interpretations": sum(1 for entry in entries if entry.interpretation),
            "findings": dict(findings),
            "consistent": (not check_report.failed()) if check_report else None}


def summary_sentences(book: Book) -> list[str]:
    """The book's summary in a few sentences (the report reuses them)."""
    s = book.summary
    kinds = s["kinds"]
    out = [f"The model carries the documents in {kinds.get('rule', 0)} rules, {kinds.get('deadline', 0)} deadlines, "
           f"{kinds.get('decision', 0)} decisions and {kinds.get('route', 0)} routes between "
           f"{kinds.get('state', 0) + kinds.get('decision', 0)} stages."]
    if s["paragraphs"]:
        out.append(f"Of the documents' {s['paragraphs']} paragraphs and list items, {s['carried']} are carried by a "
                   f"model item that cites the paragraph itself, {s['not_modelled']} are marked not modelled with a "
                   f"reason, {s['in_cited_section']} sit in a section the model cites only as a whole, and "
                   f"{s['neither']} are in a section nothing cites.")
    if s["strengths"]:
        order = ("must", "should", "consider", "may", "must_not", "should_not")
        parts = [f"{s['strengths'][k]} \u201c{k.replace('_', ' ')}\u201d" for k in order if k in s["strengths"]]
        worded = "as the documents word them" if s["strengths_worded"] else \
            "derived from the first-version modality (obliged, permitted, forbidden)"
        out.append(f"Strengths of rules and deadlines, {worded}: {', '.join(parts)}.")
    if s["interpretations"]:
        out.append(f"{s['interpretations']} items carry an interpretation: a reading the modeller chose where the "
                   "document is unclear. Each is shown in the book.")
    findings = s["findings"]
    if findings:
        out.append(f"The checker reports {findings.get('error', 0)} unacknowledged errors, {findings.get('warning', 0)} "
                   f"unacknowledged warnings and {findings.get('info', 0)} notes; {findings.get('acknowledged', 0)} "
                   "known defects of the documents are acknowledged, each with its reason.")
    return out


def book_html(book: Book) -> str:
    import datetime as dt

    from cpmodel.html_templates import render
    return render("book.html.j2", book=book, summary=summary_sentences(book),
                  made=dt.datetime.now().strftime("%d %B %Y %H:%M"))
