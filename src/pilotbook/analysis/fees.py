"""The fee engine: what a pilot's fee model pays a provider for one client, itemised.

A model (``data/published/fee_models.yaml``) has *components*:

* ``fixed`` — paid for delivering a service step (start, initial assessment,
  report, licence or card training, skills assessment), whatever the outcome;
* ``result`` — paid for an outcome (a job of a kind and length, a business).
  A model's result tiers are alternatives: a client earns the best tier whose
  conditions the outcome meets.  A tier whose printed amount already contains a
  fixed component (its ``includes``, e.g. a reporting fee that is part of the bid
  amount) pays that component as the fixed part and only the rest for the result;
* ``bonus`` — paid per outcome on top, subject to the model's cap over the pilot.

Amounts are euros, or a share of the per-client price that the provider bid
within the model's range (the ``price`` argument; default: the range's midpoint).
An amount the report does not print is never taken as zero: the payment lists it
as unknown, and every figure derived from it is not computable (NaN).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import pandas as pd

from pilotbook.io.fee_models import price_range

FULL_TIME_HOURS = 37.5
CONTRACTS = ("none", "permanent", "fixed_term", "part_time", "business")
TRIGGERS = ("start", "assessment", "report", "training", "skills_assessment", "delivered", "outcome")
KINDS = ("fixed", "result", "bonus")


@dataclass(frozen=True)
class ClientOutcome:
    """What happened to one client, as far as any fee model asks."""

    contract: str = "none"  # none | permanent | fixed_term | part_time | business
    months: float = 0.0  # contract length; a permanent contract counts as unlimited
    hours_per_week: float = FULL_TIME_HOURS
    business_age_months: float = 0.0  # how long the business has operated
    days_from_assessment: float | None = None  # job found this many days after the initial assessment
    months_from_start: float | None = None  # contract signed this many months after starting
    started: bool = True
    assessed: bool = True
    report_delivered: bool = True
    trainings: int = 0  # licence or card trainings delivered
    skills_assessments: int = 0  # separate skills assessments delivered (not the initial assessment)
    ownership_change: bool = False  # the job or business is in a firm changing owners (Kainuu, Satakunta)

    def __post_init__(self):
        if self.contract not in CONTRACTS:
            raise ValueError(f"contract must be one of {CONTRACTS}, got {self.contract!r}")

    @property
    def effective_months(self) -> float:
        return math.inf if self.contract == "permanent" else self.months

    @property
    def has_job(self) -> bool:
        return self.contract in ("permanent", "fixed_term", "part_time")


@dataclass(frozen=True)
class Item:
    component: str
    label: str
    kind: str
    amount: float


@dataclass
class Payment:
    pilot_id: str
    items: list[Item] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)  # components due whose amount the report does not print
    unknown_kinds: list[str] = field(default_factory=list)  # the kind (fixed, result, bonus) of each of them

    @property
    def known(self) -> float:
        """The sum of the parts whose amounts are printed (a lower bound when the payment is incomplete)."""
        return round(sum(i.amount for i in self.items), 2)

    @property
    def total(self) -> float:
        """The whole payment; NaN (not computable) when a part due has no printed amount."""
        return self.known if self.complete else math.nan

    @property
    def fixed(self) -> float:
        if "fixed" in self.unknown_kinds:
            return math.nan
        return round(sum(i.amount for i in self.items if i.kind == "fixed"), 2)

    @property
    def results(self) -> float:
        if any(k != "fixed" for k in self.unknown_kinds):
            return math.nan
        return round(sum(i.amount for i in self.items if i.kind != "fixed"), 2)

    @property
    def complete(self) -> bool:
        return not self.unknown

    @property
    def earned_result(self) -> bool:
        """Did the client earn a result or bonus payment (priced or not)?"""
        return any(i.kind != "fixed" and i.amount > 0 for i in self.items) or any(
            k != "fixed" for k in self.unknown_kinds)

    def _unknown(self, component: dict) -> None:
        self.unknown.append(component["id"])
        self.unknown_kinds.append(component.get("kind", "fixed"))


# --------------------------------------------------------------------------- models


def default_price(model: dict) -> float | None:
    rng = price_range(model)
    return None if rng is None else (rng[0] + rng[1]) / 2


def component_amount(component: dict, price: float | None) -> float | None:
    """Euros for one component: its printed amount, or its share of the price."""
    if component.get("amount_eur") is not None and component.get("share_of_price") is None:
        return float(component["amount_eur"])
    if component.get("share_of_price") is not None:
        if price is None:
            return float(component["amount_eur"]) if component.get("amount_eur") is not None else None
        return round(float(component["share_of_price"]) * price, 2)
    return None


def matches(spec: dict | None, client: ClientOutcome) -> bool:
    """Does the client's outcome meet a result tier's conditions?"""
    spec = spec or {}
    kind = spec.get("kind", "any_job")
    if spec.get("ownership_change") and not client.ownership_change:
        return False
    if kind == "business":
        if client.contract != "business":
            return False
        return client.business_age_months >= float(spec.get("business_min_age_months") or 0)
    if not client.has_job:
        return False
    if kind == "permanent" and client.contract != "permanent":
        return False
    if kind == "fixed_term" and client.contract not in ("fixed_term", "permanent"):
        return False
    if spec.get("part_time_only") and client.contract != "part_time":
        return False
    # part_time and any_job: any job meets them, if long and large enough
    shortest = float(spec.get("min_months") or 0)
    if client.effective_months < shortest or (spec.get("min_months_over") and client.effective_months <= shortest):
        return False  # "over" (yli) N months: exactly N months does not qualify (our literal reading)
    if spec.get("max_months") is not None and client.effective_months > float(spec["max_months"]):
        return False
    if client.hours_per_week < float(spec.get("min_hours_per_week") or 0):
        return False
    if spec.get("max_days_from_assessment") is not None:
        if client.days_from_assessment is None or client.days_from_assessment > float(spec["max_days_from_assessment"]):
            return False
    if spec.get("min_days_from_assessment") is not None:
        if client.days_from_assessment is None or client.days_from_assessment < float(spec["min_days_from_assessment"]):
            return False
    if spec.get("within_months_of_start") is not None and client.months_from_start is not None:
        if client.months_from_start > float(spec["within_months_of_start"]):
            return False
    return True


def _fixed_due(component: dict, client: ClientOutcome) -> int:
    """How many times a fixed component is due for this client."""
    trigger = component.get("trigger", "delivered")
    if trigger in ("start", "delivered"):
        return int(client.started)
    if trigger == "assessment":
        return int(client.assessed)
    if trigger == "report":
        return int(client.report_delivered)
    counted = {"training": client.trainings, "skills_assessment": client.skills_assessments}
    if trigger in counted:
        return min(counted[trigger], int(component.get("per_client_max") or 1))
    raise ValueError(f"unknown trigger {trigger!r} of fixed component {component.get('id')!r}")


def _included_amount(model: dict, tier: dict, price: float | None) -> float | None:
    """Euros of the fixed components a result tier's amount contains (its ``includes``); None if unprinted."""
    by_id = {c["id"]: c for c in model.get("components") or []}
    total = 0.0
    for cid in tier.get("includes") or []:
        amount = component_amount(by_id[cid], price)
        if amount is None:
            return None
        total += amount
    return total


