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

from pilotbook.contracts.cross_file import ACROSS_FILES
from pilotbook.contracts.snapshots import snapshot as _snapshot
from pilotbook.io.citation import cite

# Metrics that stand side by side in the by-source view of outcomes.csv.  The report labels its
# numbers three ways, and each is checked only against its own kind: ``fee_eligible`` (Tables 4-5's
# column "palkkioon oikeuttavia", or a passage that says so), ``employed`` (persons employed,
# "työllistyneitä") and ``employments`` (jobs counted, "työllistymisiä", "työsuhteita").
WIDE_METRICS = (
    "started",
    "finished",
    "fee_eligible",
    "pct_fee_eligible_of_started",
    "pct_fee_eligible_of_finished",
    "employed",
    "employments",
    "pct_employed_of_started",
    "pct_employed_of_finished",
)



def outcomes_by_source(outcomes: pd.DataFrame) -> pd.DataFrame:
    """One row per (pilot_id, source) with the Table 4-6 metrics and the text's employment counts as columns.

    Adds the shares recomputed from the counts and the gap to the printed share (percentage
    points): the fee-eligible shares from ``fee_eligible``; the text's employment shares from the
    count the same passage gives (``employed``, else ``employments``: "Työllistymisprosentti" of 204
    "työsuhteita" is employments / started).  A value the source does not print stays missing.
    """
    rows = outcomes[outcomes["metric"].isin(WIDE_METRICS)].assign(_line=lambda d: d.index + 2)
    lines = rows.groupby(["pilot_id", "source"])["_line"].agg(lambda s: ", ".join(map(str, sorted(s))))
    wide = rows.pivot_table(
        index=["pilot_id", "source"], columns="metric", values="value", aggfunc="first"
    ).reindex(columns=list(WIDE_METRICS))
    wide.columns.name = None
    wide = wide.join(lines.rename("csv_lines")).reset_index()
    wide["employment_count"] = wide["employed"].fillna(wide["employments"])
    for denominator in ("started", "finished"):
        base = wide[denominator].replace(0, np.nan)
        printed = wide[f"pct_fee_eligible_of_{denominator}"]
        recomputed = 100 * wide["fee_eligible"] / base
        wide[f"recomputed_pct_of_{denominator}"] = recomputed.round(2)
        wide[f"gap_pct_of_{denominator}"] = (printed - recomputed).abs().round(2)
        printed = wide[f"pct_employed_of_{denominator}"]
        recomputed = 100 * wide["employment_count"] / base
        wide[f"recomputed_pct_employed_of_{denominator}"] = recomputed.round(2)
        wide[f"gap_pct_employed_of_{denominator}"] = (printed - recomputed).abs().round(2)
    return wide


def _fmt(value: float) -> str:
    return f"{value:g}"


def _where(rows: pd.DataFrame, file: str = "") -> str:
    """'chapter 4, line 1926; chapter 7, line 2951' for the rows that print a value."""
    return (f"{file}: " if file else "") + "; ".join(
        cite(s, r, bracketed=False) for s, r in zip(rows["source"], rows["ref_line"]))


def outcomes_by_metric(outcomes: pd.DataFrame) -> pd.DataFrame:
    """One row per (pilot_id, metric, snapshot): how many sources print it, and how many different values.

    ``values`` lists each distinct value with its sources and lines, so a warning on
    ``n_values`` shows both values and both sources.  ``snapshot`` is empty for the report's
    September 2017 figures and ``at_evaluation`` for values it dates to the time of the evaluation
    (qualifier ``at_evaluation``): an earlier count is not the same quantity as a later one.
    """
    frame = outcomes.assign(_line=outcomes.index + 2, snapshot=_snapshot(outcomes))
    rows = []
    for (pilot_id, metric, snapshot), group in frame.groupby(["pilot_id", "metric", "snapshot"], sort=True):
        parts = [f"{_fmt(value)} ({_where(same)})" for value, same in group.groupby("value", sort=True)]
        rows.append({
            "pilot_id": pilot_id, "metric": metric, "snapshot": snapshot,
            "n_sources": int(group["source"].nunique()),
            "n_values": int(group["value"].nunique()), "values": " | ".join(parts),
            "csv_lines": ", ".join(map(str, sorted(group["_line"]))),
        })
    return pd.DataFrame(rows, columns=["pilot_id", "metric", "snapshot", "n_sources", "n_values", "values",
                                       "csv_lines"])


# Counts of everyone employed (persons or jobs), fee or not.
EMPLOYMENT_METRICS = ("employed", "employments", "employed_persons_total")


def _in_tables(frame: pd.DataFrame) -> pd.Series:
    """Rows of a summary table's columns (not its remarks): source 'Table 4', 'Table 5', ..."""
    return frame["source"].str.fullmatch(r"Table \d+", na=False)


