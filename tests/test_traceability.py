"""model/traceability.yaml covers every paragraph of both documents, read from the documents themselves."""
from __future__ import annotations

import pytest

from cpmodel.model.loader import load_procedure
from cpmodel.model.sources import citable, paragraphs, seed_folder, split_citations
from cpmodel.model.traceability import COLLECTIONS, load_traceability


@pytest.fixture(scope="module")
def procedure():
    return load_procedure()


@pytest.fixture(scope="module")
def table(procedure):
    return load_traceability(procedure)


@pytest.fixture(scope="module")
def document_paragraphs():
    if seed_folder() is None:
        pytest.fail("the source documents are needed to check traceability (see model/sources.py SEED_FOLDERS)")
    return paragraphs()


def test_every_paragraph_of_both_documents_is_in_the_table(table, document_paragraphs):
    listed = [e.ref for e in table.entries]
    assert listed == [p.ref for p in document_paragraphs]   # complete, and in document order


def test_sources_list_exactly_the_paragraphs_of_the_documents(document_paragraphs):
    listed = {c for c in citable() if "/" in c and c.split("#")[0] in ("cpp", "impl")}
    assert listed == {p.ref for p in document_paragraphs}


def test_every_item_citing_a_paragraph_is_listed_under_it(procedure, table):
    missing = []
    for collection in COLLECTIONS:
        for item in getattr(procedure.spec, collection):
            for ref in split_citations(getattr(item, "citation", "") or ""):
                entry = table.entry(ref)
                if "/" in ref and (entry is None or item.id not in entry.carried_by):
                    missing.append((ref, item.id))
    assert missing == []


def test_not_modelled_paragraphs_give_a_reason(table):
    for entry in table.not_modelled():
        assert len(entry.not_modelled.split()) >= 5, entry.ref


def test_most_paragraphs_are_modelled(table):
    # A floor, not a target: it catches a table emptied into 'not_modelled'.
    assert len(table.modelled()) / len(table.entries) > 0.9


def test_a_wrong_id_is_refused_with_its_line(procedure, tmp_path):
    bad = tmp_path / "traceability.yaml"
    bad.write_text('paragraphs:\n  - {ref: "impl#4.1/1", carried_by: [first_core_grup]}\n', encoding="utf-8")
    from cpmodel.model.errors import InputError
    with pytest.raises(InputError) as error:
        load_traceability(procedure, bad)
    assert "first_core_grup" in str(error.value) and ":2:" in str(error.value) and "first_core_group" in str(error.value)


def test_the_readme_states_the_counts_and_lists_every_paragraph_not_modelled(table):
    from pathlib import Path
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    assert f"**{len(table.modelled())} of {len(table.entries)} are modelled.**" in readme
    for entry in table.not_modelled():
        assert f"| `{entry.ref}` |" in readme, entry.ref
