"""The register analysis of chapter 4.2: classification, group tables and their uncertainty.

* :func:`classify` turns a URA extract (one row per person) into the five
  labour-market statuses by the rules file ``ura_codes.csv`` — the last
  employment code decides; the job-search end reason only where no employment
  code was recorded; neither gives "other or unknown" — and adds age bands and
  education levels from ``ura_categories.csv``.
* :func:`status_table` counts statuses by pilot, cohort and group (vectorised:
  a million persons take seconds).
* The rest is what the report could not do: Wilson intervals, differences with
  Newcombe intervals, direct standardisation, bounds for the unknown status,
  minimum detectable differences and sample sizes (the general statistics live in
  :mod:`pilotbook.analysis.statistics` and are importable from here too).

Everything published from these tables goes through :mod:`pilotbook.analysis.disclosure`
(:func:`protect_shares`, :func:`composition_table`, :func:`protect_differences`,
:func:`reproduction`), with the threshold of ``disclosure.min_cell()``.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from pilotbook import settings
from pilotbook.analysis import disclosure
from pilotbook.analysis.statistics import (Z95, minimum_detectable_difference, newcombe, sample_size_per_arm,
                                           wilson, z_value)

__all__ = [
    "COHORTS", "DIMENSIONS", "Z95", "UnknownCodeError", "age_bands", "classify", "code_maps", "cohort_sizes",
    "composition_table", "differences", "group_composition", "group_order", "minimum_detectable_difference",
    "newcombe", "pilots_with_data", "power_column", "power_table", "protect_differences", "protect_shares",
    "reproduction", "sample_size_per_arm", "standardised", "status_order", "status_table", "totals",
    "unknown_bounds", "wilson", "with_intervals", "z_value",
]

COHORTS = ("participant", "refuser")
DIMENSIONS = ("total", "sex", "age", "education")


# --------------------------------------------------------------------------- rules


def status_order(categories: pd.DataFrame) -> list[str]:
    rows = categories[categories["dimension"] == "status"].sort_values("order")
    return rows["category"].tolist()


def group_order(categories: pd.DataFrame, dimension: str) -> list[str]:
    if dimension == "total":
        return ["total"]
    return categories[categories["dimension"] == dimension].sort_values("order")["category"].tolist()


def code_maps(codes: pd.DataFrame) -> tuple[dict[int, str], dict[int, str]]:
    """(employment code -> status, end reason -> status) from ura_codes.csv."""
    emp = codes[codes["code_type"] == "employment_code"]
    end = codes[codes["code_type"] == "end_reason"]
    return dict(zip(emp["code"].astype(int), emp["status"])), dict(zip(end["code"].astype(int), end["status"]))


def age_bands(categories: pd.DataFrame) -> list[tuple[str, float, float]]:
    rows = categories[categories["dimension"] == "age"].sort_values("order")
    return [(r.category, -math.inf if pd.isna(r.min_age) else float(r.min_age),
             math.inf if pd.isna(r.max_age) else float(r.max_age)) for r in rows.itertuples(index=False)]


class UnknownCodeError(ValueError):
    """An employment code or end reason that the rules file does not classify."""


def classify(extract: pd.DataFrame, codes: pd.DataFrame, categories: pd.DataFrame) -> pd.DataFrame:
    """Add ``status`` and ``age_band`` to an extract (vectorised; rules from the data files)."""
    emp_map, end_map = code_maps(codes)
    emp = pd.to_numeric(extract["employment_code"], errors="coerce")
    end = pd.to_numeric(extract["end_reason"], errors="coerce")
    unknown_emp = emp.notna() & ~emp.isin(list(emp_map))
    unknown_end = end.notna() & ~end.isin(list(end_map))
    if unknown_emp.any() or unknown_end.any():
        bad = sorted(set(emp[unknown_emp].astype(int)) | set(end[unknown_end].astype(int)))
        raise UnknownCodeError(f"codes not in ura_codes.csv: {bad}")
    by_code = emp.map(emp_map)
    by_reason = end.map(end_map)
    status = by_code.where(emp.notna(), by_reason).fillna("other_unknown")
    out = extract.assign(status=pd.Categorical(status, categories=status_order(categories)))
    bands = age_bands(categories)
    edges = [b[1] for b in bands] + [math.inf]
    age = pd.to_numeric(extract["age"], errors="coerce")
    out["age_band"] = pd.cut(age, bins=[edges[0] if edges[0] > -math.inf else -1] + edges[1:], right=False,
                             labels=[b[0] for b in bands])
    return out


# --------------------------------------------------------------------------- tables


def status_table(classified: pd.DataFrame, categories: pd.DataFrame) -> pd.DataFrame:
    """Counts and shares of each status by pilot, cohort, dimension and group (long)."""
    statuses = status_order(categories)
    frames = []
    columns = {"total": None, "sex": "sex", "age": "age_band", "education": "education"}
    for dimension, column in columns.items():
        keys = ["pilot_id", "cohort"] + ([column] if column else [])
        counts = classified.groupby(keys + ["status"], observed=True).size().unstack("status", fill_value=0)
        counts = counts.reindex(columns=statuses, fill_value=0)
        counts = counts.stack().rename("count").reset_index()
        if column:
            counts = counts.rename(columns={column: "group"})
        else:
            counts["group"] = "total"
        counts["dimension"] = dimension
        frames.append(counts)
    table = pd.concat(frames, ignore_index=True)
    table["group"] = table["group"].astype(str)
    table["n"] = table.groupby(["pilot_id", "cohort", "dimension", "group"])["count"].transform("sum")
    table["share"] = 100 * table["count"] / table["n"]
    return table[["pilot_id", "cohort", "dimension", "group", "status", "count", "n", "share"]]


def group_composition(classified: pd.DataFrame) -> pd.DataFrame:
    """Table 2: how each cohort splits by sex, age band and education (shares of the cohort)."""
    frames = []
    for dimension, column in (("sex", "sex"), ("age", "age_band"), ("education", "education")):
        c = classified.groupby(["pilot_id", "cohort", column], observed=True).size().rename("count").reset_index()
        c = c.rename(columns={column: "group"}).assign(dimension=dimension)
        frames.append(c)
    table = pd.concat(frames, ignore_index=True)
    table["group"] = table["group"].astype(str)
    table["n"] = table.groupby(["pilot_id", "cohort", "dimension"])["count"].transform("sum")
    table["share"] = 100 * table["count"] / table["n"]
    return table[["pilot_id", "cohort", "dimension", "group", "count", "n", "share"]]


# --------------------------------------------------------------------------- uncertainty


def with_intervals(table: pd.DataFrame) -> pd.DataFrame:
    low, high = wilson(table["count"], table["n"])
    return table.assign(ci_low=100 * low, ci_high=100 * high)


def differences(table: pd.DataFrame) -> pd.DataFrame:
    """Participant minus refuser share, per pilot, group and status, with a Newcombe 95 % interval."""
    keys = ["pilot_id", "dimension", "group", "status"]
    part = table[table["cohort"] == "participant"].set_index(keys)
    ref = table[table["cohort"] == "refuser"].set_index(keys)
    both = part.join(ref, lsuffix="_p", rsuffix="_r", how="inner")
    low, high = newcombe(both["count_p"], both["n_p"], both["count_r"], both["n_r"])
    out = both.assign(difference=both["share_p"] - both["share_r"], ci_low=100 * low, ci_high=100 * high)
    return out.reset_index()[keys + ["n_p", "n_r", "share_p", "share_r", "difference", "ci_low", "ci_high"]]


def standardised(classified: pd.DataFrame, status: str = "employed") -> pd.DataFrame:
    """Refusers directly standardised to the participants' sex x age x education mix.

    The interval is at the ``confidence`` setting.

    Cells with participants but no refusers cannot be reweighted; their weight is
    reported (``weight_without_refusers``) and the remaining weights renormalised.
    """
    cells = ["sex", "age_band", "education"]
    z = z_value()
    rows = []
    for pilot_id, g in classified.groupby("pilot_id"):
        part, ref = g[g["cohort"] == "participant"], g[g["cohort"] == "refuser"]
        if part.empty or ref.empty:
            continue
        w = part.groupby(cells, observed=True).size()
        w = w / w.sum()
        r = ref.groupby(cells, observed=True)["status"].agg(
            k=lambda s: int((s == status).sum()), m="size")
        joined = pd.DataFrame({"w": w}).join(r, how="left")
        missing = float(joined.loc[joined["m"].isna(), "w"].sum())
        joined = joined.dropna()
        joined["w"] = joined["w"] / joined["w"].sum()
        p = joined["k"] / joined["m"]
        rate = float((joined["w"] * p).sum())
        # variance with a small-cell floor (p(1-p) of 0 in a cell would understate it)
        var = float((joined["w"] ** 2 * np.maximum(p * (1 - p), 0.25 / joined["m"]) / joined["m"]).sum())
        p_part = float((part["status"] == status).mean())
        n_part = len(part)
        diff = p_part - rate
        se = math.sqrt(var + p_part * (1 - p_part) / n_part)
        crude = float((ref["status"] == status).mean())
        rows.append({
            "pilot_id": pilot_id, "status": status, "n_participants": n_part, "n_refusers": len(ref),
            "participants_pct": 100 * p_part, "refusers_crude_pct": 100 * crude,
            "refusers_standardised_pct": 100 * rate,
            "difference_crude": 100 * (p_part - crude), "difference_standardised": 100 * diff,
            "ci_low": 100 * (diff - z * se), "ci_high": 100 * (diff + z * se),
            "weight_without_refusers": round(100 * missing, 2),
        })
    return pd.DataFrame(rows)


def unknown_bounds(table: pd.DataFrame) -> pd.DataFrame:
    """Employed share difference if no 'other or unknown' person was employed, and if all were."""
    tot = table[(table["dimension"] == "total")]
    wide = tot.pivot_table(index=["pilot_id", "cohort"], columns="status", values="count", observed=True).fillna(0)
    n = wide.sum(axis=1)
    low = 100 * wide["employed"] / n
    high = 100 * (wide["employed"] + wide["other_unknown"]) / n
    frame = pd.DataFrame({"n": n, "employed_as_recorded": low, "employed_if_all_unknown_employed": high}).reset_index()
    rows = []
    for pilot_id, g in frame.groupby("pilot_id"):
        g = g.set_index("cohort")
        if not set(COHORTS) <= set(g.index):
            continue
        p, r = g.loc["participant"], g.loc["refuser"]
        rows.append({
            "pilot_id": pilot_id,
            "difference_as_recorded": p["employed_as_recorded"] - r["employed_as_recorded"],
            "difference_if_all_unknown_employed": p["employed_if_all_unknown_employed"] - r["employed_if_all_unknown_employed"],
            "lowest_possible": p["employed_as_recorded"] - r["employed_if_all_unknown_employed"],
            "highest_possible": p["employed_if_all_unknown_employed"] - r["employed_as_recorded"],
            "unknown_participants_pct": p["employed_if_all_unknown_employed"] - p["employed_as_recorded"],
            "unknown_refusers_pct": r["employed_if_all_unknown_employed"] - r["employed_as_recorded"],
        })
    return pd.DataFrame(rows)


def power_column(difference: float | None = None) -> str:
    """The name of :func:`power_table`'s sample-size column, e.g. ``n_per_arm_for_5_points``."""
    difference = settings.current().detect_difference if difference is None else difference
    return f"n_per_arm_for_{100 * difference:g}_points"


