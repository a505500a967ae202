"""One self-contained HTML file for someone who never ran a command: the procedure graph, the
check findings, the training pathways and the simulation summary, images inlined, no scripts,
no network."""
from __future__ import annotations

import base64
import datetime as dt
from html import escape

from model.sources import heading_of, sections

STYLE = """
body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:2rem auto;max-width:1100px;color:#222;line-height:1.45}
h1{font-size:1.8rem}h2{border-bottom:2px solid #ddd;padding-bottom:.2rem;margin-top:2.5rem}
table{border-collapse:collapse;width:100%;font-size:.9rem;margin:.6rem 0;table-layout:fixed}
td,th{overflow-wrap:anywhere}code{word-break:break-all}
th,td{border:1px solid #ddd;padding:.3rem .5rem;text-align:left;vertical-align:top}th{background:#f4f4f4}
.error{color:#b00020;font-weight:600}.warning{color:#9a6700;font-weight:600}.info{color:#0b5394}
.breach{color:#b00020;font-weight:600}.ok{color:#1e7b34;font-weight:600}.muted{color:#666;font-size:.85rem}
img{max-width:100%;border:1px solid #eee}nav a{margin-right:1rem}
"""


def _image(png: bytes, alt: str) -> str:
    return f'<img alt="{escape(alt)}" src="data:image/png;base64,{base64.b64encode(png).decode()}">'


def _cites(refs) -> str:
    return "<br>".join(f"{escape(r)} <span class=muted>{escape(heading_of(r) or '')}</span>" for r in refs)


def findings_section(report) -> str:
    rows = []
    for finding in report.findings:
        data = finding.to_json()
        status = "acknowledged" if finding.acknowledged else ("fails the check" if finding.fails else "")
        witness = ", ".join(f"{k}={v}" for k, v in finding.witness.items())
        reason = " ".join(finding.acknowledgement["reason"].split()) if finding.acknowledged else ""
        rows.append(f"<tr><td class={finding.severity}>{finding.severity}</td><td><code>{escape(finding.id)}</code><br>"
                    f"<span class=muted>{escape(status)}</span></td><td>{escape(finding.message)}"
                    f"{'<br><span class=muted>Reason: ' + escape(reason) + '</span>' if reason else ''}</td>"
                    f"<td>{escape(witness)}</td><td>{_cites(c['ref'] for c in data['citations'])}</td></tr>")
    verdict = "<p class=breach>The procedure is NOT consistent.</p>" if report.failed() else \
        "<p class=ok>The procedure is consistent: no unacknowledged errors.</p>"
    counts = report.counts()
    return (f'<section id="findings"><h2>Consistency check</h2>{verdict}<p>{counts["error"]} errors, {counts["warning"]} '
            f'warnings, {counts["info"]} for information; {counts["acknowledged"]} acknowledged as known defects of '
            f'the source documents.</p><table><tr><th>severity</th><th>finding</th><th>what it means</th>'
            f'<th>witness</th><th>cites</th></tr>{"".join(rows)}</table></section>')


def pathways_section(procedure, walked) -> str:
    parts = ['<section id="pathways"><h2>Training pathways</h2>']
    for name, pathway, reports, end, png in walked:
        breaches = [b for r in reports for b in r.breaches] + list(end)
        parts.append(f'<h3 id="pathway-{escape(name)}">{escape(pathway.name)}</h3><p>{escape(pathway.description)}</p>')
        parts.append(_image(png, f"timeline of {pathway.name}"))
        rows = []
        for report in reports:
            if report.event == "visit" and not report.breaches:
                continue
            cells = "; ".join(f"{d['event'].replace('_', ' ')} by {d['due']}" for d in report.deadlines_set)
            flagged = "".join(f"<div class=breach>{escape(b.kind)}: {escape(b.message)}</div>" for b in report.breaches)
            rows.append(f"<tr><td>{report.date:%a %d %b %Y}</td><td>{escape(report.event.replace('_', ' '))}</td>"
                        f"<td>{escape(procedure.states[report.state_after].name)}</td><td>{_cites(report.citations)}</td>"
                        f"<td>{escape(cells)}</td><td>{flagged}</td></tr>")
        parts.append("<table><tr><th>date</th><th>event</th><th>state</th><th>rule</th><th>deadlines set</th>"
                     f"<th>breaches</th></tr>{''.join(rows)}</table>")
        parts.append(f"<p class={'breach' if breaches else 'ok'}>{len(breaches)} breach(es) "
                     f"{'(built to show them)' if pathway.expect_breaches else ''}</p>")
    parts.append("</section>")
    return "".join(parts)


def simulation_section(summary: dict, plots: dict[str, bytes]) -> str:
    rows = "".join(
        f"<tr><td>{escape(kind)}</td><td>{data['due_per_replication']:.0f}</td>"
        f"<td>{100 * data['met_share']['mean']:.1f}%</td><td>{100 * data['met_share']['low']:.1f}-"
        f"{100 * data['met_share']['high']:.1f}%</td><td>{data['lateness_working_days']['p90']:.0f}</td></tr>"
        for kind, data in sorted(summary["deadlines"].items(), key=lambda item: item[1]["met_share"]["mean"]))
    work = "".join(f"<tr><td>{escape(pool)}</td><td>{h['mean']:.0f}</td><td>{100 * summary['utilisation'][pool]['mean']:.0f}%</td></tr>"
                   for pool, h in summary["hours_per_week"].items())
    images = "".join(_image(png, name) for name, png in plots.items())
    return (f'<section id="simulation"><h2>Simulation: {escape(summary["scenario"])}</h2>'
            f'<p>{summary["replications"]} replications of {summary["horizon_years"]} years after '
            f'{summary["warm_up_months"]} months\' warm-up (seed {summary["seed"]}). Shares are means over '
            f'replications with 95% confidence intervals.</p><table><tr><th>deadline kind</th><th>due per run</th>'
            f'<th>met on time</th><th>95% CI</th><th>90th percentile lateness (working days)</th></tr>{rows}</table>'
            f'<table><tr><th>role</th><th>hours a week</th><th>utilisation</th></tr>{work}</table>{images}</section>')


def build_report(procedure, check_report, graph_png: bytes, walked, summary: dict | None, plots: dict) -> str:
    generated = dt.datetime.now().strftime("%d %B %Y %H:%M")
    nav = '<nav><a href="#graph">Procedure</a><a href="#findings">Check</a><a href="#pathways">Pathways</a>' \
          + ('<a href="#simulation">Simulation</a>' if summary else "") + "</nav>"
    body = [f"<h1>{escape(procedure.spec.name)}</h1><p class=muted>Version {escape(procedure.spec.version)}; "
            f"report made {generated} by cpmodel.</p>{nav}",
            f'<section id="graph"><h2>The procedure</h2><p>{len(procedure.spec.states)} states, '
            f'{len(procedure.spec.transitions)} transitions, {len(procedure.spec.rules)} rules and '
            f'{len(procedure.spec.deadlines)} deadlines, each citing the paragraph it encodes.</p>'
            f'{_image(graph_png, "state graph of the procedure")}</section>',
            findings_section(check_report), pathways_section(procedure, walked)]
    if summary:
        body.append(simulation_section(summary, plots))
    return (f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{escape(procedure.spec.name)}: '
            f'cpmodel report</title><meta name="viewport" content="width=device-width, initial-scale=1">'
            f'<style>{STYLE}</style></head><body>{"".join(body)}</body></html>\n')
