"""Derived views of a dataset that some contracts validate.

A rule that spans several rows of a long-format file (``finished <= started`` for
one pilot and one source) is checked on a reshaped view in which those values
stand side by side.  A suite names its view in ``meta.view``; failures are still
reported against the original file.
"""

from __future__ import annotations

import inspect

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


# --------------------------------------------------------------------------- other datasets


def _lines(frame: pd.DataFrame, keys: list[str]) -> pd.Series:
    return frame.assign(_line=frame.index + 2).groupby(keys, dropna=False)["_line"].agg(
        lambda s: ", ".join(map(str, sorted(s))))


URA_BAR = ["figure", "pilot_id", "cohort", "dimension", "group"]


def ura_bars(ura: pd.DataFrame) -> pd.DataFrame:
    """One row per bar (figure, pilot, cohort, group): how many statuses it shows and their sum."""
    shares = ura[ura["measure"] == "status_share"]
    out = shares.groupby(URA_BAR, dropna=False).agg(
        n_statuses=("status", "nunique"), bar_sum=("value", "sum"))
    return out.join(_lines(shares, URA_BAR).rename("csv_lines")).reset_index()


URA_QUANTITY = ["pilot_id", "cohort", "dimension", "group", "measure", "status"]


def ura_by_quantity(ura: pd.DataFrame) -> pd.DataFrame:
    """One row per register quantity, across the figures and the text that print it."""
    rows = []
    frame = ura.assign(_line=ura.index + 2)
    for key, group in frame.groupby(URA_QUANTITY, dropna=False, sort=True):
        parts = [f"{_fmt(v)} ({'; '.join(f'{f}, line {r}' for f, r in zip(g['figure'], g['ref_line']))})"
                 for v, g in group.groupby("value", sort=True)]
        rows.append(dict(zip(URA_QUANTITY, key)) | {
            "n_values": int(group["value"].nunique()), "values": " | ".join(parts),
            "csv_lines": ", ".join(map(str, sorted(group["_line"])))})
    return pd.DataFrame(rows, columns=[*URA_QUANTITY, "n_values", "values", "csv_lines"])


SURVEY_QUESTION = ["figure", "office", "question"]


def survey_by_question(survey: pd.DataFrame) -> pd.DataFrame:
    """One row per question: the sum of its response counts beside its number of respondents."""
    counts = survey[survey["measure"] == "count"].groupby(SURVEY_QUESTION)["value"].agg(["sum", "count"])
    shares = survey[survey["measure"] == "share"].groupby(SURVEY_QUESTION)["value"].agg(["sum", "count"])
    respondents = survey[survey["measure"] == "respondents"].groupby(SURVEY_QUESTION)["value"].first()
    out = pd.DataFrame({"counts_sum": counts["sum"], "n_counts": counts["count"],
                        "shares_sum": shares["sum"], "n_shares": shares["count"],
                        "respondents": respondents})
    # a share sum speaks for the whole question only when every counted response has a share
    complete = out["n_shares"] == out["n_counts"]
    out["shares_sum_complete"] = out["shares_sum"].where(complete)
    out["counts_gap"] = (out["counts_sum"] - out["respondents"]).abs()
    return out.join(_lines(survey, SURVEY_QUESTION).rename("csv_lines")).reset_index()


SURVEY_RESPONSE = ["figure", "office", "question", "response"]


def survey_by_response(survey: pd.DataFrame) -> pd.DataFrame:
    """One row per response with a printed share: the share recomputed from the counts.

    The base is the question's respondents, else the printed base_n, else the sum of the
    question's response counts (a single-choice figure).
    """
    by_question = survey_by_question(survey).set_index(SURVEY_QUESTION)
    counts = survey[survey["measure"] == "count"].set_index(SURVEY_RESPONSE)["value"]
    rows = []
    for idx, r in survey[survey["measure"] == "share"].iterrows():
        key = tuple(r[c] for c in SURVEY_RESPONSE)
        q = by_question.loc[key[:3]] if key[:3] in by_question.index else None
        base = r["base_n"] if pd.notna(r["base_n"]) else None
        if base is None and q is not None:
            base = q["respondents"] if pd.notna(q["respondents"]) else (q["counts_sum"] if pd.notna(q["counts_sum"]) else None)
        count = counts.get(key) if key in counts.index else None
        recomputed = 100 * count / base if count is not None and base else np.nan
        rows.append(dict(zip(SURVEY_RESPONSE, key)) | {
            "share": r["value"], "count": count, "base": base, "recomputed_share": round(recomputed, 2),
            "gap": round(abs(r["value"] - recomputed), 2) if not np.isnan(recomputed) else np.nan,
            "csv_lines": str(idx + 2)})
    return pd.DataFrame(rows, columns=[*SURVEY_RESPONSE, "share", "count", "base", "recomputed_share", "gap", "csv_lines"])


