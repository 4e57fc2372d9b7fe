"""Shared fixtures: the real project, and disposable copies of it for pipeline tests."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pandas as pd
import pytest
import yaml

from pilotbook.contracts.validate import RESULTS_ENV
from pilotbook.paths import INSTALL_ROOT, Project

ROOT = INSTALL_ROOT
REPORT = ROOT / "reference" / "report_tem_43_2017.txt"

# GX's result of a suite is kept by the hash of the suite, the parameters it reads, its table and the
# validating code (contracts/validate.py); the tests' validations keep theirs where the build keeps its
# own, so a test reuses what the build or an earlier test run found for the same input
# (tests/contracts/test_suite_results.py shows that a kept result reports what GX would).
os.environ.setdefault(RESULTS_ENV, str(Project(ROOT).suite_results))

# What a project copy needs to build (everything but generated output and the venv).
PROJECT_FILES = ("_config.yml", "_toc.yml", "requirements.txt", "README.md", "pilotbook.toml")
PROJECT_DIRS = ("book", "notebooks", "data_contracts", "data")


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


@pytest.fixture
def data_copy(tmp_path, root) -> Path:
    """A disposable copy of the shipped data folder, to corrupt."""
    dest = tmp_path / "data"
    shutil.copytree(root / "data", dest)
    return dest


@pytest.fixture(scope="session")
def report_lines() -> list[str]:
    return REPORT.read_text(encoding="utf-8").splitlines()


@pytest.fixture(scope="session")
def pilots() -> pd.DataFrame:
    from pilotbook.io.catalog import load

    return load("pilots", ROOT / "data")


@pytest.fixture(scope="session")
def outcomes() -> pd.DataFrame:
    from pilotbook.io.catalog import load

    return load("outcomes", ROOT / "data")


def copy_project(dest: Path, pilot_ids: list[str] | None = None, templates: tuple[str, ...] | None = None) -> Project:
    """A buildable copy of the project in ``dest``; optionally only some pilots' data, and only some
    templates (a small plan: the table of contents loses the chapters of the others)."""
    for name in PROJECT_FILES:
        shutil.copy2(ROOT / name, dest / name)
    for name in PROJECT_DIRS:
        shutil.copytree(ROOT / name, dest / name, ignore=shutil.ignore_patterns("_generated", "__pycache__"))
    if templates is not None:
        dropped = [p for p in (dest / "notebooks").glob("*.ipynb") if p.stem not in templates]
        for path in dropped:
            path.unlink()
        toc = yaml.safe_load((dest / "_toc.yml").read_text(encoding="utf-8"))
        gone = {f"book/_generated/{path.stem}" for path in dropped}
        for part in toc["parts"]:
            part["chapters"] = [c for c in part["chapters"] if c.get("file") not in gone]
        toc["parts"] = [part for part in toc["parts"] if part["chapters"]]
        (dest / "_toc.yml").write_text(yaml.safe_dump(toc, allow_unicode=True, sort_keys=False), encoding="utf-8")
    if pilot_ids is not None:
        keep_pilots(dest / "data", pilot_ids)
    # GX's results by content (see RESULTS_ENV above): the copy runs GX where its inputs differ.  File by
    # file: another worker may prune one while it is copied (a result missing is one GX runs again).
    kept, copy = Project(ROOT).suite_results, Project(dest).suite_results
    for result in sorted(kept.glob("*.pickle")) if kept.is_dir() else []:
        copy.mkdir(parents=True, exist_ok=True)
        try:
            shutil.copy2(result, copy / result.name)
        except FileNotFoundError:
            pass
    return Project(dest)


def keep_pilots(data: Path, pilot_ids: list[str]) -> None:
    """Cut a data folder to some pilots: every row of another pilot goes, in every file."""
    fee_path = data / "published" / "fee_models.yaml"
    doc = yaml.safe_load(fee_path.read_text(encoding="utf-8"))
    doc["models"] = [m for m in doc["models"] if m["pilot_id"] in pilot_ids]
    fee_path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
    texts_path = data / "published" / "pilot_texts.yaml"
    texts = yaml.safe_load(texts_path.read_text(encoding="utf-8"))
    texts["pilots"] = [p for p in texts["pilots"] if p["pilot_id"] in pilot_ids]
    texts_path.write_text(yaml.safe_dump(texts, allow_unicode=True, sort_keys=False), encoding="utf-8")
    for path in sorted(data.glob("*/*.csv")):
        frame = pd.read_csv(path, dtype=str, keep_default_na=False)
        if "pilot_id" in frame.columns:
            keep = frame["pilot_id"].isin(pilot_ids) | (frame["pilot_id"] == "")
            frame[keep].to_csv(path, index=False, lineterminator="\n")
    # the register's count of everyone in the extract (no pilot) is now the kept pilots' persons
    register, extract = data / "published" / "ura_published.csv", data / "example" / "ura_extract.csv"
    if register.is_file() and extract.is_file():
        frame = pd.read_csv(register, dtype=str, keep_default_na=False)
        whole = (frame["pilot_id"] == "") & (frame["cohort"] == "all") & (frame["measure"] == "persons")
        frame.loc[whole, "value"] = str(len(pd.read_csv(extract, usecols=["pilot_id"])))
        frame.to_csv(register, index=False, lineterminator="\n")


@pytest.fixture
def follow_up():
    """A researcher's follow-up edition in force for the page functions (the shipped one's after)."""
    from pilotbook.report import edition

    before = list(edition._current)
    yield edition.use(pd.DataFrame([{"title": "A follow-up of 2019 (test data)", "reference_date": "2019-06",
                                     "source": "the test's own numbers", "report_edition": False}]))
    edition._current[:] = before


@pytest.fixture
def nothing_written(tmp_path, monkeypatch):
    """Page functions return exhibits and never touch the file system: run in an empty folder, with
    the settings file's values, and fail if anything was written there."""
    from pilotbook import settings

    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv(settings.ENV, raising=False)
    yield
    assert not list(tmp_path.iterdir()), f"a page function wrote {sorted(p.name for p in tmp_path.iterdir())}"


