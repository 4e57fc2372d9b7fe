"""The fees chapter's page functions (report/pages/fees.py) on the shipped data.

The expected values are the report's printed ones (Tables 4, 7-9 and the Uusimaa ICT scoring
rule of chapter 7), typed here from the report or read from data/published, never taken from
the code under test.  Nothing may be written: every test runs in an empty working folder.
"""

from __future__ import annotations

import json
import re

import pandas as pd
import pytest

from pilotbook import settings
from pilotbook.analysis import fee_analysis
from pilotbook.analysis.results import pilot_labels
from pilotbook.io.catalog import fee_models, load
from pilotbook.paths import INSTALL_ROOT
from pilotbook.report.exhibits import Exhibit, Prose
from pilotbook.report.pages import fees as page

pytestmark = pytest.mark.usefixtures("nothing_written")

ROOT = INSTALL_ROOT
DATA = ROOT / "data"


def printed(text: str) -> str:
    """A number as the book prints it: thousands separated by a narrow no-break space (1\u202f600)."""
    return re.sub(r"(?<=\d) (?=\d{3}(?!\d))", "\u202f", text)


@pytest.fixture(scope="module")
def shipped():
    pilots = load("pilots", DATA)
    return {"pilots": pilots, "outcomes": load("outcomes", DATA), "placements": load("placements", DATA),
            "components": load("fee_models", DATA), "models": fee_models(DATA), "names": pilot_labels(pilots)}


def _published(outcomes: pd.DataFrame, metric: str) -> dict[str, float]:
    rows = outcomes[(outcomes["metric"] == metric) & (outcomes["source"] == "Table 4")]
    return dict(zip(rows["pilot_id"], rows["value"].astype(float)))


def test_glue_values_count_the_models_by_status(shipped):
    per_pilot = shipped["components"].drop_duplicates("pilot_id")
    statuses = per_pilot["status"].value_counts()
    glued = page.glue_values(shipped["models"])
    assert glued["n_models"] == str(len(shipped["pilots"]))
    assert glued["n_unknown"] == str(statuses.get("unknown", 0))
    assert glued["n_partly"] == str(statuses.get("partly_known", 0))
    assert glued["n_not_described"] == str(statuses.get("not_described", 0))
    # every known or partly known model with amounts is priced; an unknown one never is
    assert int(glued["n_priced"]) <= len(per_pilot) - int(glued["n_unknown"]) - int(glued["n_not_described"])
    assert all(isinstance(v, str) for v in glued.values())


def test_the_models_sentence_counts_pilots_without_a_model_apart(shipped):
    """The report describes no fee model for the two Pohjanmaa pilots (chapters 13 and 15); of the other
    eleven it prints ProStart's (chapter 12) without amounts and four only in part."""
    sentence = page.glue_values(shipped["models"])["models_sentence"]
    assert sentence.startswith("Of the 13 pilots, the report describes no fee model for 2; of the 11 models it "
                               "describes, it prints 4 only in part and 1 without its amounts; the engine prices ")
    # the sentence follows the data: were the Pohjanmaa models merely unprinted, it would say so
    broken = {pid: ({**m, "status": "unknown"} if m["status"] == "not_described" else m)
              for pid, m in shipped["models"].items()}
    assert page.glue_values(broken)["models_sentence"].startswith(
        "Of the 13 pilots' models, the report prints 4 only in part and 3 without their amounts")


