"""The fee engine against the report's fee models: properties (hypothesis) and printed amounts."""

from __future__ import annotations

import copy
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pilotbook.analysis import fee_analysis, fees
from pilotbook.errors import DataFileError
from pilotbook.analysis.fees import ClientOutcome, ladder, pay, pay_cohort, share_at_risk
from pilotbook.io.fee_models import check_schema, load_models, price_range

MODELS = load_models(__import__("conftest").ROOT / "data" / "published" / "fee_models.yaml")
PRICED = fee_analysis.priced_models(MODELS)
PILOTS = sorted(PRICED)

clients = st.builds(
    ClientOutcome,
    contract=st.sampled_from(["none", "permanent", "fixed_term", "part_time", "business"]),
    months=st.floats(0, 36), hours_per_week=st.floats(0, 40), business_age_months=st.floats(0, 24),
    days_from_assessment=st.one_of(st.none(), st.floats(0, 120)),
    started=st.booleans(), assessed=st.booleans(), report_delivered=st.booleans(),
    trainings=st.integers(0, 3), skills_assessments=st.integers(0, 2),
)


def prices(model):
    rng = price_range(model)
    return st.none() if rng is None else st.floats(rng[0], rng[1])


def test_every_pilot_has_a_model_and_unknown_amounts_are_said_so(pilots):
    assert set(MODELS) == set(pilots["pilot_id"])
    for pid, m in MODELS.items():
        if m["status"] == "unknown":
            assert all(c.get("amount_eur") is None and c.get("share_of_price") is None
                       for c in m.get("components") or []), pid
            assert m.get("note"), f"{pid}: an unknown model says why"


@pytest.mark.parametrize("pilot_id", PILOTS)
@settings(max_examples=150, deadline=None)
@given(data=st.data())
def test_payments_are_never_negative(pilot_id, data):
    model = PRICED[pilot_id]
    payment = pay(model, data.draw(clients), data.draw(prices(model)))
    assert payment.known >= 0 and all(i.amount >= 0 for i in payment.items)
    # a payment with a part the report does not print has no total (never a number that counts it as 0)
    assert math.isnan(payment.total) == (not payment.complete)
    assert payment.complete or math.isnan(payment.results) or math.isnan(payment.fixed)


@pytest.mark.parametrize("pilot_id", PILOTS)
@settings(max_examples=150, deadline=None)
@given(data=st.data())
def test_a_longer_or_permanent_contract_never_pays_less(pilot_id, data):
    model = PRICED[pilot_id]
    price = data.draw(prices(model))
    base = data.draw(clients.filter(lambda c: c.contract in ("fixed_term", "part_time")))
    longer = ClientOutcome(**{**base.__dict__, "months": base.months + data.draw(st.floats(0, 24))})
    permanent = ClientOutcome(**{**base.__dict__, "contract": "permanent"})
    def at_least(a, b):  # compare only where both totals are computable
        return math.isnan(a.total) or math.isnan(b.total) or a.total >= b.total

    assert at_least(pay(model, longer, price), pay(model, base, price))
    if base.contract == "fixed_term":
        assert at_least(pay(model, permanent, price), pay(model, base, price))


@pytest.mark.parametrize("pilot_id", PILOTS)
@settings(max_examples=100, deadline=None)
@given(data=st.data())
def test_fixed_parts_are_always_paid_when_delivered(pilot_id, data):
    model = PRICED[pilot_id]
    price = data.draw(prices(model))
    client = data.draw(clients)
    payment = pay(model, client, price)
    paid = {i.component for i in payment.items}
    has_result = any(i.kind == "result" for i in payment.items)
    for c in model["components"]:
        if c["kind"] != "fixed" or (c.get("only_without_result") and has_result):
            continue
        due = {"start": client.started, "delivered": client.started, "assessment": client.assessed,
               "report": client.report_delivered, "training": client.trainings > 0,
               "skills_assessment": client.skills_assessments > 0}[c["trigger"]]
        if due and (c.get("amount_eur") is not None or c.get("share_of_price") is not None):
            assert c["id"] in paid, (c["id"], client)


