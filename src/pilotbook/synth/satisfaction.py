"""SYNTHETIC answers to the Pirkanmaa Back to Business customer survey (chapter 2.4, Figure 7),
generated to reproduce the respondents, shares, means and grades the report prints.  What it
assumes where the report prints nothing is listed in :data:`pilotbook.synth.survey.ASSUMPTIONS`."""

from __future__ import annotations

import numpy as np
import pandas as pd

from pilotbook import settings
from pilotbook.contracts.office_split import printed_value as _printed
from pilotbook.io.codebook import Codebook
from pilotbook.synth.allocation import expand, largest_remainder, round_half_up

# ---- assumed where the report prints nothing (listed in the book)
OVER_MARGIN = 2  # a share printed as "over p %" is generated as p + 2 %
CONTACTS_RANGE = (1, 40)
SATISFACTION_CANT_SAY = 0.06
STATEMENT_SHAPE = (0.10, 0.10, 0.15, 0.30, 0.35)  # 1..5: "experiences vary widely"
GRADE_SHAPE = (0.01, 0.02, 0.03, 0.05, 0.07, 0.12, 0.20, 0.24, 0.16, 0.10)  # 1..10
EFFECT_SHAPE = (0.12, 0.08, 0.10, 0.10, 0.15, 0.12, 0.10, 0.10, 0.07, 0.06)  # 1..10
EMPLOYED_PCT_DEFAULT = 30


def _counts_with_mean(n: int, total: int, shape, points: list[int]) -> dict[int, int]:
    """Counts over ``points`` whose values add up to ``total`` exactly: ``shape`` tilted
    (exponentially) to the mean ``total / n``, then moved one step at a time where rounding left a gap."""
    shape, pts = np.asarray(shape, dtype=float), np.asarray(points, dtype=float)
    target = total / n if n else 0.0

    def tilted(theta: float) -> np.ndarray:
        w = shape * np.exp(theta * (pts - pts.mean()))
        return w / w.sum()

    low, high = -20.0, 20.0
    for _ in range(100):  # bisection: the tilted mean grows with theta
        mid = (low + high) / 2
        low, high = (mid, high) if tilted(mid) @ pts < target else (low, mid)
    counts = largest_remainder(n, tilted((low + high) / 2).tolist())
    value = sum(p * c for p, c in zip(points, counts))
    while value != total:
        step = 1 if value < total else -1
        movable = [i for i in range(len(points)) if counts[i] > 0 and 0 <= i + step < len(points)]
        i = max(movable, key=lambda j: (counts[j], -j if step > 0 else j))
        counts[i] -= 1
        counts[i + step] += 1
        value += points[i + step] - points[i]
    return dict(zip(points, counts))


def _pilot_pct_employed(outcomes: pd.DataFrame | None, pilot_id: str) -> float:
    if outcomes is None:
        return EMPLOYED_PCT_DEFAULT
    rows = outcomes[(outcomes["pilot_id"] == pilot_id) & (outcomes["metric"] == "pct_fee_eligible_of_finished")
                    & outcomes["source"].str.startswith("Table")]
    return float(rows["value"].iloc[0]) if len(rows) else EMPLOYED_PCT_DEFAULT


def generate_satisfaction(published: pd.DataFrame, codebook: pd.DataFrame, outcomes: pd.DataFrame | None = None,
                          seed: int | None = None) -> pd.DataFrame:
    """One row per (synthetic) answer to the customer survey of the pilot whose Figure 7 is printed."""
    cb = Codebook(codebook)
    seed = settings.current().seed_survey if seed is None else seed
    rng = np.random.default_rng(seed + 1)
    fig7 = published[published["figure"] == "Figure 7"]
    if fig7.empty:
        raise ValueError("satisfaction_published.csv has no Figure 7 rows to generate from")
    pilot = fig7["pilot_id"].iloc[0]
    mine = published[published["pilot_id"] == pilot]

    def printed(item: str, statistic: str) -> float | None:
        return _printed(mine, item=item, statistic=statistic)

    n = int(printed("respondents", "respondents"))
    frame = pd.DataFrame({"respondent_id": [f"C{i + 1:04d}" for i in range(n)]})

    heard = printed("heard_via_invitation_letter", "share")
    k = round_half_up(n * (heard + OVER_MARGIN) / 100) if heard is not None else n
    frame["heard_via_invitation_letter"] = rng.permutation([True] * k + [False] * (n - k))

    low, high = printed("contacts_with_provider_low", "mean"), printed("contacts_with_provider_high", "mean")
    mean = (low + high) / 2 if low is not None and high is not None else 8.0
    contacts = np.clip(rng.negative_binomial(4, 4 / (4 + mean), size=n), *CONTACTS_RANGE)
    target = round_half_up(mean * n)
    while contacts.sum() != target:
        i = int(rng.integers(n))
        step = 1 if contacts.sum() < target else -1
        if CONTACTS_RANGE[0] <= contacts[i] + step <= CONTACTS_RANGE[1]:
            contacts[i] += step
    frame["contacts_with_provider"] = contacts

    for item in cb.items("satisfaction", figure="Figure 7").itertuples(index=False):
        scale = item.scale
        points, cs = cb.scale_points(scale), cb.cant_say(scale)
        k_cs = round_half_up(SATISFACTION_CANT_SAY * n)
        m = printed(item.name, "mean")
        counts = _counts_with_mean(n - k_cs, round_half_up(m * (n - k_cs)), STATEMENT_SHAPE, points)
        counts[cs] = k_cs
        frame[item.name] = rng.permutation(expand(counts))

    grade = printed("overall_grade", "mean")
    points = cb.scale_points(cb.scale_of("overall_grade"))
    counts = _counts_with_mean(n, round_half_up(grade * n), GRADE_SHAPE, points)
    frame["overall_grade"] = rng.permutation(expand(counts))

    employed = round_half_up(n * _pilot_pct_employed(outcomes, pilot) / 100)
    frame["employed_at_end"] = rng.permutation([True] * employed + [False] * (n - employed))
    effect = printed("effect_grade_employed", "mean")
    points = cb.scale_points(cb.scale_of("effect_grade_employed"))
    counts = _counts_with_mean(employed, round_half_up(effect * employed), EFFECT_SHAPE, points)
    values = pd.Series(pd.NA, index=frame.index, dtype="Int64")
    values[frame.index[frame["employed_at_end"]]] = rng.permutation(expand(counts))
    frame["effect_grade_employed"] = values
    frame["synthetic"] = True
    return frame
