"""Figure 2 of the survey split by TE office: the closest split that keeps the figure's counts,
and how far the office shares the text prints stay from it.  A contract view flags the report's
shares that no split can reach (one of the report's inconsistencies); the SYNTHETIC survey
generator follows the closest split.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from pilotbook.io.codebook import ACTION, ALL, UNAWARE


def printed_value(published: pd.DataFrame, **where) -> float | None:
    """The value of the one row matching ``where`` (None matches an empty cell), or None."""
    f = published
    for column, value in where.items():
        f = f[f[column].isna()] if value is None else f[f[column] == value]
    return None if f.empty else float(f["value"].iloc[0])


def fit_actions(published: pd.DataFrame, offices: list[str], sizes: dict[str, int],
                categories: list[str]) -> tuple[dict[str, dict[str, int]], float]:
    """Figure 2 by office: integers that keep the figure's counts, the offices' sizes and the counts
    the text prints exactly, and miss the printed office shares (beyond rounding) as little as
    possible.  Returns the table and the total miss in persons (0 when everything fits)."""
    from scipy.optimize import Bounds, LinearConstraint, milp

    n_o, n_c = len(offices), len(categories)
    nx = n_o * n_c
    totals = [printed_value(published, figure="Figure 2", office="all", question=ACTION, response=c, measure="count")
              for c in categories]
    if any(t is None for t in totals):
        raise ValueError("survey_published.csv lacks a Figure 2 count for every category of the codebook")
    rows = published[published["office"].isin(offices) & published["question"].isin([ACTION, f"{ACTION}_aware_only"])]
    shares = rows[rows["measure"] == "share"]
    counts = rows[(rows["measure"] == "count") & (rows["question"] == ACTION)]
    n_var = nx + 2 * len(shares)
    lb, ub = np.zeros(n_var), np.full(n_var, np.inf)
    for r in counts.itertuples(index=False):
        i = offices.index(r.office) * n_c + categories.index(r.response)
        lb[i] = ub[i] = r.value
    a_rows, a_lb, a_ub = [], [], []

    def add(terms: list[tuple[int, float]], low: float, high: float) -> None:
        row = np.zeros(n_var)
        for i, v in terms:
            row[i] += v
        a_rows.append(row), a_lb.append(low), a_ub.append(high)

    for c, total in enumerate(totals):
        add([(o * n_c + c, 1) for o in range(n_o)], total, total)
    for o, office in enumerate(offices):
        add([(o * n_c + c, 1) for c in range(n_c)], 0, sizes[office])
    unaware = categories.index(UNAWARE)
    for j, r in enumerate(shares.itertuples(index=False)):
        o, c = offices.index(r.office), categories.index(r.response)
        aware_only = r.question.endswith("_aware_only")
        base = [o * n_c + k for k in range(n_c) if not (aware_only and k == unaware)]
        if pd.notna(r.base_n) and not aware_only:
            add([(i, 1) for i in base], r.base_n, r.base_n)
        x, s_up, s_down = o * n_c + c, nx + 2 * j, nx + 2 * j + 1
        # within rounding: (p - 0.5) base <= 100 x <= (p + 0.5) base, missed by s persons at most
        add([(x, 100)] + [(i, -(r.value + 0.5)) for i in base] + [(s_up, -100)], -np.inf, 0)
        add([(x, -100)] + [(i, r.value - 0.5) for i in base] + [(s_down, -100)], -np.inf, 0)
    # a miss is weighed in percentage points of its (approximate) base, not in persons: a small
    # office's share is not to be sacrificed because its persons are few
    weights = []
    for r in shares.itertuples(index=False):
        base = r.base_n if pd.notna(r.base_n) else sizes[r.office]
        if r.question.endswith("_aware_only"):
            unaware_pct = printed_value(published, office=r.office, question=ACTION, response=UNAWARE, measure="share")
            base = base * (1 - (unaware_pct or 0) / 100)
        weights += [100 / base] * 2
    cost = np.r_[np.zeros(nx), weights]
    result = milp(cost, constraints=LinearConstraint(np.array(a_rows), a_lb, a_ub),
                  integrality=np.r_[np.ones(nx), np.zeros(n_var - nx)], bounds=Bounds(lb, ub))
    if not result.success:
        raise ValueError(f"Figure 2 cannot be split by office within the printed counts: {result.message}")
    x = np.round(result.x[:nx]).astype(int)
    table = {office: {cat: int(x[o * n_c + c]) for c, cat in enumerate(categories)} for o, office in enumerate(offices)}
    return table, float(result.fun)


def office_split_fit(published: pd.DataFrame) -> pd.DataFrame:
    """View for the contracts: each office share of Figure 2 that the text prints, beside the
    closest share any split of Figure 2 by office can give (:func:`fit_actions`).

    ``gap`` is how far (in points, beyond rounding) the best split still misses the printed
    share: above zero, the report's shares and counts cannot all be true at once.
    """
    respondents = published[(published["question"] == "survey") & (published["measure"] == "respondents")]
    offices = [o for o in respondents["office"] if o != ALL]
    sizes = {o: int(v) for o, v in zip(respondents["office"], respondents["value"]) if o != ALL}
    fig2 = published[(published["figure"] == "Figure 2") & (published["measure"] == "count")]
    categories = list(dict.fromkeys(fig2["response"]))
    table, _ = fit_actions(published, offices, sizes, categories)
    rows = []
    printed = published[published["office"].isin(offices) & (published["measure"] == "share")
                        & published["question"].isin([ACTION, f"{ACTION}_aware_only"])]
    for idx, r in printed.iterrows():
        cells = table[r.office]
        base = sum(v for c, v in cells.items() if not (r.question.endswith("_aware_only") and c == UNAWARE))
        fit = 100 * cells[r.response] / base if base else np.nan
        rows.append({"office": r.office, "question": r.question, "response": r.response, "printed": r.value,
                     "best_fit": round(fit, 2), "base": base, "count": cells[r.response],
                     "gap": round(max(0.0, abs(fit - r.value) - 0.5), 2), "csv_lines": str(idx + 2)})
    return pd.DataFrame(rows, columns=["office", "question", "response", "printed", "best_fit", "base", "count",
                                       "gap", "csv_lines"])
