"""The edition of a data folder (``edition.yaml``): what its numbers are, of when, and from where.

The report's own numbers are one edition; a researcher's follow-up is another.  The pages say which
edition they show, and say "the report" only for the report's own (:mod:`pilotbook.report.edition`).
The file is read into one row so that its contract (``data_contracts/edition.json``) checks it
like every other dataset; keys the contract does not know become columns it refuses.
"""

from __future__ import annotations

import datetime
from pathlib import Path

import pandas as pd

from pilotbook.io.readers import read_yaml

COLUMNS = ("title", "reference_date", "source", "report_edition")


def read_edition(path: Path, _text_columns=(), _pilot_id: str | None = None) -> pd.DataFrame:
    """The edition as one row (columns :data:`COLUMNS`, then any other key the file has).  A date
    that YAML reads as a date is given back as the text it was written as (ISO)."""
    doc = read_yaml(path)
    row = {key: doc.get(key) for key in COLUMNS} | {k: v for k, v in doc.items() if k not in COLUMNS}
    for key, value in row.items():
        if isinstance(value, (datetime.date, datetime.datetime)):
            row[key] = value.isoformat()
    return pd.DataFrame([row])


def locate(path: Path):
    """For messages: the line of edition.yaml that holds the key a rule reads (the file is one row)."""
    from pilotbook.io.readers import node_line, yaml_tree

    tree = yaml_tree(path)

    def line(_row: dict, columns: list[str]) -> int | None:
        return node_line(tree, columns[:1]) if tree is not None and columns else None

    return line
