"""What the fee models reward: comparisons across pilots, costs, and the tender mechanism.

Built on the engine in :mod:`pilotbook.analysis.fees`.  Functions return tidy tables for
the fees chapter and the pilot chapters.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from pilotbook.analysis import disclosure

from pilotbook.analysis.fees import (LADDER_DAYS_FROM_ASSESSMENT, SERVICE, ClientOutcome, default_price, ladder, pay,
                                     pay_cohort, share_at_risk, unprinted)
from pilotbook.io.fee_models import price_range

# The outcomes Figure 8 lets a reader compare, as clients the engine can price (each received every
# paid service step once, as the ladders' clients do).  The fixed-term job lasts 4 months, inside every
# 3-6-month tier and clear of the boundary where a model pays only a job of "over 3 months".
_DAYS = LADDER_DAYS_FROM_ASSESSMENT
COMPARE: tuple[tuple[str, str, ClientOutcome], ...] = (
    ("no_job", "No job: paid regardless of results", ClientOutcome("none", **SERVICE)),
    ("fixed_3_6m", "Fixed-term job, 3-6 months",
     ClientOutcome("fixed_term", months=4, days_from_assessment=_DAYS, **SERVICE)),
    ("permanent", "Permanent job", ClientOutcome("permanent", days_from_assessment=_DAYS, **SERVICE)),
    ("business", "New business",
     ClientOutcome("business", business_age_months=6, days_from_assessment=_DAYS, **SERVICE)),
)


def priced_models(models: dict[str, dict]) -> dict[str, dict]:
    """Models the engine can price (status known or partly known, per-client components)."""
    return {pid: m for pid, m in models.items()
            if m.get("status") in ("known", "partly_known") and m.get("basis") in ("euro", "share_of_price")
            and m.get("components")}


def comparison(models: dict[str, dict], names: dict[str, str]) -> pd.DataFrame:
    """Figure 8 as data: per pilot and outcome, the fixed and results parts (at low, mid, high price), and
    whether the report's Figure 8 has the pilot's box (``figure_8_box``: tied to the pilot by its "label"
    or its "amounts"; "" for a model the chart adds from its chapter)."""
    rows = []
    for pid, model in priced_models(models).items():
        rng = price_range(model)
        prices = {"mid": default_price(model)} | ({"low": rng[0], "high": rng[1]} if rng else {})
        for key, label, client in COMPARE:
            at = {name: pay(model, client, price) for name, price in prices.items()}
            mid = at["mid"]
            rows.append({
                "pilot_id": pid, "pilot": names.get(pid, pid), "outcome": key, "outcome_label": label,
                "fixed_eur": mid.fixed, "results_eur": mid.results, "total_eur": mid.total,
                "total_low_eur": at.get("low", mid).total, "total_high_eur": at.get("high", mid).total,
                "known_eur": mid.known, "complete": mid.complete, "price_eur": prices["mid"],
                "not_printed": "; ".join(_labels(model, mid.unknown)),
                "figure_8_box": (model.get("figure_8") or {}).get("attributed_by", ""),
            })
    return pd.DataFrame(rows)


def _labels(model: dict, ids: list[str]) -> list[str]:
    labels = {c["id"]: c.get("label_en", c["id"]) for c in model.get("components") or []}
    return [labels.get(i, i) for i in dict.fromkeys(ids)]


def ladders(models: dict[str, dict], names: dict[str, str]) -> pd.DataFrame:
    frames = [ladder(m).assign(pilot=names.get(pid, pid), price_eur=default_price(m))
              for pid, m in priced_models(models).items()]
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()


def at_risk(models: dict[str, dict], names: dict[str, str]) -> pd.DataFrame:
    """Per priced model, the share of its largest payment that depends on the result (at the midpoint,
    lowest and highest price); NaN where it is not computable, with the reason: the components due
    whose amounts the report does not print."""
    rows = []
    for pid, m in priced_models(models).items():
        rng = price_range(m)
        rows.append({"pilot_id": pid, "pilot": names.get(pid, pid),
                     "share_at_risk": round(share_at_risk(m), 3),
                     "share_at_risk_low_price": round(share_at_risk(m, rng[0]), 3) if rng else np.nan,
                     "share_at_risk_high_price": round(share_at_risk(m, rng[1]), 3) if rng else np.nan,
                     "computable": not unprinted(m), "not_computable_because": not_computable_because(m)})
    return pd.DataFrame(rows)


def not_computable_because(model: dict) -> str:
    """Why a model's largest payment cannot be computed, in words ('' when it can)."""
    missing = unprinted(model)
    if not missing:
        return ""
    comps = {c.get("label_en", c["id"]): c for c in model.get("components") or []}
    if price_range(model) is None and all(comps[label].get("share_of_price") is not None for label in missing):
        return "its results fees are shares of a full fee whose amount in euros the report does not print"
    return "the report prints no amount for: " + "; ".join(missing)


