"""Which edition of the numbers a page shows, and how it names their source.

A chapter's notebook reads its data folder's edition (``edition.yaml``) and calls :func:`use`; the
page functions then name sources through :func:`current`.  For the report's own numbers a value is
"from Table 4 of the report", as of the report's date; for any other edition it is from that edition,
laid out as the report's table, and never attributed to the report (DESIGN rule 11).
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass

import pandas as pd

from pilotbook.report.exhibits import Prose

REPORT = "the report"


@dataclass(frozen=True)
class Edition:
    title: str
    reference_date: str  # ISO: YYYY-MM or YYYY-MM-DD
    source: str
    report_edition: bool

    @classmethod
    def from_frame(cls, frame: pd.DataFrame) -> "Edition":
        row = frame.iloc[0]
        return cls(str(row["title"]), str(row["reference_date"]), str(row["source"]),
                   bool(row["report_edition"]))

    @property
    def as_of(self) -> str:
        """The reference date in words: "September 2017" (a day, when given: "30 September 2017")."""
        parts = [int(p) for p in self.reference_date.split("-")]
        month = f"{calendar.month_name[parts[1]]} {parts[0]}"
        return f"{parts[2]} {month}" if len(parts) == 3 else month

    @property
    def name(self) -> str:
        """How the text names where the numbers come from: "the report", or the edition's title."""
        return REPORT if self.report_edition else self.title

    def of(self, ref: str) -> str:
        """Where a value printed in the report's ``ref`` (e.g. "Table 4") comes from in this edition."""
        return f"{ref} of the report" if self.report_edition else f"{self.title} (laid out as the report's {ref})"


_current: list[Edition] = []


def use(frame: pd.DataFrame) -> Edition:
    """Make the data folder's edition (``data.edition``) the one this process's pages name."""
    edition = Edition.from_frame(frame)
    _current[:] = [edition]
    return edition


def current() -> Edition:
    """The edition :func:`use` set; the shipped data's when none was (a page function called alone)."""
    if not _current:
        from pilotbook.io.catalog import load
        from pilotbook.paths import INSTALL_ROOT

        _current.append(Edition.from_frame(load("edition", INSTALL_ROOT / "data")))
    return _current[0]


def note(edition: Edition | None = None) -> Prose:
    """The line at the top of a chapter that says which numbers it shows."""
    e = edition or current()
    if e.report_edition:
        return Prose(f"*Numbers: {e.title}; its results table for the placement pilots (Table 4) is dated "
                     f"{e.as_of}. Source: {e.source}.*")
    return Prose(f":::{{admonition}} Not the report's numbers\n:class: important\nThis page shows **{e.title}**, as of {e.as_of} "
                 f"(source: {e.source}). The tables and figures keep the layout of the report's, but their "
                 "values are this edition's, not the report's; what the text says about the report's own "
                 "findings is still the report's.\n:::")
