"""The fee engine against the report's fee models: properties (hypothesis) and printed amounts."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pilotbook.analysis import fee_analysis
from pilotbook.errors import DataFileError
from pilotbook.analysis.fees import ClientOutcome, pay, pay_cohort
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
    trainings=st.integers(0, 3),
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
    assert payment.total >= 0 and all(i.amount >= 0 for i in payment.items)


@pytest.mark.parametrize("pilot_id", PILOTS)
@settings(max_examples=150, deadline=None)
@given(data=st.data())
def test_a_longer_or_permanent_contract_never_pays_less(pilot_id, data):
    model = PRICED[pilot_id]
    price = data.draw(prices(model))
    base = data.draw(clients.filter(lambda c: c.contract in ("fixed_term", "part_time")))
    longer = ClientOutcome(**{**base.__dict__, "months": base.months + data.draw(st.floats(0, 24))})
    permanent = ClientOutcome(**{**base.__dict__, "contract": "permanent"})
    assert pay(model, longer, price).total >= pay(model, base, price).total
    if base.contract == "fixed_term":
        assert pay(model, permanent, price).total >= pay(model, base, price).total


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
               "report": client.report_delivered, "training": client.trainings > 0}[c["trigger"]]
        if due and (c.get("amount_eur") is not None or c.get("share_of_price") is not None):
            assert c["id"] in paid, (c["id"], client)


@pytest.mark.parametrize("pilot_id", [p for p, m in MODELS.items() if (m.get("cap") or {}).get("max_paid_outcomes") is not None])
def test_caps_hold_over_a_pilot(pilot_id):
    model = MODELS[pilot_id]
    cap = model["cap"]["max_paid_outcomes"]
    many = [ClientOutcome("business", business_age_months=12), ClientOutcome("permanent")] * (cap + 20)
    bonuses = sum(1 for p in pay_cohort(model, many) for i in p.items if i.kind == "bonus")
    assert 0 < bonuses <= cap


def canonical_client(spec: dict) -> ClientOutcome:
    """The least outcome that meets a tier's conditions."""
    kind = spec.get("kind", "any_job")
    days = spec.get("max_days_from_assessment")
    days = (days - 1) if days is not None else (spec.get("min_days_from_assessment") or 0) + 14
    if kind == "business":
        return ClientOutcome("business", business_age_months=spec.get("business_min_age_months") or 0,
                             days_from_assessment=days)
    if kind == "permanent":
        return ClientOutcome("permanent", hours_per_week=max(spec.get("min_hours_per_week") or 0, 37.5),
                             days_from_assessment=days)
    contract = "part_time" if kind == "part_time" else "fixed_term"
    hours = spec.get("min_hours_per_week") or (20 if kind == "part_time" else 37.5)
    return ClientOutcome(contract, months=spec.get("min_months") or 3, hours_per_week=hours,
                         days_from_assessment=days)


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


def test_hame_pays_reporting_only_without_a_job_and_business_only_after_six_months():
    """Table 9: the 150 € reporting fee is included in the result amounts; business paid after 6 months."""
    model = MODELS["hame-50plus"]
    low, high = price_range(model)
    assert (low, high) == (1700, 3300)
    no_job = pay(model, ClientOutcome("none"), 2000)
    assert no_job.total == 150
    assert pay(model, ClientOutcome("permanent"), 2000).total == 2000
    assert pay(model, ClientOutcome("business", business_age_months=5), 2000).results == 0
    assert pay(model, ClientOutcome("business", business_age_months=6), 2000).results == 2000
    assert pay(model, ClientOutcome("fixed_term", months=6), 2000).total == 1000


def test_pohjois_savo_timing_rule():
    model = MODELS["pohjois-savo-construction"]
    early = pay(model, ClientOutcome("fixed_term", months=4, days_from_assessment=20))
    late = pay(model, ClientOutcome("fixed_term", months=4, days_from_assessment=45))
    assert early.results == pytest.approx(666.40)
    assert late.results == pytest.approx(499)


def test_tender_arithmetic_is_consistent():
    fa = fee_analysis
    assert fa.price_points(1500, 1600, 300) == 5 and fa.price_points(1900, 1600, 300) == 0
    assert fa.price_points(1750, 1600, 300) == pytest.approx(2.5)
    for w in (0.2, 0.4, 0.5):
        for lead in (5, 10):
            bid = fa.highest_winning_bid(w, lead)
            if math.isfinite(bid):
                # at the highest winning bid the lead exactly makes up what the price costs
                assert fa.quality_needed(w, bid - 1600) == pytest.approx(lead, abs=0.01)
                a = fa.tender_score(bid, 0.5 + lead / 100, w)
                b = fa.tender_score(1600, 0.5, w)
                assert a == pytest.approx(b, abs=0.01)
    # a heavier price weight always leaves less room above the full-points price
    assert fa.highest_winning_bid(0.5, 10) < fa.highest_winning_bid(0.4, 10) < fa.highest_winning_bid(0.2, 10)


def test_costs_price_every_synthetic_client(root):
    from pilotbook.io.catalog import load

    placements = load("placements", root / "data")
    frame = fee_analysis.cost_per_outcome(MODELS, placements, {})
    assert frame["synthetic"].all()
    for r in frame.itertuples(index=False):
        assert r.starters == (placements["pilot_id"] == r.pilot_id).sum()
        assert r.total_cost_eur == pytest.approx(r.fixed_eur + r.results_eur, abs=2)
        # the engine never pays for more employments than the synthetic clients hold
        assert r.employments_paid <= ((placements["pilot_id"] == r.pilot_id) & (placements["outcome"] != "none")).sum()