@pytest.mark.parametrize("pilot_id", [p for p, m in MODELS.items() if (m.get("cap") or {}).get("max_paid_outcomes") is not None])
def test_caps_hold_over_a_pilot(pilot_id):
    model = MODELS[pilot_id]
    cap = model["cap"]["max_paid_outcomes"]
    many = [ClientOutcome("business", business_age_months=12, ownership_change=True),
            ClientOutcome("permanent", ownership_change=True)] * (cap + 20)
    bonuses = sum(1 for p in pay_cohort(model, many) for i in p.items if i.kind == "bonus")
    assert 0 < bonuses <= cap


def canonical_client(spec: dict) -> ClientOutcome:
    """The least outcome that meets a tier's conditions (a month more than a printed "over N months")."""
    kind = spec.get("kind", "any_job")
    days = spec.get("max_days_from_assessment")
    days = (days - 1) if days is not None else (spec.get("min_days_from_assessment") or 0) + 14
    owners = bool(spec.get("ownership_change"))
    if kind == "business":
        return ClientOutcome("business", business_age_months=spec.get("business_min_age_months") or 0,
                             days_from_assessment=days, ownership_change=owners)
    if kind == "permanent":
        return ClientOutcome("permanent", hours_per_week=max(spec.get("min_hours_per_week") or 0, 37.5),
                             days_from_assessment=days, ownership_change=owners)
    contract = "part_time" if kind == "part_time" else "fixed_term"
    hours = spec.get("min_hours_per_week") or (20 if kind == "part_time" else 37.5)
    months = (spec.get("min_months") or 3) + (1 if spec.get("min_months_over") else 0)
    return ClientOutcome(contract, months=months, hours_per_week=hours, days_from_assessment=days,
                         ownership_change=owners)


PRINTED_TIERS = [(pid, c["id"]) for pid, m in MODELS.items() for c in m.get("components") or []
                 if c["kind"] in ("result", "bonus") and c.get("amount_eur") is not None]


def test_the_report_prints_euro_tiers_to_check():
    assert len(PRINTED_TIERS) >= 15


@pytest.mark.parametrize("pilot_id, component", PRINTED_TIERS)
def test_every_printed_tier_reproduces_its_printed_amount(pilot_id, component):
    model = MODELS[pilot_id]
    c = next(c for c in model["components"] if c["id"] == component)
    payment = pay(model, canonical_client(c.get("outcome") or {}))
    items = {i.component: i.amount for i in payment.items}
    best_other = max((a for k, a in items.items() if k != component and k in
                      {x["id"] for x in model["components"] if x["kind"] == c["kind"]}), default=-math.inf)
    assert component in items or best_other >= c["amount_eur"], items
    if component in items:
        assert items[component] == pytest.approx(c["amount_eur"], abs=0.01)


def test_shares_reproduce_the_printed_euro_amounts_at_the_printed_price():
    """Where the report prints both a share and euros (Table 7), share x price gives the euros."""
    checked = 0
    for pid, m in MODELS.items():
        rng = price_range(m)
        for c in m.get("components") or []:
            if c.get("amount_eur") is not None and c.get("share_of_price") is not None and rng and rng[0] == rng[1]:
                assert c["share_of_price"] * rng[0] == pytest.approx(c["amount_eur"], abs=1), (pid, c["id"])
                checked += 1
    assert checked >= 3


def test_price_outside_the_range_is_refused():
    pid, model = next((p, m) for p, m in PRICED.items() if price_range(m) and price_range(m)[0] < price_range(m)[1])
    low, high = price_range(model)
    with pytest.raises(ValueError, match="outside the model's range"):
        pay(model, ClientOutcome("permanent"), high + 1)


def test_schema_refuses_a_broken_model(tmp_path):
    bad = {"version": 1, "models": [{"pilot_id": "x", "status": "sure", "basis": "euro", "components": []}]}
    with pytest.raises(DataFileError, match="status"):
        check_schema(bad, tmp_path / "fee_models.yaml")
    bad = {"version": 1, "models": [{"pilot_id": "x", "status": "known", "basis": "euro", "components": [
        {"id": "a", "label_en": "A", "kind": "result", "trigger": "outcome", "amount_eur": -5}]}]}
    with pytest.raises(DataFileError, match="amount_eur"):
        check_schema(bad, tmp_path / "fee_models.yaml")


