"""Findings and diffs as text a policy writer reads: new problems first, known ones listed briefly,
and one plain closing sentence."""
from __future__ import annotations

from rich.console import Console
from rich.markup import escape

from cpmodel.proofs.diff import ProcedureDiff
from cpmodel.proofs.report import CheckReport

STYLE = {"error": "bold red", "warning": "yellow", "info": "cyan"}


def witness_text(witness: dict) -> str:
    """The smallest case as a reader writes it: 'owed by: none; events: core_group, review_conference'
    (names as the YAML spells them; true / false as YAML does), not as Python prints a dict."""
    if not witness:
        return "(every fact at its default)"
    return "; ".join(f"{name.replace('_', ' ')}: {_value(value)}" for name, value in witness.items())


def _value(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "none"
    if isinstance(value, (list, tuple, set, frozenset)):
        return ", ".join(_value(item) for item in value) if value else "none"
    if isinstance(value, dict):
        return ", ".join(f"{k} {_value(v)}" for k, v in value.items()) if value else "none"
    return str(value)


def _plural(count: int, word: str, plural: str | None = None) -> str:
    return f"{count} {word if count == 1 else (plural or word + 's')}"


def _finding_lines(finding) -> list[str]:
    data = finding.to_json()
    style = STYLE[finding.severity]
    lines = [f"  [{style}]{finding.severity}[/] {escape(finding.kind)}  [dim]{escape(finding.id)}[/]",
             f"    {escape(finding.message)}"]
    if finding.witness:
        lines.append(f"    [dim]witness:[/] {escape(witness_text(finding.witness))}")
    for citation in data["citations"]:
        lines.append(f"    [dim]cites {escape(citation['ref'])}: \u201c{escape(citation['heading'] or '')}\u201d[/]")
    return lines


def closing_sentence(report: CheckReport, strict: bool = False) -> str:
    """'No new problems. 8 known findings are acknowledged; 7 notes.' or '2 new problems: a, b.'"""
    problems = [f for f in report.findings if not f.acknowledged and
                (f.severity == "error" or (strict and f.severity == "warning"))]
    warnings = [f for f in report.findings if not f.acknowledged and f.severity == "warning" and f not in problems]
    known = sum(f.acknowledged for f in report.findings)
    notes = sum(f.severity == "info" for f in report.findings if not f.acknowledged)
    if problems:
        text = f"{_plural(len(problems), 'new problem')}: {', '.join(f.id for f in problems)}."
    else:
        text = "No new problems."
    if warnings:
        named = f": {', '.join(f.id for f in warnings)}" if len(warnings) <= 3 else " (listed above)"
        text += f" {_plural(len(warnings), 'warning')} to look at{named}."
    text += (f" {_plural(known, 'known finding')} {'is' if known == 1 else 'are'} acknowledged; "
             f"{_plural(notes, 'note')}.")
    return text


def print_report(console: Console, report: CheckReport, strict: bool = False) -> None:
    """The report in one print: each line is wrapped on its own, as line-by-line printing wraps
    it, but Rich's work per print is done once (a third of the report's time)."""
    console.print("\n".join(report_lines(report, strict)))


def report_lines(report: CheckReport, strict: bool = False) -> list[str]:
    """The report's lines, in Rich markup (user text escaped)."""
    lines = [f"[bold]{escape(report.procedure_name)}[/] (version {escape(report.procedure_version)}, "
             f"{escape(report.procedure_file)}): checked in {report.seconds:.2f} s"]
    new = [f for f in report.findings if not f.acknowledged and
           (f.severity == "error" or (strict and f.severity == "warning"))]
    warnings = [f for f in report.findings if not f.acknowledged and f.severity == "warning" and f not in new]
    notes = [f for f in report.findings if not f.acknowledged and f.severity == "info"]
    known = [f for f in report.findings if f.acknowledged]
    for title, group in (("New problems", new), ("Warnings", warnings)):
        if group:
            lines.append(f"\n[bold]{title} ({len(group)})[/]")
            for finding in group:
                lines.extend(_finding_lines(finding))
    if notes:
        lines.append(f"\n[bold]Notes ({len(notes)})[/]")
        for finding in notes:
            lines.append(f"  [cyan]{escape(finding.kind)}[/] [dim]{escape(finding.id)}[/]: {escape(finding.message)}")
    if known:
        lines.append(f"\n[bold]Acknowledged ({len(known)})[/]")
        for finding in known:
            reason = " ".join(finding.acknowledgement["reason"].split())
            lines.append(f"  [dim]{escape(finding.id)}[/] ({finding.severity}): {escape(reason)}")
    verdict = "bold red" if report.failed(strict) else "bold green"
    lines.append(f"\n[{verdict}]{escape(closing_sentence(report, strict))}[/]")
    return lines


def diff_sentence(result: ProcedureDiff) -> str:
    if result.empty:
        return "No differences."
    added = [f for f in result.findings_added if f["severity"] in ("error", "warning") and not f["acknowledged"]]
    parts = []
    if result.new_errors:
        parts.append(f"The revision adds {_plural(len(result.new_errors), 'new problem')}: "
                     f"{', '.join(result.new_errors)}.")
    else:
        parts.append("The revision adds no new errors.")
    warnings = [f["id"] for f in added if f["severity"] == "warning"]
    if warnings:
        parts.append(f"{_plural(len(warnings), 'new warning')}: {', '.join(warnings)}.")
    if result.consequences:
        parts.append(f"{_plural(len(result.consequences), 'change')} of meaning described "
                     "(a change the policy writer may intend, not an error).")
    parts.append(f"{_plural(len(result.findings_changed), 'finding')} changed, "
                 f"{len(result.findings_removed)} gone; {_plural(len(result.changes), 'change')} to the model.")
    return " ".join(parts)


def print_diff(console: Console, result: ProcedureDiff) -> None:
    console.print(f"[bold]{escape(result.old)}[/] -> [bold]{escape(result.new)}[/]")
    if result.empty:
        console.print("no differences")
        return
    serious = [f for f in result.findings_added if f["severity"] != "info"]
    notes = [f for f in result.findings_added if f["severity"] == "info"]
    for title, findings in (("New findings", serious), ("What the revision means", result.consequences),
                            ("New notes", notes), ("Findings gone", result.findings_removed)):
        if findings and title == "What the revision means":
            console.print(f"\n[bold]{title} ({len(findings)})[/]")
            for finding in findings:
                console.print(f"  [cyan]{escape(finding['kind'])}[/] [dim]{escape(finding['id'])}[/]")
                console.print(f"    {escape(finding['message'])}")
                for citation in finding["citations"]:
                    console.print(f"    [dim]cites {escape(citation['ref'])}: \u201c{escape(citation['heading'] or '')}\u201d[/]")
            continue
        if findings:
            console.print(f"\n[bold]{title} ({len(findings)})[/]")
            for finding in findings:
                mark = " (acknowledged)" if finding["acknowledged"] else ""
                console.print(f"  [{STYLE[finding['severity']]}]{finding['severity']}{mark}[/] {escape(finding['kind'])} "
                              f"[dim]{escape(finding['id'])}[/]: {escape(finding['message'])}")
    if result.findings_changed:
        console.print(f"\n[bold]Findings changed ({len(result.findings_changed)})[/]")
        for change in result.findings_changed:
            console.print(f"  {escape(change['text'])}")
            console.print(f"    [dim]now:[/] {escape(change['message'])}")
    if result.changes:
        console.print(f"\n[bold]Model changes ({len(result.changes)})[/]")
        for change in result.changes:
            console.print(f"  {change['change']:8} {escape(change['text'])}")
    style = "bold red" if result.adds_errors else "bold green"
    console.print(f"\n[{style}]{escape(diff_sentence(result))}[/]")