def outcomes_by_pilot(outcomes: pd.DataFrame) -> pd.DataFrame:
    """One row per pilot: fee-eligible employments of the summary tables beside all employments.

    ``employed_max`` is the largest count of employments or employed persons any source prints
    for the September 2017 snapshot (values dated to the time of the evaluation left out).
    """
    frame = outcomes.assign(_line=outcomes.index + 2)
    current = frame[_snapshot(frame) == ""]
    in_tables = frame[_in_tables(frame)]
    fee = in_tables[in_tables["metric"] == "fee_eligible"].groupby("pilot_id")["value"].max()
    counts = current[current["metric"].isin(EMPLOYMENT_METRICS)]
    employed = counts.groupby("pilot_id")["value"].max()
    lines = frame[frame.index.isin(counts.index) | (frame.index.isin(in_tables.index) &
                  (frame["metric"] == "fee_eligible"))].groupby("pilot_id")["_line"].agg(
        lambda s: ", ".join(map(str, sorted(s))))
    out = pd.DataFrame({"fee_eligible": fee, "employed_max": employed}).join(lines.rename("csv_lines"))
    out.index.name = "pilot_id"
    return out.reset_index()


# Kinds of contract of contract_types.csv with an upper bound on their length: (months, exclusive; words).
SHORTER_THAN = {"fixed_under_3m": (3, "fixed-term jobs under 3 months")}
# Outcome kinds of fee_models.yaml that can pay a fixed-term job (a permanent tier cannot).
FIXED_TERM_TIERS = ("fixed_term", "any_job", "part_time")


def _with_columns(frame: pd.DataFrame | None, columns: tuple[str, ...]) -> pd.DataFrame | None:
    return frame if frame is not None and set(columns) <= set(frame.columns) else None


def _shortest_paid_job(fee_models: pd.DataFrame | None, pilot_id: str) -> tuple[float, str] | None:
    """The shortest fixed-term job the pilot's fee rules pay (months), with the tier that says so.

    A tier without a minimum length pays any job: then nothing is known to be left unpaid (None).
    """
    if fee_models is None or fee_models.empty:
        return None
    tiers = fee_models[(fee_models["pilot_id"] == pilot_id) & (fee_models["kind"] == "result")
                       & fee_models["outcome_kind"].isin(FIXED_TERM_TIERS)]
    if tiers.empty or tiers["min_months"].isna().any():
        return None
    tier = tiers.sort_values("min_months", kind="stable").iloc[0]
    return float(tier["min_months"]), (f"fee_models.yaml: {pilot_id} {tier['component']}, "
                                       f"{cite(tier['source'], tier['ref_line'], bracketed=False)}")


