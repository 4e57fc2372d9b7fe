"""A SYNTHETIC URA extract: one row per person, shaped like the confidential register extract.

For the Uusimaa ICT pilot the report prints Figure 14 in full (five statuses for
ten groups of participants and of refusers); the generator fits persons so that
every printed integer share comes out exactly.  For the other pilots it uses the
shares the text states and states what it assumes (:data:`PROFILES`).  Codes are
drawn so that the chapter 4.2 classification gives back the intended statuses,
with some persons carrying both an employment code and an end reason so that the
precedence rule is exercised.  Every row says ``synthetic = true``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from pilotbook import settings
from pilotbook.analysis.register import code_maps
from pilotbook.synth.allocation import split_by_share, write

STATUSES = ("employed", "services", "unemployed", "outside", "other_unknown")
SEXES = ("female", "male")
AGES = ("under_25", "25_34", "35_49", "50_plus")
EDUCATION = ("basic", "secondary", "tertiary")
AGE_RANGES = {"under_25": (20, 24), "25_34": (25, 34), "35_49": (35, 49), "50_plus": (50, 63)}
NATIONAL_N = 12_895


@dataclass(frozen=True)
class Profile:
    """What the generator makes for one pilot and cohort when no full figure is printed."""

    n: int
    status: dict[str, float]
    sex: dict[str, float]
    age: dict[str, float]
    education: dict[str, float]
    notes: tuple[str, ...] = field(default=())


# Shares in percent.  Printed values are marked in the notes; everything else is assumed.
PROFILES: dict[tuple[str, str], Profile] = {
    ("keski-suomi-construction", "participant"): Profile(
        145, {"employed": 45, "services": 4, "unemployed": 47, "outside": 1, "other_unknown": 3},
        {"female": 8, "male": 92}, {"under_25": 48, "25_34": 12, "35_49": 10, "50_plus": 30},
        {"basic": 6, "secondary": 90, "tertiary": 4},
        ("printed: employed 45 %, unemployed 47 %, over 90 % men, 90 % secondary education, nearly half under 25",
         "assumed: N = 145 (see the note on N), the other statuses, the other age bands")),
    ("pohjois-savo-construction", "participant"): Profile(
        289, {"employed": 43, "services": 6, "unemployed": 45, "outside": 2, "other_unknown": 4},
        {"female": 8, "male": 92}, {"under_25": 25, "25_34": 25, "35_49": 25, "50_plus": 25},
        {"basic": 30, "secondary": 57, "tertiary": 13},
        ("printed: employed 43 %, over 90 % men, over 85 % at most secondary education, an even age spread",
         "assumed: N = 289 (see the note on N), the other statuses, the split of education")),
    ("hame-50plus", "participant"): Profile(
        217, {"employed": 17, "services": 8, "unemployed": 70, "outside": 2, "other_unknown": 3},
        {"female": 48, "male": 52}, {"under_25": 0, "25_34": 0, "35_49": 0, "50_plus": 100},
        {"basic": 14.4, "secondary": 39.2, "tertiary": 46.4},
        ("printed: N = 217, unemployed 70 %, employed at most 20 % in every group, education 14/39/46 %, "
         "almost as many women as men",
         "assumed: employed 17 %, the other statuses; all aged 50 or over (the pilot's target group); "
         "the printed 14/39/46 % spread over 217 persons so that each rounds back")),
    ("uusimaa-hospitality", "participant"): Profile(
        81, {"employed": 37, "services": 9, "unemployed": 49, "outside": 3, "other_unknown": 2},
        {"female": 78, "male": 22}, {"under_25": 45, "25_34": 25, "35_49": 30, "50_plus": 0},
        {"basic": 25, "secondary": 60, "tertiary": 15},
        ("printed: N = 81, employed 37 %, unemployed 49 %, nearly four in five women",
         "assumed: the other statuses (unknown 2 %, so that refusers' unknown share is 9 points higher), "
         "age (half under 30, half 30-50, as the target group), education")),
    ("uusimaa-hospitality", "refuser"): Profile(
        2811, {"employed": 34, "services": 9, "unemployed": 41, "outside": 5, "other_unknown": 11},
        {"female": 70, "male": 30}, {"under_25": 40, "25_34": 28, "35_49": 32, "50_plus": 0},
        {"basic": 28, "secondary": 60, "tertiary": 12},
        ("printed: N = 2 811, employed 34 %, unemployed 41 %, unknown 9 points above participants",
         "assumed: the other statuses, sex, age, education")),
    ("pirkanmaa-b2b", "participant"): Profile(
        706, {"employed": 35, "services": 10, "unemployed": 50, "outside": 2, "other_unknown": 3},
        {"female": 56, "male": 44}, {"under_25": 2, "25_34": 13, "35_49": 30, "50_plus": 55},
        {"basic": 2, "secondary": 6, "tertiary": 92},
        ("printed: N = 706, employed 35 %, women over half, almost all with tertiary education, "
         "more aged over 50 than among refusers",
         "assumed: the other statuses, the age and education splits")),
    ("pirkanmaa-b2b", "refuser"): Profile(
        892, {"employed": 47, "services": 7, "unemployed": 38, "outside": 3, "other_unknown": 5},
        {"female": 55, "male": 45}, {"under_25": 5, "25_34": 22, "35_49": 33, "50_plus": 40},
        {"basic": 5, "secondary": 15, "tertiary": 80},
        ("printed: N = 892, employed 47 %, women over half",
         "assumed: the other statuses, age, education")),
}

ASSUMPTIONS = (
    "The Uusimaa ICT pilot (Figure 14) is fitted person by person so that every share the figure prints "
    "comes out exactly, for the ten groups of participants and of refusers; the sizes of its groups are "
    "not printed and are chosen so that the groups' shares average to the totals' shares.",
    "Keski-Suomi and Pohjois-Savo: the report gives no N; they are set to 145 and 289 so that all pilots "
    "add up to the national N of 12 895, splitting the remainder in proportion to the pilots' starters.",
    "Within a pilot, statuses are spread over the groups in proportion (each group gets the pilot's shares), "
    "except for the Uusimaa ICT pilot whose groups are fitted to Figure 14.",
    "Ages are drawn uniformly within each age band (20-24 for the youngest, 50-63 for the oldest).",
    "Figure 14's shares cannot all be met if every person falls in one of its groups: the age groups of the "
    "refusers, for one, do not average to the refusers' total. The fit therefore lets as few persons as "
    "possible have no recorded age or education (about 4 % of the Uusimaa ICT refusers have no recorded "
    "age; one participant has no recorded education), as happens in registers.",
    "Codes: an employed person has employment code 1 (70 %) or, without an employment code, end reason 1, 2 "
    "or 3; services: codes 0, 7, 8 or end reasons 0, 4, 8, 11, 12, 13; unemployed: codes 2, 3, 4; outside: "
    "codes 5, 6 or end reasons 5, 9; other or unknown: end reason 6 or 10, or no code at all (5 %). One in "
    "five persons with an employment code also carries an end reason, which the code overrides.",
)


# --------------------------------------------------------------------------- Figure 14 fit


def _interval(n: int, pct: float) -> tuple[int, int]:
    """Counts c with round-half-up(100 c / n) == pct."""
    lo = math.ceil(n * (pct - 0.5) / 100 - 1e-9)
    hi = math.ceil(n * (pct + 0.5) / 100 - 1e-9) - 1
    return max(lo, 0), min(hi, n)


# Plausible group mixes (assumed) that the fitted group sizes are pulled towards, per cohort.
FIG14_PRIORS = {
    "participant": {"sex": (0.5, 0.5), "age": (0.06, 0.30, 0.34, 0.30), "education": (0.03, 0.22, 0.75)},
    "refuser": {"sex": (0.55, 0.45), "age": (0.15, 0.30, 0.30, 0.25), "education": (0.10, 0.35, 0.55)},
}
UNRECORDED_PENALTY = 50.0
MIN_GROUP = 12  # every fitted group keeps at least this many persons (disclosure threshold 10, with room)


def _fit_cohort(n: int, figure: dict[tuple[str, str], dict[str, float]], priors: dict, rng) -> pd.DataFrame:
    """Persons (sex, age, education, status) whose group shares round exactly to the printed ones.

    An integer programme (scipy's HiGHS) chooses, for each dimension, how many persons of each
    group have each status, with the same status totals in every dimension.  For every printed
    share p of a group with N persons and count C it requires p - 0.5 <= 100 C / N < p + 0.5
    (linear in C and N).  Each group keeps at least MIN_GROUP persons; group sizes stay as close
    as they can to ``priors``.  The printed shares cannot all be met when every person is in a
    group of every dimension, so a dimension may leave a few persons unrecorded (as registers
    do); these cost far more than a group off its prior size, so there are as few as possible.
    Within each status, the sexes, ages and education levels are then paired at random.
    """
    from scipy.optimize import Bounds, LinearConstraint, milp

    dims = {"sex": SEXES, "age": AGES, "education": EDUCATION}
    S = len(STATUSES)
    index = {}  # (d, k, s) -> variable; k == len(groups) is "unrecorded"
    for d, gs in dims.items():
        for k in range(len(gs) + 1):
            for s in range(S):
                index[(d, k, s)] = len(index)
    nx = len(index)
    dev = {(d, k): nx + i for i, (d, k) in enumerate((d, k) for d, gs in dims.items() for k in range(len(gs)))}
    nv = nx + len(dev)
    rows, lo, hi = [], [], []

    def add(coeffs: dict[int, float], low: float, high: float):
        row = np.zeros(nv)
        for k, v in coeffs.items():
            row[k] += v
        rows.append(row)
        lo.append(low)
        hi.append(high)

    first = list(dims)[0]
    for d, gs in dims.items():
        add({index[(d, k, s)]: 1 for k in range(len(gs) + 1) for s in range(S)}, n, n)
        if d != first:  # the same status totals in every dimension
            for s in range(S):
                coeffs = {index[(d, k, s)]: 1 for k in range(len(gs) + 1)}
                for k in range(len(dims[first]) + 1):
                    coeffs[index[(first, k, s)]] = coeffs.get(index[(first, k, s)], 0) - 1
                add(coeffs, 0, 0)

    def share_rows(members: list[tuple[str, int]], shares: dict[str, float]):
        for s_idx, s in enumerate(STATUSES):
            p = shares[s]
            lower = {index[(d, k, t)]: -(p - 0.5) for d, k in members for t in range(S)}
            upper = {index[(d, k, t)]: -(p + 0.5) for d, k in members for t in range(S)}
            for d, k in members:
                lower[index[(d, k, s_idx)]] += 100
                upper[index[(d, k, s_idx)]] += 100
            add(lower, 0, np.inf)
            add(upper, -np.inf, -0.001)

    share_rows([(first, k) for k in range(len(dims[first]) + 1)], figure[("total", "total")])
    for d, gs in dims.items():
        for k, g in enumerate(gs):
            share_rows([(d, k)], figure[(d, g)])
            size = {index[(d, k, t)]: 1 for t in range(S)}
            add(size, MIN_GROUP, np.inf)
            target = priors[d][k] * n
            add({**size, dev[(d, k)]: -1}, -np.inf, target)
            add({**{i: -1 for i in size}, dev[(d, k)]: -1}, -np.inf, -target)
    cost = np.zeros(nv)
    for (d, k, s), i in index.items():
        if k == len(dims[d]):
            cost[i] = UNRECORDED_PENALTY
    for i in dev.values():
        cost[i] = 1.0
    res = milp(cost, constraints=LinearConstraint(np.array(rows), lo, hi),
               integrality=np.concatenate([np.ones(nx), np.zeros(len(dev))]),
               bounds=Bounds(np.zeros(nv), np.full(nv, float(n))))
    if res.x is None:
        raise RuntimeError(f"the printed shares cannot be reproduced exactly ({res.message})")
    x = np.round(res.x[:nx]).astype(int)
    columns = {}
    status = np.array([s for s in range(S) for _ in range(int(sum(x[index[(first, k, s)]]
                                                                   for k in range(len(dims[first]) + 1))))])
    for d, gs in dims.items():
        values = np.empty(n, dtype=object)
        for s in range(S):
            labels = [gs[k] if k < len(gs) else None for k in range(len(gs) + 1) for _ in range(x[index[(d, k, s)]])]
            labels = np.array(labels, dtype=object)
            rng.shuffle(labels)
            values[status == s] = labels
        columns[d] = values
    frame = pd.DataFrame({"sex": columns["sex"], "age_band": columns["age"], "education": columns["education"],
                          "status": [STATUSES[s] for s in status]})
    return frame.iloc[rng.permutation(n)].reset_index(drop=True)


# --------------------------------------------------------------------------- proportional profiles


def _profile_cohort(profile: Profile, rng) -> pd.DataFrame:
    n = profile.n
    columns = {}
    for name, shares in (("sex", profile.sex), ("age_band", profile.age), ("education", profile.education)):
        counts = split_by_share(n, shares)
        values = np.array([k for k, c in counts.items() for _ in range(c)], dtype=object)
        rng.shuffle(values)
        columns[name] = values
    frame = pd.DataFrame(columns)
    status = np.empty(n, dtype=object)
    for _, idx in frame.groupby(["sex", "education"]).groups.items():
        counts = split_by_share(len(idx), profile.status)
        values = np.array([k for k, c in counts.items() for _ in range(c)], dtype=object)
        rng.shuffle(values)
        status[np.asarray(frame.index.get_indexer(idx))] = values
    # the per-cell remainders can tilt the total by a person or two: settle it exactly
    target = split_by_share(n, profile.status)
    frame["status"] = status
    got = frame["status"].value_counts().reindex(list(target), fill_value=0)
    surplus = {s: int(got[s] - target[s]) for s in target}
    for s_from, extra in surplus.items():
        while extra > 0:
            s_to = next(s for s, e in surplus.items() if e < 0)
            i = rng.choice(frame.index[frame["status"] == s_from])
            frame.at[i, "status"] = s_to
            surplus[s_to] += 1
            extra -= 1
            surplus[s_from] = extra
    return frame


# --------------------------------------------------------------------------- codes


def _codes(status: pd.Series, codes: pd.DataFrame, rng) -> tuple[list, list]:
    emp_map, end_map = code_maps(codes)
    by_status_emp = {s: sorted(c for c, v in emp_map.items() if v == s) for s in STATUSES}
    by_status_end = {s: sorted(c for c, v in end_map.items() if v == s) for s in STATUSES}
    all_end = sorted(end_map)
    emp_codes, end_reasons = [], []
    for s in status:
        emp, end = None, None
        if s == "employed":
            if rng.random() < 0.7:
                emp = 1
            else:
                end = int(rng.choice(by_status_end["employed"]))
        elif s in ("services", "outside"):
            if by_status_emp[s] and rng.random() < 0.6:
                emp = int(rng.choice(by_status_emp[s]))
            else:
                end = int(rng.choice(by_status_end[s]))
        elif s == "unemployed":
            emp = int(rng.choice(by_status_emp["unemployed"]))
        else:  # other or unknown: an unknown end reason, or nothing recorded at all
            if rng.random() < 0.95:
                end = int(rng.choice(by_status_end["other_unknown"]))
        if emp is not None and end is None and rng.random() < 0.2:
            end = int(rng.choice(all_end))  # an older end reason the employment code overrides
        emp_codes.append(emp)
        end_reasons.append(end)
    return emp_codes, end_reasons


def figure_14(ura_published: pd.DataFrame) -> dict[str, dict[tuple[str, str], dict[str, float]]]:
    """cohort -> (dimension, group) -> status -> printed share, from ura_published.csv."""
    rows = ura_published[(ura_published["figure"] == "Figure 14") & (ura_published["measure"] == "status_share")]
    out: dict = {}
    for r in rows.itertuples(index=False):
        out.setdefault(r.cohort, {}).setdefault((r.dimension, r.group), {})[r.status] = float(r.value)
    return out


def cohort_sizes(ura_published: pd.DataFrame, pilot_id: str) -> dict[str, int]:
    rows = ura_published[(ura_published["pilot_id"] == pilot_id) & (ura_published["measure"] == "persons")
                         & (ura_published["dimension"] == "total")]
    return {r.cohort: int(r.value) for r in rows.itertuples(index=False)}


def generate(pilots: pd.DataFrame, ura_published: pd.DataFrame, codes: pd.DataFrame,
             categories: pd.DataFrame, seed: int | None = None) -> pd.DataFrame:
    seed = settings.current().seed_register if seed is None else seed
    rng = np.random.default_rng(seed)
    frames = []
    fig14 = figure_14(ura_published)
    fitted_pilot = ura_published.loc[ura_published["figure"] == "Figure 14", "pilot_id"].dropna().unique()
    for pilot_id in fitted_pilot:
        sizes = cohort_sizes(ura_published, pilot_id)
        for cohort in ("participant", "refuser"):
            frames.append(_fit_cohort(sizes[cohort], fig14[cohort], FIG14_PRIORS[cohort], rng)
                          .assign(pilot_id=pilot_id, cohort=cohort))
    for (pilot_id, cohort), profile in PROFILES.items():
        frames.append(_profile_cohort(profile, rng).assign(pilot_id=pilot_id, cohort=cohort))
    frame = pd.concat(frames, ignore_index=True)
    low_high = frame["age_band"].map(AGE_RANGES)
    frame["age"] = pd.array([None if not isinstance(b, tuple) else int(rng.integers(b[0], b[1] + 1))
                             for b in low_high], dtype="Int64")
    frame["employment_code"], frame["end_reason"] = _codes(frame["status"], codes, rng)
    tracking = dict(zip(pilots["pilot_id"], pilots["tracking_code"].fillna("").str.extract(r"^(\d+)")[0]))
    frame["tracking_code"] = frame["pilot_id"].map(tracking)
    frame = frame.sample(frac=1, random_state=seed).reset_index(drop=True)
    frame.insert(0, "person_id", [f"P{i + 1:06d}" for i in range(len(frame))])
    frame["synthetic"] = True
    out = frame[["person_id", "tracking_code", "pilot_id", "cohort", "sex", "age", "education",
                 "employment_code", "end_reason", "synthetic"]].copy()
    out["employment_code"] = out["employment_code"].astype("Int64")
    out["end_reason"] = out["end_reason"].astype("Int64")
    return out


def write_example(data_dir) -> dict:
    """Regenerate ``example/ura_extract.csv`` of a data folder from its published URA results."""
    from pilotbook.io.catalog import dataset, load

    frame = generate(load("pilots", data_dir), load("ura_published", data_dir), load("ura_codes", data_dir),
                     load("ura_categories", data_dir))
    path = dataset("ura_extract").path(data_dir)
    path.parent.mkdir(parents=True, exist_ok=True)
    write(frame, path)
    return {path: len(frame)}
