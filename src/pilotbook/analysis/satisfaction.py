"""The pilots' own customer surveys (chapter 2.4, Figure 7): means with intervals, grades, and the
check against every value the report prints.  Shares the comparison rules of
:mod:`pilotbook.analysis.survey`."""

from __future__ import annotations

import numpy as np
import pandas as pd

from pilotbook.analysis import disclosure
from pilotbook.analysis.statistics import mean_ci, percent
from pilotbook.analysis.survey import _compare, withhold_small
from pilotbook.io.codebook import Codebook


def protect_means(frame: pd.DataFrame, min_n: int | None = None) -> pd.DataFrame:
    """Means (and intervals) over fewer than ``min_n`` answers are suppressed."""
    return disclosure.protect(frame, "n", ["mean", "sd", "ci_low", "ci_high"], min_n=min_n)


def computed_value(responses: pd.DataFrame, row, pilot_id: str | None) -> tuple[float, str]:
    """(computed value, measure for comparison) for one row of ``satisfaction_published.csv``;
    ``responses`` are the answers to the customer survey of ``pilot_id``."""
    data = responses if row.pilot_id == pilot_id else responses.iloc[0:0]
    if data.empty:
        return np.nan, row.statistic
    if row.statistic == "respondents":
        return float(len(data)), "respondents"
    for suffix, measure in (("_low", "mean_low"), ("_high", "mean_high")):
        if row.item.endswith(suffix) and row.item.removesuffix(suffix) in data.columns:
            return float(data[row.item.removesuffix(suffix)].mean()), measure
    if row.item not in data.columns:
        return np.nan, row.statistic
    if row.statistic == "share":
        answers = data[row.item].dropna().astype(bool)
        return percent(int(answers.sum()), len(answers)), "share"
    values = pd.to_numeric(data[row.item], errors="coerce")
    if pd.notna(row.scale_max):
        values = values[values.between(row.scale_min, row.scale_max)]  # can't say is outside the scale
    return float(values.mean()), "mean"


def reproduce(published: pd.DataFrame, responses: pd.DataFrame, pilot_id: str | None) -> pd.DataFrame:
    """Every printed value of the pilots' customer surveys beside the value ``responses`` (the answers
    to ``pilot_id``'s survey) give."""
    rows = []
    for r in published.itertuples(index=False):
        value, measure = computed_value(responses, r, pilot_id)
        how, status = _compare(r.value, value, measure, r.qualifier, r.note)
        rows.append({"pilot_id": r.pilot_id, "figure": r.figure, "item": r.item, "statistic": r.statistic,
                     "printed": r.value, "qualifier": r.qualifier, "computed": value, "compared": how,
                     "status": status, "source": r.source, "ref_line": r.ref_line})
    return pd.DataFrame(rows)


GRADES = ("overall_grade", "effect_grade_employed")
CONTACTS = "contacts_with_provider"


def statements(codebook: Codebook) -> list[str]:
    """The statements of Figure 7, in codebook order."""
    return list(codebook.items("satisfaction", figure="Figure 7")["name"])


def means(responses: pd.DataFrame, codebook: Codebook, items, min_n: int | None = None) -> pd.DataFrame:
    """Mean and 95 % interval of each rated item, can't say left out (as in the report); means
    over fewer than min_n answers suppressed."""
    rows = []
    for name in items:
        scale = codebook.scale_of(name)
        points, cs = codebook.scale_points(scale), codebook.cant_say(scale)
        values = pd.to_numeric(responses[name], errors="coerce")
        rows.append({"item": name, "scale_min": points[0], "scale_max": points[-1],
                     "cant_say": int((values == cs).sum()) if cs is not None else 0,
                     **mean_ci(values[values.between(points[0], points[-1])])})
    return protect_means(pd.DataFrame(rows), min_n=min_n)


def grades(responses: pd.DataFrame, codebook: Codebook, min_n: int | None = None) -> pd.DataFrame:
    """The overall grade, the grade of the effect (asked of the employed) and the number of contacts
    with the provider: means with 95 % intervals."""
    grades = means(responses, codebook, GRADES, min_n=min_n)
    contacts = protect_means(pd.DataFrame([{"item": CONTACTS, "scale_min": np.nan, "scale_max": np.nan, "cant_say": 0,
                                            **mean_ci(responses[CONTACTS])}]), min_n=min_n)
    return pd.concat([grades, contacts], ignore_index=True)


def check(published: pd.DataFrame, responses: pd.DataFrame, pilot_id: str | None,
                       min_n: int | None = None) -> pd.DataFrame:
    """:func:`reproduce` as it may be published: respondent counts of 1..min_n-1 hidden."""
    min_n = disclosure.min_cell() if min_n is None else min_n
    rep = reproduce(published, responses, pilot_id)
    return withhold_small(rep, rep["computed"].where(rep["statistic"] == "respondents"), min_n)