def test_hame_reporting_fee_is_inside_the_bid_and_business_is_paid_after_six_months():
    """Table 9: the bid amount includes the 150 € reporting fee when the client finds a job; without a
    job the 150 € alone is paid; a business is paid only after 6 months."""
    model = MODELS["hame-50plus"]
    low, high = price_range(model)
    assert (low, high) == (1700, 3300)
    no_job = pay(model, ClientOutcome("none"), 2000)
    assert (no_job.total, no_job.fixed) == (150, 150)
    permanent = pay(model, ClientOutcome("permanent"), 2000)
    assert (permanent.total, permanent.fixed, permanent.results) == (2000, 150, 1850)
    assert pay(model, ClientOutcome("business", business_age_months=5), 2000).results == 0
    assert pay(model, ClientOutcome("business", business_age_months=6), 2000).total == 2000
    six = pay(model, ClientOutcome("fixed_term", months=6), 2000)
    assert (six.total, six.fixed, six.results) == (1000, 150, 850)


def test_hame_share_at_risk_follows_from_the_printed_bid_and_reporting_fee(report_lines):
    """About 94 %: (bid - 150) / bid at the midpoint of the printed 1 700-3 300 € bids (line 3242),
    since the printed 150 € reporting fee is part of the bid (lines 3238-3240)."""
    heading = " ".join(report_lines[3237:3240])
    assert "raportointimaksun 150 euroa" in heading and "työllistymiseen" in heading
    assert "1700-3300 euroa" in report_lines[3241]
    bid_low, bid_high, reporting = 1700, 3300, 150  # as printed
    risk = fee_analysis.at_risk({"hame-50plus": MODELS["hame-50plus"]}, {}).iloc[0]
    mid = (bid_low + bid_high) / 2
    assert risk["share_at_risk"] == pytest.approx((mid - reporting) / mid, abs=0.001)  # 0.94
    assert risk["share_at_risk"] == pytest.approx(0.94, abs=0.005)
    assert risk["share_at_risk_low_price"] == pytest.approx((bid_low - reporting) / bid_low, abs=0.001)
    assert risk["share_at_risk_high_price"] == pytest.approx((bid_high - reporting) / bid_high, abs=0.001)
    # the check can fail: read as a fee paid only without a job (the old model), all of the bid is at risk
    broken = copy.deepcopy(MODELS["hame-50plus"])
    for c in broken["components"]:
        c.pop("includes", None)
        if c["id"] == "report":
            c["only_without_result"] = True
    assert share_at_risk(broken) == pytest.approx(1.0)


def test_a_tier_cannot_include_more_than_it_pays():
    model = copy.deepcopy(MODELS["hame-50plus"])
    next(c for c in model["components"] if c["id"] == "report")["amount_eur"] = 900
    with pytest.raises(ValueError, match="less than"):
        pay(model, ClientOutcome("part_time", months=3, hours_per_week=20), 1700)  # 25 % of 1 700 = 425 €


def test_a_share_that_depends_on_an_unprinted_amount_is_not_computable():
    """Uusimaa hospitality: the results fees are shares of a full fee whose euros chapter 8 does not
    print, so the largest payment and its share at risk are not computable (not 0 %)."""
    model = MODELS["uusimaa-hospitality"]
    assert price_range(model) is None
    assert all(c["amount_eur"] is None for c in model["components"] if c["kind"] == "result")
    assert math.isnan(share_at_risk(model))
    row = fee_analysis.at_risk({"uusimaa-hospitality": model}, {}).iloc[0]
    assert not row["computable"] and "does not print" in row["not_computable_because"]
    permanent = ladder(model).set_index("outcome").loc["Permanent job"]
    assert not permanent["complete"] and math.isnan(permanent["results_eur"]) and math.isnan(permanent["total_eur"])
    assert permanent["known_eur"] == 200  # the printed reporting fee (chapter 8, line 3001)
    # the check can fail: with a printed full fee the share is a number again
    priced = copy.deepcopy(model)
    for c in priced["components"]:
        if c["kind"] == "result":
            c["amount_eur"] = 1000 * c["share_of_price"]
            c["share_of_price"] = None
    assert share_at_risk(priced) == pytest.approx(1000 / 1200)


