"""The terminal output of `check`: new problems first, known ones briefly, one plain sentence."""
import io

from typer.testing import CliRunner

from cpmodel.cli import app

from rich.console import Console

from cpmodel.render_findings import closing_sentence, print_report
from helpers import find, variant, write_variant
from cpmodel.model.loader import load_procedure
from cpmodel.proofs import run_checks


def rendered(report) -> str:
    console = Console(record=True, width=200)
    print_report(console, report)
    return console.export_text()


def test_shipped_model_ends_with_no_new_problems_and_counts():
    report = run_checks(load_procedure())
    known = sum(f.acknowledged for f in report.findings)
    notes = sum(f.severity == "info" and not f.acknowledged for f in report.findings)
    warnings = sum(f.severity == "warning" and not f.acknowledged for f in report.findings)
    sentence = closing_sentence(report)
    assert sentence.startswith("No new problems.")
    assert sentence.endswith(f"{known} known findings are acknowledged; {notes} notes.")
    assert (f"{warnings} warning" in sentence) == bool(warnings)
    text = rendered(report)
    assert text.rstrip().endswith(closing_sentence(report))
    assert "New problems" not in text and "Acknowledged (" in text


def test_new_problems_come_first_and_are_named_in_the_closing_sentence(tmp_path):
    path = write_variant(tmp_path, variant(lambda d: find(d, "deadlines", "core_group_notes").update(within="5 days")))
    report = run_checks(load_procedure(path))
    text = rendered(report)
    assert text.index("New problems (2)") < text.index("Notes (") < text.index("Acknowledged (")
    assert text.index("New problems (2)") < text.index("core_group_notes")
    sentence = closing_sentence(report)
    assert sentence.startswith("2 new problems: ")
    assert "text_drift:core_group_notes" in sentence and "unit_inconsistency:core_group_notes" in sentence
    assert "CONSISTENT" not in text


def test_the_report_in_one_print_is_the_report_printed_line_by_line(tmp_path):
    """print_report prints its lines at once (for speed): each is wrapped and styled exactly as
    when each line is printed on its own, on a colour terminal and at any width."""
    from cpmodel.render_findings import report_lines

    path = write_variant(tmp_path, variant(lambda d: find(d, "deadlines", "core_group_notes").update(within="5 days")))
    for report in (run_checks(load_procedure()), run_checks(load_procedure(path))):
        for width in (40, 80, 200):
            for strict in (False, True):
                at_once = Console(file=io.StringIO(), record=True, width=width, force_terminal=True, color_system="truecolor")
                print_report(at_once, report, strict)
                by_line = Console(file=io.StringIO(), record=True, width=width, force_terminal=True, color_system="truecolor")
                for line in report_lines(report, strict):
                    by_line.print(line)
                text = at_once.export_text(styles=True)
                assert text == by_line.export_text(styles=True)
                assert "\x1b[" in text and "checked in" in text

def test_check_shows_its_smallest_cases_in_words_not_python():
    # 'events=['core_group'], owed_by=[], model_period=None' is how Python prints a dict.
    result = CliRunner().invoke(app, ["check"])
    witnesses = [line for line in result.output.splitlines() if "witness:" in line]
    assert witnesses
    text = " ".join(result.output.split())
    assert "owed by: none" in text and "owed_by=" not in text
    assert not any(mark in text for mark in ("=[", "=None", "['", "']"))
