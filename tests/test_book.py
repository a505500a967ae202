"""`cpmodel book`: the procedure as a document a committee reads beside the source documents:
sections in the documents' order, each paragraph reference, the model's items in words, findings
inline, not-modelled paragraphs with their reasons; HTML that prints, and a Word file."""
import io
import shutil

import docx
import pytest
from typer.testing import CliRunner

from browser import dom_and_console, not_blank, print_to_pdf, screenshot
from cpmodel.book import book_html, build_book
from cpmodel.book_docx import book_docx
from cpmodel.cli import app
from helpers import ROOT
from cpmodel.model import load_procedure
from cpmodel.model.sources import paragraphs, sections
from cpmodel.proofs import run_checks

runner = CliRunner()


@pytest.fixture(scope="module")
def shipped():
    procedure = load_procedure(None)
    return procedure, build_book(procedure, run_checks(procedure))


def entry(book, item_id):
    for document in book.documents:
        for section in document.sections:
            for found in section.entries + [e for p in section.paragraphs for e in p.entries]:
                if found.id == item_id:
                    return found
    raise AssertionError(f"{item_id} is not in the book")


def test_sections_come_in_the_documents_order(shipped):
    _, book = shipped
    listed = [s.ref for d in book.documents for s in d.sections]
    assert listed == list(sections())
    html = book_html(book)
    positions = [html.index(f"<span class=\"id\">{ref}</span></h3>") for ref in sections()]
    assert positions == sorted(positions)


def test_every_paragraph_reference_is_listed_under_its_section(shipped):
    _, book = shipped
    listed = [(s.ref, p.ref) for d in book.documents for s in d.sections for p in s.paragraphs]
    assert listed == [(p.section, p.ref) for p in paragraphs()]


def test_rules_say_who_must_or_may_do_what_and_which_takes_precedence(shipped):
    procedure, book = shipped
    removal = entry(book, "double_protection_removal")
    role = procedure.roles[procedure.rules["double_protection_removal"].role].name
    assert removal.sentence.startswith(f"The {role} may end the plan")
    assert "Unless \u201cplo plan ends only at review\u201d applies: that rule takes precedence." in removal.sentence
    prohibition = entry(book, "plo_plan_ends_only_at_review")
    assert " must not end the plan" in prohibition.sentence and prohibition.strength == "must_not"
    assert "This takes precedence over \u201cdouble protection removal\u201d" in prohibition.sentence


def test_strengths_read_as_the_documents_word_them(shipped):
    procedure, book = shipped
    for rule in procedure.spec.rules:
        found = entry(book, rule.id)
        assert found.strength == rule.strength and found.strength_worded
        word = {"must": " must ", "should": " should ", "may": " may ", "consider": " must consider whether to ",
                "must_not": " must not ", "should_not": " should not "}[rule.strength]
        assert word in found.sentence, (rule.id, found.sentence)
    assert book.summary["strengths_worded"]


def test_scopes_say_where_and_at_which_step_a_rule_applies(shipped):
    procedure, book = shipped
    scoped = next(r for r in procedure.spec.rules if r.in_states)
    assert f"while the case is in \u201c{procedure.states[scoped.in_states[0]].name}\u201d" in entry(book, scoped.id).sentence
    stepped = next(r for r in procedure.spec.rules if r.on)
    assert "has just happened" in entry(book, stepped.id).sentence


def test_interpretations_and_judgement_decisions_are_shown(shipped):
    procedure, book = shipped
    items = [i for c in ("rules", "deadlines", "states", "transitions") for i in getattr(procedure.spec, c) if i.interpretation]
    assert items and book.summary["interpretations"] >= len(items)
    for item in items:
        assert entry(book, item.id).interpretation == " ".join(item.interpretation.split())
    judged = next(s for s in procedure.spec.states if s.judgement)
    assert "Left to that person's judgement" in entry(book, judged.id).sentence


def test_a_period_left_to_the_plan_says_so(shipped):
    procedure, book = shipped
    visits = entry(book, "visits")
    assert "a period the plan sets" in visits.sentence or "a period the authority sets" in visits.sentence


def test_deadlines_say_what_by_when_and_who_is_accountable(shipped):
    from cpmodel.sentences import Words
    procedure, book = shipped
    first = entry(book, "first_core_group")
    deadline = procedure.deadlines["first_core_group"]
    assert first.sentence.startswith(f"The first core group {deadline.strength} happen within 10 working days after")
    for deadline in procedure.spec.deadlines:
        sentence = entry(book, deadline.id).sentence
        if deadline.role:
            assert sentence.endswith(f"; {Words(procedure).roles(deadline.role)} is accountable."), sentence
        else:
            assert sentence.endswith("; the documents name nobody accountable."), sentence


def test_findings_are_shown_with_the_items_they_touch(shipped):
    procedure, book = shipped
    gap = next(f for f in run_checks(procedure).findings if f.kind == "gap")
    state = entry(book, gap.involved[0])
    assert gap.id in [f.id for f in state.findings]
    conflict = next(f for f in run_checks(procedure).findings if f.kind == "conflict" and f.severity == "error")
    for item in conflict.involved:
        assert conflict.id in [f.id for f in entry(book, item).findings]


