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
    table = table[["pilot_id", "cohort", "dimension", "group", "status", "count", "n", "share"]]
    return withhold(table)


N = "N"  # the column of a group's size in the grid of a cohort


def _grid(part: pd.DataFrame) -> tuple[dict, list[dict]]:
    """One cohort's cells ((dimension, group, status) counts and (dimension, group, N) sizes) and the
    equations between them: a group's statuses add up to its size; in each dimension the groups add
    up to the cohort's total, status by status and in size."""
    values = {(r.dimension, r.group, r.status): int(r.count) for r in part.itertuples(index=False)}
    sizes = part.drop_duplicates(["dimension", "group"])
    values |= {(r.dimension, r.group, N): int(r.n) for r in sizes.itertuples(index=False)}
    statuses = list(dict.fromkeys(part["status"]))
    groups = list(zip(sizes["dimension"], sizes["group"]))
    equations = [{**{(d, g, st): 1.0 for st in statuses}, (d, g, N): -1.0} for d, g in groups]
    for dim in dict.fromkeys(d for d, _ in groups if d != "total"):
        members = [g for d, g in groups if d == dim]
        for column in (*statuses, N):
            equations.append({**{(dim, g, column): 1.0 for g in members}, ("total", "total", column): -1.0})
    return values, equations


def withhold(table: pd.DataFrame, min_n: int | None = None) -> pd.DataFrame:
    """Mark what of a status table may not be published (disclosure control, primary and complementary).

    ``withheld``: the cell's count, share and interval are not published; ``n_withheld``: the group's
    size is not.  Primary: a count or a group of 1 .. ``min_n - 1`` persons, and every cell of a group
    under ``min_n``.  Complementary: further cells, chosen by :func:`pilotbook.analysis.disclosure.complete`,
    until no withheld small count follows from the published ones by subtraction — within a group, across
    the groups of a dimension, and through the cohort's total that all dimensions share.
    """
    min_n = disclosure.min_cell() if min_n is None else min_n
    flags: dict[tuple, bool] = {}
    for (pilot_id, cohort), part in table.groupby(["pilot_id", "cohort"], sort=False):
        values, equations = _grid(part)
        small_groups = {(d, g) for d, g, c in values if c == N and values[(d, g, c)] < min_n}
        primary = {cell for cell, v in values.items() if 0 < v < min_n or cell[:2] in small_groups}
        withheld = disclosure.complete(values, equations, primary, min_n, prefer_last=lambda c: c[2] == N)
        flags |= {(pilot_id, cohort, *cell): cell in withheld for cell in values}
    key = list(zip(table["pilot_id"], table["cohort"], table["dimension"], table["group"]))
    return table.assign(withheld=[flags[(*k, s)] for k, s in zip(key, table["status"])],
                        n_withheld=[flags[(*k, N)] for k in key], withheld_at=min_n)


FLAGS = ["withheld", "n_withheld", "withheld_at"]


def flagged(table: pd.DataFrame, min_n: int | None = None) -> pd.DataFrame:
    """``table`` with :func:`withhold`'s flags for the threshold in force (``min_n``, default the
    setting): kept when they were computed for it, else computed anew from the rows at hand."""
    min_n = disclosure.min_cell() if min_n is None else min_n
    if "withheld_at" in table.columns and (table["withheld_at"] == min_n).all():
        return table
    return withhold(table.drop(columns=FLAGS, errors="ignore"), min_n)


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
    if "withheld" in table.columns:
        table = flagged(table).drop(columns="withheld_at")
    part = table[table["cohort"] == "participant"].set_index(keys)
    ref = table[table["cohort"] == "refuser"].set_index(keys)
    both = part.join(ref, lsuffix="_p", rsuffix="_r", how="inner")
    low, high = newcombe(both["count_p"], both["n_p"], both["count_r"], both["n_r"])
    out = both.assign(difference=both["share_p"] - both["share_r"], ci_low=100 * low, ci_high=100 * high)
    flags = [c for c in ("withheld_p", "withheld_r", "n_withheld_p", "n_withheld_r") if c in out.columns]
    return out.reset_index()[keys + ["n_p", "n_r", "share_p", "share_r", "difference", "ci_low", "ci_high", *flags]]


