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


def _fmt(value: float) -> str:
    return f"{value:g}"


def outcomes_by_metric(outcomes: pd.DataFrame) -> pd.DataFrame:
    """One row per (pilot_id, metric): how many sources print it, and how many different values.

    ``values`` lists each distinct value with its sources and lines, so a warning on
    ``n_values`` shows both values and both sources.
    """
    frame = outcomes.assign(_line=outcomes.index + 2)
    rows = []
    for (pilot_id, metric), group in frame.groupby(["pilot_id", "metric"], sort=True):
        parts = []
        for value, same in group.groupby("value", sort=True):
            where = "; ".join(f"{s}, line {r}" for s, r in zip(same["source"], same["ref_line"]))
            parts.append(f"{_fmt(value)} ({where})")
        rows.append({
            "pilot_id": pilot_id, "metric": metric, "n_sources": int(group["source"].nunique()),
            "n_values": int(group["value"].nunique()), "values": " | ".join(parts),
            "csv_lines": ", ".join(map(str, sorted(group["_line"]))),
        })
    return pd.DataFrame(rows, columns=["pilot_id", "metric", "n_sources", "n_values", "values", "csv_lines"])


EMPLOYMENT_METRICS = ("employments_total", "employed_persons_total")


def outcomes_by_pilot(outcomes: pd.DataFrame) -> pd.DataFrame:
    """One row per pilot: fee-eligible employments of the summary tables beside all employments.

    ``employed_max`` is the largest count of employments or employed persons any source prints.
    """
    frame = outcomes.assign(_line=outcomes.index + 2)
    in_tables = frame[frame["source"].str.fullmatch(r"Table \d+", na=False)]
    fee = in_tables[in_tables["metric"] == "fee_eligible"].groupby("pilot_id")["value"].max()
    employed = frame[frame["metric"].isin(EMPLOYMENT_METRICS)].groupby("pilot_id")["value"].max()
    lines = frame[(frame["metric"].isin(EMPLOYMENT_METRICS)) | (frame.index.isin(in_tables.index) &
                  (frame["metric"] == "fee_eligible"))].groupby("pilot_id")["_line"].agg(
        lambda s: ", ".join(map(str, sorted(s))))
    out = pd.DataFrame({"fee_eligible": fee, "employed_max": employed}).join(lines.rename("csv_lines"))
    out.index.name = "pilot_id"
    return out.reset_index()


VIEWS: dict[str, Callable[[pd.DataFrame], pd.DataFrame]] = {
    "by_source": outcomes_by_source,
    "by_metric": outcomes_by_metric,
    "by_pilot": outcomes_by_pilot,
}
