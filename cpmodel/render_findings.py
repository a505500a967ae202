"""Findings and diffs as text a policy writer reads: grouped by severity, citations quoted."""
from __future__ import annotations

from rich.console import Console
from rich.markup import escape

from proofs.diff import ProcedureDiff
from proofs.report import CheckReport

STYLE = {"error": "bold red", "warning": "yellow", "info": "cyan"}


def _witness(witness: dict) -> str:
    return ", ".join(f"{k}={v}" for k, v in witness.items()) if witness else "(every fact at its default)"


def print_report(console: Console, report: CheckReport, strict: bool = False) -> None:
    console.print(f"[bold]{escape(report.procedure_name)}[/] (version {escape(report.procedure_version)}, "
                  f"{escape(report.procedure_file)}): checked in {report.seconds:.2f} s")
    for severity in ("error", "warning", "info"):
        group = [f for f in report.findings if f.severity == severity]
        if not group:
            continue
        console.print(f"\n[{STYLE[severity]}]{severity.upper()}S ({len(group)})[/]")
        for finding in group:
            data = finding.to_json()
            mark = " (acknowledged)" if finding.acknowledged else ""
            console.print(f"  [{STYLE[severity]}]{escape(finding.message)}[/]")      # the sentence first, the id second
            console.print(f"    [dim]{escape(finding.id)}{mark}[/]")
            if finding.witness:
                console.print(f"    witness: {escape(_witness(finding.witness))}")
            for citation in data["citations"]:
                console.print(f"    cites {escape(citation['ref'])}: \u201c{escape(citation['heading'] or '')}\u201d")
            if finding.acknowledged:
                reason = " ".join(finding.acknowledgement["reason"].split())
                console.print(f"    [dim]acknowledged by {escape(finding.acknowledgement['by'])} on "
                              f"{finding.acknowledgement['date']}: {escape(reason)}[/]")
    counts = report.counts()
    verdict = "[bold red]NOT CONSISTENT[/]" if report.failed(strict) else "[bold green]CONSISTENT[/]"
    console.print(f"\n{verdict}: {counts['error']} errors, {counts['warning']} warnings, {counts['info']} "
                  f"info; {counts['acknowledged']} acknowledged")


def print_diff(console: Console, result: ProcedureDiff) -> None:
    console.print(f"[bold]{escape(result.old)}[/] -> [bold]{escape(result.new)}[/]")
    if result.empty:
        console.print("no differences")
        return
    for title, findings in (("Findings added", result.findings_added), ("Findings removed", result.findings_removed)):
        if findings:
            console.print(f"\n[bold]{title} ({len(findings)})[/]")
            for finding in findings:
                console.print(f"  [{STYLE[finding['severity']]}]{finding['severity']}[/] {escape(finding['id'])}: "
                              f"{escape(finding['message'])}")
    if result.findings_changed:
        console.print(f"\n[bold]Findings changed ({len(result.findings_changed)})[/]")
        for change in result.findings_changed:
            console.print(f"  {escape(change['text'])}")
    if result.changes:
        console.print(f"\n[bold]Model changes ({len(result.changes)})[/]")
        for change in result.changes:
            console.print(f"  {change['change']:8} {escape(change['text'])}")
