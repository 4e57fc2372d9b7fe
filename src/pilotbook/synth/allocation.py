"""Helpers the three SYNTHETIC generators share: splitting a total into integers that keep it,
and writing a generated file deterministically."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd

from pilotbook.io.csvfile import write_csv


def largest_remainder(total: int, weights) -> list[int]:
    """Integers proportional to ``weights`` that add up to ``total`` (largest-remainder rounding;
    ties go to the earlier weight).  All-zero weights give all zeros."""
    w = np.asarray(list(weights), dtype=float)
    raw = total * w / w.sum() if w.sum() else np.zeros_like(w)
    base = np.floor(raw).astype(int)
    for i in np.argsort(-(raw - base), kind="stable")[: total - base.sum()]:
        base[i] += 1
    return base.tolist()


def split_by_share(total: int, shares: dict[str, float]) -> dict[str, int]:
    """``total`` persons split by percentage ``shares``, keyed as the shares are."""
    return dict(zip(shares, largest_remainder(total, shares.values())))


def round_half_up(x: float) -> int:
    """x rounded to the nearest integer, halves up (as the report rounds)."""
    return int(math.floor(x + 0.5))


def expand(counts: dict) -> list:
    """{code: how many} as the list of answers."""
    return [c for c, k in counts.items() for _ in range(k)]


def write(frame: pd.DataFrame, path: Path) -> None:
    write_csv(frame, path)