def test_figure_8_is_a_figure_with_the_printed_lappi_amounts(shipped):
    frame = fee_analysis.comparison(shipped["models"], shipped["names"])
    exhibit = page.figure_8(frame)
    assert isinstance(exhibit, Exhibit) and exhibit.kind == "figure" and exhibit.id == "report-figure-8"
    # not a reproduction: the report's figure has five boxes, the chart adds the other pilots' models
    assert (exhibit.report_ref, exhibit.ref_note) == ("Figure 8", "Based on Figure 8 of the report.")
    assert exhibit.caption.startswith("Redraws and extends the report's Figure 8, which has boxes for 5 pilots")
    assert "<svg" in exhibit.svg
    # Table 7: 200 € for the initial assessment and report, 500 € more for a permanent contract
    assert "Lappi services: no job 200 €" in exhibit.alt
    assert "permanent job 700 €" in exhibit.alt
    lappi = frame[(frame["pilot_id"] == "lappi-services") & (frame["outcome"] == "permanent")].iloc[0]
    assert (lappi["fixed_eur"], lappi["results_eur"]) == (200, 500)


@pytest.mark.parametrize("n, pilot, amounts", [
    (7, "lappi-services", ["200 €", "500 € (100 %)", "400 € (80 %)", "300 € (60 %)", "300 € (60 %)"]),
    (8, "pirkanmaa-b2b", ["200 €", "100 % of the maximum price per client (1 600–2 000 €)",
                          "80 % of the maximum price per client (1 280–1 600 €)",
                          "50 % of the maximum price per client (800–1 000 €)"]),
    (9, "hame-50plus", ["150 €", "100 % of the placement fee per client (1 700–3 300 €)",
                        "50 % of the placement fee per client (850–1 650 €)",
                        "25 % of the placement fee per client (425–825 €)"]),
])
def test_report_fee_tables_carry_the_printed_amounts(shipped, n, pilot, amounts):
    cited = fee_analysis.model_citing(shipped["models"], f"Table {n}")
    assert list(cited) == [pilot]
    exhibit = page.report_table(cited, n, shipped["names"])
    assert (exhibit.id, exhibit.kind, exhibit.report_ref) == (f"report-table-{n}", "table", f"Table {n}")
    assert exhibit.title.startswith(shipped["names"][pilot])
    for amount in amounts:
        assert printed(amount) in set(exhibit.shown["Amount"]), (n, amount)
    assert set(exhibit.data["pilot_id"]) == {pilot}
    assert len(exhibit.data) == len(exhibit.shown)


# The rows of Tables 8 and 9 as printed (dump lines 3076-3108 and 3242-3253), in the report's order.
TABLE_ROWS = {
    8: ["Työllistyminen toistaiseksi voimassa ole- vaan tai yli 12 kk", "Työllistyminen yli 3 kk voimassa olevaan",
        "Yrityksen perustaminen", "Loppuraportointi"],
    9: ["toistaiseksi voimassa oleva tai vähintään 12 kk työsuhde", "määräaikainen työsuhde, VÄHINTÄÄN 6 kk",
        "määräaikainen työsuhde, VÄHINTÄÄN 3 kk", "yrityksen käynnistäminen",
        "osa-aikainen työsuhde (VÄHINTÄÄN 18 tuntia/viikko)", "pelkkä raportointi, ei työllistymistä"],
}


@pytest.mark.parametrize("n, lines", [(8, (3076, 3108)), (9, (3242, 3253))])
def test_a_reproduced_table_has_the_reports_rows_in_its_order(shipped, report_lines, n, lines):
    text = " ".join(line.strip() for line in report_lines[lines[0] - 1:lines[1]])
    positions = [text.find(row) for row in TABLE_ROWS[n]]
    assert -1 not in positions and positions == sorted(positions), positions
    exhibit = page.report_table(fee_analysis.model_citing(shipped["models"], f"Table {n}"), n, shipped["names"])
    assert len(exhibit.shown) == len(TABLE_ROWS[n])  # one row per printed row, none split or added
    model = next(iter(fee_analysis.model_citing(shipped["models"], f"Table {n}").values()))
    starts = [c["label_fi"][:20].lower() for c in model["components"]]
    assert starts == [row[:20].lower() for row in TABLE_ROWS[n]]