def pay(model: dict, client: ClientOutcome, price: float | None = None) -> Payment:
    """The itemised payment for one client under one model."""
    price = default_price(model) if price is None else float(price)
    rng = price_range(model)
    if rng is not None and not (rng[0] <= price <= rng[1]):
        raise ValueError(f"{model['pilot_id']}: price {price} is outside the model's range {rng[0]:g}–{rng[1]:g}")
    payment = Payment(model["pilot_id"])
    components = model.get("components") or []
    best: tuple[float, dict] | None = None
    unpriced_result = False  # a tier the outcome meets whose amount the report does not print
    for c in components:
        if c.get("kind") not in ("result", "bonus") or not matches(c.get("outcome"), client):
            continue
        amount = component_amount(c, price)
        if amount is None:
            payment._unknown(c)
            unpriced_result = unpriced_result or c["kind"] == "result"
            continue
        if c["kind"] == "bonus":
            payment.items.append(Item(c["id"], c.get("label_en", c["id"]), "bonus", amount))
        elif best is None or amount > best[0]:
            best = (amount, c)
    if best is not None:
        amount, tier = best
        included = _included_amount(model, tier, price)
        if included is None:
            payment._unknown(tier)
        else:
            if included > amount + 1e-9:
                raise ValueError(f"{model['pilot_id']}: result tier {tier['id']!r} pays {amount:g} €, less than the "
                                 f"{included:g} € of fixed parts it is said to include ({tier.get('includes')})")
            payment.items.append(Item(tier["id"], tier.get("label_en", tier["id"]), "result",
                                      round(amount - included, 2)))
    for c in components:
        if c.get("kind") != "fixed":
            continue
        if c.get("only_without_result") and (best is not None or unpriced_result):
            continue
        times = _fixed_due(c, client)
        if not times:
            continue
        amount = component_amount(c, price)
        if amount is None:
            payment._unknown(c)
            continue
        payment.items.append(Item(c["id"], c.get("label_en", c["id"]), "fixed", round(amount * times, 2)))
    return payment