def our_readings(models: dict[str, dict], names: dict[str, str]) -> pd.DataFrame:
    """The readings of ours that decide a priced model's ladder or share at risk, one row each, with the
    numbers that show what they do (the ladders' own boundary cases are in :func:`fees.ladder`):

    * ``included``: a result tier's amount includes a fixed component (``component``, ``amount_eur``),
      which we read as holding at every tier that says so, so it counts as fixed;
    * ``separate_fee``: a fixed fee for an optional service step whose amount we derive
      (``amount_eur``, ``share_of_top_result``: its share of the largest result amount), counted as
      fixed; ``share_at_risk`` with it and ``share_at_risk_without`` it;
    * ``timing``: result tiers that depend on the days since the initial assessment; the ladders take a
      job as found ``days`` days after it, so they pay the ``tier`` (``amount_eur``) and never the
      ``later_tier`` (``later_amount_eur``).
    """
    rows = []
    for pid, m in priced_models(models).items():
        comps = m.get("components") or []
        by_id = {c["id"]: c for c in comps}
        base = {"pilot_id": pid, "pilot": names.get(pid, pid)}
        included = dict.fromkeys(cid for c in comps if c.get("kind") == "result" for cid in c.get("includes") or [])
        for cid in included:
            rows.append(base | {"reading": "included", "component": by_id[cid].get("label_en", cid),
                                "component_fi": by_id[cid].get("label_fi") or "",
                                "amount_eur": by_id[cid].get("amount_eur")})
        tops = [c["amount_eur"] for c in comps if c.get("kind") == "result" and c.get("amount_eur") is not None]
        for c in comps:
            if c.get("kind") == "fixed" and c.get("inferred") and c.get("trigger") in ("skills_assessment", "training"):
                without = {**m, "components": [x for x in comps if x is not c]}
                rows.append(base | {"reading": "separate_fee", "component": c.get("label_en", c["id"]),
                                    "component_fi": c.get("label_fi") or "", "amount_eur": c.get("amount_eur"),
                                    "share_of_top_result": (round(c["amount_eur"] / max(tops), 3)
                                                            if tops and c.get("amount_eur") is not None else np.nan),
                                    "share_at_risk": round(share_at_risk(m), 3),
                                    "share_at_risk_without": round(share_at_risk(without), 3)})
        early = [c for c in comps if (c.get("outcome") or {}).get("max_days_from_assessment") is not None]
        late = [c for c in comps if (c.get("outcome") or {}).get("min_days_from_assessment") is not None]
        for c in early:
            later = next(iter(late), None)
            rows.append(base | {"reading": "timing", "days": float(LADDER_DAYS_FROM_ASSESSMENT),
                                "tier": c.get("label_en", c["id"]), "amount_eur": c.get("amount_eur"),
                                "limit_days": float(c["outcome"]["max_days_from_assessment"]),
                                "later_tier": later.get("label_en", later["id"]) if later else "",
                                "later_amount_eur": later.get("amount_eur") if later else np.nan})
    return pd.DataFrame(rows)


def client_outcome(row) -> ClientOutcome:
    """A row of placements.csv as the engine's client outcome."""
    days = row.days_from_assessment
    return ClientOutcome(
        contract=row.outcome, months=float(row.contract_months), hours_per_week=float(row.hours_per_week),
        business_age_months=float(row.business_age_months),
        days_from_assessment=None if days is None or (isinstance(days, float) and math.isnan(days)) else float(days),
        started=True, assessed=True, report_delivered=bool(row.finished),
    )


