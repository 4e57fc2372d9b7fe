"""The data catalog: every dataset the pipeline reads, declared once.

A data folder (``data/`` or one given with ``--data DIR``) holds these files at
these relative paths; swapping the folder swaps the data, never the names.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import pandas as pd

from pilotbook.io.readers import read_csv
from pilotbook.paths import INSTALL_ROOT, Project


def _read_pilot_texts(path: Path, _text_columns, pilot_id: str | None = None) -> pd.DataFrame:
    from pilotbook.io.pilot_texts import load_texts

    return load_texts(path, pilot_id)


def _read_edition(path: Path, text_columns, pilot_id: str | None = None) -> pd.DataFrame:
    from pilotbook.io.edition import read_edition

    return read_edition(path, text_columns, pilot_id)


def _read_fee_models(path: Path, _text_columns, pilot_id: str | None = None) -> pd.DataFrame:
    from pilotbook.io.fee_models import components_table, load_models

    return components_table(load_models(path, pilot_id))


@dataclass(frozen=True)
class Dataset:
    name: str
    relpath: str
    key: tuple[str, ...]
    description: str
    text_columns: tuple[str, ...] = ()  # identifiers and codes: never read as numbers
    reader: Callable[..., pd.DataFrame] = read_csv  # (file, text_columns, pilot_id) -> table

    def path(self, data_dir: Path) -> Path:
        return Path(data_dir) / self.relpath

    def read(self, data_dir: Path, pilot_id: str | None = None) -> pd.DataFrame:
        """The table; with ``pilot_id``, only that pilot's rows and the rows of no pilot."""
        return self.reader(self.path(data_dir), self.text_columns, pilot_id)


DATASETS: dict[str, Dataset] = {
    d.name: d
    for d in (
        Dataset("edition", "edition.yaml", ("title",),
                "What the numbers of this data folder are: a title, the date they describe, their source, and "
                "whether they are the report's own (one row; every chapter names it).",
                ("title", "reference_date", "source"), _read_edition),
        Dataset(
            "pilots",
            "published/pilots.csv",
            ("pilot_id",),
            "The pilots: region, names, family, target group, procurement (Table 1, Part II).",
            ("pilot_id", "chapter", "tracking_code", "started_on", "ended_on", "ura_figure"),
        ),
        Dataset(
            "outcomes",
            "published/outcomes.csv",
            ("pilot_id", "metric", "source"),
            "Results of Tables 4-6 and every restatement of them in the text, long format.",
            ("pilot_id", "metric", "source"),
        ),
        Dataset("contract_types", "published/contract_types.csv", ("pilot_id", "contract_type", "source"),
                "Employments by kind and length of contract, per pilot (chapters 4.2, 7-12, Table 4-6 remarks).",
                ("pilot_id", "contract_type", "source")),
        Dataset("providers", "published/providers.csv", ("pilot_id", "provider"),
                "Table 3: the anonymised providers of the Uusimaa ICT pilot and their results.",
                ("pilot_id", "provider", "source")),
        Dataset("survey_published", "published/survey_published.csv", ("figure", "office", "question", "response", "measure"),
                "Survey of invited jobseekers who did not take part: counts and shares printed (chapter 2.3, Figures 1-6).",
                ("figure", "office", "question", "response", "measure", "source")),
        Dataset("satisfaction_published", "published/satisfaction_published.csv", ("pilot_id", "figure", "item", "statistic"),
                "The pilots' own customer surveys: Figure 7 and chapter 2.4.",
                ("pilot_id", "figure", "item", "statistic", "source")),
        Dataset("ura_published", "published/ura_published.csv",
                ("figure", "pilot_id", "cohort", "dimension", "group", "measure", "status"),
                "URA register results: Figures 10-15 and the text of chapter 4.2 (Figure 14 complete).",
                ("figure", "pilot_id", "cohort", "dimension", "group", "measure", "status", "source")),
        Dataset("ura_codes", "published/ura_codes.csv", ("code_type", "code"),
                "Chapter 4.2's rules: URA employment codes and job-search end reasons -> the five statuses.",
                ("code_type", "status")),
        Dataset("ura_categories", "published/ura_categories.csv", ("dimension", "category"),
                "The categories of the register analysis: statuses, sex, age bands, education levels.",
                ("dimension", "category")),
        Dataset("fee_models", "published/fee_models.yaml", ("pilot_id", "component"),
                "Every pilot's fee schedule (chapter 3, Figure 8, Tables 7-9, Part II); validated one row per component.",
                (), _read_fee_models),
        Dataset("pilot_texts", "published/pilot_texts.yaml", ("pilot_id", "section"),
                "Each pilot's story in our own words (the service, how clients came to it, what the evaluators "
                "concluded), each section with the report lines it summarises (Part II); one row per section.",
                (), _read_pilot_texts),
        Dataset("placements", "example/placements.csv", ("client_id",),
                "SYNTHETIC clients of the pilots (one row each), generated from the published margins; "
                "what the fee engine prices.",
                ("client_id", "pilot_id", "provider", "contract_type", "outcome")),
        Dataset("survey_codebook", "published/survey_codebook.csv", ("survey", "kind", "name", "code"),
                "The codebook of both surveys: items with their Finnish text as printed, answer codes and "
                "scales, TE offices and the pilots their respondents were invited to (chapters 2.3-2.4).",
                ("survey", "kind", "name", "code", "pilot_id", "scale", "figure", "wording", "source")),
        Dataset("survey_nonparticipants", "example/survey_nonparticipants.csv", ("respondent_id",),
                "SYNTHETIC answers of invited jobseekers who did not join a pilot (one row each), generated "
                "from the printed counts and shares of chapter 2.3.",
                ("respondent_id", "office", "field_of_work", "action_after_invitation")),
        Dataset("satisfaction_pirkanmaa", "example/satisfaction_pirkanmaa.csv", ("respondent_id",),
                "SYNTHETIC answers to the Back to Business customer survey (one row each), generated from "
                "chapter 2.4 and Figure 7 (the codebook names the pilot).",
                ("respondent_id",)),
        Dataset("ura_extract", "example/ura_extract.csv", ("person_id",),
                "SYNTHETIC URA register extract: one row per participant or refuser (chapter 4.2's shape).",
                ("person_id", "tracking_code", "pilot_id", "cohort", "sex", "education")),
        Dataset("facts", "published/facts.csv", ("topic", "pilot_id", "quantity", "source"),
                "Every other number the report prints about the pilots and the evaluation.",
                ("topic", "pilot_id", "quantity", "unit", "source")),
        Dataset("procurement", "published/procurement.csv", ("pilot_id",),
                "Table 1: each pilot's aim and target group (in our words) and how its services were "
                "procured; the counts of tenders it prints are in facts.csv.",
                ("pilot_id", "procedure", "target_group", "note")),
        Dataset("findings", "published/findings.csv", ("id",),
                "The report's conclusions (chapter 1.1), recommendations (1.2) and the foreword's central "
                "recommendation, each in our own words with the report lines it restates and the exhibits "
                "and sections of this book that carry its evidence.",
                ("id", "kind", "title", "statement", "basis", "evidence", "sections", "adds")),
        Dataset("statements", "published/statements.csv", ("id",),
                "Every comparative statement chapters 4.2 and 2.3 make about groups of the register extract and "
                "of the survey, in our own words, with the report lines that make it, a rule its dataset's "
                "evaluator checks, and why the printed numbers make it impossible where they do.",
                ("id", "chapter", "pilot_id", "locator", "statement", "dataset", "rule", "conflict")),
    )
}