def test_hame_labels_are_table_9s_and_the_reading_is_marked_ours(shipped):
    model = shipped["models"]["hame-50plus"]
    labels = [c["label_en"] for c in model["components"]]
    assert not any("bid amount" in label for label in labels)  # not the report's term
    assert labels[-1].startswith("Reporting only, no employment")  # Table 9's last row (line 3253)
    assert "placement fee per client" in model["share_base_en"]  # "Työllistämisen palkkion määrä/asiakas"
    readings = fee_analysis.our_readings(shipped["models"], shipped["names"])
    said = page.our_readings(readings, shipped["models"]).markdown
    assert said.startswith(":::{admonition} Our note") and ":class: ours" in said
    assert "We read the fee per client as including the 150 € at every result tier" in said


def test_a_table_no_model_cites_is_said_so(shipped):
    assert fee_analysis.model_citing(shipped["models"], "Table 99") == {}
    said = page.report_table({}, 99, shipped["names"])
    assert isinstance(said, Prose) and "Table 99" in said.markdown


def test_ladders_and_share_at_risk(shipped):
    ladders = page.ladders(fee_analysis.ladders(shipped["models"], shipped["names"]))
    assert (ladders.id, ladders.kind) == ("fee-ladders", "table")
    lappi = ladders.shown.set_index("Pilot").loc[shipped["names"]["lappi-services"]]
    assert lappi.iloc[0] == "200 €"  # no job: the fixed 200 € of Table 7
    assert "700 €" in set(lappi)  # permanent: 200 € + 500 €
    risk = page.at_risk(fee_analysis.at_risk(shipped["models"], shipped["names"]))
    assert (risk.id, risk.kind) == ("fee-share-at-risk", "table")
    shares = risk.data["share_at_risk"].dropna()
    assert list(shares) == sorted(shares, reverse=True)
    # Lappi: 500 € of the largest payment (700 €) depends on the result
    lappi_share = risk.data.set_index("pilot_id").loc["lappi-services", "share_at_risk"]
    assert lappi_share == pytest.approx(500 / 700, abs=0.001)
    shown = dict(zip(risk.data["pilot_id"], risk.shown.iloc[:, 1]))
    missing = risk.data.loc[risk.data["share_at_risk"].isna(), "pilot_id"]
    assert len(missing) and all(shown[pid].startswith("not computable: ") for pid in missing)
    assert all(shipped["models"][pid]["status"] != "known" for pid in missing)
    # never a 0 % where an amount is not printed (Uusimaa hospitality's full fee, chapter 8)
    assert shown["uusimaa-hospitality"].startswith("not computable: ")
    assert all(v != "0 %" for v in shown.values())
    # Häme: the 150 € reporting fee is inside the bid (Table 9), so (2 500 - 150) / 2 500 = 94 % is at risk
    assert shown["hame-50plus"] == "94 %"
    ranges = dict(zip(risk.data["pilot_id"], risk.shown.iloc[:, 2]))
    assert ranges["hame-50plus"] == "91.2–95.5 %"  # (1 700 - 150) / 1 700 and (3 300 - 150) / 3 300


def test_ladder_says_not_computable_where_a_fee_is_not_printed(shipped):
    ladders = page.ladders(fee_analysis.ladders(shipped["models"], shipped["names"]))
    hospitality = ladders.shown.set_index("Pilot").loc[shipped["names"]["uusimaa-hospitality"]]
    # chapter 8 prints the 200 € reporting fee but no euros for the full results fee
    assert hospitality["Permanent job"] == "not computable: 200 € + a fee not printed"
    assert hospitality["No job (service delivered)"] == "200 €"
    data = ladders.data[ladders.data["pilot_id"] == "uusimaa-hospitality"].set_index("outcome")
    assert pd.isna(data.loc["Permanent job", "total_eur"]) and pd.isna(data.loc["Permanent job", "results_eur"])
    hame = ladders.data[ladders.data["pilot_id"] == "hame-50plus"].set_index("outcome").loc["Permanent job"]
    assert (hame["fixed_eur"], hame["results_eur"], hame["total_eur"]) == (150, 2350, 2500)