@pytest.fixture
def no_writes(nothing_written, monkeypatch):
    """The same guarantee, for tests that also change settings through the environment."""
    return monkeypatch


def assert_keeps_the_reports_word(rows, computed: str = "share", printed: str = "value", tolerance: float = 1.0):
    """Each computed value against the report's printed one: above an 'over', below an 'under', else
    within ``tolerance`` points."""
    for r in rows.itertuples(index=False):
        value, target, qualifier = getattr(r, computed), getattr(r, printed), r.qualifier
        if qualifier == "over":
            assert value > target, r
        elif qualifier == "under":
            assert value < target, r
        else:
            assert abs(value - target) <= tolerance, r


@pytest.fixture(scope="session")
def register_data() -> dict[str, pd.DataFrame]:
    """The register datasets of the shipped data (SYNTHETIC extract, codes, categories, printed values)."""
    from pilotbook.io.catalog import load

    names = ("pilots", "ura_extract", "ura_codes", "ura_categories", "ura_published")
    return {n: load(n, ROOT / "data") for n in names}


# The test files that take longest, first: `make test` distributes whole files over its workers
# (--dist loadfile) in the order they are collected, so the long ones start at once and the many short
# ones fill the gaps, instead of a long one starting last on one worker while the other idles.
LONGEST_FIRST = (
    "tests/browser/test_browser.py",
    "tests/pipeline/test_pipeline.py",
    "tests/pipeline/test_pipeline_failures.py",
    "tests/pipeline/test_pdf_build.py",
    "tests/contracts/test_bad_inputs.py",
)


def pytest_collection_modifyitems(config, items):
    rank = {path: i for i, path in enumerate(LONGEST_FIRST)}

    def order(item):
        path = Path(str(item.fspath)).resolve()
        rel = path.relative_to(ROOT).as_posix() if path.is_relative_to(ROOT) else str(path)
        return rank.get(rel, len(rank))

    items.sort(key=order)  # stable: the order within a file, and of the others, is kept