def test_the_shipped_traceability_table_is_in_the_book(shipped):
    from cpmodel.model.traceability import load_traceability
    procedure, book = shipped
    table = load_traceability(procedure)
    blocks = {p.ref: p for d in book.documents for s in d.sections for p in s.paragraphs}
    for trace in table.not_modelled():
        assert blocks[trace.ref].not_modelled == " ".join(trace.not_modelled.split())
    for trace in table.modelled():
        shown = {e.id for e in blocks[trace.ref].entries}
        assert set(trace.carried_by) <= shown, trace.ref
    assert book.summary["not_modelled"] == len(table.not_modelled())
    assert book.summary["carried"] == len(table.modelled())


def test_traceability_marks_paragraphs_not_modelled_with_their_reason(tmp_path):
    from ruamel.yaml import YAML
    shutil.copy(ROOT / "model" / "procedure.yaml", tmp_path / "procedure.yaml")
    table = YAML(typ="safe").load((ROOT / "model" / "traceability.yaml").read_text())
    first = next(t for t in table["paragraphs"] if t.get("carried_by"))
    first.pop("carried_by")
    first["not_modelled"] = "Says what the conference is for; no duty to model."
    buffer = io.StringIO()
    YAML(typ="safe").dump(table, buffer)
    (tmp_path / "traceability.yaml").write_text(buffer.getvalue())
    book = build_book(load_procedure(tmp_path / "procedure.yaml"))
    blocks = {p.ref: p for d in book.documents for s in d.sections for p in s.paragraphs}
    assert blocks[first["ref"]].not_modelled == "Says what the conference is for; no duty to model."
    assert "Says what the conference is for; no duty to model." in book_html(book)


def test_without_the_source_documents_the_book_still_lists_the_sections(tmp_path):
    book = build_book(load_procedure(None), source_folder=tmp_path)
    assert any("not found" in note for note in book.notes)
    assert [s.ref for d in book.documents for s in d.sections] == list(sections())
    assert entry(book, "first_core_group")


def test_word_book_has_the_same_sections_and_items(shipped, tmp_path):
    _, book = shipped
    path = tmp_path / "book.docx"
    path.write_bytes(book_docx(book))
    document = docx.Document(path)
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 2"]
    assert headings == [f"{s.heading} {ref}" for ref, s in sections().items()]
    text = "\n".join(p.text for p in document.paragraphs)
    assert entry(book, "first_core_group").sentence in text
    assert "Known defect (acknowledged)" in text


def test_book_command_writes_html_and_docx_and_never_overwrites(tmp_path):
    html, word = tmp_path / "procedure.html", tmp_path / "procedure.docx"
    assert runner.invoke(app, ["book", "--out", str(html), "--no-check"]).exit_code == 0
    assert runner.invoke(app, ["book", "--out", str(word), "--no-check"]).exit_code == 0
    assert word.read_bytes()[:2] == b"PK"                                    # a Word file is a zip
    before = html.read_text()
    again = runner.invoke(app, ["book", "--out", str(html)])
    assert again.exit_code == 2 and "already exists" in again.output and html.read_text() == before
    assert runner.invoke(app, ["book", "--out", str(tmp_path / "x.html"), "--format", "docx"]).exit_code == 2
    assert runner.invoke(app, ["book", "--format", "pdf"]).exit_code == 2


def test_book_renders_in_headless_chromium_and_prints(shipped, tmp_path):
    _, book = shipped
    page = tmp_path / "book.html"
    page.write_text(book_html(book), encoding="utf-8")
    html = page.read_text()
    assert "<script" not in html and "http://" not in html.replace("http://www.w3.org", "")
    dom, console = dom_and_console(page, tmp_path / "profile")
    assert console == []
    assert "Avoiding 'double protection'" in dom or "Avoiding &#39;double protection&#39;" in dom
    shot = screenshot(page, tmp_path / "profile", tmp_path / "book.png", 1280, 900)
    assert not_blank(shot)
    pdf = print_to_pdf(page, tmp_path / "profile", tmp_path / "book.pdf").read_bytes()
    assert pdf.startswith(b"%PDF")
    # the print stylesheet starts each document on a new page and hides the table of contents
    assert pdf.count(b"/Type /Page\n") + pdf.count(b"/Type /Page ") + pdf.count(b"/Type/Page") >= 10


def test_an_item_carrying_several_paragraphs_is_written_out_once_a_section(shipped):
    _, book = shipped
    repeated = 0
    for document in book.documents:
        for section in document.sections:
            written = [e.id for e in section.entries]
            for paragraph in section.paragraphs:
                written += [e.id for e in paragraph.entries if e.id not in paragraph.repeats]
                repeated += len(paragraph.repeats)
            assert len(written) == len(set(written)), section.ref
    assert repeated > 0          # the shipped table does carry items over several paragraphs