def test_figure_8_data_keep_unprinted_parts_empty_and_show_the_skills_fee(shipped):
    frame = fee_analysis.comparison(shipped["models"], shipped["names"])
    rows = frame.set_index(["pilot_id", "outcome"])
    gap = rows.loc[("uusimaa-hospitality", "permanent")]
    assert not gap["complete"] and pd.isna(gap["total_eur"]) and gap["known_eur"] == 200
    assert "full fee" in gap["not_printed"]
    # Pohjois-Savo: 98 € start + 49 € report (Figure 8) + the skills-assessment fee, 20 % of 833 €
    savo = rows.loc[("pohjois-savo-construction", "no_job")]
    assert savo["fixed_eur"] == pytest.approx(98 + 49 + 0.2 * 833)
    exhibit = page.figure_8(frame)
    assert "not computable" in exhibit.alt and shipped["names"]["uusimaa-hospitality"] in exhibit.alt


def test_cost_table_says_not_computable_rather_than_zero(shipped):
    frame = fee_analysis.cost_per_outcome(shipped["models"], shipped["placements"], shipped["names"])
    exhibit = page.costs(frame)
    hospitality = exhibit.shown.set_index("Pilot").loc[shipped["names"]["uusimaa-hospitality"]]
    assert hospitality["Total cost"] == "not computable"
    assert hospitality["Per starter"] == "not computable"
    assert "not computable" not in set(exhibit.shown.set_index("Pilot").loc[shipped["names"]["lappi-services"]])


def test_costs_are_labelled_synthetic_and_start_from_the_printed_counts(shipped):
    frame = fee_analysis.cost_per_outcome(shipped["models"], shipped["placements"], shipped["names"])
    exhibit = page.costs(frame)
    assert (exhibit.id, exhibit.kind, exhibit.report_ref) == ("fee-cost-per-employment", "table", "")
    assert "SYNTHETIC" in exhibit.title and exhibit.caption.startswith("SYNTHETIC")
    assert exhibit.data["synthetic"].all()
    started, eligible = _published(shipped["outcomes"], "started"), _published(shipped["outcomes"], "fee_eligible")
    for r in exhibit.data.itertuples(index=False):
        assert r.starters == started[r.pilot_id], r.pilot_id
        if r.pilot_id == "uusimaa-ict":
            # Table 4's 226 include 38 jobs outside the fee (chapters 4 and 7); chapter 7's breakdown
            # sums to 227, so the fee-eligible jobs are 188 or 189
            assert eligible[r.pilot_id] - 38 <= r.employments_reported_fee_eligible <= eligible[r.pilot_id] - 37
        else:
            assert r.employments_reported_fee_eligible == eligible[r.pilot_id], r.pilot_id
    lappi = exhibit.shown.set_index("Pilot").loc[shipped["names"]["lappi-services"]]
    assert (lappi["Starters"], lappi["Fee-eligible in the report"]) == ("24", "5")  # Table 4


def test_tender_rule_is_read_from_the_data(shipped):
    rule = fee_analysis.tender_rule(shipped["models"], shipped["names"])
    # Figure 8: full 5 points up to 1 600 €, price variation 300 €; chapter 3.4: 1 point at the maximum price
    assert (rule["pilot_id"], rule["full_points_price"], rule["variation"]) == ("uusimaa-ict", 1600, 300)
    assert (rule["max_points"], rule["min_points"]) == (5, 1)
    with pytest.raises(ValueError, match="scoring rule"):
        fee_analysis.tender_rule({pid: {**m, "procurement": {}} for pid, m in shipped["models"].items()}, {})


