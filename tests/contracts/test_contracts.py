"""The data contracts accept the shipped data and reject broken data with a readable message."""


import pandas as pd
import pytest

from pilotbook.contracts.validate import load_suites, validate
from pilotbook.errors import DataFileError
from pilotbook.io.readers import read_csv


def _edit(path, fn):
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    frame = fn(frame)
    frame.to_csv(path, index=False, lineterminator="\n")


def test_every_dataset_has_a_suite_and_every_rule_says_why(root):
    from pilotbook.io.catalog import DATASETS

    suites = load_suites(root / "data_contracts")
    assert {s["meta"]["dataset"] for s in suites} == set(DATASETS)
    for suite in suites:
        for exp in suite["expectations"]:
            assert exp.get("description"), f"{suite['name']}: {exp['type']} has no description"
            assert exp.get("severity") in ("critical", "warning", "info")
            assert exp.get("meta", {}).get("rationale"), f"{suite['name']}: {exp['description']} has no rationale"
            assert "id" not in exp, "suites are committed without GX's random ids"


def test_shipped_data_passes_with_the_reports_inconsistency_as_a_warning(root):
    report = validate(root / "data", root / "data_contracts")
    assert report.ok, report.render()
    warnings = [f for f in report.findings if not f.is_error]
    # Häme: chapter 4 prints 190 finishers but a 47 % share that fits Table 4's 90.
    assert any("hame-50plus" in s and "chapter 4" in s for f in warnings for s in f.samples), report.render()


def test_finished_above_started_stops_with_file_column_rule_and_row(data_copy, root):
    path = data_copy / "published" / "outcomes.csv"

    def raise_finished(frame):
        mask = (frame["pilot_id"] == "hame-50plus") & (frame["metric"] == "finished") & (frame["source"] == "Table 4")
        frame.loc[mask, "value"] = "300"
        return frame

    _edit(path, raise_finished)
    report = validate(data_copy, root / "data_contracts")
    assert not report.ok
    text = report.render()
    errors = [f for f in report.findings if f.is_error]
    finding = next(f for f in errors if "finished must not exceed started" in f.rule)
    assert finding.file == str(path)
    assert "finished" in finding.columns[0] and "value" in finding.columns[0]
    assert any("hame-50plus" in s and "finished=300" in s and "started=216" in s for s in finding.samples)
    assert "outcomes.csv" in text and "ERROR" in text


def test_unknown_pilot_id_breaks_referential_integrity(data_copy, root):
    _edit(data_copy / "published" / "outcomes.csv",
          lambda f: f.assign(pilot_id=f["pilot_id"].where(f.index != 0, "atlantis")))
    report = validate(data_copy, root / "data_contracts")
    finding = next(f for f in report.findings if f.is_error and f.columns == ["pilot_id"])
    assert "pilots.csv" in finding.rule
    assert any("atlantis" in s for s in finding.samples)


def test_missing_column_is_named(data_copy, root):
    _edit(data_copy / "published" / "pilots.csv", lambda f: f.drop(columns=["family"]))
    report = validate(data_copy, root / "data_contracts")
    messages = [s for f in report.findings if f.is_error and f.columns == ["family"] for s in f.samples]
    assert any("'family' is missing" in m for m in messages), report.render()


def test_printed_share_that_does_not_match_the_counts_is_an_error_in_a_table(data_copy, root):
    def bad_pct(frame):
        mask = (frame["pilot_id"] == "pirkanmaa-b2b") & (frame["metric"] == "pct_fee_eligible_of_started") & (frame["source"] == "Table 4")
        frame.loc[mask, "value"] = "38"
        return frame

    _edit(data_copy / "published" / "outcomes.csv", bad_pct)
    report = validate(data_copy, root / "data_contracts")
    assert not report.ok
    assert any("share of starters" in f.rule and f.is_error for f in report.findings)


@pytest.mark.parametrize("content, expected", [
    (b"", "empty"),
    (b"pilot_id,order\n", "no data rows"),
    (b"\xef\xbb\xbfpilot_id,order\nx,1\n", "byte-order mark"),
    (b"pilot_id;order\nx;1\n", "separated by ';'"),
    ("pilot_id,name\nx,Hämeenlinna\n".encode("latin-1"), "not valid UTF-8"),
])
def test_unreadable_files_get_a_specific_message(tmp_path, content, expected):
    path = tmp_path / "pilots.csv"
    path.write_bytes(content)
    with pytest.raises(DataFileError) as err:
        read_csv(path)
    assert expected in str(err.value)
    assert str(path) in str(err.value)


def test_an_unreadable_file_is_reported_by_validate_not_raised(data_copy, root):
    (data_copy / "published" / "pilots.csv").write_bytes(b"")
    report = validate(data_copy, root / "data_contracts")
    assert not report.ok
    assert any("empty" in s for f in report.findings for s in f.samples)
