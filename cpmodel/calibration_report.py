"""A calibrated scenario: the base file with each estimated figure replaced, its comment saying
where the figure now comes from (n and 95% CI), and the same in the scenario's `sources`."""
from __future__ import annotations

import io
from pathlib import Path

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq


def _source(estimate, log_name: str) -> str:
    if estimate.basis.startswith("set to"):
        return f"{estimate.basis} (calibrated from {log_name}, n={estimate.n} reviews)"
    if isinstance(estimate.value, list):
        return f"{estimate.basis}, from {log_name}"
    if isinstance(estimate.value, dict):
        interval = ", ".join(f"{k}: {estimate.low[k]:.3g}-{estimate.high[k]:.3g}" for k in estimate.value)
    else:
        interval = f"{estimate.low:.4g}-{estimate.high:.4g}"
    return f"estimated from {log_name} (n={estimate.n}, {estimate.basis}); 95% CI {interval}"


def calibrated_yaml(base: Path, estimates, log_name: str, header: str) -> str:
    """The base scenario's text with the estimates in place; comments elsewhere are kept."""
    yaml = YAML(typ="rt")
    yaml.width = 110
    yaml.preserve_quotes = True
    document = yaml.load(Path(base).read_text(encoding="utf-8"))
    sources = document.get("sources")
    if sources is None:
        sources = CommentedMap()
        document["sources"] = sources
    for estimate in estimates:
        container = document
        for part in estimate.path[:-1]:
            container = container[part]
        key = estimate.path[-1]
        value = estimate.value
        if isinstance(value, dict):
            value = CommentedMap(value)
        elif isinstance(value, list):
            value = CommentedSeq(value)
        if isinstance(value, (CommentedMap, CommentedSeq)):
            value.fa.set_flow_style()
        container[key] = value
        if isinstance(container, CommentedMap):
            _replace_eol_comment(container, key, _source(estimate, log_name))
        sources[estimate.name] = _source(estimate, log_name)
    buffer = io.StringIO()
    yaml.dump(document, buffer)
    return header + buffer.getvalue()


def _replace_eol_comment(mapping: CommentedMap, key, text: str) -> None:
    """Put `text` as the comment on key's line. ruamel keeps the comment lines that follow a key
    (the block above the next key) in the same token, so only the token's first line is replaced."""
    tokens = mapping.ca.items.get(key)
    token = tokens[2] if tokens and len(tokens) > 2 else None
    if token is None:
        mapping.yaml_add_eol_comment(text, key)
        return
    first, newline, rest = token.value.partition("\n")
    if first.lstrip().startswith("#"):
        token.value = f"# {text}" + newline + rest
    else:
        token.value = f"  # {text}\n" + token.value.removeprefix("\n")
