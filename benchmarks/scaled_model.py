"""Generated procedures k times the size of the shipped one, for benchmarks.

Copy i of every state, transition, action, rule and deadline gets the suffix `_c{i}`; facts, roles
and invariants are shared. Each copy's start state is entered from the original start, so every
state stays reachable and the checks do k times the work.
"""
from __future__ import annotations

import copy
import re

from ruamel.yaml import YAML

from cpmodel.model.loader import BUNDLED_PROCEDURE

_EVENT = re.compile(r"^([a-z][a-z0-9_]*)(#\d+)?$")


def _suffix_event(text, suffix):
    match = _EVENT.match(text)
    return f"{match.group(1)}{suffix}{match.group(2) or ''}"


def scaled_data(copies: int) -> dict:
    base = YAML(typ="safe").load(BUNDLED_PROCEDURE.read_text(encoding="utf-8"))
    data = copy.deepcopy(base)
    data["acknowledgements"] = []
    start = next(s["id"] for s in base["states"] if s.get("kind") == "start")
    for index in range(1, copies):
        suffix = f"_c{index}"
        for state in base["states"]:
            state = dict(state, id=state["id"] + suffix)
            if state.get("kind") == "start":
                state["kind"] = "normal"
            data["states"].append(state)
        data["transitions"].append({"id": f"enter_copy{suffix}", "from": start, "to": start + suffix,
                                    "event": f"enter_copy{suffix}", "citation": "impl#1"})
        for transition in base["transitions"]:
            data["transitions"].append(dict(transition, id=transition["id"] + suffix, event=transition["event"] + suffix,
                                            **{"from": transition["from"] + suffix, "to": transition["to"] + suffix}))
        for action in base["actions"]:
            data["actions"].append(dict(action, id=action["id"] + suffix,
                                        excludes=[a + suffix for a in action.get("excludes", [])]))
        for rule in base["rules"]:
            data["rules"].append(dict(rule, id=rule["id"] + suffix, action=rule["action"] + suffix,
                                      overrides=[r + suffix for r in rule.get("overrides", [])]))
        for deadline in base["deadlines"]:
            moved = dict(deadline, id=deadline["id"] + suffix, event=_suffix_event(deadline["event"], suffix))
            for field in ("anchor", "before"):
                if deadline.get(field):
                    moved[field] = _suffix_event(deadline[field], suffix)
            data["deadlines"].append(moved)
    return data