def pay_cohort(model: dict, clients: list[ClientOutcome], price: float | None = None) -> list[Payment]:
    """Payments for a pilot's clients, applying the model's cap on paid bonuses over the pilot."""
    cap = (model.get("cap") or {}).get("max_paid_outcomes")
    paid = 0
    out = []
    for client in clients:
        payment = pay(model, client, price)
        if cap is not None:
            kept = []
            for item in payment.items:
                if item.kind == "bonus":
                    if paid >= cap:
                        continue
                    paid += 1
                kept.append(item)
            payment.items = kept
        out.append(payment)
    return out


# --------------------------------------------------------------------------- ladders


# Every standard client received each paid service step once: the start, the initial assessment,
# the report, one licence or card training and one skills assessment, wherever a model pays for them
# (the report's own Figure 8 counts one training into Keski-Suomi's fixed part, lines 1357-1360).
SERVICE = {"trainings": 1, "skills_assessments": 1}
# A ladder's job is taken as found this many days after the initial assessment (it matters only where
# a tier depends on it: Pohjois-Savo pays less for a job found more than a month after it).
LADDER_DAYS_FROM_ASSESSMENT = 14

LADDER: tuple[tuple[str, ClientOutcome], ...] = (
    ("No job (service delivered)", ClientOutcome("none", **SERVICE)),
    ("Part-time job, 3 months, 20 h/week", ClientOutcome("part_time", months=3, hours_per_week=20, **SERVICE)),
    ("Fixed-term job, 3 months", ClientOutcome("fixed_term", months=3, **SERVICE)),
    ("Fixed-term job, 6 months", ClientOutcome("fixed_term", months=6, **SERVICE)),
    ("Fixed-term job, 12 months", ClientOutcome("fixed_term", months=12, **SERVICE)),
    ("Permanent job", ClientOutcome("permanent", **SERVICE)),
    ("New business (operating 6 months)", ClientOutcome("business", business_age_months=6, **SERVICE)),
)
# Outcomes only some models pay for (an ownership change): a ladder lists one only for a model with a
# tier or bonus that pays for it, so no other model's ladder shows it.
OWNERSHIP_CHANGE_LADDER: tuple[tuple[str, ClientOutcome], ...] = (
    ("Apprenticeship job of 6 months in a firm changing owners",
     ClientOutcome("fixed_term", months=6, ownership_change=True, **SERVICE)),
    ("Ownership change completed (a business taken over)",
     ClientOutcome("business", business_age_months=6, ownership_change=True, **SERVICE)),
)


def _ladder_outcomes(model: dict) -> list[tuple[str, ClientOutcome]]:
    special = [c.get("outcome") for c in model.get("components") or []
               if (c.get("outcome") or {}).get("ownership_change")]
    extra = [(name, client) for name, client in OWNERSHIP_CHANGE_LADDER if any(matches(o, client) for o in special)]
    return list(LADDER) + extra