def standardised(classified: pd.DataFrame, status: str = "employed", table: pd.DataFrame | None = None) -> pd.DataFrame:
    """Refusers directly standardised to the participants' sex x age x education mix.

    With ``table`` (the :func:`status_table` of the same persons) every statistic of a pilot whose
    ``status`` total is withheld in either cohort is left out.

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
    return _hide_withheld(pd.DataFrame(rows), table, {status: STANDARDISED_COLUMNS})


STANDARDISED_COLUMNS = ("participants_pct", "refusers_crude_pct", "refusers_standardised_pct", "difference_crude",
                        "difference_standardised", "ci_low", "ci_high")


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
    return _hide_withheld(pd.DataFrame(rows), table, {"employed": BOUNDS_COLUMNS, "other_unknown": BOUNDS_COLUMNS[1:]})


BOUNDS_COLUMNS = ("difference_as_recorded", "difference_if_all_unknown_employed", "lowest_possible",
                  "highest_possible", "unknown_participants_pct", "unknown_refusers_pct")


def _hide_withheld(frame: pd.DataFrame, table: pd.DataFrame | None, columns_of_status: dict,
                   cohorts: tuple = COHORTS) -> pd.DataFrame:
    """Blank a pilot's ``columns_of_status[status]`` where that status's cohort total is withheld
    (:func:`withhold`) in any of ``cohorts``: a statistic of a withheld cell would give its count back.
    Adds ``suppressed``."""
    frame = frame.assign(suppressed=False)
    if table is None or frame.empty or "withheld" not in table.columns:
        return frame
    table = flagged(table)
    tot = table[table["dimension"] == "total"]
    hidden = set(zip(tot.loc[tot["withheld"], "pilot_id"], tot.loc[tot["withheld"], "cohort"],
                     tot.loc[tot["withheld"], "status"]))
    for status, columns in columns_of_status.items():
        rows = frame["pilot_id"].map(lambda p: any((p, c, status) in hidden for c in cohorts))
        frame.loc[rows, list(columns)] = np.nan
        frame.loc[rows, "suppressed"] = True
    return frame


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
    frame = pd.DataFrame(rows)
    if frame.empty:
        return frame.assign(suppressed=False)
    # the baseline is the refusers' share, or the participants' where a pilot has no refusers
    hidden = {status: ("baseline_pct", "mdd_points", column)}
    parts = [_hide_withheld(frame[frame["n_refusers"] > 0], table, hidden, cohorts=("refuser",)),
             _hide_withheld(frame[frame["n_refusers"] == 0], table, hidden, cohorts=("participant",))]
    return pd.concat(parts).sort_index()


def protect_shares(table: pd.DataFrame, min_n: int | None = None) -> pd.DataFrame:
    """Status table ready to publish: the count, share and interval of every withheld cell (see
    :func:`withhold`) and the size of every withheld group left out.  ``suppressed`` marks the cells
    not shown."""
    table = flagged(table, min_n)
    hidden = table["withheld"] | table["n_withheld"]
    out = table.assign(suppressed=hidden)
    for column in ("count", "share", "ci_low", "ci_high"):
        if column in out.columns:
            out[column] = out[column].astype(float).where(~hidden)
    out["n"] = out["n"].astype(float).where(~out["n_withheld"])
    return out.drop(columns=FLAGS)


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
    share of every group whose size the status tables withhold (:func:`withhold`: groups of 1 to
    ``min_n - 1`` persons, and the groups withheld so that those cannot be got back by subtraction)
    suppressed (``suppressed`` = True)."""
    comp = group_composition(classified)
    sizes = flagged(status_table(classified, categories), min_n)
    hidden = sizes.drop_duplicates(["pilot_id", "cohort", "dimension", "group"]).set_index(
        ["pilot_id", "cohort", "dimension", "group"])["n_withheld"]
    few = pd.Series([bool(hidden.get(k, True)) for k in zip(comp["pilot_id"], comp["cohort"], comp["dimension"],
                                                            comp["group"])], index=comp.index)
    safe = comp.assign(share=comp["share"].where(~few), count=comp["count"].where(~few), suppressed=few)
    order = {c: i for i, c in enumerate(categories.sort_values(["dimension", "order"])["category"])}
    return safe.assign(_order=safe["group"].map(order)).sort_values(["dimension", "_order"]).drop(columns="_order")


def protect_differences(diff: pd.DataFrame, status: str | None = "employed", min_n: int | None = None) -> pd.DataFrame:
    """:func:`differences` of one ``status`` (None: all) ready to publish: every statistic of a comparison
    where either side is withheld (:func:`withhold`: a small count, a small group, or a cell withheld so
    that no small count can be got back by subtraction) is suppressed (``suppressed`` = True), and so is a
    group size that is withheld."""
    min_n = disclosure.min_cell() if min_n is None else min_n
    if status is not None:
        diff = diff[diff["status"] == status]
    flag = lambda c: diff[c].astype(bool) if c in diff.columns else pd.Series(False, index=diff.index)
    small = (diff["n_p"] < min_n) | (diff["n_r"] < min_n) | flag("withheld_p") | flag("withheld_r") \
        | flag("n_withheld_p") | flag("n_withheld_r")
    diff = diff.assign(suppressed=small)
    for c in ("share_p", "share_r", "difference", "ci_low", "ci_high"):
        diff[c] = diff[c].where(~small)
    for side in ("p", "r"):  # a group of 1..min_n-1 persons, or a withheld one, is not published as a count
        hidden = diff[f"n_{side}"].between(1, min_n - 1) | flag(f"n_withheld_{side}")
        diff[f"n_{side}"] = diff[f"n_{side}"].where(~hidden).astype("Int64")
    return diff.drop(columns=[c for c in ("withheld_p", "withheld_r", "n_withheld_p", "n_withheld_r")
                              if c in diff.columns])


