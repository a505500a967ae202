"""A scenario may be named (`county`) as a pathway is, or given as a file."""
from __future__ import annotations

from pathlib import Path

from cpmodel.model.errors import InputError


def scenario_names() -> list[str]:
    from cpmodel.sim.scenario import SCENARIO_FOLDER
    return sorted(p.stem for p in SCENARIO_FOLDER.glob("*.yaml"))


def scenario_path(name_or_path: str | Path | None) -> Path | None:
    """None stays None (the bundled default); an existing file or a *.yaml path is used as given;
    otherwise the name of a bundled scenario, or one line saying which names exist."""
    if name_or_path is None:
        return None
    path = Path(name_or_path)
    if path.exists() or path.suffix in (".yaml", ".yml") or len(path.parts) > 1:
        return path
    from cpmodel.sim.scenario import SCENARIO_FOLDER
    bundled = SCENARIO_FOLDER / f"{path.name}.yaml"
    if bundled.exists():
        return bundled
    from cpmodel.model.loader import suggestion
    raise InputError(str(name_or_path), None, "SCENARIO",
                     f"no scenario file or bundled scenario of that name{suggestion(str(name_or_path), scenario_names())}; "
                     f"bundled: {', '.join(scenario_names())}")