def power_table(table: pd.DataFrame, status: str = "employed", difference: float | None = None) -> pd.DataFrame:
    """Per pilot: the minimum detectable difference of participants against refusers (points, at the
    ``alpha`` and ``power`` settings) and the persons per arm a randomised trial would need to detect
    ``difference`` (default: the ``detect_difference`` setting) around the refusers' share."""
    difference = settings.current().detect_difference if difference is None else difference
    column = power_column(difference)
    tot = table[(table["dimension"] == "total") & (table["status"] == status)]
    rows = []
    for pilot_id, g in tot.groupby("pilot_id"):
        g = g.set_index("cohort")
        if not set(COHORTS) <= set(g.index):
            n = int(g["n"].iloc[0])
            rows.append({"pilot_id": pilot_id, "n_participants": n, "n_refusers": 0,
                         "baseline_pct": float(g["share"].iloc[0]), "mdd_points": np.nan,
                         column: sample_size_per_arm(float(g["share"].iloc[0]) / 100, difference)})
            continue
        n1, n2 = int(g.loc["participant", "n"]), int(g.loc["refuser", "n"])
        base = float(g.loc["refuser", "share"]) / 100
        rows.append({"pilot_id": pilot_id, "n_participants": n1, "n_refusers": n2, "baseline_pct": 100 * base,
                     "mdd_points": minimum_detectable_difference(base, n1, n2),
                     column: sample_size_per_arm(base, difference)})
    return pd.DataFrame(rows)


