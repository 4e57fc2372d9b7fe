"""The data catalog: every dataset the pipeline reads, declared once.

A data folder (``data/`` or one given with ``--data DIR``) holds these files at
these relative paths; swapping the folder swaps the data, never the names.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from .readers import read_csv


@dataclass(frozen=True)
class Dataset:
    name: str
    relpath: str
    key: tuple[str, ...]
    description: str
    text_columns: tuple[str, ...] = ()  # identifiers and codes: never read as numbers

    def path(self, data_dir: Path) -> Path:
        return Path(data_dir) / self.relpath


DATASETS: dict[str, Dataset] = {
    d.name: d
    for d in (
        Dataset(
            "pilots",
            "published/pilots.csv",
            ("pilot_id",),
            "The pilots: region, names, family, target group, procurement (Table 1, Part II).",
            ("pilot_id", "chapter", "tracking_code", "started_on", "ended_on"),
        ),
        Dataset(
            "outcomes",
            "published/outcomes.csv",
            ("pilot_id", "metric", "source"),
            "Results of Tables 4-6 and every restatement of them in the text, long format.",
            ("pilot_id", "metric", "source"),
        ),
    )
}


def dataset(name: str) -> Dataset:
    try:
        return DATASETS[name]
    except KeyError:
        raise KeyError(f"unknown dataset {name!r}; known: {', '.join(DATASETS)}") from None


def load(name: str, data_dir: Path) -> pd.DataFrame:
    """Read one dataset of a data folder (strictly: see :mod:`pilotbook.readers`)."""
    ds = dataset(name)
    return read_csv(ds.path(data_dir), ds.text_columns)
