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


def label(key: str, lang: str = "en") -> str:
    if lang not in LANGUAGES:
        raise ValueError(f"lang must be one of {LANGUAGES}, got {lang!r}")
    table = _table()
    if key in table.index:
        return str(table.at[key, lang])
    return key.replace("_", " ")
