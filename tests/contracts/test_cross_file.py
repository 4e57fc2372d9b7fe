"""Data that contradict each other do not pass silently: the rules across files (issue: re-running with
new data).  One edit per rule over a copy of the shipped data, all validated in one GX run: each
finding must name its own file, rule and row, and nothing else may fail."""

from __future__ import annotations

import pandas as pd
import pytest

from pilotbook.contracts import cross_file
from pilotbook.contracts.validate import validate

from test_messages import edit

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def contradicting(tmp_path_factory, root):
    """Four edits, each contradicting another file, and the validation of the result."""
    import shutil

    data = tmp_path_factory.mktemp("cross") / "data"
    shutil.copytree(root / "data", data)
    published = data / "published"
    # a kind of contract changed without regenerating the synthetic clients
    edit(published / "contract_types.csv", "uusimaa-ict,part_time,6,count,,chapter 7,2959,",
         "uusimaa-ict,part_time,10,count,,chapter 7,2959,")
    # the results changed, the breakdown not
    edit(published / "outcomes.csv", "hame-50plus,employments,42,", "hame-50plus,employments,45,")
    edit(published / "contract_types.csv", "hame-50plus,total,42,", "hame-50plus,total,44,")
    # a register cohort of the facts changed, the figures not
    edit(published / "facts.csv", "uusimaa-ict,ura_participants,592,", "uusimaa-ict,ura_participants,600,")
    # a register cohort of the figures changed without regenerating the synthetic extract
    edit(published / "ura_published.csv", "Figure 12,hame-50plus,participant,total,total,persons,,217,",
         "Figure 12,hame-50plus,participant,total,total,persons,,220,")
    return validate(data, root / "data_contracts")


def _one(report, suite: str):
    found = [f for f in report.findings if f.suite == suite]
    assert len(found) == 1, [f.describe() for f in report.findings]
    return found[0]


def test_a_changed_kind_of_contract_stops_the_build_until_the_synthetic_clients_are_regenerated(contradicting):
    finding = _one(contradicting, "contract_types.synthetic_clients")
    assert finding.is_error and finding.file.endswith("contract_types.csv")
    assert "pilotbook synth --data DIR" in finding.rule
    # the kind itself, and the jobs in all: 227 matches no count any more (the kinds now add up to 231)
    assert [(r["pilot_id"], r["measure"], r["printed"], r["synthetic_clients"]) for r in finding.rows] == [
        ("uusimaa-ict", "all employments", 226, 227), ("uusimaa-ict", "part_time", 10, 6)], finding.rows


def test_a_breakdown_that_no_longer_matches_the_results_is_reported_with_both_files_lines(contradicting):
    finding = _one(contradicting, "contract_types.against_outcomes")
    assert finding.is_error and not finding.report_inconsistency
    rows = {(r["pilot_id"], r["contract_type"], r["value"], r["in_outcomes"]) for r in finding.rows}
    assert rows == {("hame-50plus", "total", 44, 45)}, finding.rows
    assert "outcomes_lines='lines 93'" in finding.samples[0], finding.samples


def test_a_register_cohort_of_the_facts_is_checked_against_the_figures(contradicting):
    finding = _one(contradicting, "facts.against_register")
    assert finding.is_error
    assert {(r["pilot_id"], r["value"], r["in_ura_published"]) for r in finding.rows} == {
        ("uusimaa-ict", 600, 592), ("hame-50plus", 217, 220)}, finding.rows


def test_a_changed_cohort_size_stops_the_build_until_the_synthetic_extract_is_regenerated(contradicting):
    finding = _one(contradicting, "ura_published.synthetic_register")
    assert finding.is_error and "pilotbook synth --data DIR" in finding.rule
    assert [(r["pilot_id"], r["cohort"], r["printed"], r["synthetic_persons"]) for r in finding.rows] == [
        ("hame-50plus", "participant", 220, 217)], finding.rows


def test_nothing_else_fails_on_the_edits(contradicting):
    new = {"contract_types.synthetic_clients", "contract_types.against_outcomes", "facts.against_register",
           "ura_published.synthetic_register"}
    assert {f.suite for f in contradicting.findings if f.is_error} == new
    # the rest are the warnings the shipped data raise too: the report disagreeing with itself
    assert all(f.report_inconsistency for f in contradicting.findings if f.suite not in new)


# --------------------------------------------------------------------------- the views, without GX

def test_the_jobs_in_all_may_match_any_count_of_employments_the_data_print():
    contracts = pd.DataFrame({"pilot_id": ["p"] * 3, "contract_type": ["total", "permanent", "part_time"],
                              "value": [10, 4, 3], "source": ["chapter 1"] * 3})
    clients = pd.DataFrame({"pilot_id": ["p"] * 9, "contract_type": ["permanent"] * 4 + ["part_time"] * 3
                            + ["unspecified", "none"]})
    view = cross_file.synthetic_employments(contracts, {"placements": clients}).set_index("measure")
    # 8 jobs: neither the total (10) nor the kinds listed (7)
    assert view.loc[cross_file.ALL_EMPLOYMENTS, ["printed", "synthetic_clients"]].tolist() == [10, 8]
    assert view.loc["permanent", ["printed", "synthetic_clients"]].tolist() == [4, 4]
    assert "unspecified" not in view.index and "none" not in view.index
    outcomes = pd.DataFrame({"pilot_id": ["p"], "metric": ["fee_eligible"], "value": [8]})
    view = cross_file.synthetic_employments(contracts, {"placements": clients, "outcomes": outcomes})
    assert view.set_index("measure").loc[cross_file.ALL_EMPLOYMENTS, "printed"] == 8


def test_jobs_without_a_fee_match_a_total_less_its_fee_eligible_jobs():
    contracts = pd.DataFrame({"pilot_id": ["p"] * 2, "contract_type": ["total", "fee_eligible"],
                              "value": [52, 22], "source": ["chapter 4.2"] * 2})
    clients = pd.DataFrame({"pilot_id": ["p"] * 52, "contract_type": ["not_fee_eligible"] * 30 + ["permanent"] * 22})
    view = cross_file.synthetic_employments(contracts, {"placements": clients}).set_index("measure")
    assert view.loc["not_fee_eligible", ["printed", "synthetic_clients"]].tolist() == [30, 30]
    assert pd.isna(view.loc["permanent", "printed"]), "a kind the data do not print is not compared"