def test_the_chapter_says_whose_rule_it_is_and_the_alternative(shipped):
    rule = fee_analysis.tender_rule(shipped["models"], shipped["names"])
    said = page.tender_attribution(rule, shipped["models"])
    assert isinstance(said, Prose)
    text = said.markdown
    assert shipped["names"]["uusimaa-ict"] in text and shipped["names"]["pirkanmaa-b2b"] in text
    assert "garbled figure" in text and "does not say so" in text
    assert "lines 1274–1303" in text and "line 3112" in text
    assert printed("1 600–2 000 €") in text  # Pirkanmaa's printed results price (chapter 9)
    # chapter 7 prints Uusimaa ICT's fees as fixed amounts (lines 2913-2926), which weakens the attribution
    assert printed("fixed amounts (2 000, 1 500, 1 000 €, lines 2913–2926)") in text
    assert "no labelled box in Figure 8" in text
    # "jos laskee hinnan 1600 €": lowering the price to or by 1 600 €; we say which we read
    assert printed("We read this as lowering the price *to* 1 600 €") in text and "*by*" in text
    # the sentence follows the data: a rule printed with its pilot says so plainly
    plain = page.tender_attribution({**rule, "attribution_inferred_from": None}, shipped["models"])
    assert "garbled" not in plain.markdown and "Pirkanmaa" not in plain.markdown


def test_tender_exhibits_on_the_default_grid(shipped):
    cfg = settings.current()
    assert (cfg.tender_price_weights, cfg.tender_quality) == ((0.2, 0.4, 0.5), 0.8)
    assert (cfg.tender_premiums_eur, cfg.tender_quality_leads) == ((100, 200, 300), (5, 10, 20))
    rule = fee_analysis.tender_rule(shipped["models"], shipped["names"])
    curves = fee_analysis.tender_illustration(rule, cfg.tender_price_weights, cfg.tender_quality)
    # bids up to the maximum price, 1 600 € + the 300 € variation; nothing above it is admissible
    assert curves["bid_eur"].min() == 1400 and curves["bid_eur"].max() == 1900
    assert curves["score"].notna().all()
    figure = page.tender_figure(curves, rule, cfg.tender_quality)
    assert (figure.id, figure.kind) == ("fee-tender-illustration", "figure") and "<svg" in figure.svg
    assert printed("1 600 €") in figure.alt and printed("to 1 point at 1 900 €") in figure.alt
    assert "none from" not in figure.alt
    assert "quality score of 80 of 100" in figure.caption and "Uusimaa ICT" in figure.caption
    # the attribution is ours and carries its caveat wherever the rule is named
    assert "which we attribute to Uusimaa ICT (by its position only; it may be Pirkanmaa" in figure.caption
    # at weight 0.5 the maximum price keeps 1 of 5 price points: 50 * 1/5 + 50 * 0.8 = 50
    at_max = curves[(curves["price_weight"] == 0.5) & (curves["bid_eur"] == 1900)]["score"].iloc[0]
    assert at_max == pytest.approx(50 * 1 / 5 + 50 * 0.8)

    needed = page.tender_table(fee_analysis.quality_needed_grid(rule, cfg.tender_price_weights,
                                                                cfg.tender_premiums_eur))
    assert needed.id == "fee-tender-quality-needed"
    grid = needed.data.set_index(["price_weight", "premium_eur"])["quality_points_needed"]
    # a bid 300 € above is at the maximum price and keeps 1 of 5 points: it loses 100 w (4/5) / (1 - w)
    assert grid[(0.5, 300)] == pytest.approx(80) and grid[(0.2, 300)] == pytest.approx(20)
    assert grid[(0.2, 100)] == pytest.approx(100 * 0.2 * (4 / 5) / 3 / 0.8, abs=0.01)
    assert "maximum price still earns a point" in needed.caption

    bids = page.tender_winning_bids(fee_analysis.winning_bids_grid(rule, cfg.tender_price_weights,
                                                                   cfg.tender_quality_leads), rule)
    assert bids.id == "fee-tender-winning-bids" and printed("1 600 €") in bids.caption
    # the maximum price is our reading (1 600 € + the 300 € variation), not a printed fact
    assert printed("Bids stop at 1 900 €, which we take as the buyer's maximum price") in bids.caption
    assert "no bid may exceed" not in bids.caption
    highest = bids.data.set_index(["price_weight", "quality_lead_points"])["highest_winning_bid_eur"]
    # 5 points of quality at weight 0.2 are worth 5 / 20 of the price scale (20 points), so of 300 €: 75 €
    assert highest[(0.2, 5)] == pytest.approx(1675)
    assert printed("up to 1 675 € per client") in set(bids.shown["price weight 20%"])
    # 20 points at weight 0.2 outweigh the whole price scale: the maximum price still wins
    assert highest[(0.2, 20)] == 1900
    assert printed("the maximum price, 1 900 €") in set(bids.shown["price weight 20%"])


