"""General statistics for shares: intervals, detectable differences and sample sizes.

The defaults come from the ``[register]`` settings (:mod:`pilotbook.settings`):
``confidence`` for the Wilson and Newcombe intervals, ``alpha`` and ``power`` for the
power calculations, ``detect_difference`` for the difference a randomised trial should
detect.  An explicit argument always wins over the setting.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from scipy import stats

from pilotbook import settings

Z95 = stats.norm.ppf(0.975)


def z_value(confidence: float | None = None) -> float:
    """The two-sided normal quantile of a ``confidence`` level (default: the setting)."""
    confidence = settings.current().confidence if confidence is None else confidence
    return float(stats.norm.ppf(1 - (1 - confidence) / 2))


def _z(z: float | None) -> float:
    return z_value() if z is None else z


def wilson(count, n, z: float | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Wilson score interval for a proportion (returns fractions); ``z`` defaults to the confidence setting."""
    z = _z(z)
    count, n = np.asarray(count, dtype=float), np.asarray(n, dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        p = count / n
        denom = 1 + z ** 2 / n
        centre = (p + z ** 2 / (2 * n)) / denom
        half = z * np.sqrt(p * (1 - p) / n + z ** 2 / (4 * n ** 2)) / denom
    return centre - half, centre + half


def newcombe(c1, n1, c2, n2, z: float | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Newcombe's hybrid score interval for p1 - p2 (fractions)."""
    z = _z(z)
    p1, p2 = np.asarray(c1, float) / np.asarray(n1, float), np.asarray(c2, float) / np.asarray(n2, float)
    l1, u1 = wilson(c1, n1, z)
    l2, u2 = wilson(c2, n2, z)
    d = p1 - p2
    lower = d - np.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2)
    upper = d + np.sqrt((u1 - p1) ** 2 + (p2 - l2) ** 2)
    return lower, upper


def _z_power(alpha: float | None, power: float | None) -> float:
    s = settings.current()
    alpha = s.alpha if alpha is None else alpha
    power = s.power if power is None else power
    return stats.norm.ppf(1 - alpha / 2) + stats.norm.ppf(power)


def minimum_detectable_difference(p: float, n1: int, n2: int, alpha: float | None = None,
                                  power: float | None = None) -> float:
    """Smallest difference in a share (percentage points) a two-sided test detects with ``power``."""
    z = _z_power(alpha, power)
    return 100 * z * math.sqrt(p * (1 - p) * (1 / n1 + 1 / n2))


def sample_size_per_arm(p: float, difference: float | None = None, alpha: float | None = None,
                        power: float | None = None) -> int:
    """Persons per arm of a randomised comparison to detect ``difference`` (fraction) around ``p``."""
    difference = settings.current().detect_difference if difference is None else difference
    z = _z_power(alpha, power)
    p1, p2 = p, p + difference
    return math.ceil(z ** 2 * (p1 * (1 - p1) + p2 * (1 - p2)) / difference ** 2)


def percent(part: float, whole: float) -> float:
    """100 × part / whole; NaN when the whole is zero or missing (never a division error)."""
    if whole is None or part is None or pd.isna(whole) or pd.isna(part) or whole == 0:
        return np.nan
    return 100 * part / whole


def mean_ci(values: pd.Series, level: float = 0.95) -> dict:
    """Mean with a t-based confidence interval (``level``)."""
    x = pd.to_numeric(values, errors="coerce").dropna().astype(float)
    n = len(x)
    if n == 0:
        return {"n": 0, "mean": np.nan, "sd": np.nan, "ci_low": np.nan, "ci_high": np.nan}
    mean, sd = float(x.mean()), float(x.std(ddof=1)) if n > 1 else np.nan
    half = float(stats.t.ppf(0.5 + level / 2, n - 1) * sd / math.sqrt(n)) if n > 1 else np.nan
    return {"n": n, "mean": mean, "sd": sd, "ci_low": mean - half, "ci_high": mean + half}