def outcomes_fee_ceiling(outcomes: pd.DataFrame, frames: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Per pilot, the fee-eligible count of Tables 4-5 beside the most the text's own numbers allow.

    The text's largest count of everyone employed (``employed`` or ``employments``, September 2017
    snapshot, the text or a table's remarks) less the employments it says earned no fee leaves at most that
    many fee-eligible ones.  Two kinds of jobs without a fee, one row each:

    * ``outside_fee``: ``employments_not_fee_eligible`` printed for the pilot (text or remarks);
    * ``under_minimum``: jobs of contract_types.csv shorter than the shortest job the pilot's fee
      rules pay (fee_models.yaml), e.g. fixed-term jobs under 3 months where every tier asks for
      at least 3 months.

    The smallest exclusion printed is used and the largest count, so a row fails only when even
    the most generous reading of the text leaves fewer jobs than the table calls fee-eligible.
    ``values`` names each number with its source and line.
    """
    frame = outcomes.assign(_line=outcomes.index + 2)
    # a dataset that could not be read, or lacks a column, is checked (and reported) by its own contract
    contracts = _with_columns(frames.get("contract_types"), ("pilot_id", "contract_type", "value", "source", "ref_line"))
    fee_models = _with_columns(frames.get("fee_models"), ("pilot_id", "kind", "outcome_kind", "min_months",
                                                          "component", "source", "ref_line"))
    text = frame[~_in_tables(frame) & (_snapshot(frame) == "")]  # the text and the tables' remarks
    table_fee = frame[_in_tables(frame) & (frame["metric"] == "fee_eligible")]
    rows = []
    for pilot_id, fee_rows in table_fee.groupby("pilot_id", sort=True):
        fee_row = fee_rows.iloc[0]
        counts = text[(text["pilot_id"] == pilot_id) & text["metric"].isin(("employed", "employments"))]
        if counts.empty:
            continue
        count = counts["value"].max()
        count_rows = counts[counts["value"] == count].sort_values("ref_line")
        fee_text = f"fee-eligible {_fmt(fee_row['value'])} ({cite(fee_row['source'], fee_row['ref_line'], bracketed=False)})"
        count_text = (f"{' / '.join(dict.fromkeys(count_rows['metric']))} {_fmt(count)} "
                      f"({_where(count_rows)})")
        exclusions = []
        outside = text[(text["pilot_id"] == pilot_id) & (text["metric"] == "employments_not_fee_eligible")]
        if len(outside):
            least = outside["value"].min()
            used = outside[outside["value"] == least].sort_values("ref_line")
            exclusions.append(("outside_fee", least, f"{_fmt(least)} outside the fee ({_where(used)})",
                               list(used["_line"])))
        shortest = _shortest_paid_job(fee_models, pilot_id)
        if shortest is not None and contracts is not None and not contracts.empty:
            months, tier = shortest
            kinds = [k for k, (bound, _) in SHORTER_THAN.items() if bound <= months]
            short = contracts[(contracts["pilot_id"] == pilot_id) & contracts["contract_type"].isin(kinds)]
            if len(short):
                least = short.groupby("contract_type")["value"].min().sum()
                used = short[short["value"] == short.groupby("contract_type")["value"].transform("min")]
                words = " and ".join(SHORTER_THAN[k][1] for k in dict.fromkeys(used["contract_type"]))
                exclusions.append(("under_minimum", least,
                                   f"{_fmt(least)} {words} ({_where(used.sort_values('ref_line'), 'contract_types.csv')}), "
                                   f"which the fee rules do not pay (shortest paid job {_fmt(months)} months: {tier})",
                                   []))
        for kind, excluded, excluded_text, excluded_lines in exclusions:
            ceiling = count - excluded
            rows.append({
                "pilot_id": pilot_id, "metric": "fee_eligible", "exclusion": kind,
                "fee_eligible": fee_row["value"], "employed": count, "excluded": excluded, "ceiling": ceiling,
                "excess": fee_row["value"] - ceiling,
                "values": f"{fee_text}; the text allows at most {_fmt(ceiling)}: {count_text} less {excluded_text}",
                "csv_lines": ", ".join(map(str, sorted({int(fee_row["_line"]), *count_rows["_line"],
                                                        *excluded_lines}))),
            })
    return pd.DataFrame(rows, columns=["pilot_id", "metric", "exclusion", "fee_eligible", "employed", "excluded",
                                       "ceiling", "excess", "values", "csv_lines"])


VIEWS: dict[str, Callable[..., pd.DataFrame]] = {
    "by_source": outcomes_by_source,
    "by_metric": outcomes_by_metric,
    "by_pilot": outcomes_by_pilot,
    "fee_ceiling": outcomes_fee_ceiling,
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


def _by_quantity(frame: pd.DataFrame, key: list[str], source: str) -> pd.DataFrame:
    """One row per quantity (``key``), with every value printed for it and where (``source``, ref_line)."""
    rows = []
    frame = frame.assign(_line=frame.index + 2)
    for values, group in frame.groupby(key, dropna=False, sort=True):
        where: dict[float, list[str]] = {}  # each value printed, in order, and where (row order kept)
        for value, src, line in zip(group["value"], group[source], group["ref_line"]):
            if not pd.isna(value):
                where.setdefault(value, []).append(cite(src, line, bracketed=False))
        parts = [f"{_fmt(v)} ({'; '.join(refs)})" for v, refs in sorted(where.items())]
        rows.append(dict(zip(key, values)) | {
            "n_values": len(where), "values": " | ".join(parts),
            "csv_lines": ", ".join(map(str, sorted(group["_line"])))})
    return pd.DataFrame(rows, columns=[*key, "n_values", "values", "csv_lines"])


def ura_by_quantity(ura: pd.DataFrame) -> pd.DataFrame:
    """One row per register quantity, across the figures and the text that print it."""
    return _by_quantity(ura, URA_QUANTITY, "figure")


def facts_by_quantity(facts: pd.DataFrame) -> pd.DataFrame:
    """One row per fact (pilot, quantity), across every passage that prints it."""
    return _by_quantity(facts, ["pilot_id", "quantity"], "source")


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


def findings_evidence(findings: pd.DataFrame) -> pd.DataFrame:
    """One row per (finding, exhibit it cites as evidence): ``evidence`` split at semicolons."""
    rows = [{"id": fid, "evidence_id": part.strip(), "csv_lines": str(int(i) + 2)}
            for i, (fid, cell) in enumerate(zip(findings["id"], findings["evidence"]))
            for part in (cell.split(";") if isinstance(cell, str) else [None])]
    return pd.DataFrame(rows, columns=["id", "evidence_id", "csv_lines"])


VIEWS["findings_evidence"] = findings_evidence


VIEWS["facts_by_quantity"] = facts_by_quantity


VIEWS.update(ACROSS_FILES)


def apply_view(name: str, frame: pd.DataFrame, frames: dict[str, pd.DataFrame], params: dict) -> pd.DataFrame:
    """The view ``name`` of ``frame``.  A view that needs more than its own dataset declares a
    ``frames`` parameter (every dataset that could be read, by name) and/or ``params`` (the
    contracts' expectation parameters, e.g. ``pilot_ids``)."""
    fn = VIEWS[name]
    wanted = inspect.signature(fn).parameters
    kwargs = {k: v for k, v in (("frames", frames), ("params", params)) if k in wanted}
    return fn(frame, **kwargs)