@pytest.mark.parametrize("pilot_id", PILOTS)
def test_no_share_at_risk_counts_an_unprinted_amount_as_zero(pilot_id):
    model = PRICED[pilot_id]
    steps = ladder(model)
    assert math.isnan(share_at_risk(model)) == (not steps["complete"].all())
    incomplete = steps[~steps["complete"]]
    assert incomplete["total_eur"].isna().all()


def test_pohjois_savo_pays_the_skills_assessment_fee_of_20_percent_of_the_results_part(report_lines):
    """Chapter 11 (line 3341): skills assessments earn a separate fee of 20 % of the results part,
    which is at most 85 % (line 3331), 833 € in Figure 8 (line 1322)."""
    assert "Osaamiskartoituksista" in report_lines[3340] and "20 %" in report_lines[3340]
    assert "enintään 85 %" in report_lines[3330] and "833 €" in report_lines[1321]
    model = MODELS["pohjois-savo-construction"]
    fee = next(c for c in model["components"] if c["trigger"] == "skills_assessment")
    assert fee["kind"] == "fixed"
    without = pay(model, ClientOutcome("none"))
    assessed = pay(model, ClientOutcome("none", skills_assessments=1))
    assert assessed.fixed - without.fixed == pytest.approx(0.20 * 833, abs=0.01)  # 166,60 €
    assert pay(model, ClientOutcome("none", skills_assessments=3)).fixed == assessed.fixed  # once per client
    # in the ladder (98 € start + 49 € report + the fee) and the share at risk (833 € of the top payment)
    steps = ladder(model).set_index("outcome")
    assert steps.loc["No job (service delivered)", "fixed_eur"] == pytest.approx(98 + 49 + 0.2 * 833)
    assert share_at_risk(model) == pytest.approx(833 / (98 + 49 + 0.2 * 833 + 833), abs=0.001)
    # the check can fail: without the component the share is the 85 % of chapter 11
    broken = copy.deepcopy(model)
    broken["components"] = [c for c in broken["components"] if c["trigger"] != "skills_assessment"]
    assert share_at_risk(broken) == pytest.approx(0.85)


def test_keski_suomi_fixed_part_is_the_35_to_65_percent_figure_8_prints(report_lines):
    """Figure 8 (lines 1357-1360): with results bids of 360-1 200 € the fixed part (500 € start day and
    a 150 € licence or card training) may be 35-65 % of the payment; the ladder counts one training."""
    assert "360 – 1 200 €" in report_lines[1356] and "35 –   65 %" in report_lines[1359]
    model = MODELS["keski-suomi-construction"]
    low, high = price_range(model)
    fixed_share = {p: 1 - share_at_risk(model, p) for p in (low, high)}
    assert fixed_share[low] == pytest.approx(0.65, abs=0.01)
    assert fixed_share[high] == pytest.approx(0.35, abs=0.01)


def test_pohjois_savo_timing_rule():
    model = MODELS["pohjois-savo-construction"]
    early = pay(model, ClientOutcome("fixed_term", months=4, days_from_assessment=20))
    late = pay(model, ClientOutcome("fixed_term", months=4, days_from_assessment=45))
    assert early.results == pytest.approx(666.40)
    assert late.results == pytest.approx(499)


RULE = {"full_points_price": 1600.0, "variation": 300.0, "max_points": 5.0, "min_points": 1.0}


def test_the_highest_price_still_earns_one_point(report_lines):
    """Chapter 3.4 (lines 1465-1466): a bid at the buyer's maximum price gets one point and lower
    prices more; the Figure 8 rule gives the full 5 points at 1 600 € with a 300 € variation."""
    assert "maksimihinnasta saa yhden pisteen" in report_lines[1464]
    assert "5 pistettä" in report_lines[1301] and "1600 €. Hintavariaatio 300 €" in report_lines[1302]
    rule = fee_analysis.tender_rule(MODELS, {})
    assert {k: rule[k] for k in RULE} == RULE
    fa = fee_analysis
    assert fa.max_price(rule) == 1900
    assert fa.price_points(1500, rule) == 5 and fa.price_points(1600, rule) == 5
    assert fa.price_points(1900, rule) == 1  # the maximum price keeps its point
    assert fa.price_points(1750, rule) == pytest.approx(3)
    assert math.isnan(fa.price_points(1901, rule))  # above the maximum: not admissible
    # at the maximum price a bidder loses 4 of 5 price points: at weight 0.5, 80 quality points
    assert fa.quality_needed(0.5, 300, rule) == pytest.approx(80)
    assert fa.tender_score(1900, 0.8, 0.5, rule) == pytest.approx(100 * (0.5 * 1 / 5 + 0.5 * 0.8))
    # the check can fail: the old reading (no point at the maximum price) needs all 100
    assert fa.quality_needed(0.5, 300, {**rule, "min_points": 0}) == pytest.approx(100)


