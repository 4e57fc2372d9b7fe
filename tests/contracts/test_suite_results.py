"""GX's result of each suite is kept between processes (``validate(..., results_dir=)``, the build's
``_build/state/suite-results/``): a new process runs GX only on the suites whose rules, parameters read
or table changed, and reports exactly what a validation from nothing reports.

Each test starts as a new process would (``fresh``: this worker's remembered results are set aside and
put back afterwards) and validates against a few suites copied from ``data_contracts/``, so that GX's
runs stay short."""

from __future__ import annotations

import shutil

import pytest

from pilotbook.contracts import validate as module

SUITES = ("outcomes", "outcomes.by_source", "ura_codes")  # outcomes reads pilot_ids; ura_codes reads none


@pytest.fixture
def fresh(monkeypatch):
    """Start as a new process: nothing remembered in memory (put back when the test ends), and no
    results folder but the one a test names."""
    monkeypatch.delenv(module.RESULTS_ENV, raising=False)

    def start():
        monkeypatch.setattr(module, "_MEMO", {})
    start()
    return start


@pytest.fixture
def contracts(tmp_path, root):
    folder = tmp_path / "contracts"
    folder.mkdir()
    for name in SUITES:
        shutil.copy(root / "data_contracts" / f"{name}.json", folder)
    return folder


def ran(report) -> list[str]:
    return sorted(s.suite for s in report.suites if not s.reused)


def from_nothing(data, contracts, fresh) -> str:
    fresh()
    return module.validate(data, contracts).render()


def _replace(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} is not in {path.name}: update the test"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_a_new_process_runs_gx_only_on_the_suites_whose_table_changed(data_copy, contracts, tmp_path, fresh):
    results = tmp_path / "results"
    first = module.validate(data_copy, contracts, results_dir=results)
    assert ran(first) == sorted(SUITES) and first.ok
    assert len(list(results.glob("*.pickle"))) == len(SUITES)

    fresh()
    again = module.validate(data_copy, contracts, results_dir=results)
    assert ran(again) == [] and again.render() == first.render()

    # a broken row of outcomes.csv: its suites run again and catch it; the other file's suite does not run
    _replace(data_copy / "published" / "outcomes.csv", "hame-50plus,finished,90,", "hame-50plus,finished,300,")
    fresh()
    broken = module.validate(data_copy, contracts, results_dir=results)
    assert ran(broken) == ["outcomes", "outcomes.by_source"]
    assert not broken.ok and "finished must not exceed started" in broken.render()
    assert broken.render() == from_nothing(data_copy, contracts, fresh)


def test_a_suite_runs_again_when_a_parameter_it_reads_changes_and_only_then(data_copy, contracts, tmp_path, fresh):
    results = tmp_path / "results"
    module.validate(data_copy, contracts, results_dir=results)

    # a new employment code changes the parameter employment_codes, which no suite here reads:
    # only the suite of the changed file runs
    codes = data_copy / "published" / "ura_codes.csv"
    codes.write_text(codes.read_text(encoding="utf-8") + "employment_code,99,employed,A new code,chapter 4.2,1752\n",
                     encoding="utf-8")
    fresh()
    assert ran(module.validate(data_copy, contracts, results_dir=results)) == ["ura_codes"]

    # a pilot renamed in pilots.csv changes pilot_ids, which the outcomes suite reads: it runs again
    # (outcomes.csv is unchanged) and finds the outcomes of a pilot that no longer exists
    _replace(data_copy / "published" / "pilots.csv", "hame-50plus,", "hame-over-50,")
    fresh()
    renamed = module.validate(data_copy, contracts, results_dir=results)
    assert ran(renamed) == ["outcomes"]
    assert not renamed.ok and "hame-50plus" in renamed.render()
    assert renamed.render() == from_nothing(data_copy, contracts, fresh)


def test_a_damaged_or_missing_record_is_no_record(data_copy, contracts, tmp_path, fresh):
    results = tmp_path / "results"
    first = module.validate(data_copy, contracts, results_dir=results)
    records = sorted(results.glob("*.pickle"))
    records[0].write_bytes(records[0].read_bytes()[:40])  # cut short (e.g. a full disk)
    records[1].unlink()
    fresh()
    again = module.validate(data_copy, contracts, results_dir=results)
    assert len(ran(again)) == 2 and again.render() == first.render()
    assert len(list(results.glob("*.pickle"))) == len(SUITES)


KEPT = """
import sys
from pathlib import Path
from pilotbook.contracts.validate import validate
report = validate(Path(sys.argv[1]), Path(sys.argv[2]), results_dir=Path(sys.argv[3]))
print(sorted(s.suite for s in report.suites if s.reused), "great_expectations" in sys.modules)
"""


def test_a_new_process_with_every_result_kept_does_not_import_gx(data_copy, contracts, tmp_path, fresh):
    """Without Data Docs to render, kept results are all a validation needs: GX is not imported."""
    import subprocess
    import sys

    results = tmp_path / "results"
    module.validate(data_copy, contracts, results_dir=results)
    out = subprocess.run([sys.executable, "-c", KEPT, str(data_copy), str(contracts), str(results)],
                         capture_output=True, text=True, check=True)
    assert out.stdout.strip() == f"{sorted(SUITES)} False", out.stderr[-2000:]


def test_a_folder_that_cannot_keep_results_costs_only_time(data_copy, contracts, tmp_path, fresh):
    """A results folder that cannot be written (here a file stands where it should be) does not stop a
    validation: the results are not kept, and the report is the one from nothing."""
    blocked = tmp_path / "results"
    blocked.write_text("not a folder")
    report = module.validate(data_copy, contracts, results_dir=blocked)
    assert len(ran(report)) == len(SUITES) and blocked.read_text() == "not a folder"
    assert report.render() == from_nothing(data_copy, contracts, fresh)
