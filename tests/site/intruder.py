"""An intruder with a calculator: tries to get small counts of persons back from the published CSVs.

It knows nothing of the code that made the files.  It reads every CSV under the site's ``data/``
as text, collects what the numbers say about counts of persons, and attacks them the ways a
reader could:

* a count printed outright;
* a share and the base beside it (``share × n``), at the precision the file prints;
* a Wilson interval and its base (the count whose interval the file prints);
* a difference of two shares and one of them;
* a cost and its unit price (results paid ÷ price of one result);
* totals minus the rest: every table of counts whose rows and columns add up (a register cohort's
  statuses by group, an answer's codes) is solved as a linear system over the cells it does not
  know, across all files at once; a cell the system fixes is recovered.

A recovered count of 1 .. ``threshold - 1`` persons is a leak.  Numbers the report prints are
public and may stand as printed: columns named ``printed``/``value``/``*_printed``/``report*``
are not attacked, nor are files of the report's own aggregates (they carry no ``count``/``n``
of persons computed from microdata).
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

STATUS_KEYS = ("pilot_id", "cohort", "dimension", "group", "status")
COUNT_MEASURES = {"count", "respondents", "persons"}
Z95 = 1.959963984540054


@dataclass(frozen=True)
class Leak:
    file: str
    cell: str
    value: int
    how: str

    def __str__(self) -> str:
        return f"{self.file}: {self.cell} = {self.value} ({self.how})"


# --------------------------------------------------------------------------- numbers as printed


def _number(text) -> tuple[float, float] | None:
    """(value, half-width of its last printed digit) of a CSV cell, or None when empty/not a number."""
    if text is None or (isinstance(text, float) and math.isnan(text)):
        return None
    s = str(text).strip()
    if not re.fullmatch(r"-?\d+(\.\d+)?(e-?\d+)?", s):
        return None
    if "e" in s:
        return float(s), 0.0
    decimals = len(s.split(".")[1]) if "." in s else 0
    # a float written with 15+ significant digits is exact for our purposes
    half = 0.0 if decimals >= 10 else 0.5 * 10 ** -decimals
    return float(s), half


def _count_from_share(share, n: int, scale: float = 100.0) -> int | None:
    """The one whole count whose share of ``n`` prints as ``share``, if exactly one does."""
    if share is None or n is None or n <= 0:
        return None
    value, half = share
    low, high = (value - half) * n / scale, (value + half) * n / scale
    if half == 0.0:
        c = round(low)
        return c if abs(c - low) < 1e-6 * max(1, n) else None
    candidates = [c for c in range(max(0, math.ceil(low - 1e-9)), math.floor(high + 1e-9) + 1) if c <= n]
    return candidates[0] if len(candidates) == 1 else None


def _wilson(c: int, n: int) -> tuple[float, float]:
    p, z2 = c / n, Z95 ** 2
    centre = (p + z2 / (2 * n)) / (1 + z2 / n)
    half = Z95 * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / (1 + z2 / n)
    return 100 * (centre - half), 100 * (centre + half)


def _count_from_wilson(low, high, n: int) -> int | None:
    if n is None or n <= 0 or (low is None and high is None):
        return None
    hits = []
    for c in range(0, n + 1):
        lo, hi = _wilson(c, n)
        ok = all(abs(v - b[0]) <= max(b[1], 1e-6) for v, b in ((lo, low), (hi, high)) if b is not None)
        if ok:
            hits.append(c)
    return hits[0] if len(hits) == 1 else None


# --------------------------------------------------------------------------- what the files say


class Knowledge:
    """Counts learnt so far, and the additive tables they belong to."""

    def __init__(self, threshold: int):
        self.threshold = threshold
        self.leaks: list[Leak] = []
        # register: (pilot, cohort) -> {(dimension, group, status|"N"): count}
        self.register: dict[tuple, dict[tuple, int]] = defaultdict(dict)
        self.register_cells: dict[tuple, set[tuple]] = defaultdict(set)  # cells a file shows (known or not)
        # answers: (item, group) -> {code|"N": count}
        self.answers: dict[tuple, dict[str, int]] = defaultdict(dict)
        self.answer_cells: dict[tuple, set[str]] = defaultdict(set)

    def learn(self, file: str, cell: str, value: int | None, how: str):
        if value is not None and 0 < value < self.threshold:
            self.leaks.append(Leak(file, cell, int(value), how))

    def register_fact(self, file, pilot, cohort, dimension, group, column, value, how):
        self.register_cells[(pilot, cohort)].add((dimension, group, column))
        if value is None:
            return
        self.register[(pilot, cohort)][(dimension, group, column)] = int(value)
        self.learn(file, f"{pilot}/{cohort}/{dimension}={group}/{column}", value, how)

    def answer_fact(self, file, item, group, code, value, how):
        self.answer_cells[(item, group)].add(code)
        if value is None:
            return
        self.answers[(item, group)][code] = int(value)
        self.learn(file, f"{item}/{group}/{code}", value, how)

    def register_n(self, pilot, cohort, dimension, group) -> int | None:
        return self.register.get((pilot, cohort), {}).get((dimension, group, "N"))


def _rows(frame: pd.DataFrame):
    for _, r in frame.iterrows():
        yield {k: (None if (isinstance(v, float) and math.isnan(v)) else v) for k, v in r.items()}


def _int(text) -> int | None:
    v = _number(text)
    if v is None:
        return None
    return int(round(v[0])) if abs(v[0] - round(v[0])) < 1e-9 else None


def _read_register(k: Knowledge, name: str, frame: pd.DataFrame):
    cols = set(frame.columns)
    for r in _rows(frame):
        pilot, cohort = r.get("pilot_id"), r.get("cohort")
        if {"status", "dimension", "group", "cohort"} <= cols:  # a status table (Figures 10-15 and kin)
            dim, grp, st = r["dimension"], r["group"], r["status"]
            n = _int(r.get("n"))
            if "n" in cols:
                k.register_fact(name, pilot, cohort, dim, grp, "N", n, "group size printed")
            n = n if n is not None else k.register_n(pilot, cohort, dim, grp)
            count = _int(r.get("count")) if "count" in cols else None
            if count is None and "share" in cols:
                count = _count_from_share(_number(r.get("share")), n)
                how = "share × n"
            else:
                how = "count printed"
            if count is None and {"ci_low", "ci_high"} <= cols:
                count = _count_from_wilson(_number(r.get("ci_low")), _number(r.get("ci_high")), n)
                how = "Wilson interval and n"
            if count is None and "computed" in cols:
                count = _count_from_share(_number(r.get("computed")), n)
                how = "computed share × n"
            k.register_fact(name, pilot, cohort, dim, grp, st, count, how)
        elif {"dimension", "group", "cohort", "count", "n"} <= cols:  # group sizes (Table 2)
            dim, grp = r["dimension"], r["group"]
            n = _int(r.get("n"))
            k.register_fact(name, pilot, cohort, "total", "total", "N", n, "cohort size printed")
            count = _int(r.get("count"))
            how = "count printed"
            if count is None:
                count, how = _count_from_share(_number(r.get("share")), n), "share × n"
            k.register_fact(name, pilot, cohort, dim, grp, "N", count, how)
        elif {"share_p", "share_r", "n_p", "n_r", "difference"} <= cols:  # participants minus refusers
            dim, grp, st = r["dimension"], r["group"], r["status"]
            for side, coh in (("p", "participant"), ("r", "refuser")):
                n = _int(r.get(f"n_{side}"))
                k.register_fact(name, pilot, coh, dim, grp, "N", n, "group size printed")
            sp, sr, d = (_number(r.get(c)) for c in ("share_p", "share_r", "difference"))
            if sp is None and sr is not None and d is not None:
                sp = (sr[0] + d[0], sr[1] + d[1])
            if sr is None and sp is not None and d is not None:
                sr = (sp[0] - d[0], sp[1] + d[1])
            for side, coh, s in (("p", "participant", sp), ("r", "refuser", sr)):
                n = _int(r.get(f"n_{side}")) or k.register_n(pilot, coh, dim, grp)
                k.register_fact(name, pilot, coh, dim, grp, st, _count_from_share(s, n), "shares and difference × n")
        elif {"participants_pct", "refusers_crude_pct", "n_participants", "n_refusers"} <= cols:  # standardised
            st = r.get("status", "employed")
            for coh, pct, ncol in (("participant", "participants_pct", "n_participants"),
                                   ("refuser", "refusers_crude_pct", "n_refusers")):
                n = _int(r.get(ncol))
                k.register_fact(name, pilot, coh, "total", "total", "N", n, "cohort size printed")
                k.register_fact(name, pilot, coh, "total", "total", st, _count_from_share(_number(r.get(pct)), n),
                                "share × n")
        elif {"unknown_participants_pct", "unknown_refusers_pct"} <= cols:  # bounds for 'other or unknown'
            for coh, pct in (("participant", "unknown_participants_pct"), ("refuser", "unknown_refusers_pct")):
                n = k.register_n(pilot, coh, "total", "total")
                k.register_fact(name, pilot, coh, "total", "total", "other_unknown",
                                _count_from_share(_number(r.get(pct)), n), "unknown share × cohort size")
        elif {"baseline_pct", "n_participants", "n_refusers"} <= cols:  # power
            n_r = _int(r.get("n_refusers"))
            for coh, ncol in (("participant", "n_participants"), ("refuser", "n_refusers")):
                k.register_fact(name, pilot, coh, "total", "total", "N", _int(r.get(ncol)) or None, "cohort size")
            coh = "refuser" if n_r else "participant"
            n = k.register_n(pilot, coh, "total", "total")
            k.register_fact(name, pilot, coh, "total", "total", "employed",
                            _count_from_share(_number(r.get("baseline_pct")), n), "baseline share × n")


def _read_answers(k: Knowledge, name: str, frame: pd.DataFrame, items_of_code: dict):
    cols = set(frame.columns)
    for r in _rows(frame):
        if "code" in cols and ("count" in cols or "share" in cols) and "n" in cols:  # a distribution
            code = str(r["code"])
            item = r.get("item") or items_of_code.get(code, "?")
            group = r.get("group") or "all"
            n = _int(r.get("n"))
            k.answer_fact(name, item, group, "N", n, "base printed")
            count, how = _int(r.get("count")), "count printed"
            if count is None:
                count, how = _count_from_share(_number(r.get("share")), n), "share × n"
            k.answer_fact(name, item, group, code, count, how)
        elif {"item", "group", "n", "share"} <= cols:  # agree shares by group: agree + not agree = n
            item, group, n = f"{r['item']} [agree]", r["group"], _int(r.get("n"))
            k.answer_fact(name, item, group, "N", n, "base printed")
            agree = _count_from_share(_number(r.get("share")), n)
            k.answer_fact(name, item, group, "agree", agree, "agree share × n")
            k.answer_fact(name, item, group, "not_agree", None if agree is None else n - agree, "n − agree share × n")
        elif {"item", "n", "mean"} <= cols:  # means: only the base is a count
            k.learn(name, f"{r['item']}/n", _int(r.get("n")), "base printed")


def _read_checks(k: Knowledge, name: str, frame: pd.DataFrame):
    """Reproduction tables: the value computed from microdata beside the printed one."""
    cols = set(frame.columns)
    measure_col = next((c for c in ("measure", "statistic") if c in cols), None)
    if "computed" not in cols or measure_col is None:
        return
    for r in _rows(frame):
        measure = str(r.get(measure_col))
        cell = " / ".join(str(r.get(c)) for c in cols if c in ("office", "question", "response", "item", "pilot_id") and r.get(c))
        if measure in COUNT_MEASURES:
            k.learn(name, cell, _int(r.get("computed")), "computed count printed")
        elif measure == "share" and r.get("base") is not None:
            k.learn(name, cell, _count_from_share(_number(r.get("computed")), _int(r.get("base"))), "computed share × base")


def _read_costs(k: Knowledge, name: str, frame: pd.DataFrame):
    if "employments_paid" not in frame.columns:
        return
    for r in _rows(frame):
        pilot = r.get("pilot_id")
        k.learn(name, f"{pilot}/employments_paid", _int(r.get("employments_paid")), "count printed")
        results, price = _number(r.get("results_eur")), _number(r.get("price_eur"))
        if results is not None and price and price[0] > 0:
            c = results[0] / price[0]
            if abs(c - round(c)) < 1e-9:
                k.learn(name, f"{pilot}/employments_paid", int(round(c)), "results paid ÷ price")
        total, per = _number(r.get("total_cost_eur")), _number(r.get("cost_per_paid_employment_eur"))
        if total is not None and per is not None and per[0] > 0:
            lo, hi = total[0] / (per[0] + per[1] + 1e-12), total[0] / max(per[0] - per[1], 1e-12)
            hits = [c for c in range(max(1, math.ceil(lo)), math.floor(hi) + 1)]
            if len(hits) == 1:
                k.learn(name, f"{pilot}/employments_paid", hits[0], "total cost ÷ cost per employment")


# --------------------------------------------------------------------------- totals minus the rest


def _solve(known: dict, unknown: list, equations: list[tuple[dict, float]]) -> dict:
    """Unknowns that the linear equations (coefficients, constant: sum(coef * x) = constant) fix."""
    if not unknown:
        return {}
    index = {u: i for i, u in enumerate(unknown)}
    rows, rhs = [], []
    for coeffs, const in equations:
        row = np.zeros(len(unknown))
        b = const
        for cell, c in coeffs.items():
            if cell in index:
                row[index[cell]] += c
            elif cell in known:
                b -= c * known[cell]
            else:
                row = None
                break
        if row is not None and row.any():
            rows.append(row)
            rhs.append(b)
    if not rows:
        return {}
    a, b = np.array(rows), np.array(rhs)
    _, s, vt = np.linalg.svd(a)
    rank = int((s > 1e-9).sum())
    null = vt[rank:].T  # columns span the null space
    x = np.linalg.lstsq(a, b, rcond=None)[0]
    fixed = {}
    for u, i in index.items():
        if null.shape[1] == 0 or np.all(np.abs(null[i]) < 1e-9):
            fixed[u] = float(x[i])
    return fixed


def _register_equations(cells: set) -> list[tuple[dict, float]]:
    """Statuses of a group add up to its size; groups of a dimension add up to the cohort's total."""
    eqs = []
    groups = defaultdict(set)
    columns = defaultdict(set)
    for dim, grp, col in cells:
        groups[(dim, grp)].add(col)
        columns[dim].add(col)
    statuses = {c for _, _, c in cells if c != "N"}
    for (dim, grp), cols in groups.items():
        coeffs = {(dim, grp, s): 1.0 for s in statuses}
        coeffs[(dim, grp, "N")] = -1.0
        eqs.append((coeffs, 0.0))
    for dim in columns:
        if dim == "total":
            continue
        members = [g for (d, g) in groups if d == dim]
        for col in statuses | {"N"}:
            coeffs = {(dim, g, col): 1.0 for g in members}
            coeffs[("total", "total", col)] = -1.0
            eqs.append((coeffs, 0.0))
    return eqs


