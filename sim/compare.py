"""Two runs of the same scenario on the same seeds (a procedure and its revision, or two settings):
the paired difference in every deadline's share met and every role's hours a week, with 95% CIs."""
from __future__ import annotations

from cpmodel.sim.measures import level, outcomes, paired_difference

POOL_WORDS = {"social_workers": "social-worker", "conference_chairs": "conference-chair",
              "team_managers": "team-manager"}


def compare_runs(before: list[dict], after: list[dict]) -> dict:
    """Rows for every outcome either run has: each run's level and the paired difference (after - before)."""
    common = sorted({m["seed"] for m in before} & {m["seed"] for m in after})
    rows = []
    for name in outcomes([before, after]):
        difference = paired_difference(before, after, name)
        rows.append({"outcome": name[0], "name": name[1], "before": level(before, name).to_json(),
                     "after": level(after, name).to_json(), "difference": difference.to_json(),
                     "clear": bool(difference.n >= 2 and (difference.low > 0 or difference.high < 0))})
    return {"paired_replications": len(common), "rows": rows}


def sentence(row: dict) -> str:
    """'visits met -6.4 points (CI -7.1 to -5.7)' or '+26 social-worker hours a week (CI 22 to 30)'."""
    d = row["difference"]
    if row["outcome"] == "deadline":
        text = f"{row['name'].replace('_', ' ')} met {100 * d['mean']:+.1f} points"
        ci = f"CI {100 * d['low']:+.1f} to {100 * d['high']:+.1f}" if d["replications"] > 1 else "one replication"
    else:
        text = f"{d['mean']:+.1f} {POOL_WORDS.get(row['name'], row['name'])} hours a week"
        ci = f"CI {d['low']:+.1f} to {d['high']:+.1f}" if d["replications"] > 1 else "one replication"
    return f"{text} ({ci})" + ("" if row["clear"] else ", not clearly different from no change")


def summary_sentence(label: str, comparison: dict, count: int = 4) -> str:
    """The headline: hours first, then the deadlines that moved most, clear differences only."""
    rows = [r for r in comparison["rows"] if r["clear"]]
    hours = [r for r in rows if r["outcome"] == "hours"]
    deadlines = sorted((r for r in rows if r["outcome"] == "deadline"), key=lambda r: -abs(r["difference"]["mean"]))
    chosen = hours + deadlines[:count]
    if not chosen:
        return f"{label}: no clear difference in any deadline or role's hours ({comparison['paired_replications']} paired replications)"
    return f"{label}: " + "; ".join(sentence(r) for r in chosen)