def cost_per_outcome(models: dict[str, dict], placements: pd.DataFrame, names: dict[str, str]) -> pd.DataFrame:
    """Total cost of each pilot's (synthetic) clients through the engine, per starter and per paid result."""
    rows = []
    for pid, model in priced_models(models).items():
        clients = placements[placements["pilot_id"] == pid]
        if clients.empty:
            continue
        payments = pay_cohort(model, [client_outcome(r) for r in clients.itertuples(index=False)])
        total = sum(p.total for p in payments)  # NaN (not computable) if any payment has an unprinted part
        paid_results = sum(1 for p in payments if p.earned_result)
        rows.append({
            "pilot_id": pid, "pilot": names.get(pid, pid), "starters": len(clients),
            "employments_paid": paid_results,
            "employments_reported_fee_eligible": int(clients["fee_eligible_reported"].sum()),
            "total_cost_eur": round(total, 0), "fixed_eur": round(sum(p.fixed for p in payments), 0),
            "results_eur": round(sum(p.results for p in payments), 0),
            "cost_per_starter_eur": round(total / len(clients), 0),
            "cost_per_paid_employment_eur": round(total / paid_results, 0) if paid_results else np.nan,
            "complete": all(p.complete for p in payments), "price_eur": default_price(model),
            "synthetic": True,
        })
    return pd.DataFrame(rows)


COST_REVEALS_COUNT = ("employments_paid", "total_cost_eur", "results_eur", "cost_per_starter_eur",
                      "cost_per_paid_employment_eur")


def protect_costs(cost: pd.DataFrame, min_n: int | None = None) -> pd.DataFrame:
    """The cost table as it may be published: where fewer than ``min_n`` (but some) clients earned a
    result payment, their count is suppressed with every figure that gives it back (the total, the
    results part, the cost per starter and per paid employment)."""
    min_n = disclosure.min_cell() if min_n is None else min_n
    out = cost.copy()
    small = (out["employments_paid"] > 0) & (out["employments_paid"] < min_n)
    out["suppressed"] = small
    for column in COST_REVEALS_COUNT:
        out[column] = out[column].astype(float).where(~small)
    out["employments_paid"] = out["employments_paid"].astype("Int64")  # a count stays an integer
    return out


# --------------------------------------------------------------------------- the tender
#
# A scoring rule (``tender_rule``) is a dict with the printed full-points price and price variation,
# the full price points and the points a bid at the buyer's maximum price earns.  We read the top of
# the scale, full-points price + variation, as that maximum price: above it a bid is not admissible
# (NaN).  Between the two ends the report's stepped scales are drawn as a straight line (ours).


def max_price(rule: dict) -> float:
    """The dearest admissible bid: the full-points price plus the price variation (our reading)."""
    return rule["full_points_price"] + rule["variation"]


def price_points(bid: float, rule: dict) -> float:
    """Points for price: ``max_points`` at or below the full-points price, ``min_points`` at the
    maximum price, a straight line between; NaN above the maximum price (not admissible)."""
    full, top = rule["full_points_price"], max_price(rule)
    if bid <= full:
        return float(rule["max_points"])
    if bid > top:
        return math.nan
    return rule["max_points"] - (rule["max_points"] - rule["min_points"]) * (bid - full) / rule["variation"]


def tender_score(bid: float, quality: float, price_weight: float, rule: dict) -> float:
    """Weighted score 0-100: price points (as a share of full points) and a quality score (0-1),
    weighted by ``price_weight`` (0-1); NaN for a bid above the maximum price."""
    price_part = price_points(bid, rule) / rule["max_points"]
    return round(100 * (price_weight * price_part + (1 - price_weight) * quality), 3)


def tender_curves(weights: tuple[float, ...], quality: float, bids: np.ndarray, rule: dict) -> pd.DataFrame:
    rows = [{"price_weight": w, "bid_eur": float(b), "quality": quality,
             "score": tender_score(float(b), quality, w, rule)}
            for w in weights for b in bids]
    return pd.DataFrame(rows)


def _price_scale_worth(price_weight: float, rule: dict) -> float:
    """Quality points (of 100) the whole price scale is worth: what a bid at the maximum price loses."""
    lost_share = (rule["max_points"] - rule["min_points"]) / rule["max_points"]
    return 100 * price_weight * lost_share / (1 - price_weight)


def quality_needed(price_weight: float, premium_eur: float, rule: dict) -> float:
    """Quality advantage (points of 100) a bid ``premium_eur`` above the full-points price needs to tie;
    NaN when the bid would be above the maximum price."""
    points = price_points(rule["full_points_price"] + premium_eur, rule)
    lost = price_weight * (1 - points / rule["max_points"])
    return round(100 * lost / (1 - price_weight), 2)


