"""What a revision means, beyond the findings `check` gives: conditions whose meaning changed,
routes removed or added, timescales moved. A change of meaning is not an error in itself (the
policy writer may intend it), so these are described, never failed on."""
from __future__ import annotations

from cpmodel.model.procedure import Procedure
from cpmodel.proofs import meaning, routes, timescales
from cpmodel.proofs.encode import SolverUndecided
from cpmodel.proofs.findings import Finding

KINDS = (meaning.KIND, routes.REMOVED, routes.ADDED, timescales.KIND)


def of_revision(old: Procedure, new: Procedure) -> list[Finding]:
    found: list[Finding] = []
    for name, describe in (("scope", meaning.check), ("routes", routes.check), ("timescales", timescales.check)):
        try:
            found.extend(describe(old, new))
        except SolverUndecided as undecided:
            found.append(Finding(kind="undecided", severity="info", involved=[f"diff_{name}"],
                                 message=f"Z3 could not decide what the revision changes ({name}): "
                                         f"{undecided.reason}; not described",
                                 witness={"reason": undecided.reason}))
    return found