def test_the_tender_grid_follows_the_settings(shipped, monkeypatch):
    monkeypatch.setenv(settings.ENV, json.dumps({"tender_price_weights": [0.3], "tender_quality": 0.7,
                                                 "tender_premiums_eur": [150], "tender_quality_leads": [40]}))
    cfg = settings.current()
    rule = fee_analysis.tender_rule(shipped["models"], shipped["names"])
    curves = fee_analysis.tender_illustration(rule, cfg.tender_price_weights, cfg.tender_quality)
    assert set(curves["price_weight"]) == {0.3} and set(curves["quality"]) == {0.7}
    assert "quality score of 70 of 100" in page.tender_figure(curves, rule, cfg.tender_quality).caption
    needed = page.tender_table(fee_analysis.quality_needed_grid(rule, cfg.tender_price_weights,
                                                                cfg.tender_premiums_eur))
    assert list(needed.shown.columns) == ["dearer bid", "price weight 30%"] and len(needed.shown) == 1
    bids = page.tender_winning_bids(fee_analysis.winning_bids_grid(rule, cfg.tender_price_weights,
                                                                   cfg.tender_quality_leads), rule)
    # 40 points are more than the whole price scale is worth at weight 0.3 (100 * 0.3 * 4/5 / 0.7 ≈ 34):
    # the bidder can ask the maximum price, 1 900 €, and still win
    assert bids.data["highest_winning_bid_eur"].iloc[0] == pytest.approx(1900)
    monkeypatch.setenv(settings.ENV, json.dumps({"tender_price_weights": [0.3], "tender_quality_leads": [20]}))
    cfg = settings.current()
    grid = fee_analysis.winning_bids_grid(rule, cfg.tender_price_weights, cfg.tender_quality_leads)
    # 20 points are 20 / (240 / 7) of the scale: 1 600 € + 300 € * 20 * 7 / 240 = 1 775 €
    assert grid["highest_winning_bid_eur"].iloc[0] == pytest.approx(1600 + 300 * 20 * 0.7 / (100 * 0.3 * 0.8))


def test_cost_table_suppresses_small_counts_of_paid_clients_and_what_reveals_them():
    """A count of 1..min_cell-1 paid clients is hidden with the total, the results part and the
    per-starter and per-employment costs (each gives it back with the fixed part or the starters)."""
    from pilotbook.analysis import fee_analysis
    from pilotbook.io.catalog import fee_models, load
    from pilotbook.report.pages import fees as fees_page

    cost = fee_analysis.cost_per_outcome(fee_models(ROOT / "data"), load("placements", ROOT / "data"), {})
    small = (cost["employments_paid"] > 0) & (cost["employments_paid"] < 10)
    assert small.any(), "the shipped SYNTHETIC clients have a pilot with few paid results: the test can fail"
    safe = fee_analysis.protect_costs(cost, min_n=10)
    for column in fee_analysis.COST_REVEALS_COUNT:
        assert safe.loc[small, column].isna().all(), column
        assert (safe.loc[~small, column].fillna(-1) == cost.loc[~small, column].fillna(-1)).all(), column
    assert (safe["fixed_eur"] == cost["fixed_eur"]).all()
    shown = fees_page.costs(safe).shown
    assert (shown.loc[small, "Paid for by the engine"].str.startswith("<10")).all()
