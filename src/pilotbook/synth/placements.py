"""Synthetic client-level example data, generated from the published margins.

The pilots' client registers are not public.  ``placements.csv`` has the shape a
researcher with access would bring (one row per client of a pilot) and is built
so that its aggregates reproduce the report's: starters, finishers and
fee-eligible employments of Tables 4-5, the employments by kind of contract the
report lists, and, for the Uusimaa ICT pilot, the finishers and shares of each
provider (Table 3).  Every row says ``synthetic = true``.

Where the report is silent the generator assumes, and says so in
:data:`ASSUMPTIONS` (shown in the book): e.g. an employment of unknown kind is a
3-month fixed-term job; days from the initial assessment are drawn uniformly.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from pilotbook import settings
from pilotbook.analysis import results
from pilotbook.contracts.cross_file import NOT_A_KIND, UNKNOWN_KIND as UNSPECIFIED
from pilotbook.synth.allocation import largest_remainder, write

# The report's contract types as client outcomes: (contract, months, hours per week, business age)
CONTRACT_OUTCOMES: dict[str, tuple[str, float, float, float]] = {
    "permanent": ("permanent", 0, 37.5, 0),
    "permanent_or_fixed_over_12m": ("permanent", 0, 37.5, 0),
    "fixed_over_12m": ("fixed_term", 13, 37.5, 0),
    "fixed_7_12m": ("fixed_term", 7, 37.5, 0),
    "fixed_6_12m": ("fixed_term", 6, 37.5, 0),
    "fixed_min_6m": ("fixed_term", 6, 37.5, 0),
    "full_time_over_6m": ("fixed_term", 7, 37.5, 0),
    "fixed_3_6m": ("fixed_term", 3, 37.5, 0),
    "fixed_under_3m": ("fixed_term", 2, 37.5, 0),
    "part_time": ("part_time", 6, 20, 0),
    "entrepreneur": ("business", 0, 37.5, 6),
    "employed_other": ("fixed_term", 3, 37.5, 0),
    UNSPECIFIED: ("fixed_term", 3, 37.5, 0),
    "not_fee_eligible": ("fixed_term", 2, 37.5, 0),
}

ASSUMPTIONS = (
    "Clients are generated only for the pilots whose starters, finishers and fee-eligible employments the "
    "report's Tables 4 and 5 give.",
    "Every employment is held by a client who had finished the service (the report's shares of finishers).",
    "The kinds of contract come from the pilot's most detailed breakdown in the report; employments beyond "
    "that breakdown are of unknown kind and are generated as 3-month fixed-term jobs.",
    "Contract lengths are the lower end of each printed band (e.g. 'fixed-term 6-12 months' is 6 months); "
    "'permanent or fixed-term over 12 months' is treated as permanent; part-time jobs are 6 months at "
    "20 hours a week; new businesses have operated 6 months when the fee falls due.",
    "Employments the report says did not entitle the provider to a fee are generated as 2-month "
    "fixed-term jobs (too short for any fee tier).",
    "Where a breakdown has its own total that includes the jobs without a fee (Uusimaa ICT, chapter 7: "
    "226 employments, 38 of them without a fee), the employments follow that breakdown, and the summary "
    "table's count is read as all employments, as the report's chapter 4.2 says.",
    "Days from the initial assessment to the job are drawn uniformly from 5 to 60 (the report gives no "
    "distribution; only the Pohjois-Savo model depends on it).",
    "For the Uusimaa ICT pilot, finishers are split among the six providers exactly as in Table 3 and "
    "employments as each provider's printed share implies; starters who had not finished get a provider "
    "in proportion to the finishers.",
)


@dataclass(frozen=True)
class Margins:
    pilot_id: str
    started: int
    finished: int
    fee_eligible: int
    jobs: dict[str, int]  # contract type -> count, including unspecified and not_fee_eligible


def breakdown(contracts: pd.DataFrame, pilot_id: str) -> tuple[str | None, dict[str, int]]:
    """The pilot's most detailed contract-type breakdown: (source, type -> count)."""
    rows = contracts[(contracts["pilot_id"] == pilot_id) & ~contracts["contract_type"].isin(NOT_A_KIND)]
    if rows.empty:
        return None, {}
    best = rows.groupby("source")["contract_type"].count().sort_values(ascending=False, kind="stable").index[0]
    chosen = rows[rows["source"] == best]
    return best, {t: int(v) for t, v in zip(chosen["contract_type"], chosen["value"])}