def dataset(name: str) -> Dataset:
    try:
        return DATASETS[name]
    except KeyError:
        raise KeyError(f"unknown dataset {name!r}; known: {', '.join(DATASETS)}") from None


def load(name: str, data_dir: Path, pilot_id: str | None = None) -> pd.DataFrame:
    """Read one dataset of a data folder (strictly: see :mod:`pilotbook.io.readers`); with ``pilot_id``,
    only that pilot's rows and the rows of no pilot (:mod:`pilotbook.io.own_rows`)."""
    return dataset(name).read(data_dir, pilot_id)


class Data:
    """The datasets of one data folder that a chapter reads, as attributes (``data.pilots``)."""

    def __init__(self, frames: dict[str, pd.DataFrame]):
        self._frames = frames

    def __getattr__(self, name: str) -> pd.DataFrame:
        try:
            return self.__dict__["_frames"][name]
        except KeyError:
            raise AttributeError(f"dataset {name!r} was not loaded for this chapter") from None

    @classmethod
    def load(cls, data_dir: str | Path | None = None, names: tuple[str, ...] = ("pilots", "outcomes"),
             pilot_id: str | None = None, own_rows: tuple[str, ...] = ()) -> "Data":
        """``names`` whole; ``own_rows`` only for ``pilot_id`` (its rows and the rows of no pilot): what a
        chapter run per pilot declares in ``metadata.pilotbook.own_rows``."""
        if own_rows and pilot_id is None:
            raise ValueError("own_rows needs the pilot_id whose rows to read")
        folder = Project.here().resolve_data(data_dir)
        return cls({name: load(name, folder) for name in names}
                   | {name: load(name, folder, pilot_id) for name in own_rows})


def fee_models(data_dir: str | Path | None = None, pilot_id: str | None = None) -> dict[str, dict]:
    """pilot_id -> fee model, from the data folder's ``fee_models.yaml`` (schema-checked); with
    ``pilot_id``, that pilot's model only."""
    from pilotbook.io.fee_models import load_models

    return load_models(dataset("fee_models").path(Project.here().resolve_data(data_dir)), pilot_id)


def report_facts() -> pd.DataFrame:
    """The facts of the report's own data (the shipped ``data/``): the thematic chapters restate
    the report, so a fact another data folder leaves out is shown as missing, not dropped."""
    return load("facts", INSTALL_ROOT / "data")