def test_tender_arithmetic_is_consistent():
    fa = fee_analysis
    for w in (0.2, 0.4, 0.5):
        for lead in (5, 10, 30):
            bid = fa.highest_winning_bid(w, lead, RULE)
            if bid < fa.max_price(RULE):
                # at the highest winning bid the lead exactly makes up what the price costs
                assert fa.quality_needed(w, bid - 1600, RULE) == pytest.approx(lead, abs=0.01)
                a = fa.tender_score(bid, 0.5 + lead / 100, w, RULE)
                b = fa.tender_score(1600, 0.5, w, RULE)
                assert a == pytest.approx(b, abs=0.01)
            else:  # the lead outweighs the whole price scale: the maximum price still wins
                assert fa.tender_score(bid, 0.5 + lead / 100, w, RULE) >= fa.tender_score(1600, 0.5, w, RULE)
    # a heavier price weight always leaves less room above the full-points price
    assert fa.highest_winning_bid(0.5, 10, RULE) < fa.highest_winning_bid(0.4, 10, RULE) \
        < fa.highest_winning_bid(0.2, 10, RULE)
    # no winning bid is above the maximum price
    assert fa.highest_winning_bid(0.2, 99, RULE) == fa.max_price(RULE)


def test_a_scoring_rule_without_the_points_is_refused():
    broken = copy.deepcopy(MODELS)
    del broken["uusimaa-ict"]["procurement"]["points_at_max_price"]
    with pytest.raises(ValueError, match="points_at_max_price"):
        fee_analysis.tender_rule(broken, {})


def test_the_rule_is_attributed_by_position_with_pirkanmaa_as_the_alternative(report_lines):
    """The Figure 8 fragment with 1 600 € / 300 € stands after the Uusimaa ICT box's scattered label
    (lines 1280-1298); Pirkanmaa's results price starts at the same 1 600 € (line 3112)."""
    rule = fee_analysis.tender_rule(MODELS, {})
    assert rule["pilot_id"] == "uusimaa-ict" and rule["attribution_inferred_from"] == "position"
    first, last = rule["attribution_lines"]
    window = "".join(line.strip() for line in report_lines[first - 1:last])
    assert "Uusimaa:ICT,digi,markkinointi" in window.replace(" ", "").replace("Yrittäjyys:1500€", "")
    assert "Hintavariaatio 300" in report_lines[last - 1]
    assert rule["alternative_pilot_id"] == "pirkanmaa-b2b"
    alternative = MODELS["pirkanmaa-b2b"]["price"]
    assert alternative["low"] == rule["full_points_price"] and "1 600" in report_lines[alternative["ref_line"] - 1]


def test_includes_must_name_a_fixed_component(tmp_path):
    import yaml

    doc = {"version": 1, "models": [copy.deepcopy(MODELS["hame-50plus"])]}
    doc["models"][0]["components"][1]["includes"] = ["result_12m"]
    path = tmp_path / "fee_models.yaml"
    path.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    with pytest.raises(DataFileError, match="not fixed"):
        load_models(path)


def test_costs_price_every_synthetic_client(root):
    from pilotbook.io.catalog import load

    placements = load("placements", root / "data")
    frame = fee_analysis.cost_per_outcome(MODELS, placements, {})
    assert frame["synthetic"].all()
    for r in frame.itertuples(index=False):
        assert r.starters == (placements["pilot_id"] == r.pilot_id).sum()
        if r.complete:
            assert r.total_cost_eur == pytest.approx(r.fixed_eur + r.results_eur, abs=2)
        else:  # a cost that includes an unprinted fee is not computable, never counted as 0
            assert math.isnan(r.total_cost_eur) and math.isnan(r.cost_per_starter_eur)
        # the engine never pays for more employments than the synthetic clients hold
        assert r.employments_paid <= ((placements["pilot_id"] == r.pilot_id) & (placements["outcome"] != "none")).sum()


