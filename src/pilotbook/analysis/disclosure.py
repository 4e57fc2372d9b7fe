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
