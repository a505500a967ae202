"""An audit's result in words and as spreadsheet tables: breaches per case and in total."""
from __future__ import annotations

from rich.console import Console
from rich.markup import escape

BREACH_WORDS = {"deadline_missed": "deadline missed", "deadline_late": "deadline met late",
                "forbidden_action": "forbidden action taken", "condition_not_met": "step taken without its condition",
                "unexpected_event": "event the procedure does not allow here"}


def breach_words(kind: str) -> str:
    return BREACH_WORDS.get(kind, kind.replace("_", " "))


def _item_words(procedure, item: str) -> str:
    for collection in (procedure.deadlines, procedure.rules, procedure.transitions):
        if item in collection:
            return item.replace("_", " ")
    return item.replace("_", " ")


def total_rows(data: dict, procedure, key_of: str = "totals") -> list[list]:
    """[what happened, to which item, how many, kind id, item id], most frequent first (key_of
    "advice_totals": the advice not followed, where the documents say should)."""
    rows = []
    for key, count in sorted(data.get(key_of, {}).items(), key=lambda entry: (-entry[1], entry[0])):
        kind, _, item = key.partition(":")
        rows.append([breach_words(kind), _item_words(procedure, item), count, kind, item])
    return rows


def audit_sheets(data: dict, procedure) -> dict:
    summary = [["Event log", data["file"]], ["Cases", data["cases"]], ["Events", data["events"]],
               ["Cases with at least one breach", data["cases_with_breaches"]],
               ["Breaches in total", sum(data["totals"].values())]]
    per_case = [[case, breach["date"], breach_words(breach["kind"]), _item_words(procedure, breach["item"]),
                 breach["message"], ", ".join(breach["citations"]), breach["kind"], breach["item"]]
                for case, found in data["breaches"].items() for breach in found]
    return {
        "Summary": (["Item", "Value"], summary),
        "Breaches by kind": (["What happened", "Deadline, rule or step", "Breaches (count)", "Kind id", "Item id"],
                             total_rows(data, procedure)),
        "Breaches per case": (["Case id", "Date", "What happened", "Deadline, rule or step", "Explanation",
                               "Paragraphs cited", "Kind id", "Item id"], per_case),
        "Advice not followed": (["What happened", "Deadline, rule or step (the documents say should)",
                                 "Times not followed (count)", "Kind id", "Item id"], total_rows(data, procedure, "advice_totals")),
    }


def print_audit(console: Console, data: dict, procedure, limit: int = 50) -> None:
    console.print(f"{data['cases']} cases and {data['events']} events checked; "
                  f"{data['cases_with_breaches']} cases have at least one breach.")
    for what, item, count, kind, item_id in total_rows(data, procedure):
        console.print(f"  {count:6}  {what}: {item} [dim]({kind}:{item_id})[/]", highlight=False)
    advice = total_rows(data, procedure, "advice_totals")
    if advice:
        console.print(f"Advice not followed (where the documents say should, not must): "
                      f"{data.get('cases_with_advice_not_followed', 0)} cases.")
        for what, item, count, kind, item_id in advice:
            console.print(f"  {count:6}  {what}: {item} [dim]({kind}:{item_id}; should)[/]", highlight=False)
    for case, found in list(data["breaches"].items())[:limit]:
        console.print(f"[bold]{escape(case)}[/]")
        for breach in found:
            console.print(f"  {breach['date']} [red]{breach_words(breach['kind'])}[/]: {escape(breach['message'])} "
                          f"[dim]({breach['item']}; {', '.join(breach['citations'])})[/]", highlight=False)
    if len(data["breaches"]) > limit:
        console.print(f"... and {len(data['breaches']) - limit} more cases (use --json or --xlsx for all)")