def agreement(computed: pd.Series, printed: pd.Series, qualifier: pd.Series) -> pd.Series:
    """'matches' where a computed share agrees with the printed one as the report words it ('over' and
    'under' bounds; otherwise the printed whole number is the computed share rounded), else 'differs'."""
    q = qualifier.fillna("").astype(str)
    ok = np.where(q.str.contains("over|more"), computed > printed,
                  np.where(q.str.contains("under|less"), computed < printed,
                           np.where(q.str.contains("at most"), computed <= printed + 0.5,
                                    (computed - printed).abs() <= 0.5)))
    return pd.Series(np.where(computed.isna(), "–", np.where(ok, "matches", "differs")), index=computed.index)


def reproduction(published: pd.DataFrame, table: pd.DataFrame, min_n: int | None = None) -> pd.DataFrame:
    """Every status share the report prints beside the share computed from the extract (``computed``,
    rounded to 0.1), ``difference`` = computed - printed (points) and ``agreement`` ('matches' or
    'differs').  For a cell that is withheld (:func:`withhold`) or a group under ``min_n`` only the
    agreement is given: the computed share would give its count back."""
    min_n = disclosure.min_cell() if min_n is None else min_n
    table = flagged(table, min_n)
    rows = published[published["measure"] == "status_share"]
    merged = rows.merge(table, on=["pilot_id", "cohort", "dimension", "group", "status"], how="left",
                        suffixes=("", "_computed"))
    merged["agreement"] = agreement(merged["share"], merged["value"], merged["qualifier"])
    hidden = merged["withheld"].fillna(False).astype(bool) | merged["n_withheld"].fillna(False).astype(bool)
    share = merged["share"].where((merged["n"] >= min_n) & ~hidden)
    merged["computed"] = share.round(1)
    merged["difference"] = (share - merged["value"]).round(1)
    return merged[["figure", "pilot_id", "cohort", "dimension", "group", "status", "value", "qualifier",
                   "computed", "difference", "agreement"]].reset_index(drop=True)


def size_reproduction(published: pd.DataFrame, extract: pd.DataFrame, min_n: int | None = None) -> pd.DataFrame:
    """Every number of persons the report prints for a whole cohort (``measure`` persons, dimension
    ``total``; no pilot and cohort ``all``: the whole extract) beside the number of persons the extract
    has (``computed``), ``difference`` = computed - printed and ``agreement`` ('matches' only when
    equal, else 'differs').  A count of 1 to ``min_n - 1`` persons is withheld, and so is its agreement
    ('withheld'): an exact match with the printed value would give the count back."""
    min_n = disclosure.min_cell() if min_n is None else min_n
    rows = published[(published["measure"] == "persons") & (published["dimension"] == "total")]
    sizes = cohort_sizes(extract).set_index(["pilot_id", "cohort"])["n"]
    counted = [len(extract) if (pid in ("", None) or pid != pid) and cohort == "all"
               else int(sizes.get((pid, cohort), 0)) for pid, cohort in zip(rows["pilot_id"], rows["cohort"])]
    out = rows[["figure", "pilot_id", "cohort", "value", "qualifier"]].assign(computed=counted)
    out["agreement"] = np.where(out["computed"] == out["value"], "matches", "differs")
    small = out["computed"].between(1, min_n - 1)
    out["computed"] = out["computed"].where(~small).astype("Int64")
    out["agreement"] = out["agreement"].where(~small, "withheld")
    out["difference"] = (out["computed"] - out["value"]).astype("Int64")
    return out[["figure", "pilot_id", "cohort", "value", "qualifier", "computed", "difference",
                "agreement"]].reset_index(drop=True)


def printed_cohorts(published: pd.DataFrame, pilot_id: str) -> set[str]:
    """The cohorts of a pilot whose number of persons the report prints (``ura_published.csv``)."""
    rows = published[(published["pilot_id"] == pilot_id) & (published["measure"] == "persons")
                     & (published["dimension"] == "total")]
    return set(rows["cohort"])
