"""The worked example of a follow-up (``examples/follow-up``) is what its README says it is: a data folder
that validates, with another edition, one pilot's results changed, one pilot removed and an invented one
added, every changed or added value marked as not the report's.  (The pipeline test builds it.)"""

from __future__ import annotations

import pytest
import yaml

from pilotbook.contracts.validate import validate
from pilotbook.io.catalog import load

from conftest import ROOT

EXAMPLE = ROOT / "examples" / "follow-up"
CHANGED, REMOVED, ADDED = "hame-50plus", "uusimaa-hospitality", "example-new-pilot"


@pytest.fixture(scope="module")
def folders():
    names = ("pilots", "outcomes", "contract_types", "ura_extract", "placements", "pilot_texts")
    return ({n: load(n, ROOT / "data") for n in names}, {n: load(n, EXAMPLE) for n in names})


def test_the_example_is_another_edition_than_the_reports():
    edition = yaml.safe_load((EXAMPLE / "edition.yaml").read_text(encoding="utf-8"))
    assert edition["report_edition"] is False and "invented" in edition["title"].lower()


def test_it_removes_one_pilot_everywhere_and_adds_one(folders):
    shipped, example = folders
    assert set(example["pilots"]["pilot_id"]) == set(shipped["pilots"]["pilot_id"]) - {REMOVED} | {ADDED}
    for name, frame in example.items():
        assert REMOVED not in set(frame["pilot_id"]), name
    assert (example["outcomes"]["pilot_id"] == ADDED).any() and (example["placements"]["pilot_id"] == ADDED).any()
    texts = example["pilot_texts"][example["pilot_texts"]["pilot_id"] == ADDED]
    assert len(texts) == 3 and texts["source"].notna().all() and texts["ref_lines"].isna().all()


def test_the_changed_pilots_values_differ_and_say_they_are_not_the_reports(folders):
    shipped, example = folders
    key = ["pilot_id", "metric", "source", "qualifier"]
    merged = shipped["outcomes"].merge(example["outcomes"], on=key, suffixes=("_report", "_example"))
    changed = merged[merged["value_report"] != merged["value_example"]]
    assert set(changed["pilot_id"]) == {CHANGED}
    assert changed["ref_line_example"].isna().all() and changed["note_example"].str.contains("invented").all()
    table4 = changed[changed["source"] == "Table 4"].set_index("metric")["value_example"]
    assert (table4["started"], table4["finished"], table4["fee_eligible"]) == (248, 201, 71)
    added = example["outcomes"][example["outcomes"]["pilot_id"] == ADDED]
    assert added["ref_line"].isna().all() and added["note"].str.contains("invented").all()
    kinds = shipped["contract_types"].merge(example["contract_types"], on=["pilot_id", "contract_type", "source"],
                                            suffixes=("_report", "_example"))
    changed = kinds[kinds["value_report"] != kinds["value_example"]]
    assert set(changed["pilot_id"]) == {CHANGED} and len(changed) == 4
    assert changed["ref_line_example"].isna().all() and changed["note_example"].str.contains("invented").all()


def test_its_synthetic_files_were_regenerated_for_its_numbers(folders):
    _, example = folders
    assert (example["placements"]["pilot_id"] == CHANGED).sum() == 248
    assert example["ura_extract"]["synthetic"].all() and example["placements"]["synthetic"].all()


@pytest.mark.slow
def test_the_example_validates_without_errors(root):
    report = validate(EXAMPLE, root / "data_contracts")
    assert not [f.describe() for f in report.findings if f.is_error]
    assert "fee_models" in {f.suite for f in report.findings}  # the new pilot has no fee model: a warning
