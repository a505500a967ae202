"""What a revision changes: findings added and removed; what it means (conditions, routes and
timescales whose consequences changed, proofs/consequences.py); rules, transitions and deadlines
changed."""
from __future__ import annotations

from dataclasses import dataclass, field

from cpmodel.model.procedure import Procedure
from cpmodel.proofs.report import CheckReport

COLLECTIONS = ("states", "transitions", "rules", "deadlines", "roles", "facts", "invariants", "actions")
_PERIOD_FIELDS = ("within", "every", "not_before")


@dataclass
class ProcedureDiff:
    old: str
    new: str
    findings_added: list[dict] = field(default_factory=list)
    findings_removed: list[dict] = field(default_factory=list)
    findings_changed: list[dict] = field(default_factory=list)
    changes: list[dict] = field(default_factory=list)
    consequences: list[dict] = field(default_factory=list)   # what the revision means, in words
    new_errors: list[str] = field(default_factory=list)   # unacknowledged errors the revision adds

    @property
    def adds_errors(self) -> bool:
        return bool(self.new_errors)

    @property
    def empty(self) -> bool:
        return not (self.findings_added or self.findings_removed or self.findings_changed or self.changes
                    or self.consequences)

    def to_json(self) -> dict:
        return {"schema_version": 1, "old": self.old, "new": self.new,
                "findings_added": self.findings_added, "findings_removed": self.findings_removed,
                "findings_changed": self.findings_changed, "consequences": self.consequences,
                "changes": self.changes, "new_errors": self.new_errors}


def _describe(value) -> str:
    if isinstance(value, dict) and set(value) == {"number", "unit"}:
        return f"{value['number']} {value['unit'].replace('_', ' ')}"
    if value is None or value == [] or value == "":
        return "(none)"
    return str(value)


def _items(procedure: Procedure, collection: str) -> dict[str, dict]:
    return {item.id: item.model_dump(by_alias=True) for item in getattr(procedure.spec, collection)}


def diff_procedures(old: Procedure, new: Procedure, old_report: CheckReport, new_report: CheckReport) -> ProcedureDiff:
    from cpmodel.proofs.consequences import of_revision

    result = ProcedureDiff(old.file, new.file)
    result.consequences = [c.to_json() for c in of_revision(old, new)]
    before = {f.id: f for f in old_report.findings}
    after = {f.id: f for f in new_report.findings}
    result.findings_added = [after[i].to_json() for i in after if i not in before]
    result.findings_removed = [before[i].to_json() for i in before if i not in after]
    for finding_id in before.keys() & after.keys():
        change = _finding_change(before[finding_id], after[finding_id])
        if change:
            result.findings_changed.append(change)
    result.new_errors = sorted(f.id for f in new_report.findings
                               if f.fails and not (f.id in before and before[f.id].fails))
    result.findings_changed.sort(key=lambda c: c["id"])
    for collection in COLLECTIONS:
        old_items, new_items = _items(old, collection), _items(new, collection)
        kind = collection[:-1]
        for item_id in new_items.keys() - old_items.keys():
            result.changes.append({"change": "added", "kind": kind, "id": item_id,
                                   "text": f"{kind} {item_id!r} added"})
        for item_id in old_items.keys() - new_items.keys():
            result.changes.append({"change": "removed", "kind": kind, "id": item_id,
                                   "text": f"{kind} {item_id!r} removed"})
        for item_id in sorted(old_items.keys() & new_items.keys()):
            was, now = old_items[item_id], new_items[item_id]
            for key in was:
                if was[key] != now.get(key):
                    label = _label(kind, item_id, key)
                    result.changes.append({
                        "change": "changed", "kind": kind, "id": item_id, "field": key,
                        "old": was[key], "new": now.get(key),
                        "text": f"{label}: {_describe(was[key])} -> {_describe(now.get(key))}"})
    result.changes.sort(key=lambda c: (c["kind"], c["id"], c.get("field", "")))
    return result


def _label(kind: str, item_id: str, key: str) -> str:
    name = item_id.replace("_", " ")
    if kind == "deadline" and key in _PERIOD_FIELDS:
        return f"{name} ({'interval' if key == 'every' else key.replace('_', ' ')})"
    return f"{kind} {name}: {key}"


def _status(finding) -> str:
    return f"{finding.severity}{' (acknowledged)' if finding.acknowledged else ''}"


def _finding_change(was, now) -> dict | None:
    """How a finding the two revisions share has changed, in words (None if it has not)."""
    parts = []
    if _status(was) != _status(now):
        parts.append(f"{_status(was)} -> {_status(now)}")
    if was.witness.get("winner") != now.witness.get("winner"):
        parts.append(f"the winner changed: {was.witness.get('winner') or 'no rule'} won "
                     f"({was.witness.get('outcome') or 'unresolved'}), now {now.witness.get('winner') or 'no rule'} "
                     f"wins ({now.witness.get('outcome') or 'unresolved'})")
    witness_changed = {k for k in was.witness.keys() | now.witness.keys()
                       if k not in ("winner", "overridden", "outcome") and was.witness.get(k) != now.witness.get(k)}
    if witness_changed:
        parts.append("witness: " + "; ".join(f"{k}: {_describe(was.witness.get(k))} -> {_describe(now.witness.get(k))}"
                                             for k in sorted(witness_changed)))
    if was.message != now.message and not parts:
        parts.append("message changed")
    if not parts:
        return None
    return {"id": now.id, "kind": now.kind, "old": _status(was), "new": _status(now),
            "old_message": was.message, "message": now.message,
            "old_witness": was.witness, "witness": now.witness,
            "text": f"{now.id}: " + "; ".join(parts)}
