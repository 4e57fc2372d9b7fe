"""Disclosure control for everything computed from person-level (micro) data.

The report's own practice, kept as a setting: a share, mean or difference is
published only when the group it is computed over has at least ``min_cell``
persons; a count of 1-9 persons is never printed as an exact number.  ``min_cell`` is the
``disclosure.min_cell`` setting (:mod:`pilotbook.settings`).  No
row-level data leaves the pipeline: tables built from microdata go through
:func:`protect` before they are shown or written.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from pilotbook import settings


def min_cell() -> int:
    """The threshold in force: groups and counts under it are not published."""
    return settings.current().min_cell


def count_text(n, min_n: int | None = None) -> str:
    """A count as it may be printed: exact from ``min_n`` up, '<min_n' for 1..min_n-1, '0' for none."""
    min_n = min_cell() if min_n is None else min_n
    if n is None or (isinstance(n, float) and np.isnan(n)):
        return "–"
    n = int(n)
    if n == 0:
        return "0"
    return f"<{min_n}" if n < min_n else f"{n:,}".replace(",", "\u202f")


def protect(frame: pd.DataFrame, n_column: str, statistic_columns: list[str], count_columns: tuple[str, ...] = (),
            min_n: int | None = None) -> pd.DataFrame:
    """Suppress statistics over groups smaller than ``min_n`` and mask small counts.

    Adds a boolean ``suppressed`` column; suppressed statistics become NaN; counts in
    ``count_columns`` (and ``n_column``) between 1 and ``min_n - 1`` become NaN with
    ``<column>_masked = True``.
    """
    min_n = min_cell() if min_n is None else min_n
    out = frame.copy()
    too_small = out[n_column].isna() | (out[n_column] < min_n)
    out["suppressed"] = too_small
    for column in statistic_columns:
        out[column] = out[column].astype(float).where(~too_small)
    for column in dict.fromkeys((*count_columns, n_column)):
        values = out[column].astype(float)
        masked = (values > 0) & (values < min_n)
        out[f"{column}_masked"] = masked
        out[column] = values.where(~masked)
    return out


def assert_protected(frame: pd.DataFrame, n_column: str, count_columns: tuple[str, ...] = (),
                     min_n: int | None = None) -> None:
    """Raise if a table would publish a small count or a statistic over a small group."""
    min_n = min_cell() if min_n is None else min_n
    for column in (*count_columns, n_column):
        values = pd.to_numeric(frame[column], errors="coerce")
        bad = values[(values > 0) & (values < min_n)]
        if len(bad):
            raise ValueError(f"disclosure: column {column!r} would publish {len(bad)} count(s) under {min_n}")


# --------------------------------------------------------------------------- complementary suppression
#
# A table whose cells add up (a group's statuses to its size, the groups of a dimension to the cohort)
# is described by its cell values and the equations between them: each equation is a mapping
# cell -> coefficient whose weighted sum is zero.  A withheld cell is safe when no combination of
# the equations and the published cells fixes its value.


def determined(values: dict, equations: list[dict], withheld: set) -> list:
    """The withheld cells whose value follows from the published cells and the equations."""
    unknown = sorted(withheld, key=str)
    if not unknown:
        return []
    index = {c: i for i, c in enumerate(unknown)}
    rows = []
    for eq in equations:
        row = np.zeros(len(unknown))
        for cell, coef in eq.items():
            if cell in index:
                row[index[cell]] += coef
        if row.any():
            rows.append(row)
    if not rows:
        return []
    a = np.array(rows)
    _, s, vt = np.linalg.svd(a)
    null = vt[int((s > 1e-9).sum()):].T
    return [c for c, i in index.items() if null.shape[1] == 0 or np.all(np.abs(null[i]) < 1e-9)]


def complete(values: dict, equations: list[dict], withheld: set, min_n: int | None = None,
             prefer_last=lambda cell: False, fixed: frozenset | set = frozenset()) -> set:
    """Primary suppressions ``withheld`` plus as few further cells as this greedy rule finds, so that
    no withheld count of 1 .. ``min_n - 1`` can be derived by subtraction.  First, while an equation has
    exactly one withheld cell, withhold the smallest other cell of it; then, while a small count still
    follows from the rest (checked by linear algebra), withhold the smallest published cell it shares an
    equation with (positive counts first; cells for which
    ``prefer_last`` is true, e.g. group sizes, only when nothing else will do; never the cells in
    ``fixed``, which another exhibit publishes)."""
    min_n = min_cell() if min_n is None else min_n
    withheld = set(withheld)
    order = lambda c: (prefer_last(c), values.get(c, 0) <= 0, values.get(c, 0), str(c))
    while True:
        # first the classic rule: no line (equation) with exactly one withheld cell
        single = next((eq for eq in equations if sum(c in withheld for c in eq) == 1
                       and any(c not in withheld and c not in fixed for c in eq)), None)
        if single is not None:
            withheld.add(min((c for c in single if c not in withheld and c not in fixed), key=order))
            continue
        exposed = [c for c in determined(values, equations, withheld) if 0 < values.get(c, 0) < min_n]
        if not exposed:
            return withheld
        cell = exposed[0]
        candidates = {c for eq in equations if cell in eq for c in eq if c not in withheld and c not in fixed}
        if not candidates:  # fixed only through cells of other equations: open the whole component
            candidates = {c for eq in equations for c in eq if c not in withheld and c not in fixed}
        if not candidates:
            return withheld
        withheld.add(min(candidates, key=order))


def protect_grid(frame: pd.DataFrame, group: str, code: str, count: str = "count", n: str = "n",
                 total_group=None, min_n: int | None = None) -> pd.Series:
    """Which cells of a table of counts (one row per ``group`` and ``code``; ``n`` = the group's
    total) must be withheld, primary and complementary (True = withheld).

    The codes of a group add up to its ``n``.  With several groups the groups also add up, code by
    code, to a total: the row of ``total_group`` when the table has one, else the sums over the groups,
    which are taken to be published elsewhere (e.g. the same question for all respondents).  Primary:
    a count of 1 .. ``min_n - 1``, and every cell of a group under ``min_n``; complementary:
    :func:`complete`.
    """
    min_n = min_cell() if min_n is None else min_n
    values = {(g, c): int(v) for g, c, v in zip(frame[group], frame[code], frame[count])}
    sizes = frame.drop_duplicates(group).set_index(group)[n].astype(int)
    values |= {(g, N_CELL): int(v) for g, v in sizes.items()}
    codes = list(dict.fromkeys(frame[code]))
    groups = list(sizes.index)
    present = set(values)  # a code missing from a group's rows counts as none
    equations = [{**{(g, c): 1.0 for c in codes if (g, c) in present}, (g, N_CELL): -1.0} for g in groups]
    fixed = set()
    parts = [g for g in groups if g != total_group]
    if len(parts) > 1:
        total = total_group if total_group in groups else MARGIN
        if total == MARGIN:
            for c in (*codes, N_CELL):
                values[(MARGIN, c)] = sum(values.get((g, c), 0) for g in parts)
                fixed.add((MARGIN, c))
        for c in (*codes, N_CELL):
            members = {(g, c): 1.0 for g in parts if (g, c) in present}
            if (total, c) in values:
                equations.append({**members, (total, c): -1.0})
    small_groups = {g for g in groups if sizes[g] < min_n}
    primary = {cell for cell, v in values.items() if cell not in fixed and (0 < v < min_n or cell[0] in small_groups)}
    withheld = complete(values, equations, primary, min_n, prefer_last=lambda c: c[1] == N_CELL, fixed=fixed)
    return pd.Series([(g, c) in withheld for g, c in zip(frame[group], frame[code])], index=frame.index)


N_CELL = "__n__"
MARGIN = "__all__"