CONTRACT_TOTALS = ("total", "fee_eligible")


def contract_breakdown(contracts: pd.DataFrame) -> pd.DataFrame:
    """One row per pilot and source: the sum of the printed contract types beside the total."""
    parts = contracts[~contracts["contract_type"].isin(CONTRACT_TOTALS)]
    totals = contracts[contracts["contract_type"] == "total"].set_index(["pilot_id", "source"])["value"]
    out = parts.groupby(["pilot_id", "source"])["value"].agg(parts_sum="sum", n_parts="count")
    out = out.join(totals.rename("total"), how="left")
    out = out[out["n_parts"] > 1]  # a single part alongside a total is not a breakdown
    return out.join(_lines(contracts, ["pilot_id", "source"]).rename("csv_lines")).reset_index()


def providers_total(providers: pd.DataFrame) -> pd.DataFrame:
    """Per pilot: the providers' rows added up beside the printed total row."""
    rows = []
    frame = providers.assign(_line=providers.index + 2)
    for pilot_id, group in frame.groupby("pilot_id"):
        each = group[group["provider"] != "total"]
        total = group[group["provider"] == "total"]
        employed = (each["finished"] * each["pct_employed_or_entrepreneur_of_finished"] / 100).sum()
        finished = each["finished"].sum()
        rows.append({
            "pilot_id": pilot_id, "providers": len(each), "finished_sum": finished,
            "finished_total": total["finished"].iloc[0] if len(total) else np.nan,
            "pct_employed_weighted": round(100 * employed / finished, 2) if finished else np.nan,
            "pct_employed_total": total["pct_employed_or_entrepreneur_of_finished"].iloc[0] if len(total) else np.nan,
            "csv_lines": ", ".join(map(str, group["_line"])),
        })
    out = pd.DataFrame(rows)
    out["gap_pct_employed"] = (out["pct_employed_weighted"] - out["pct_employed_total"]).abs().round(2)
    out["finished_gap"] = (out["finished_sum"] - out["finished_total"]).abs()
    return out


def survey_office_split(survey: pd.DataFrame) -> pd.DataFrame:
    """Figure 2's office shares printed in the text beside the closest split of Figure 2 by office."""
    from pilotbook.contracts.office_split import office_split_fit

    return office_split_fit(survey)


VIEWS.update({
    "ura_bars": ura_bars,
    "ura_by_quantity": ura_by_quantity,
    "survey_by_question": survey_by_question,
    "survey_by_response": survey_by_response,
    "survey_office_split": survey_office_split,
    "contract_breakdown": contract_breakdown,
    "providers_total": providers_total,
})


def pilot_texts_coverage(texts: pd.DataFrame, params: dict) -> pd.DataFrame:
    """One row per pilot of pilots.csv and required section: is it written?  (``present``)"""
    from pilotbook.io.pilot_texts import SECTIONS

    have = set(zip(texts["pilot_id"], texts["section"]))
    lines = {(p, s): i + 2 for i, (p, s) in enumerate(zip(texts["pilot_id"], texts["section"]))}
    return pd.DataFrame([{"pilot_id": p, "section": s, "present": (p, s) in have,
                          "csv_lines": str(lines.get((p, s), ""))}
                         for p in params.get("pilot_ids", []) for s in SECTIONS],
                        columns=["pilot_id", "section", "present", "csv_lines"])


VIEWS["pilot_texts_coverage"] = pilot_texts_coverage


def apply_view(name: str, frame: pd.DataFrame, frames: dict[str, pd.DataFrame], params: dict) -> pd.DataFrame:
    """The view ``name`` of ``frame``.  A view that needs more than its own dataset declares a
    ``frames`` parameter (every dataset that could be read, by name) and/or ``params`` (the
    contracts' expectation parameters, e.g. ``pilot_ids``)."""
    fn = VIEWS[name]
    wanted = inspect.signature(fn).parameters
    kwargs = {k: v for k, v in (("frames", frames), ("params", params)) if k in wanted}
    return fn(frame, **kwargs)
