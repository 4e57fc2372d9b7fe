"""The small plan the pipeline tests build: three pilots and two templates (the pilot chapter and the
results chapter, which link to no other chapter), in a disposable copy of the project."""

from __future__ import annotations

import fcntl
import os
import pickle
import shutil
from pathlib import Path

import pandas as pd
import pytest

from pilotbook.paths import Project
from pilotbook.pipeline.build import build
from pilotbook.pipeline.cache import tree_hash

from conftest import copy_project

PILOTS = ["hame-50plus", "uusimaa-hospitality", "uusimaa-ict"]
TEMPLATES = ("pilot", "results")
PILOT_RUNS = sorted(f"pilots/{p}" for p in ("03-uusimaa-ict", "04-uusimaa-hospitality", "06-hame-50plus"))


def small_project(dest: Path):
    return copy_project(dest, PILOTS, TEMPLATES)


# The fixtures of the modules that import them: each module gets a project of its own, built once.
# The first build is made once per test session, in a folder every xdist worker can see, and each
# module copies it: the copy, at another path, then builds as a no-op (the cache is keyed on content,
# not place), which test_rebuild_with_nothing_changed... checks.
@pytest.fixture(scope="module")
def project(tmp_path_factory):
    return Project(tmp_path_factory.mktemp("project"))


@pytest.fixture(scope="module")
def first_build(project, tmp_path_factory):
    shared = _session_folder(tmp_path_factory)
    with open(shared / "first-build.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # a worker that comes second waits for the first one's build
        built, record = shared / "first-build", shared / "first-build.pickle"
        if not record.is_file():
            shutil.rmtree(built, ignore_errors=True)
            built.mkdir()
            lines: list[str] = []
            result = build(small_project(built), jobs=2, log=lines.append)
            record.write_bytes(pickle.dumps((result, lines)))
    shutil.rmtree(project.root)
    shutil.copytree(built, project.root, symlinks=True)
    return pickle.loads(record.read_bytes())


def _session_folder(tmp_path_factory) -> Path:
    """A folder of this test session shared by its xdist workers (each worker's base folder is a
    sibling in the session's folder)."""
    base = tmp_path_factory.getbasetemp()
    shared = (base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base) / "small-plan"
    shared.mkdir(exist_ok=True)
    return shared


def site_fingerprint(project) -> str:
    return tree_hash([project.site], project.root)


def book_runs(project, reading: str | None = None) -> list[str]:
    """The runs of the templates that run once (not per pilot), optionally only those that read a dataset:
    read from the templates' metadata, so a new chapter needs no change here."""
    from pilotbook.pipeline.plan import template_spec

    specs = {p.stem: template_spec(p) for p in project.templates.glob("*.ipynb")}
    return sorted(name for name, spec in specs.items()
                  if spec.get("run_per") is None and (reading is None or reading in spec.get("inputs", ())))


def small_cells(site: Path, threshold: int) -> tuple[list[str], int]:
    """Published statistics over fewer than ``threshold`` persons, and counts of 1..threshold-1,
    in every exhibit made from microdata (those with a group size column), and how many such
    exhibits there were."""
    found, checked = [], 0
    for path in sorted((site / "data").glob("*.csv")):
        frame = pd.read_csv(path)
        sizes = [c for c in ("n", "n_p", "n_r") if c in frame.columns]
        if not sizes:
            continue
        checked += 1
        stats = [c for c in ("share", "mean", "share_p", "share_r", "difference", "ci_low", "ci_high")
                 if c in frame.columns]
        for size in sizes:
            small = frame[size].notna() & (frame[size] < threshold)
            for stat in stats:
                if frame.loc[small, stat].notna().any():
                    found.append(f"{path.name}: {stat} over {size} < {threshold}")
        for count in [c for c in ("count", *sizes) if c in frame.columns]:
            values = pd.to_numeric(frame[count], errors="coerce")
            if ((values > 0) & (values < threshold)).any():
                found.append(f"{path.name}: {count} between 1 and {threshold - 1}")
    return found, checked