def _answer_equations(codes: set) -> list[tuple[dict, float]]:
    """Answer codes of one item and group add up to the group's base."""
    counted = {c for c in codes if c != "N"}
    if not counted:
        return []
    coeffs = {c: 1.0 for c in counted}
    coeffs["N"] = -1.0
    return [(coeffs, 0.0)]


def _subtract(k: Knowledge):
    for key, cells in k.register_cells.items():
        known = k.register[key]
        # every cell of the grid the equations mention is a variable: shown-but-unknown and never-shown alike
        eqs = _register_equations(cells)
        variables = sorted({c for coeffs, _ in eqs for c in coeffs} - set(known))
        shown = {c for c in cells if c not in known}
        for cell, value in _solve(known, variables, eqs).items():
            if cell in shown and abs(value - round(value)) < 1e-6:
                k.learn("(several files)", f"{key[0]}/{key[1]}/{cell[0]}={cell[1]}/{cell[2]}", round(value),
                        "totals minus the rest")
    # answers: codes of an item and group, and groups adding up to the item's 'all'
    by_item = defaultdict(dict)
    for (item, group), codes in k.answer_cells.items():
        by_item[item][group] = codes
    for item, groups in by_item.items():
        known, eqs, shown = {}, [], set()
        for group, codes in groups.items():
            for code, v in k.answers[(item, group)].items():
                known[(group, code)] = v
            shown |= {(group, c) for c in codes if (group, c) not in known}
            for coeffs, const in _answer_equations(codes):
                eqs.append(({(group, c): v for c, v in coeffs.items()}, const))
        parts = [g for g in groups if g != "all"]
        if "all" in groups and parts:
            n_all = known.get(("all", "N"))
            n_parts = [known.get((g, "N")) for g in parts]
            if n_all is not None and None not in n_parts and sum(n_parts) == n_all:  # groups partition 'all'
                for code in set().union(*groups.values()):
                    coeffs = {(g, code): 1.0 for g in parts}
                    coeffs[("all", code)] = -1.0
                    eqs.append((coeffs, 0.0))
        variables = sorted({c for coeffs, _ in eqs for c in coeffs} - set(known))
        for cell, value in _solve(known, variables, eqs).items():
            if cell in shown and abs(value - round(value)) < 1e-6:
                k.learn("(several files)", f"{item}/{cell[0]}/{cell[1]}", round(value), "totals minus the rest")


