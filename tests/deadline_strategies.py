"""Random deadline bounds for the proofs' oracle tests: a few events (e0..e3) tied by periods in
every unit, each bound 'after' or 'within', the way a pathway's deadlines tie its events."""
from __future__ import annotations

from hypothesis import strategies as st

from cpmodel.model.schema import Period
from cpmodel.proofs.deadlines import Bound


def periods(most: int):
    return st.builds(lambda n, u: Period(number=n, unit=u),
                     st.integers(0, most), st.sampled_from(["working_days", "days", "weeks", "months"]))


def bounds(period_strategy):
    return st.lists(st.builds(lambda k, e, l, p: Bound("d", k, f"e{e}", f"e{l}", p),
                              st.sampled_from(["after", "within"]), st.integers(0, 3), st.integers(0, 3),
                              period_strategy)
                    .filter(lambda b: b.earlier != b.later), min_size=1, max_size=6)
