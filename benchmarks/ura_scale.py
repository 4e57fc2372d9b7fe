"""Benchmark: classification and every group table for 1,000,000 persons.

Target (issue): under 10 seconds and under 2 GB of memory on the project's 2-core machine.
Run:  .venv/bin/python benchmarks/ura_scale.py [--persons 1000000]
Prints the figures; it asserts nothing (a benchmark is not a test).
"""

from __future__ import annotations

import argparse
import resource
import time
from pathlib import Path

import numpy as np
import pandas as pd

from pilotbook.analysis import register as ura
from pilotbook.io.catalog import load

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--persons", type=int, default=1_000_000)
    args = parser.parse_args()
    data = ROOT / "data"
    codes, categories = load("ura_codes", data), load("ura_categories", data)
    base = load("ura_extract", data)
    reps = int(np.ceil(args.persons / len(base)))
    big = pd.concat([base] * reps, ignore_index=True).iloc[: args.persons]
    big["person_id"] = np.arange(len(big))
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    timings = {}
    t = time.perf_counter()
    classified = ura.classify(big, codes, categories)
    timings["classify"] = time.perf_counter() - t
    t = time.perf_counter()
    table = ura.status_table(classified, categories)
    timings["status tables"] = time.perf_counter() - t
    t = time.perf_counter()
    ura.group_composition(classified)
    timings["composition (Table 2)"] = time.perf_counter() - t
    t = time.perf_counter()
    ura.differences(ura.with_intervals(table))
    ura.unknown_bounds(table)
    ura.power_table(table)
    timings["intervals, differences, bounds, power"] = time.perf_counter() - t
    t = time.perf_counter()
    ura.standardised(classified)
    timings["direct standardisation"] = time.perf_counter() - t
    total = sum(timings.values())
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"persons: {len(big):,}")
    for name, seconds in timings.items():
        print(f"  {name:<40} {seconds:6.2f} s")
    print(f"  {'total':<40} {total:6.2f} s   (target < 10 s)")
    print(f"peak resident memory: {peak:,.0f} MiB (of which {rss_before:,.0f} MiB before the analysis; target < 2048 MiB)")


if __name__ == "__main__":
    main()
