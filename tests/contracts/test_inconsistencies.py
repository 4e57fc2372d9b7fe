"""The warnings that feed the appendix "Where the report disagrees with itself" (issue 11, item 2).

A disagreement is two values of one quantity; a count of persons employed beside a count of
fee-eligible jobs, or an earlier snapshot beside a later one, is not.  The real ones the rules must
find: Uusimaa ICT, Lappi and Pirkanmaa count more fee-eligible jobs in Table 4 than their own text
leaves for a fee.
"""

import pandas as pd
import pytest

from pilotbook.contracts.validate import validate


def _edit(path, fn):
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    frame = fn(frame)
    frame.to_csv(path, index=False, lineterminator="\n")


def appendix_rows(report) -> list[dict]:
    """What the appendix lists: every failing row of a report-inconsistency warning, with its rule."""
    return [r | {"suite": f.suite, "rule": f.rule} for f in report.findings
            if not f.is_error and f.report_inconsistency for r in f.rows]


def _of(rows: list[dict], pilot_id: str, suite: str | None = None) -> list[dict]:
    return [r for r in rows if r.get("pilot_id") == pilot_id and (suite is None or r["suite"] == suite)]


@pytest.fixture(scope="module")
def shipped(root):
    report = validate(root / "data", root / "data_contracts")
    assert report.ok, report.render()
    return appendix_rows(report)


def test_keski_suomi_persons_employed_are_not_a_contradiction_of_table_4(shipped):
    """95 employed (48 % of starters, 90 % of finishers) in the text; about 48 fee-eligible (24 %, 46 %) in Table 4."""
    assert _of(shipped, "keski-suomi-construction") == []
    assert not any("95" in str(r.get("values", "")) and "48" in str(r.get("values", "")) for r in shipped)


def test_hame_chapter_10_is_an_earlier_snapshot_not_a_second_value(shipped):
    """Chapter 10 dates 182 / 149 / 31 to the time of the evaluation; chapter 4 gives 216 / 190 / 42 by September."""
    hame = _of(shipped, "hame-50plus", "outcomes.by_metric")
    assert {r["metric"] for r in hame} == {"finished"}  # 90 in Table 4 against 190 in chapter 4 stays
    assert "149" not in hame[0]["values"] and "90 (Table 4" in hame[0]["values"]
    assert not any("31" in str(r.get("values", "")).split("|")[0] for r in hame)


def test_hames_share_of_finishers_is_still_a_disagreement_of_the_text_with_itself(shipped):
    rows = _of(shipped, "hame-50plus", "outcomes.by_source")
    assert len(rows) == 1
    assert rows[0]["source"] == "chapter 4" and rows[0]["pct_employed_of_finished"] == 47
    assert rows[0]["employment_count"] == 42 and rows[0]["finished"] == 190


def test_uusimaa_ict_table_4_counts_jobs_outside_the_fee_as_fee_eligible(shipped):
    rows = _of(shipped, "uusimaa-ict", "outcomes.fee_ceiling")
    assert len(rows) == 1
    r = rows[0]
    assert (r["fee_eligible"], r["employed"], r["excluded"], r["ceiling"]) == (226, 226, 38, 188)
    for where in ("Table 4, line 2292", "chapter 4, line 1926", "chapter 7, line 2951", "chapter 7, line 2963",
                  "38 outside the fee"):
        assert where in r["values"], r["values"]
    assert "outside the fee" in r["rule"]


@pytest.mark.parametrize("pilot_id, table_line, count, short, ceiling, fee_rule", [
    ("lappi-services", 2276, 5, 2, 3, "Table 7, line 2658"),
    ("pirkanmaa-b2b", 2283, 204, 9, 195, "Table 8, line 3088"),
])
def test_jobs_under_three_months_that_the_fee_rules_do_not_pay_are_counted_fee_eligible(
        shipped, pilot_id, table_line, count, short, ceiling, fee_rule):
    rows = _of(shipped, pilot_id, "outcomes.fee_ceiling")
    assert len(rows) == 1
    r = rows[0]
    assert (r["fee_eligible"], r["employed"], r["excluded"], r["ceiling"]) == (count, count, short, ceiling)
    assert f"Table 4, line {table_line}" in r["values"]
    assert f"{short} fixed-term jobs under 3 months (contract_types.csv" in r["values"]
    assert f"fee_models.yaml: {pilot_id} result_fixed_3m, {fee_rule}" in r["values"]
    assert "shorter than its fee rules pay for" in r["rule"]


def test_a_pilot_whose_text_leaves_enough_jobs_for_its_fees_is_not_flagged(shipped):
    """Uusimaa hospitality: 27 employments less 12 outside the fee leaves the 15 of Table 4."""
    assert _of(shipped, "uusimaa-hospitality") == []


def test_the_fee_ceiling_follows_the_data(data_copy, root):
    """Without the text's jobs outside the fee or under three months, the warnings go."""
    def drop(frame):
        keep = ~((frame["pilot_id"] == "uusimaa-ict") & (frame["metric"] == "employments_not_fee_eligible"))
        return frame[keep]

    def no_short_jobs(frame):
        frame.loc[(frame["pilot_id"] == "lappi-services") & (frame["contract_type"] == "fixed_under_3m"), "value"] = "0"
        return frame

    _edit(data_copy / "published" / "outcomes.csv", drop)
    _edit(data_copy / "published" / "contract_types.csv", no_short_jobs)
    rows = appendix_rows(validate(data_copy, root / "data_contracts"))
    flagged = {r["pilot_id"] for r in rows if r["suite"] == "outcomes.fee_ceiling"}
    assert flagged == {"pirkanmaa-b2b"}


def test_an_unmarked_earlier_snapshot_would_be_a_disagreement(data_copy, root):
    """The qualifier at_evaluation is what keeps Häme's 31 apart from its 42."""
    def unmark(frame):
        frame.loc[(frame["pilot_id"] == "hame-50plus") & (frame["source"] == "chapter 10"), "qualifier"] = ""
        return frame

    _edit(data_copy / "published" / "outcomes.csv", unmark)
    rows = _of(appendix_rows(validate(data_copy, root / "data_contracts")), "hame-50plus", "outcomes.by_metric")
    assert {r["metric"] for r in rows} == {"started", "finished", "employments"}
    assert any("31 (chapter 10, line 3260) | 42 (chapter 4, line 1861)" == r["values"] for r in rows)


def test_a_text_count_filed_as_fee_eligible_would_contradict_the_table_again(data_copy, root):
    """The labels matter: Keski-Suomi's 95 employed read as fee-eligible is Table 4's 48 'restated'."""
    def relabel(frame):
        frame.loc[(frame["pilot_id"] == "keski-suomi-construction") & (frame["metric"] == "employed"), "metric"] = "fee_eligible"
        return frame

    _edit(data_copy / "published" / "outcomes.csv", relabel)
    rows = _of(appendix_rows(validate(data_copy, root / "data_contracts")), "keski-suomi-construction", "outcomes.by_metric")
    assert [r["values"] for r in rows] == ["48 (Table 4, line 2259) | 95 (chapter 4, line 1788; chapter 6, line 2786)"]
