"""Unit tests of the results arithmetic, checked against the report's printed numbers."""

import math

import pandas as pd
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