def protect_shares(table: pd.DataFrame, min_n: int | None = None) -> pd.DataFrame:
    """Status table ready to publish: small groups suppressed, small counts masked."""
    stat_cols = [c for c in ("share", "ci_low", "ci_high") if c in table.columns]
    return disclosure.protect(table, "n", stat_cols, count_columns=("count",), min_n=min_n)


# --------------------------------------------------------------------------- what the chapter publishes


def cohort_sizes(extract: pd.DataFrame) -> pd.DataFrame:
    """Persons per pilot and cohort (``pilot_id``, ``cohort``, ``n``) of an extract, classified or not."""
    return extract.groupby(["pilot_id", "cohort"]).size().rename("n").reset_index()


def totals(table: pd.DataFrame) -> pd.DataFrame:
    """The rows of a status table that describe whole cohorts (dimension ``total``)."""
    return table[table["dimension"] == "total"]


def pilots_with_data(pilots: pd.DataFrame, classified: pd.DataFrame) -> list[str]:
    """The pilots the extract has persons for, in the order of the report's figures (others last)."""
    order = pilots.assign(fig=pilots["ura_figure"].fillna("Figure 99"))
    present = set(classified["pilot_id"])
    return [p for p in order.sort_values("fig")["pilot_id"] if p in present]


def composition_table(classified: pd.DataFrame, categories: pd.DataFrame, min_n: int | None = None) -> pd.DataFrame:
    """Table 2 ready to publish: :func:`group_composition` in the categories' order, with the count and
    share of every group of 1 to ``min_n - 1`` persons suppressed (``suppressed`` = True): a share of a
    cohort that stands for so few persons would reveal the count."""
    min_n = disclosure.min_cell() if min_n is None else min_n
    comp = group_composition(classified)
    few = (comp["count"] > 0) & (comp["count"] < min_n)
    safe = comp.assign(share=comp["share"].where(~few), count=comp["count"].where(~few), suppressed=few)
    order = {c: i for i, c in enumerate(categories.sort_values(["dimension", "order"])["category"])}
    return safe.assign(_order=safe["group"].map(order)).sort_values(["dimension", "_order"]).drop(columns="_order")


