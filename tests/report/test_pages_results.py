"""The results chapter's page functions (report/pages/results.py) on the shipped data.

Expected values come from data/published (the report's printed numbers), never from the code
under test.  Nothing may be written: every test runs in an empty working folder.
"""

from __future__ import annotations

import re

import pandas as pd
import pytest

from pilotbook.analysis import results
from pilotbook.io.catalog import load
from pilotbook.paths import INSTALL_ROOT
from pilotbook.report import edition
from pilotbook.report.exhibits import Exhibit, Prose
from pilotbook.report.pages import results as page

pytestmark = pytest.mark.usefixtures("nothing_written")

DATA = INSTALL_ROOT / "data"


def printed(number: float) -> str:
    """A whole number as the book prints it: thousands separated by a narrow no-break space."""
    return f"{number:,.0f}".replace(",", "\u202f")


@pytest.fixture(scope="module")
def shipped():
    return {name: load(name, DATA) for name in ("pilots", "outcomes", "providers")}


def _table_values(outcomes: pd.DataFrame, n: int, metric: str) -> dict[str, float]:
    rows = outcomes[(outcomes["source"] == f"Table {n}") & (outcomes["metric"] == metric)]
    return dict(zip(rows["pilot_id"], rows["value"].astype(float)))


def test_glue_values_are_the_totals_of_tables_4_and_5(shipped):
    pilots, outcomes = shipped["pilots"], shipped["outcomes"]
    glued = page.glue_values(results.overall_counts(pilots, outcomes))
    assert glued["n_pilots"] == str(len(pilots))
    for family in ("placement", "job_search", "business"):
        assert glued[f"n_{family}"] == str((pilots["family"] == family).sum())
    totals = {m: sum(_table_values(outcomes, 4, m).values()) + sum(_table_values(outcomes, 5, m).values())
              for m in ("started", "finished")}
    assert glued["total_started"] == printed(totals["started"])
    assert glued["total_finished"] == printed(totals["finished"])
    assert "total_fee_eligible" not in glued, "the fee-eligible columns count differently: no total"
    # pilots per table, from the tables' own rows in outcomes.csv (Table 6 has three; Kainuu is in none)
    for n in (4, 5, 6):
        in_table = outcomes.loc[outcomes["source"] == f"Table {n}", "pilot_id"].nunique()
        assert glued[f"n_table_{n}"] == str(in_table), n
    assert glued["n_table_6"] == "3"
    timing = glued.pop("results_timing")  # prose, pasted with {glue:md} (not as a bold number)
    assert isinstance(timing, Prose) and timing.markdown == page.results_timing()
    assert all(isinstance(v, str) and v for v in glued.values())


@pytest.mark.parametrize("n", [4, 5, 6])
def test_summary_tables_carry_the_printed_values(shipped, n):
    pilots, outcomes = shipped["pilots"], shipped["outcomes"]
    exhibit = page.results_table(results.results_table(pilots, outcomes, n), outcomes, n)
    assert isinstance(exhibit, Exhibit) and exhibit.kind == "table"
    assert exhibit.id == f"report-table-{n}" and exhibit.report_ref == f"Table {n}"
    assert exhibit.title.endswith(f"results by {edition.current().as_of}" if n == 4
                                  else "results while the pilots were still running")
    reported = set(pilots.loc[pilots["results_table"] == n, "pilot_id"])
    assert set(exhibit.data["pilot_id"]) == reported
    data = exhibit.data.set_index("pilot_id")
    for metric in ("started", "finished", "fee_eligible") if n in (4, 5) else ("participating_entrepreneurs",):
        for pilot_id, value in _table_values(outcomes, n, metric).items():
            assert data.at[pilot_id, metric] == value, (pilot_id, metric)
    assert len(exhibit.shown) == len(exhibit.data)
    # the report's remarks travel with the table, as data and as notes under it
    remarks = outcomes[outcomes["source"] == f"Table {n} remarks"]
    assert (data.loc[list(set(remarks["pilot_id"])), "remarks"] != "").all()
    assert len(exhibit.notes) == remarks["pilot_id"].nunique()


def test_table_4_shows_the_range_target_and_the_approximate_count(shipped):
    pilots, outcomes = shipped["pilots"], shipped["outcomes"]
    shown = page.results_table(results.results_table(pilots, outcomes, 4), outcomes, 4).shown
    text = shown.to_string()
    low, high = (_table_values(outcomes, 4, m)["uusimaa-ict"] for m in ("target_low", "target_high"))
    assert f"{low:.0f}–{high:.0f}" in text
    approx = outcomes[(outcomes["source"] == "Table 4") & (outcomes["qualifier"] == "approx")]
    for value in approx["value"]:
        assert f"≈{value:.0f}" in text