def highest_winning_bid(price_weight: float, quality_lead: float, rule: dict) -> float:
    """The dearest bid with which a bidder ``quality_lead`` points (of 100) better still ties a rival
    at the full-points price; the maximum price when the lead outweighs all that price can take away."""
    worth = _price_scale_worth(price_weight, rule)
    if quality_lead >= worth:
        return max_price(rule)
    return round(rule["full_points_price"] + rule["variation"] * quality_lead / worth, 2)


# --------------------------------------------------------------------------- the fees chapter's steps


def status_counts(models: dict[str, dict]) -> dict[str, int]:
    """How many pilots there are, for how many the report describes no fee model, how many models the
    engine prices, and how many of the described ones the report prints partly or without amounts."""
    statuses = [m.get("status") for m in models.values()]
    return {"models": len(models), "priced": len(priced_models(models)),
            "not_described": statuses.count("not_described"),
            "described": len(models) - statuses.count("not_described"),
            "partly_known": statuses.count("partly_known"), "unknown": statuses.count("unknown")}


def figure_8_boxes(models: dict[str, dict]) -> dict[str, dict]:
    """``{pilot_id: box}`` of the models with a box in the report's Figure 8 (``figure_8`` in the data):
    how the box is tied to the pilot (its label, or its amounts) and where it is in the text dump."""
    return {pid: m["figure_8"] for pid, m in models.items() if m.get("figure_8")}


def model_citing(models: dict[str, dict], source: str) -> dict[str, dict]:
    """``{pilot_id: model}`` of the first model with a component whose source starts with ``source``
    (e.g. "Table 7"); empty when no model cites it."""
    for pid, m in models.items():
        if any(c.get("source", "").startswith(source) for c in m.get("components") or []):
            return {pid: m}
    return {}


def tender_rule(models: dict[str, dict], names: dict[str, str]) -> dict:
    """The printed price-scoring rule of the first model that has one: full-points price, price
    variation, full price points and the points at the buyer's maximum price, with the pilot the
    rule is attributed to and, where the attribution is inferred, how and the alternative pilot."""
    needed = ("full_points_price_eur", "price_variation_eur", "full_points", "points_at_max_price")
    for pid, m in models.items():
        p = m.get("procurement") or {}
        if p.get("full_points_price_eur") is None or p.get("price_variation_eur") is None:
            continue
        missing = [k for k in needed if p.get(k) is None]
        if missing:
            raise ValueError(f"{pid}: the price-scoring rule (procurement) lacks {', '.join(missing)}")
        attribution = p.get("attribution") or {}
        alternative = attribution.get("alternative_pilot_id")
        return {"pilot": names.get(pid, pid), "pilot_id": pid,
                "full_points_price": float(p["full_points_price_eur"]),
                "variation": float(p["price_variation_eur"]),
                "max_points": float(p["full_points"]), "min_points": float(p["points_at_max_price"]),
                "price_weight_pct": p.get("price_weight_pct"), "wording_fi": p.get("wording_fi"),
                "attribution_inferred_from": attribution.get("inferred_from"),
                "attribution_lines": tuple(attribution.get("lines") or ()),
                "alternative_pilot_id": alternative,
                "alternative_pilot": names.get(alternative, alternative) if alternative else None}
    raise ValueError("no fee model prints a price-scoring rule (procurement.full_points_price_eur)")


def tender_illustration(rule: dict, weights, quality: float, step: float = 25, margin: float = 200) -> pd.DataFrame:
    """Score of every bid from ``margin`` below the full-points price up to the maximum price (in steps
    of ``step`` euros), for one bidder of ``quality`` (0-1), per price weight."""
    bids = np.arange(rule["full_points_price"] - margin, max_price(rule) + 1, step)
    return tender_curves(tuple(weights), quality, bids, rule)


def quality_needed_grid(rule: dict, weights, premiums) -> pd.DataFrame:
    """Per price weight and bid premium: the quality lead (points of 100) needed to tie (NaN for a bid
    above the maximum price)."""
    return pd.DataFrame([{"price_weight": w, "premium_eur": p, "quality_points_needed": quality_needed(w, p, rule)}
                         for w in weights for p in premiums])


def winning_bids_grid(rule: dict, weights, leads) -> pd.DataFrame:
    """Per price weight and quality lead: the dearest bid that still ties a rival at the full-points price,
    and whether it is capped by the maximum price."""
    rows = []
    for w in weights:
        for lead in leads:
            bid = highest_winning_bid(w, lead, rule)
            rows.append({"price_weight": w, "quality_lead_points": lead, "highest_winning_bid_eur": bid,
                         "at_max_price": bid >= max_price(rule)})
    return pd.DataFrame(rows)
