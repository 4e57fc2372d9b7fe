"""What the fee models reward: comparisons across pilots, costs, and the tender mechanism.

Built on the engine in :mod:`pilotbook.analysis.fees`.  Functions return tidy tables for
the fees chapter and the pilot chapters.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from pilotbook.analysis import disclosure

from pilotbook.analysis.fees import ClientOutcome, default_price, ladder, pay, pay_cohort, share_at_risk
from pilotbook.io.fee_models import price_range

# The outcomes Figure 8 lets a reader compare, as clients the engine can price.
COMPARE: tuple[tuple[str, str, ClientOutcome], ...] = (
    ("no_job", "No job: paid regardless of results", ClientOutcome("none")),
    ("fixed_3_6m", "Fixed-term job, 3-6 months", ClientOutcome("fixed_term", months=3, days_from_assessment=14)),
    ("permanent", "Permanent job", ClientOutcome("permanent", days_from_assessment=14)),
    ("business", "New business", ClientOutcome("business", business_age_months=6, days_from_assessment=14)),
)


def priced_models(models: dict[str, dict]) -> dict[str, dict]:
    """Models the engine can price (status known or partly known, per-client components)."""
    return {pid: m for pid, m in models.items()
            if m.get("status") in ("known", "partly_known") and m.get("basis") in ("euro", "share_of_price")
            and m.get("components")}


def comparison(models: dict[str, dict], names: dict[str, str]) -> pd.DataFrame:
    """Figure 8 as data: per pilot and outcome, the fixed and results parts (at low, mid, high price)."""
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
                "complete": mid.complete, "price_eur": prices["mid"],
            })
    return pd.DataFrame(rows)


def ladders(models: dict[str, dict], names: dict[str, str]) -> pd.DataFrame:
    frames = [ladder(m).assign(pilot=names.get(pid, pid), price_eur=default_price(m))
              for pid, m in priced_models(models).items()]
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()


def at_risk(models: dict[str, dict], names: dict[str, str]) -> pd.DataFrame:
    rows = []
    for pid, m in priced_models(models).items():
        rng = price_range(m)
        rows.append({"pilot_id": pid, "pilot": names.get(pid, pid),
                     "share_at_risk": round(share_at_risk(m), 3),
                     "share_at_risk_low_price": round(share_at_risk(m, rng[0]), 3) if rng else np.nan,
                     "share_at_risk_high_price": round(share_at_risk(m, rng[1]), 3) if rng else np.nan})
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
        total = sum(p.total for p in payments)
        paid_results = sum(1 for p in payments if p.results > 0)
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


def price_points(bid: float, full_points_price: float, variation: float, max_points: float = 5.0) -> float:
    """Points for price: full points at or below ``full_points_price``, falling linearly to 0 at
    ``full_points_price + variation`` (our reading of the printed Uusimaa rule)."""
    if bid <= full_points_price:
        return max_points
    return max(0.0, max_points * (1 - (bid - full_points_price) / variation))


def tender_score(bid: float, quality: float, price_weight: float, full_points_price: float = 1600,
                 variation: float = 300, max_points: float = 5.0) -> float:
    """Weighted score 0-100: price points and a quality score (0-1) weighted by price_weight (0-1)."""
    price_part = price_points(bid, full_points_price, variation, max_points) / max_points
    return round(100 * (price_weight * price_part + (1 - price_weight) * quality), 3)


def tender_curves(weights: tuple[float, ...], quality: float, bids: np.ndarray,
                  full_points_price: float = 1600, variation: float = 300) -> pd.DataFrame:
    rows = [{"price_weight": w, "bid_eur": float(b), "quality": quality,
             "score": tender_score(float(b), quality, w, full_points_price, variation)}
            for w in weights for b in bids]
    return pd.DataFrame(rows)


def quality_needed(price_weight: float, premium_eur: float, full_points_price: float = 1600,
                   variation: float = 300) -> float:
    """Quality advantage (points of 100) a bid ``premium_eur`` above the full-points price needs to tie."""
    lost = price_weight * (1 - price_points(full_points_price + premium_eur, full_points_price, variation) / 5.0)
    return round(100 * lost / (1 - price_weight), 2)


def highest_winning_bid(price_weight: float, quality_lead: float, full_points_price: float = 1600,
                        variation: float = 300) -> float:
    """The dearest bid with which a bidder ``quality_lead`` points (of 100) better still ties a rival
    at the full-points price; ``inf`` when the lead outweighs everything price can take away."""
    max_loss = 100 * price_weight / (1 - price_weight)  # quality points the whole price scale is worth
    if quality_lead >= max_loss:
        return math.inf
    premium = quality_lead * (1 - price_weight) * variation / (100 * price_weight)
    return round(full_points_price + premium, 2)


# --------------------------------------------------------------------------- the fees chapter's steps


def status_counts(models: dict[str, dict]) -> dict[str, int]:
    """How many models there are, how many the engine prices, how many are partly or not at all printed."""
    statuses = [m.get("status") for m in models.values()]
    return {"models": len(models), "priced": len(priced_models(models)),
            "partly_known": statuses.count("partly_known"), "unknown": statuses.count("unknown")}


def model_citing(models: dict[str, dict], source: str) -> dict[str, dict]:
    """``{pilot_id: model}`` of the first model with a component whose source starts with ``source``
    (e.g. "Table 7"); empty when no model cites it."""
    for pid, m in models.items():
        if any(c.get("source", "").startswith(source) for c in m.get("components") or []):
            return {pid: m}
    return {}


def tender_rule(models: dict[str, dict], names: dict[str, str]) -> dict:
    """The printed price-scoring rule (full-points price and variation) of the first model that has one."""
    for pid, m in models.items():
        p = m.get("procurement") or {}
        if p.get("full_points_price_eur") is not None and p.get("price_variation_eur") is not None:
            return {"pilot": names.get(pid, pid), "pilot_id": pid,
                    "full_points_price": float(p["full_points_price_eur"]),
                    "variation": float(p["price_variation_eur"]),
                    "price_weight_pct": p.get("price_weight_pct")}
    raise ValueError("no fee model prints a price-scoring rule (procurement.full_points_price_eur)")


def tender_illustration(rule: dict, weights, quality: float, step: float = 25, margin: float = 200) -> pd.DataFrame:
    """Score of every bid from ``margin`` below the full-points price to ``margin`` above the zero-points
    price (in steps of ``step`` euros), for one bidder of ``quality`` (0-1), per price weight."""
    full, variation = rule["full_points_price"], rule["variation"]
    bids = np.arange(full - margin, full + variation + margin + 1, step)
    return tender_curves(tuple(weights), quality, bids, full, variation)


def quality_needed_grid(rule: dict, weights, premiums) -> pd.DataFrame:
    """Per price weight and bid premium: the quality lead (points of 100) needed to tie."""
    return pd.DataFrame([{"price_weight": w, "premium_eur": p,
                          "quality_points_needed": quality_needed(w, p, rule["full_points_price"], rule["variation"])}
                         for w in weights for p in premiums])


def winning_bids_grid(rule: dict, weights, leads) -> pd.DataFrame:
    """Per price weight and quality lead: the dearest bid that still ties a rival at the full-points price."""
    return pd.DataFrame([{"price_weight": w, "quality_lead_points": lead,
                          "highest_winning_bid_eur": highest_winning_bid(w, lead, rule["full_points_price"],
                                                                         rule["variation"])}
                         for w in weights for lead in leads])