def test_an_empty_table_says_so(shipped):
    pilots, outcomes = shipped["pilots"], shipped["outcomes"]
    no_business = pilots[pilots["family"] != "business"]
    exhibit = page.results_table(results.results_table(no_business, outcomes, 6), outcomes, 6)
    assert exhibit.data.empty
    assert exhibit.notes == ["No pilot in this data is reported in Table 6."]


def test_the_results_date_and_source_are_the_editions(shipped, follow_up):
    pilots, outcomes = shipped["pilots"], shipped["outcomes"]
    exhibit = page.results_table(results.results_table(pilots, outcomes, 4), outcomes, 4)
    assert exhibit.title.endswith("results by June 2019")
    assert exhibit.caption.startswith(f"Shares as printed in {follow_up.title},") and "the report" not in exhibit.caption
    # only Table 4 is dated; that Tables 5 and 6 show the pilots while they still ran is the report's word
    undated = page.results_table(results.results_table(pilots, outcomes, 5), outcomes, 5)
    assert undated.title == "Job-search support pilots: results"


def test_the_reports_tables_5_and_6_are_of_pilots_still_running(shipped):
    pilots, outcomes = shipped["pilots"], shipped["outcomes"]
    undated = page.results_table(results.results_table(pilots, outcomes, 5), outcomes, 5)
    assert undated.title == "Job-search support pilots: results while the pilots were still running"


def test_table_3_recomputes_the_employed_and_flags_the_mismatch(shipped):
    providers = shipped["providers"]
    table = results.table_3(providers)
    exhibit = page.providers(table, results.providers_weighted_share(table), shipped["pilots"])
    assert exhibit.id == "report-table-3" and exhibit.report_ref == "Table 3"
    expected = (providers["finished"] * providers["pct_employed_or_entrepreneur_of_finished"] / 100).round(0)
    assert list(exhibit.data["employed_computed"]) == list(expected)
    assert "All providers" in set(exhibit.shown.iloc[:, 0])
    # the provider rows imply a different share than the total row prints (the report's own inconsistency)
    total = providers[providers["provider"] == "total"].iloc[0]
    each = providers[providers["provider"] != "total"]
    employed = each["finished"] * each["pct_employed_or_entrepreneur_of_finished"] / 100
    implied = 100 * employed.sum() / each["finished"].sum()
    assert len(exhibit.notes) == 1
    given = float(re.search(r"give ([\d.]+) % employed", exhibit.notes[0]).group(1))
    assert abs(given - implied) <= 0.05
    assert f"not the {total['pct_employed_or_entrepreneur_of_finished']:.0f} %" in exhibit.notes[0]


def test_table_3_without_provider_rows_is_a_sentence_and_two_pilots_an_error(shipped):
    providers = shipped["providers"]
    empty = results.table_3(providers.iloc[0:0])
    said = page.providers(empty, results.providers_weighted_share(empty), shipped["pilots"])
    assert said == Prose("*No provider-level results in this data.*")
    two = pd.concat([providers, providers.assign(pilot_id="hame-50plus")])
    with pytest.raises(ValueError, match="one pilot's providers"):
        results.table_3(two)


def test_comparison_figure_has_svg_alt_and_the_recomputed_shares(shipped):
    pilots, outcomes = shipped["pilots"], shipped["outcomes"]
    shares = results.fee_eligible_shares(pilots, outcomes)
    attainment = results.target_attainment(pilots, outcomes)
    exhibit = page.comparison_figure(shares, attainment)
    assert exhibit.kind == "figure" and exhibit.id == "fee-eligible-shares"
    assert exhibit.svg.lstrip().startswith("<?xml") and "<svg" in exhibit.svg
    n = pilots["results_table"].isin([4, 5]).sum()
    assert len(exhibit.data) == 2 * n and "pct_of_target_mid" in exhibit.data.columns
    # the alt text cites each pilot's share of finishers, recomputed from the printed counts
    of_finished = exhibit.alt.split("As a share of those who started")[0]
    names = dict(zip(pilots["pilot_id"], pilots["short_en"]))
    finished, eligible = _table_values(outcomes, 4, "finished"), _table_values(outcomes, 4, "fee_eligible")
    for pilot_id in finished:
        pct = 100 * eligible[pilot_id] / finished[pilot_id]
        given = float(re.search(re.escape(names[pilot_id]) + r": ([\d.]+) %", of_finished).group(1))
        assert abs(given - pct) <= 0.1, pilot_id  # one decimal (of a share rounded to two)


def test_the_chapters_opening_dates_the_tables_by_the_edition(follow_up):
    """The opening paragraph says the report's tables are interim ones of September 2017 only for the
    report's edition; another edition's values hold at its own date, and are not called interim."""
    text = page.results_timing()
    assert f"the values of {follow_up.title}, as of June 2019" in text
    assert not text.startswith("Table 4 gives the state") and "September 2017" not in text


def test_the_reports_tables_are_interim_ones_of_september_2017():
    assert page.results_timing() == ("Table 4 gives the state in September 2017; all of these tables show results "
                                     "while most pilots still had time to run, so they are interim results.")