def _without(model: dict, key: str) -> dict:
    """The model with an outcome condition dropped from every tier (to show a check can fail)."""
    broken = copy.deepcopy(model)
    for c in broken["components"]:
        (c.get("outcome") or {}).pop(key, None)
    return broken


def _bonus(payment) -> float:
    return sum(i.amount for i in payment.items if i.kind == "bonus")


def test_kainuu_bonus_was_planned_only_for_ownership_change_outcomes(report_lines):
    """Chapter 13 (lines 3581-3587): the plan was to pay 500 € for an apprenticeship of at least six months
    aimed at a change of entrepreneur in an ownership-change firm, or a business a new entrepreneur starts
    in such a firm; no other job earns it."""
    text = " ".join(line.strip() for line in report_lines[3580:3587])
    assert "suunnitelmissa oli maksaa" in text and "500 euron bonus" in text
    assert "omistajanvaihdosyrityksissä" in text and "vähintään kuuden kuukauden" in text
    model = MODELS["kainuu-apprenticeship"]
    assert all("Planned" in c["label_en"] for c in model["components"] if c["kind"] == "bonus")
    for job in (ClientOutcome("fixed_term", months=6), ClientOutcome("fixed_term", months=12),
                ClientOutcome("permanent"), ClientOutcome("business", business_age_months=6)):
        assert _bonus(pay(model, job)) == 0, job
    assert _bonus(pay(model, ClientOutcome("fixed_term", months=6, ownership_change=True))) == 500
    assert _bonus(pay(model, ClientOutcome("fixed_term", months=5, ownership_change=True))) == 0
    assert _bonus(pay(model, ClientOutcome("business", ownership_change=True))) == 500
    steps = ladder(model).set_index("outcome")
    assert (steps.loc[[name for name, _ in fees.LADDER], "results_eur"] == 0).all()  # no standard outcome
    assert steps["results_eur"].max() == 500  # only the ownership-change rows
    # the check can fail: without the condition a 6-month job earns the bonus (the old ladder)
    assert _bonus(pay(_without(model, "ownership_change"), ClientOutcome("fixed_term", months=6))) == 500


def test_satakunta_bonus_is_for_a_completed_ownership_change_not_any_new_business(report_lines):
    """Chapter 13 (lines 3600-3603): 500 € per completed ownership change among the coaching participants."""
    assert "bonusta toteutuneista omistajanvaihdoksista" in " ".join(report_lines[3599:3601])
    model = MODELS["satakunta-ownership"]
    assert _bonus(pay(model, ClientOutcome("business", business_age_months=6))) == 0
    assert _bonus(pay(model, ClientOutcome("business", business_age_months=6, ownership_change=True))) == 500
    assert _bonus(pay(_without(model, "ownership_change"), ClientOutcome("business", business_age_months=6))) == 500


def test_uusimaa_hospitality_pays_nothing_for_a_full_time_six_month_job(report_lines):
    """Chapter 8 (lines 3003-3008) pays the full fee for a permanent or at least 12-month full-time job and
    half of it for a part-time job of at least 6 months (18 h a week); no fee for a shorter full-time one."""
    text = " ".join(line.strip() for line in report_lines[3002:3008])
    assert "vähintään 12 kuukautta kestävään kokoaikatyöhön" in text and "osa-aikatyöhön" in text
    model = MODELS["uusimaa-hospitality"]
    full_time = pay(model, ClientOutcome("fixed_term", months=6))
    assert full_time.complete and full_time.results == 0  # no result tier: only the 200 € reporting fee
    part_time = pay(model, ClientOutcome("part_time", months=6, hours_per_week=20))
    assert not part_time.complete  # half of a full fee whose euros are not printed
    # the check can fail: read as "any job of 6 months", the full-time job earns half the fee
    assert not pay(_without(model, "part_time_only"), ClientOutcome("fixed_term", months=6)).complete