def protect_differences(diff: pd.DataFrame, status: str | None = "employed", min_n: int | None = None) -> pd.DataFrame:
    """:func:`differences` of one ``status`` (None: all) ready to publish: every statistic of a comparison
    where either cohort's group has fewer than ``min_n`` persons is suppressed (``suppressed`` = True)."""
    min_n = disclosure.min_cell() if min_n is None else min_n
    if status is not None:
        diff = diff[diff["status"] == status]
    small = (diff["n_p"] < min_n) | (diff["n_r"] < min_n)
    diff = diff.assign(suppressed=small)
    for c in ("share_p", "share_r", "difference", "ci_low", "ci_high"):
        diff[c] = diff[c].where(~small)
    for c in ("n_p", "n_r"):  # a group of 1..min_n-1 persons is not published as a count either
        diff[c] = diff[c].where(~diff[c].between(1, min_n - 1)).astype("Int64")
    return diff


def reproduction(published: pd.DataFrame, table: pd.DataFrame, min_n: int | None = None) -> pd.DataFrame:
    """Every status share the report prints beside the share computed from the extract (``computed``,
    rounded to 0.1) and ``difference`` = computed - printed (points).  A group of fewer than ``min_n``
    persons gets no computed share."""
    min_n = disclosure.min_cell() if min_n is None else min_n
    rows = published[published["measure"] == "status_share"]
    merged = rows.merge(table, on=["pilot_id", "cohort", "dimension", "group", "status"], how="left",
                        suffixes=("", "_computed"))
    share = merged["share"].where(merged["n"] >= min_n)
    merged["computed"] = share.round(1)
    merged["difference"] = (share - merged["value"]).round(1)
    return merged[["figure", "pilot_id", "cohort", "dimension", "group", "status", "value", "qualifier",
                   "computed", "difference"]].reset_index(drop=True)


def printed_cohorts(published: pd.DataFrame, pilot_id: str) -> set[str]:
    """The cohorts of a pilot whose number of persons the report prints (``ura_published.csv``)."""
    rows = published[(published["pilot_id"] == pilot_id) & (published["measure"] == "persons")
                     & (published["dimension"] == "total")]
    return set(rows["cohort"])