# --------------------------------------------------------------------------- the attack


PUBLIC_COLUMNS = re.compile(r"^(printed|value|report.*|.*_printed|printed_.*)$")


def read_site_data(data_dir: Path) -> dict[str, pd.DataFrame]:
    """Every CSV of the site's data folder that may hold numbers computed from microdata, as text."""
    out = {}
    for path in sorted(Path(data_dir).glob("*.csv")):
        if path.name.startswith("contract") or path.name == "index.csv":
            continue
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""])
        out[path.name] = frame.drop(columns=[c for c in frame.columns if PUBLIC_COLUMNS.match(c)])
    return out


def attack(files: dict[str, pd.DataFrame], threshold: int = 10) -> list[Leak]:
    """Every count of 1 .. threshold-1 persons that the files give back."""
    k = Knowledge(threshold)
    items_of_code = {}
    for frame in files.values():
        if {"item", "code"} <= set(frame.columns):
            for item, code in zip(frame["item"], frame["code"]):
                items_of_code.setdefault(str(code), item)
    # two passes: group sizes learnt from one file serve the shares of another
    for _ in range(2):
        k.leaks.clear()
        for name, frame in files.items():
            if {"pilot_id", "cohort"} <= set(frame.columns) or {"pilot_id", "n_p"} <= set(frame.columns) \
                    or {"unknown_participants_pct"} <= set(frame.columns) or {"baseline_pct"} <= set(frame.columns):
                _read_register(k, name, frame)
            _read_answers(k, name, frame, items_of_code)
            _read_checks(k, name, frame)
            _read_costs(k, name, frame)
    _subtract(k)
    unique = {(l.file, l.cell, l.value): l for l in k.leaks}
    return sorted(unique.values(), key=str)
