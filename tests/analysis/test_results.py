"""Unit tests of the results arithmetic, checked against the report's printed numbers."""

import math

import pytest

from pilotbook.analysis import results
from pilotbook.report import formatting
def test_share_handles_missing_and_zero():
    assert results.share(1, 4) == 25.0
    assert math.isnan(results.share(1, 0))
    assert math.isnan(results.share(None, 4))
    assert math.isnan(results.share(float("nan"), 4))


def test_target_bounds_single_and_range():
    assert results.target_bounds({"target": 200.0}) == (200.0, 200.0)
    assert results.target_bounds({"target_low": 150.0, "target_high": 200.0}) == (150.0, 200.0)
    low, high = results.target_bounds({})
    assert math.isnan(low) and math.isnan(high)


@pytest.mark.parametrize("table", [4, 5])
def test_recomputed_shares_round_to_the_printed_ones(pilots, outcomes, table):
    """The report's Table 4/5 percentages are whole-number roundings of the counts."""
    frame = results.results_table(pilots, outcomes, table)
    assert len(frame) == (pilots["results_table"] == table).sum()
    for denom in ("started", "finished"):
        printed = frame[f"pct_fee_eligible_of_{denom}"]
        recomputed = 100 * frame["fee_eligible"] / frame[denom]
        ok = printed.isna() | ((printed - recomputed).abs() <= 0.5 + 1e-9)
        assert ok.all(), frame.loc[~ok, ["pilot_id", f"pct_fee_eligible_of_{denom}"]]


def test_table_4_uses_the_tables_own_values_not_the_texts(pilots, outcomes):
    t4 = results.results_table(pilots, outcomes, 4).set_index("pilot_id")
    # Uusimaa ICT: Table 4 prints 426 finishers (chapter 7 says 462).
    assert t4.loc["uusimaa-ict", "finished"] == 426
    assert (t4.loc["uusimaa-ict", "target_low"], t4.loc["uusimaa-ict", "target_high"]) == (580, 590)
    # Keski-Suomi's fee-eligible count is printed as approximate ("noin 48").
    assert "fee_eligible" in t4.loc["keski-suomi-construction", "approx"]


def test_fee_eligible_shares_cover_every_table_4_and_5_pilot_twice(pilots, outcomes):
    shares = results.fee_eligible_shares(pilots, outcomes)
    n = pilots["results_table"].isin([4, 5]).sum()
    assert len(shares) == 2 * n
    assert set(shares["denominator"]) == {"started", "finished"}


def test_pilot_progress_orders_steps_and_spans_ranges():
    frame = results.pilot_progress({"target_low": 150.0, "target_high": 200.0, "started": 200.0, "fee_eligible": 48.0})
    assert list(frame["step"]) == ["target", "started", "fee_eligible"]
    target = frame.iloc[0]
    assert (target["low"], target["high"], target["value"]) == (150.0, 200.0, 175.0)


def test_fmt_number_uses_narrow_no_break_space_and_marks_approximations():
    assert formatting.fmt_number(2561.0) == "2\u202f561"
    assert formatting.fmt_number(48.0, approx=True) == "≈48"
    assert formatting.fmt_number(float("nan")) == "–"
    assert formatting.fmt_range(150.0, 200.0) == "150–200"


def test_unknown_pilot_is_a_clear_error(pilots):
    with pytest.raises(KeyError, match="not in pilots.csv"):
        results.pilot_row(pilots, "atlantis")


def test_pilot_results_is_the_row_of_the_pilots_own_table(pilots, outcomes):
    frame = results.pilot_results(pilots, outcomes, "uusimaa-ict")
    assert set(frame["source"]) == {"Table 4"} and set(frame["pilot_id"]) == {"uusimaa-ict"}
    values = dict(zip(frame["metric"], frame["value"]))
    # Table 4's 426 finishers, not chapter 7's 462
    assert values["finished"] == 426 and values["started"] == 568
    approx = results.pilot_results(pilots, outcomes, "keski-suomi-construction")
    assert approx.set_index("metric").at["fee_eligible", "approx"]
    assert results.pilot_results(pilots, outcomes, "kainuu-apprenticeship").empty


def test_recomputed_shares_of_a_pilot(pilots, outcomes):
    shares = results.recomputed_shares(results.pilot_results(pilots, outcomes, "uusimaa-ict"))
    assert (shares["target_low"], shares["target_high"]) == (580, 590)
    assert shares["started_pct_of_target_mid"] == pytest.approx(100 * 568 / 585)
    assert shares["fee_eligible_pct_of_started"] == pytest.approx(100 * 226 / 568)
    assert shares["fee_eligible_pct_of_finished"] == pytest.approx(100 * 226 / 426)
    assert results.pilot_progress(results.pilot_results(pilots, outcomes, "uusimaa-ict"))["step"].tolist() == \
        ["target", "started", "finished", "fee_eligible"]


def test_overall_counts_add_up_tables_4_and_5(pilots, outcomes):
    counts = results.overall_counts(pilots, outcomes)
    t45 = outcomes[outcomes["source"].isin(["Table 4", "Table 5"])]
    for metric in ("started", "finished"):
        assert counts[f"total_{metric}"] == t45.loc[t45["metric"] == metric, "value"].sum()
    assert counts["n_pilots"] == len(pilots)
    assert counts["n_placement"] + counts["n_job_search"] + counts["n_business"] == len(pilots)


def test_payment_ladder_only_for_models_the_engine_can_price():
    assert results.payment_ladder(None).empty
    assert results.payment_ladder({"basis": "hourly", "components": [{"id": "x"}]}).empty
    assert results.payment_ladder({"basis": "euro", "components": []}).empty
