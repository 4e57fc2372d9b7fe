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
  minimum detectable differences and sample sizes.

Everything published from these tables goes through :mod:`pilotbook.analysis.disclosure`.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from scipy import stats

from pilotbook.analysis import disclosure
COHORTS = ("participant", "refuser")
DIMENSIONS = ("total", "sex", "age", "education")
Z95 = stats.norm.ppf(0.975)


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


def wilson(count, n, z: float = Z95) -> tuple[np.ndarray, np.ndarray]:
    """Wilson score interval for a proportion (returns fractions)."""
    count, n = np.asarray(count, dtype=float), np.asarray(n, dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        p = count / n
        denom = 1 + z ** 2 / n
        centre = (p + z ** 2 / (2 * n)) / denom
        half = z * np.sqrt(p * (1 - p) / n + z ** 2 / (4 * n ** 2)) / denom
    return centre - half, centre + half


def newcombe(c1, n1, c2, n2, z: float = Z95) -> tuple[np.ndarray, np.ndarray]:
    """Newcombe's hybrid score interval for p1 - p2 (fractions)."""
    p1, p2 = np.asarray(c1, float) / np.asarray(n1, float), np.asarray(c2, float) / np.asarray(n2, float)
    l1, u1 = wilson(c1, n1, z)
    l2, u2 = wilson(c2, n2, z)
    d = p1 - p2
    lower = d - np.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2)
    upper = d + np.sqrt((u1 - p1) ** 2 + (p2 - l2) ** 2)
    return lower, upper


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

    Cells with participants but no refusers cannot be reweighted; their weight is
    reported (``weight_without_refusers``) and the remaining weights renormalised.
    """
    cells = ["sex", "age_band", "education"]
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
            "ci_low": 100 * (diff - Z95 * se), "ci_high": 100 * (diff + Z95 * se),
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


def minimum_detectable_difference(p: float, n1: int, n2: int, alpha: float = 0.05, power: float = 0.8) -> float:
    """Smallest difference in a share (percentage points) a two-sided test detects with ``power``."""
    z = stats.norm.ppf(1 - alpha / 2) + stats.norm.ppf(power)
    return 100 * z * math.sqrt(p * (1 - p) * (1 / n1 + 1 / n2))


def sample_size_per_arm(p: float, difference: float, alpha: float = 0.05, power: float = 0.8) -> int:
    """Persons per arm of a randomised comparison to detect ``difference`` (fraction) around ``p``."""
    z = stats.norm.ppf(1 - alpha / 2) + stats.norm.ppf(power)
    p1, p2 = p, p + difference
    return math.ceil(z ** 2 * (p1 * (1 - p1) + p2 * (1 - p2)) / difference ** 2)


def power_table(table: pd.DataFrame, status: str = "employed", difference: float = 0.05) -> pd.DataFrame:
    tot = table[(table["dimension"] == "total") & (table["status"] == status)]
    rows = []
    for pilot_id, g in tot.groupby("pilot_id"):
        g = g.set_index("cohort")
        if not set(COHORTS) <= set(g.index):
            n = int(g["n"].iloc[0])
            rows.append({"pilot_id": pilot_id, "n_participants": n, "n_refusers": 0,
                         "baseline_pct": float(g["share"].iloc[0]), "mdd_points": np.nan,
                         "n_per_arm_for_5_points": sample_size_per_arm(float(g["share"].iloc[0]) / 100, difference)})
            continue
        n1, n2 = int(g.loc["participant", "n"]), int(g.loc["refuser", "n"])
        base = float(g.loc["refuser", "share"]) / 100
        rows.append({"pilot_id": pilot_id, "n_participants": n1, "n_refusers": n2, "baseline_pct": 100 * base,
                     "mdd_points": minimum_detectable_difference(base, n1, n2),
                     "n_per_arm_for_5_points": sample_size_per_arm(base, difference)})
    return pd.DataFrame(rows)


def protect_shares(table: pd.DataFrame, min_n: int | None = None) -> pd.DataFrame:
    """Status table ready to publish: small groups suppressed, small counts masked."""
    stat_cols = [c for c in ("share", "ci_low", "ci_high") if c in table.columns]
    return disclosure.protect(table, "n", stat_cols, count_columns=("count",), min_n=min_n)