def _read_as_at_least(model: dict) -> dict:
    """The model with every "over N months" read as "at least N months" (to show what our reading changes)."""
    copy = {**model, "components": [
        {**c, "outcome": {k: v for k, v in c["outcome"].items() if k != "min_months_over"}}
        if c.get("outcome") else c for c in model.get("components") or []]}
    return copy


def _tier(model: dict, component_id: str) -> dict:
    return next(c for c in model.get("components") or [] if c["id"] == component_id)


def _paid_tier(payment: Payment) -> str | None:
    return next((i.component for i in payment.items if i.kind == "result"), None)


def ladder(model: dict, price: float | None = None,
           days_from_assessment: float = LADDER_DAYS_FROM_ASSESSMENT) -> pd.DataFrame:
    """What the model pays for each standard outcome: fixed part, results part, total.

    Where a part due has no printed amount, the parts it touches and the total are NaN (not
    computable); ``known_eur`` keeps the sum of the printed parts and ``unknown_components`` names
    the rest.  Two columns say where a reading of ours decides a row: ``over_tier`` names the tier
    that the report pays for a contract of *over* N months (``over_months``), which we read as not
    paying exactly N (``over_results_eur``: the results part if it did); ``timing_tier`` names the
    tier paid because the job is taken as found ``days_from_assessment`` days after the initial
    assessment (``timing_results_later_eur``: the results part had it been found after the tier's
    limit)."""
    rng = price_range(model)
    at_least = _read_as_at_least(model)
    rows = []
    for name, client in _ladder_outcomes(model):
        client = ClientOutcome(**{**client.__dict__, "days_from_assessment": days_from_assessment})
        p = pay(model, client, price)
        row = {"pilot_id": model["pilot_id"], "outcome": name, "fixed_eur": p.fixed,
               "results_eur": p.results, "total_eur": p.total, "known_eur": p.known,
               "complete": p.complete, "unknown_components": ";".join(p.unknown),
               "price_low_eur": rng[0] if rng else math.nan, "price_high_eur": rng[1] if rng else math.nan,
               "price_inferred": bool((model.get("price") or {}).get("inferred", False)),
               "days_from_assessment": days_from_assessment,
               "over_tier": "", "over_months": math.nan, "over_results_eur": math.nan,
               "timing_tier": "", "timing_results_later_eur": math.nan}
        loose = pay(at_least, client, price)
        gained = _paid_tier(loose)
        if gained is not None and gained != _paid_tier(p) and (_tier(model, gained).get("outcome") or {}).get(
                "min_months_over"):
            tier = _tier(model, gained)
            row.update(over_tier=tier.get("label_en", gained), over_months=float(tier["outcome"]["min_months"]),
                       over_results_eur=loose.results)
        paid = _paid_tier(p)
        limit = (_tier(model, paid).get("outcome") or {}).get("max_days_from_assessment") if paid else None
        if limit is not None:
            later = pay(model, ClientOutcome(**{**client.__dict__, "days_from_assessment": float(limit) + 1}), price)
            row.update(timing_tier=_tier(model, paid).get("label_en", paid), timing_results_later_eur=later.results)
        rows.append(row)
    return pd.DataFrame(rows)


def share_at_risk(model: dict, price: float | None = None) -> float:
    """Share of the largest payment for one client that depends on the outcome (0-1).

    NaN (not computable) when any standard outcome has a part whose amount the report does not
    print: the largest payment, and so the share, then depend on that amount."""
    table = ladder(model, price)
    if table.empty or not table["complete"].all() or table["total_eur"].max() <= 0:
        return float("nan")
    top = table.loc[table["total_eur"].idxmax()]
    return float(top["results_eur"] / top["total_eur"])


def unprinted(model: dict, price: float | None = None) -> list[str]:
    """Labels of the components a standard outcome is due but whose amount the report does not print."""
    ids = dict.fromkeys(cid for cell in ladder(model, price)["unknown_components"] for cid in cell.split(";") if cid)
    labels = {c["id"]: c.get("label_en", c["id"]) for c in model.get("components") or []}
    return [labels[cid] for cid in ids]
