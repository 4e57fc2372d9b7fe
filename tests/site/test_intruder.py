"""Disclosure control against a reader with a calculator (issue 12).

The intruder (``intruder.py`` beside this file) reads the published CSVs only and tries to get
counts of 1-9 persons back: share × N, Wilson intervals, differences of shares, totals minus the
rest across files.  It must find nothing on the built site, and it must find the leaks of a
deliberately leaky variant of the same site: the same tables published the way the book did
before complementary suppression (primary suppression only).
"""

from __future__ import annotations

import os
import shutil

import numpy as np
import pandas as pd
import pytest

import intruder
from pilotbook import settings
from pilotbook.analysis import disclosure, register
from pilotbook.io.catalog import load
from pilotbook.paths import INSTALL_ROOT, Project

PROJECT = Project(INSTALL_ROOT)
DATA_DIR = PROJECT.site / "data"


@pytest.fixture(scope="module")
def published() -> dict[str, pd.DataFrame]:
    assert (DATA_DIR / "index.csv").is_file(), "no built site: run `make book` (make test does) first"
    return intruder.read_site_data(DATA_DIR)


def test_the_intruder_gets_no_small_count_back_from_the_site(published):
    assert len(published) > 50
    leaks = intruder.attack(published, threshold=settings.current().min_cell)
    assert not leaks, f"{len(leaks)} small counts can be recovered, e.g.:\n" + "\n".join(map(str, leaks[:15]))


def test_the_site_does_withhold_register_cells(published):
    """Protection is not vacuous: the register figures do withhold cells, beyond the small counts."""
    fig = pd.concat([f for n, f in published.items() if n.startswith("report-figure-1") and "status" in f.columns])
    hidden = fig["share"].isna()
    assert hidden.sum() >= 20


def _leaky(frame: pd.DataFrame) -> pd.DataFrame:
    """A status table published with primary suppression only (the book before issue 12): counts
    of 1-9 masked, shares and intervals kept."""
    out = frame.drop(columns=register.FLAGS).copy()
    small = out["count"].between(1, disclosure.min_cell() - 1)
    out["count"] = out["count"].astype(float).where(~small)
    return out


@pytest.fixture(scope="module")
def status(register_data) -> pd.DataFrame:
    classified = register.classify(register_data["ura_extract"], register_data["ura_codes"],
                                   register_data["ura_categories"])
    return register.with_intervals(register.status_table(classified, register_data["ura_categories"]))


def _as_text(frame: pd.DataFrame) -> pd.DataFrame:
    """A frame as the intruder reads a CSV: text, full precision."""
    return frame.astype(object).map(lambda v: "" if v is None or (isinstance(v, float) and np.isnan(v)) else repr(v)
                                    if isinstance(v, float) else str(v)).replace("", np.nan)


def test_a_leaky_variant_is_caught_share_times_n(status):
    leaks = intruder.attack({"leaky.csv": _as_text(_leaky(status))})
    assert leaks, "the intruder missed share × n"
    assert any(l.how == "share × n" for l in leaks)
    # and each recovered count is the true one
    truth = status.set_index(["pilot_id", "cohort", "dimension", "group", "status"])["count"]
    for leak in leaks[:20]:
        pilot, cohort, dg, st = leak.cell.split("/")
        dim, grp = dg.split("=")
        assert truth[(pilot, cohort, dim, grp, st)] == leak.value


def test_a_leaky_variant_is_caught_by_subtraction(status):
    """Counts masked, shares dropped, but one small cell per group: the group's size gives it back."""
    out = status.drop(columns=[*register.FLAGS, "share", "ci_low", "ci_high"]).copy()
    small = out["count"].between(1, disclosure.min_cell() - 1)
    out["count"] = out["count"].astype(float).where(~small)
    leaks = intruder.attack({"leaky.csv": _as_text(out)})
    assert any(l.how == "totals minus the rest" for l in leaks)


def test_the_protected_tables_resist_the_same_attacks(status):
    safe = register.protect_shares(status)
    assert not intruder.attack({"safe.csv": _as_text(safe)})
    # the comparison of cohorts and the bounds, built from the same table, add nothing back
    diff = register.protect_differences(register.differences(status), status=None)
    bounds = register.unknown_bounds(status)
    files = {"safe.csv": _as_text(safe), "diff.csv": _as_text(diff), "bounds.csv": _as_text(bounds)}
    assert not intruder.attack(files)


def test_survey_subtraction_is_caught_and_then_prevented():
    """The review's example: an office row where one small cell follows from N minus the rest."""
    frame = pd.DataFrame({"group": ["a"] * 3 + ["b"] * 3, "code": ["x", "y", "z"] * 2,
                          "count": [40, 13, 1, 30, 20, 10], "n": [54] * 3 + [60] * 3})
    frame["share"] = 100 * frame["count"] / frame["n"]
    leaky = frame.assign(count=frame["count"].where(frame["count"] >= 10), share=np.nan)
    leaks = intruder.attack({"by-office.csv": _as_text(leaky.assign(item="q"))})
    assert [l.value for l in leaks] == [1]
    from pilotbook.analysis import survey
    safe = survey.protect_distribution(frame)
    assert not intruder.attack({"by-office.csv": _as_text(safe.assign(item="q"))})


def test_a_copied_site_with_one_cell_put_back_fails(tmp_path, published):
    """Take the built site, put back the share of one withheld register cell: the intruder sees it."""
    name = next(n for n, f in published.items() if n.startswith("report-figure-1") and f["share"].isna().any())
    frame = published[name].copy()
    i = frame.index[frame["share"].isna() & frame["n"].notna()][0]
    n = float(frame.at[i, "n"])
    frame.at[i, "share"] = repr(100 * 3 / n)  # as if the cell held 3 persons
    leaks = intruder.attack({**published, name: frame})
    assert any(l.file == name and l.value == 3 for l in leaks)
