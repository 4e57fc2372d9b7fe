"""Derived views of a dataset that some contracts validate.

A rule that spans several rows of a long-format file (``finished <= started`` for
one pilot and one source) is checked on a reshaped view in which those values
stand side by side.  A suite names its view in ``meta.view``; failures are still
reported against the original file.
"""

from __future__ import annotations

from typing import Callable

import numpy as np
import pandas as pd

# Metrics that stand side by side in the by-source view of outcomes.csv.
WIDE_METRICS = (
    "started",
    "finished",
    "fee_eligible",
    "pct_fee_eligible_of_started",
    "pct_fee_eligible_of_finished",
)


def outcomes_by_source(outcomes: pd.DataFrame) -> pd.DataFrame:
    """One row per (pilot_id, source) with the Table 4-6 metrics as columns.

    Adds the shares recomputed from the counts and the gap to the printed share
    (percentage points).  A value the source does not print stays missing.
    """
    rows = outcomes[outcomes["metric"].isin(WIDE_METRICS)].assign(_line=lambda d: d.index + 2)
    lines = rows.groupby(["pilot_id", "source"])["_line"].agg(lambda s: ", ".join(map(str, sorted(s))))
    wide = rows.pivot_table(
        index=["pilot_id", "source"], columns="metric", values="value", aggfunc="first"
    ).reindex(columns=list(WIDE_METRICS))
    wide.columns.name = None
    wide = wide.join(lines.rename("csv_lines")).reset_index()
    for denominator in ("started", "finished"):
        printed = wide[f"pct_fee_eligible_of_{denominator}"]
        recomputed = 100 * wide["fee_eligible"] / wide[denominator].replace(0, np.nan)
        wide[f"recomputed_pct_of_{denominator}"] = recomputed.round(2)
        wide[f"gap_pct_of_{denominator}"] = (printed - recomputed).abs().round(2)
    return wide


VIEWS: dict[str, Callable[[pd.DataFrame], pd.DataFrame]] = {
    "by_source": outcomes_by_source,
}
