"""The shipped procedure loads, is well formed as a graph, and covers both documents."""
import re
from pathlib import Path

import pytest

from cpmodel.model import load_procedure
from cpmodel.model.graph import dead_ends, final_states, unreachable_states
from cpmodel.model.sources import citable, documents, section_of, sections, split_citations
from cpmodel.model.traceability import load_traceability

SEED_FOLDERS = [Path(__file__).resolve().parents[2] / "shared" / "seeds", Path("/work/shared/seeds")]


@pytest.fixture(scope="module")
def procedure():
    return load_procedure()


def cited(procedure) -> set[str]:
    spec = procedure.spec
    found = set()
    for collection in (spec.roles, spec.invariants, spec.states, spec.transitions, spec.rules, spec.deadlines,
                       spec.parameters):
        for item in collection:
            found.update(split_citations(item.citation))
    return found


def test_every_state_is_reachable_from_the_start(procedure):
    # The start is a child known to children's social care: a section 47 enquiry, or a child
    # already looked after (whom the looked-after paragraphs are about).
    assert procedure.start.id == "known_to_childrens_social_care"
    assert {t.target for t in procedure.outgoing(procedure.start.id)} == {"section_47_enquiry", "looked_after_no_plan"}
    assert unreachable_states(procedure) == []


def test_no_state_is_a_dead_end(procedure):
    assert dead_ends(procedure) == []


def test_the_endings_named_by_the_documents_are_final(procedure):
    assert {"plan_ended_at_18", "plan_ended_on_death", "plan_ended_left_uk", "plan_transferred",
            "support_ended", "long_term_plan_agreed"} <= set(final_states(procedure))


def test_every_citation_resolves(procedure):
    assert cited(procedure) <= citable()


def test_items_cite_paragraphs_not_whole_sections(procedure):
    own = {c for c in cited(procedure) if c.split("#")[0] in ("cpp", "impl")}
    assert {c for c in own if "/" not in c} == set()


def test_every_section_the_traceability_table_says_is_modelled_is_cited(procedure):
    modelled = {section_of(e.ref) for e in load_traceability(procedure).modelled()}
    assert modelled - {section_of(c) for c in cited(procedure)} == set()


def seed_sections() -> dict[str, set[str]]:
    """Section ids read from the source documents themselves."""
    folder = next((f for f in SEED_FOLDERS if f.is_dir()), None)
    if folder is None:
        pytest.fail(f"source documents not found in any of {SEED_FOLDERS}")
    found = {}
    for document in documents().values():
        if document.get("external"):
            continue
        text = (folder / document["file"]).read_text(encoding="utf-8")
        ids = set()
        if document["id"] == "impl":
            text = text[re.search(r"^1\.\s", text, re.M).start():]  # the numbered body, not the title
            ids |= {m.group(1) for m in re.finditer(r"^(\d+)\.\s+\S", text, re.M)}
            ids |= {m.group(1) for m in re.finditer(r"^(\d+\.\d+)\s", text, re.M)}
        else:
            for line in text.splitlines():
                line = line.strip()
                if line and not line.startswith("-") and line[-1] not in ".:;," and len(line.split()) <= 12:
                    ids.add(_slug(line))
        found[document["id"]] = ids
    return found


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower().replace("\u2018", "").replace("\u2019", "")).strip("-")


def test_sources_list_exactly_the_sections_of_the_documents():
    listed = {}
    for citation, section in sections().items():
        document, number = citation.split("#")
        # cpp sections are matched by heading (written with "CP" for "Child Protection"), impl by number.
        key = _slug(section.heading.replace("CP ", "Child Protection ")) if document == "cpp" else number
        listed.setdefault(document, set()).add(key)
    for document, ids in seed_sections().items():
        assert listed[document] == ids, document


def test_the_canonical_rules_are_in_the_model(procedure):
    plo = procedure.rules["plo_plan_ends_only_at_review"]
    assert plo.modality == "forbidden" and "double_protection_removal" in plo.overrides
    units = {(d.id, str(d.within or d.every)) for d in procedure.spec.deadlines}
    assert ("first_core_group", "10 working days") in units
    assert ("receiving_conference_deadline", "15 working days") in units
    assert ("conference_before_return_home", "15 days") in units
    assert ("childs_plan_meeting_after_discontinuation", "10 days") in units
    assert ("core_group_notes", "5 working days") in units