def margins(pilots: pd.DataFrame, outcomes: pd.DataFrame, contracts: pd.DataFrame) -> list[Margins]:
    out = []
    for table in (4, 5):
        for r in results.results_table(pilots, outcomes, table).itertuples(index=False):
            if any(np.isnan(x) for x in (r.started, r.finished, r.fee_eligible)):
                continue
            source, jobs = breakdown(contracts, r.pilot_id)
            eligible_target = int(round(r.fee_eligible))
            total = contracts[(contracts["pilot_id"] == r.pilot_id) & (contracts["source"] == source)
                              & (contracts["contract_type"] == "total")]["value"]
            if "not_fee_eligible" in jobs and len(total):
                # the breakdown's own total counts the jobs without a fee too (Uusimaa ICT, chapter 7)
                eligible_target = int(total.iloc[0]) - jobs["not_fee_eligible"]
            eligible_listed = sum(v for k, v in jobs.items() if k != "not_fee_eligible")
            if eligible_listed < eligible_target:
                jobs[UNSPECIFIED] = eligible_target - eligible_listed
            if "not_fee_eligible" not in jobs:
                extra = _jobs_without_fee(contracts, r.pilot_id, source, eligible_target)
                if extra:
                    jobs["not_fee_eligible"] = extra
            out.append(Margins(r.pilot_id, int(r.started), int(r.finished), eligible_target, jobs))
    return out


def _jobs_without_fee(contracts: pd.DataFrame, pilot_id: str, source: str | None, eligible: int) -> int:
    """Employments without a fee: a total of all employments minus the fee-eligible ones.

    The total is the breakdown's own, else one printed beside the same fee-eligible count.
    """
    rows = contracts[contracts["pilot_id"] == pilot_id]
    by_source = {src: dict(zip(g["contract_type"], g["value"])) for src, g in rows.groupby("source")}
    candidates = [by_source.get(source, {}).get("total")] if source in by_source else []
    candidates += [v.get("total") for v in by_source.values() if v.get("fee_eligible") == eligible]
    totals = [int(t) for t in candidates if t is not None and t > eligible]
    return totals[0] - eligible if totals else 0


def _providers(providers: pd.DataFrame, pilot_id: str, m: Margins, n_jobs: int, rng) -> tuple[list[str], list[str]]:
    """Provider of each finisher (the employed first) and of each starter who had not finished."""
    rows = providers[(providers["pilot_id"] == pilot_id) & (providers["provider"] != "total")]
    if rows.empty or int(rows["finished"].sum()) != m.finished:
        return ["not reported"] * m.finished, ["not reported"] * (m.started - m.finished)
    names = rows["provider"].tolist()
    finished = rows["finished"].astype(int).tolist()
    employed = [min(e, f) for e, f in zip(largest_remainder(n_jobs, (rows["finished"] * rows[
        "pct_employed_or_entrepreneur_of_finished"]).tolist()), finished)]
    for i in range(len(names)):  # jobs a full provider could not take go to the next with room
        while sum(employed) < n_jobs and employed[i] < finished[i]:
            employed[i] += 1
    employed_list = [p for p, k in zip(names, employed) for _ in range(k)]
    rest = [p for p, f, e in zip(names, finished, employed) for _ in range(f - e)]
    rng.shuffle(rest)
    not_finished = [p for p, k in zip(names, largest_remainder(m.started - m.finished, finished)) for _ in range(k)]
    return employed_list + rest, not_finished


def generate(pilots: pd.DataFrame, outcomes: pd.DataFrame, contracts: pd.DataFrame,
             providers: pd.DataFrame, seed: int | None = None) -> pd.DataFrame:
    """One row per (synthetic) client of every pilot with Table 4/5 counts."""
    seed = settings.current().seed_placements if seed is None else seed
    rng = np.random.default_rng(seed)
    rows = []
    for m in margins(pilots, outcomes, contracts):
        jobs = [t for t, k in sorted(m.jobs.items()) for _ in range(k)]
        if len(jobs) > m.finished:
            raise ValueError(f"{m.pilot_id}: {len(jobs)} employments but only {m.finished} finishers")
        rng.shuffle(jobs)
        finisher_providers, other_providers = _providers(providers, m.pilot_id, m, len(jobs), rng)
        for i in range(m.started):
            finished = i < m.finished
            kind = jobs[i] if i < len(jobs) else None
            contract, months, hours, age = CONTRACT_OUTCOMES[kind] if kind else ("none", 0, 0, 0)
            rows.append({
                "client_id": f"S-{m.pilot_id}-{i + 1:04d}",
                "pilot_id": m.pilot_id,
                "provider": finisher_providers[i] if finished else other_providers[i - m.finished],
                "finished": finished,
                "contract_type": kind or "none",
                "outcome": contract,
                "contract_months": months,
                "hours_per_week": hours,
                "business_age_months": age,
                "days_from_assessment": int(rng.integers(5, 61)) if kind else None,
                "fee_eligible_reported": bool(kind) and kind != "not_fee_eligible",
                "synthetic": True,
            })
    frame = pd.DataFrame(rows)
    frame["days_from_assessment"] = frame["days_from_assessment"].astype("Int64")
    return frame


def write_example(data_dir: Path) -> dict[Path, int]:
    """Regenerate the SYNTHETIC example data of a data folder from its published margins:
    ``example/placements.csv`` here, and the survey files (:mod:`pilotbook.synth.survey`)."""
    from pilotbook.synth import survey as synth_survey
    from pilotbook.io.catalog import dataset, load

    frame = generate(load("pilots", data_dir), load("outcomes", data_dir), load("contract_types", data_dir),
                     load("providers", data_dir))
    path = dataset("placements").path(data_dir)
    write(frame, path)
    return {path: len(frame)} | synth_survey.write_example(data_dir)
