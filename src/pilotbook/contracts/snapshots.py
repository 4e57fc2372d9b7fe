"""Which snapshot of the results a value of ``outcomes.csv`` belongs to.  The report dates a few values to
the time of the evaluation ("arvioinnin toteutushetkellä") rather than to the September 2017 tracking
data; such a value is compared only with values of the same snapshot."""

from __future__ import annotations

import pandas as pd

EARLIER_SNAPSHOT = "at_evaluation"


def snapshot(outcomes: pd.DataFrame) -> pd.Series:
    """'at_evaluation' for a value of the earlier snapshot, else '' (also when the file lacks qualifier)."""
    if "qualifier" not in outcomes.columns:
        return pd.Series("", index=outcomes.index)
    return outcomes["qualifier"].where(outcomes["qualifier"] == EARLIER_SNAPSHOT, "").fillna("")