@pytest.mark.parametrize("pilot_id, line, printed, months, paid, paid_if_at_least", [
    ("uusimaa-ict", 2913, "yli 12 kk", 12, 1500, 2000),  # "over 12 months": 12 months is in the 6-12 tier
    ("uusimaa-ict", 2916, "yli 6–12 kk", 6, 1000, 1500),  # "over 6-12 months": 6 months is in the 3-6 tier
    ("pirkanmaa-b2b", 3084, "yli 3 kk", 3, 0, 0.8 * 1800),  # "over 3 months" (Table 8): no result at 3
    ("pirkanmaa-b2b", 3077, "yli 12 kk", 12, 0.8 * 1800, 1800),
])
def test_over_n_months_is_read_literally_and_the_ladder_says_so(report_lines, pilot_id, line, printed, months,
                                                                   paid, paid_if_at_least):
    assert printed in report_lines[line - 1]
    model = MODELS[pilot_id]
    assert pay(model, ClientOutcome("fixed_term", months=months)).results == pytest.approx(paid)
    assert pay(model, ClientOutcome("fixed_term", months=months + 1)).results >= paid_if_at_least
    row = ladder(model).set_index("outcome").loc[f"Fixed-term job, {months} months"]
    assert row["over_tier"] and row["over_months"] == months
    assert row["results_eur"] == pytest.approx(paid) and row["over_results_eur"] == pytest.approx(paid_if_at_least)
    assert "over" in next(c["label_en"] for c in model["components"] if c["label_en"] == row["over_tier"])
    # the check can fail: read as "at least", exactly N months earns the higher tier
    assert pay(_without(model, "min_months_over"), ClientOutcome("fixed_term", months=months)).results \
        == pytest.approx(paid_if_at_least)


def test_figure_8_has_uusimaa_icts_12_months_in_the_6_to_12_tier(report_lines):
    """Figure 8 (lines 1274-1276) prints "> 12kk: 2 000 €" and "6–12 kk: 1 500 €", as the literal reading has it."""
    assert "> 12kk: 2 000 €" in report_lines[1273] and "6–12 kk: 1 500 €" in report_lines[1275]
    assert pay(MODELS["uusimaa-ict"], ClientOutcome("fixed_term", months=12)).results == 1500


def test_status_says_whether_the_report_describes_a_model_at_all(tmp_path):
    """Chapters 13 and 15 describe no fee model for the Pohjanmaa pilots; chapter 12 describes ProStart's
    without amounts."""
    statuses = {pid: m["status"] for pid, m in MODELS.items()}
    assert {pid for pid, s in statuses.items() if s == "not_described"} == {
        "pohjanmaa-entrepreneurship", "pohjanmaa-primary-production"}
    assert {pid for pid, s in statuses.items() if s == "unknown"} == {"uusimaa-prostart"}
    assert MODELS["uusimaa-prostart"]["components"]  # described, amounts not printed
    # a model the report does not describe can have no components (the schema refuses one that does)
    bad = {"version": 1, "models": [{**copy.deepcopy(MODELS["uusimaa-prostart"]), "status": "not_described"}]}
    with pytest.raises(DataFileError, match="components|basis"):
        check_schema(bad, tmp_path / "fee_models.yaml")


def test_pohjois_savo_readings_are_reported_with_what_they_change(report_lines):
    """Without the skills-assessment fee the share at risk is chapter 11's 85 % (line 3331); the ladders take
    a job as found within a month of the initial assessment, so the 80 % tier (666,40 €) and not the
    60 % one (499 €, Figure 8 line 1327)."""
    assert "enintään 85 %" in report_lines[3330] and "499 €" in report_lines[1326]
    readings = fee_analysis.our_readings(MODELS, {}).set_index(["pilot_id", "reading"])
    fee = readings.loc[("pohjois-savo-construction", "separate_fee")]
    assert fee["share_at_risk_without"] == pytest.approx(0.85) and fee["share_of_top_result"] == pytest.approx(0.2)
    assert fee["share_at_risk"] == pytest.approx(833 / (98 + 49 + 0.2 * 833 + 833), abs=0.001)
    timing = readings.loc[("pohjois-savo-construction", "timing")]
    assert (timing["amount_eur"], timing["later_amount_eur"]) == (666.4, 499)
    assert timing["days"] <= timing["limit_days"] == 30
    rows = ladder(MODELS["pohjois-savo-construction"]).set_index("outcome")
    assert rows.loc["Fixed-term job, 6 months", "timing_results_later_eur"] == 499
    assert ("hame-50plus", "included") in readings.index
