"""One label table for every figure and table label (``labels.csv``).

A Finnish edition is a switch of ``lang``; a missing label falls back to the key
so that a new metric shows up readable rather than breaking a notebook.
"""

from __future__ import annotations

from functools import lru_cache

import pandas as pd

from pathlib import Path

LANGUAGES = ("en", "fi")


@lru_cache(maxsize=None)
def _table() -> pd.DataFrame:
    return pd.read_csv(Path(__file__).resolve().parent / "labels.csv", keep_default_na=False).set_index("key")


def label(key: str, lang: str = "en", **values) -> str:
    """The label of ``key`` in ``lang``; a label with placeholders (``{min_cell}``) is filled from
    ``values``, so a setting never has to be typed into the label table."""
    if lang not in LANGUAGES:
        raise ValueError(f"lang must be one of {LANGUAGES}, got {lang!r}")
    table = _table()
    if key in table.index:
        text = str(table.at[key, lang])
        return text.format(**values) if "{" in text else text
    return key.replace("_", " ")
