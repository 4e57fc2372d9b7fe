"""A SYNTHETIC URA extract: one row per person, shaped like the confidential register extract.

For the Uusimaa ICT pilot the report prints Figure 14 in full (five statuses for
ten groups of participants and of refusers); the generator fits persons so that
every printed integer share comes out exactly.  For the other pilots it uses the
shares the text states and states what it assumes (:data:`PROFILES`).  In both
cases the counts of each status in each group come from one integer programme
per pilot (all its cohorts together) that also keeps every statement chapter 4.2
makes about the pilot's groups (``statements.csv``, rules of
:mod:`pilotbook.analysis.register_statements`): who is older, who is employed more
often, where a gap is largest.  Codes are drawn so that the chapter 4.2
classification gives back the intended statuses, with some persons carrying both
an employment code and an end reason so that the precedence rule is exercised.
Every row says ``synthetic = true``.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field, replace
from types import SimpleNamespace

import numpy as np
import pandas as pd

from pilotbook import settings
from pilotbook.paths import Project
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
         "the printed 14/39/46 % spread over 217 persons as closely as whole persons allow: the three add up to "
         "99 %, and no split of 217 persons rounds back to all three, so tertiary comes out at 47 %")),
    ("uusimaa-hospitality", "participant"): Profile(
        81, {"employed": 37, "services": 9, "unemployed": 49, "outside": 3, "other_unknown": 2},
        {"female": 78, "male": 22}, {"under_25": 30, "25_34": 30, "35_49": 40, "50_plus": 0},
        {"basic": 20, "secondary": 60, "tertiary": 20},
        ("printed: N = 81, employed 37 %, unemployed 49 %, nearly four in five women, clearly older and "
         "more highly educated than the refusers",
         "assumed: the other statuses (unknown 2 %, so that refusers' unknown share is 9 points higher), "
         "age (about half under 30 and half 30-50, as the target group, with more aged 35 or over than "
         "among refusers), education (10 points more with tertiary and 10 fewer with basic education than "
         "among refusers)")),
    ("uusimaa-hospitality", "refuser"): Profile(
        2811, {"employed": 34, "services": 9, "unemployed": 41, "outside": 5, "other_unknown": 11},
        {"female": 70, "male": 30}, {"under_25": 42, "25_34": 30, "35_49": 28, "50_plus": 0},
        {"basic": 30, "secondary": 60, "tertiary": 10},
        ("printed: N = 2 811, employed 34 %, unemployed 41 %, unknown 9 points above participants, "
         "younger and less educated than participants",
         "assumed: the other statuses, sex, the age and education splits")),
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
    "Within a pilot, statuses are spread over the groups as evenly as the report's statements about the "
    "pilot's groups allow (the statements appendix lists them): an integer programme keeps the printed totals "
    "and the profile's shares exactly and departs from giving every group the pilot's shares only as far as a "
    "statement requires, keeping half a percentage point of room where a statement says one group is above "
    "another. The Uusimaa ICT pilot's groups are fitted to Figure 14 and to the statements its shares leave open "
    "(who is older, who has more education).",
    "Where the report says one group is above another without saying by how much, the generator makes it so by "
    "a margin of its own choosing; comparisons the report does not make (e.g. by sex where the text is silent) "
    "follow from that choice and from the random pairing of sex, age and education within each status, and "
    "say nothing about the pilots.",
    "Ages are drawn uniformly within each age band (20-24 for the youngest, 50-63 for the oldest).",
    "Figure 14's shares cannot all be met if every person falls in one of its groups: the age groups of the "
    "refusers, for one, do not average to the refusers' total. The fit therefore lets a few persons have no "
    "recorded age or education, as happens in registers, each costing it as much as fifty persons moved away "
    "from the assumed group mix: about 4 % of the Uusimaa ICT refusers have no recorded age, and one "
    "participant no recorded education.",
    "Figure 14's education bars for the Uusimaa ICT refusers average to their total only if many refusers "
    "have only basic education (their employed share is the lowest), while the text says few have in either "
    "cohort. Both hold if some refusers have no recorded education: the fit leaves about 7 % of them "
    "without one, about as few as keep the basic-educated under a tenth of those with a recorded level.",
    "Codes: an employed person has employment code 1 (70 %) or, without an employment code, end reason 1, 2 "
    "or 3; services: codes 0, 7, 8 or end reasons 0, 4, 8, 11, 12, 13; unemployed: codes 2, 3, 4; outside: "
    "codes 5, 6 or end reasons 5, 9; other or unknown: end reason 6 or 10, or no code at all (5 %). One in "
    "five persons with an employment code also carries an end reason, which the code overrides.",
)


# --------------------------------------------------------------------------- the fit


# Plausible group mixes (assumed) that the fitted group sizes are pulled towards, per cohort.
FIG14_PRIORS = {
    "participant": {"sex": (0.5, 0.5), "age": (0.06, 0.30, 0.34, 0.30), "education": (0.03, 0.22, 0.75)},
    "refuser": {"sex": (0.55, 0.45), "age": (0.15, 0.30, 0.30, 0.25), "education": (0.07, 0.35, 0.58)},
}
UNRECORDED_PENALTY = 50.0
MIN_GROUP = 12  # every fitted group keeps at least this many persons (disclosure threshold 10, with room)
# Room a strict statement keeps ("a > b" as a >= b + margin), in the rule's units (mostly percentage
# points): half a point where the generator chooses the spread or the group sizes, so that the difference
# shows in a table to one decimal; next to nothing where a printed figure fixes the shares (its rounding
# leaves no more room).
STATEMENT_MARGIN = 0.5
FIGURE_MARGIN = 0.01
# HiGHS stops within this share of the best cost (deterministic, and seconds instead of minutes); the
# first pass of a figure fit, which only settles how many persons stay unrecorded, stops sooner.
MILP_OPTIONS = {"mip_rel_gap": 0.01}
FIRST_PASS_OPTIONS = {"mip_rel_gap": 0.05}
DIMS = {"sex": SEXES, "age": AGES, "education": EDUCATION}


@dataclass(frozen=True)
class FigureFit:
    """A cohort whose figure prints every group's status shares: group sizes are fitted."""

    n: int
    figure: dict  # (dimension, group) -> status -> printed share
    priors: dict  # dimension -> assumed share of each group


class _Programme:
    """The integer programme of one pilot (all its cohorts): variables, rows and costs."""

    def __init__(self):
        self.cost: list[float] = []
        self.integer: list[bool] = []
        self.upper: list[float] = []
        self.rows: list[dict[int, float]] = []
        self.lo: list[float] = []
        self.hi: list[float] = []

    def var(self, cost: float, integer: bool, upper: float) -> int:
        self.cost.append(cost)
        self.integer.append(integer)
        self.upper.append(upper)
        return len(self.cost) - 1

    def add(self, coeffs: dict[int, float], low: float, high: float) -> None:
        self.rows.append(coeffs)
        self.lo.append(low)
        self.hi.append(high)

    def key(self, options: dict) -> str:
        """The programme's content (and the solver's version): equal keys, equal solutions."""
        import scipy

        text = json.dumps([scipy.__version__, options, self.cost, self.integer, self.upper, self.lo, self.hi,
                           [sorted(row.items()) for row in self.rows]])
        return hashlib.sha256(text.encode()).hexdigest()

    def solve(self, options: dict) -> SimpleNamespace:
        """HiGHS's solution (``x``, or None and a ``message``).  HiGHS is deterministic, so the solution
        of a programme already solved is read from ``_build/state/synth/`` instead of solved again
        (the key is the programme itself: any change to the margins, statements or code that changes
        it is solved afresh)."""
        cache = Project.here().state / "synth" / f"{self.key(options)}.json"
        try:
            known = json.loads(cache.read_text(encoding="utf-8"))
            return SimpleNamespace(x=None if known["x"] is None else np.array(known["x"]), message=known["message"])
        except (OSError, ValueError, KeyError):
            pass
        from scipy.optimize import Bounds, LinearConstraint, milp
        from scipy.sparse import lil_matrix

        a = lil_matrix((len(self.rows), len(self.cost)))
        for i, row in enumerate(self.rows):
            for j, v in row.items():
                a[i, j] += v
        res = milp(np.array(self.cost), constraints=LinearConstraint(a.tocsr(), self.lo, self.hi),
                   integrality=np.array(self.integer, dtype=int),
                   bounds=Bounds(np.zeros(len(self.cost)), np.array(self.upper)), options=options)
        solved = SimpleNamespace(x=res.x, message=str(res.message))
        try:
            cache.parent.mkdir(parents=True, exist_ok=True)
            cache.write_text(json.dumps({"x": None if res.x is None else res.x.tolist(), "message": solved.message}),
                             encoding="utf-8")
        except OSError:  # a read-only project still generates, only slower
            pass
        return solved


def statement_rules(statements: pd.DataFrame | None, pilot_id: str) -> list[tuple[str, str]]:
    """(id, rule) of the register statements about ``pilot_id`` (or about no single pilot) that the
    report's numbers allow (no ``conflict``)."""
    if statements is None or statements.empty:
        return []
    s = statements.fillna({"pilot_id": "", "conflict": ""})
    rows = s[(s["dataset"] == "ura_extract") & (s["conflict"] == "") & s["pilot_id"].isin([pilot_id, ""])]
    return list(zip(rows["id"], rows["rule"]))


def _fit_pilot(pilot_id: str, specs: dict[str, "Profile | FigureFit"], rules: list[tuple[str, str]],
               categories: pd.DataFrame | None, rng, strict: bool = False) -> pd.DataFrame:
    """Persons (cohort, sex, age_band, education, status) of one pilot, all its cohorts fitted together.

    :func:`_solve` chooses the counts; a pilot with a :class:`FigureFit` cohort is solved twice:
    first each such cohort alone, which settles how many persons each dimension leaves unrecorded;
    then all cohorts together with those numbers fixed, so that every statement comparing the
    composition of two cohorts is linear too.  Within each
    status, the sexes, ages and education levels are then paired at random.
    """
    if any(isinstance(spec, FigureFit) for spec in specs.values()):
        unrecorded = {}
        for c, spec in specs.items():  # first as few unrecorded as possible, cohort by cohort
            if isinstance(spec, FigureFit):
                alone = _solve(pilot_id, {c: spec}, rules, categories, None, strict=False)
                unrecorded |= {(c, d): sum(alone[(c, d, len(gs), s)] for s in range(len(STATUSES)))
                               for d, gs in DIMS.items()}
        counts = _solve(pilot_id, specs, rules, categories, unrecorded, strict)
    else:
        counts = _solve(pilot_id, specs, rules, categories, None, strict)
    first = next(iter(DIMS))
    frames = []
    for cohort, spec in specs.items():
        extra = 1 if isinstance(spec, FigureFit) else 0
        per_status = [sum(counts[(cohort, first, k, s)] for k in range(len(DIMS[first]) + extra))
                      for s in range(len(STATUSES))]
        status = np.array([s for s in range(len(STATUSES)) for _ in range(per_status[s])])
        columns = {}
        for d, gs in DIMS.items():
            values = np.empty(spec.n, dtype=object)
            for s in range(len(STATUSES)):
                labels = np.array([gs[k] if k < len(gs) else None for k in range(len(gs) + extra)
                                   for _ in range(counts[(cohort, d, k, s)])], dtype=object)
                rng.shuffle(labels)
                values[status == s] = labels
            columns[d] = values
        frame = pd.DataFrame({"sex": columns["sex"], "age_band": columns["age"], "education": columns["education"],
                              "status": [STATUSES[s] for s in status]})
        frames.append(frame.iloc[rng.permutation(spec.n)].reset_index(drop=True).assign(cohort=cohort))
    return pd.concat(frames, ignore_index=True)


def _solve(pilot_id: str, specs: dict[str, "Profile | FigureFit"], rules: list[tuple[str, str]],
           categories: pd.DataFrame | None, unrecorded: dict[tuple[str, str], int] | None,
           strict: bool) -> dict[tuple[str, str, int, int], int]:
    """(cohort, dimension, group index, status index) -> persons: one integer programme for the pilot.

    For each cohort and dimension it chooses how many persons of each group have each status, with
    the same status totals in every dimension.  A :class:`Profile` cohort has its group sizes and its
    status totals fixed by the profile's shares; the statuses are spread over the groups as evenly
    as the statements allow (the cost is the distance from a proportional spread).  A
    :class:`FigureFit` cohort must give back every printed share: for a share p of a group with N
    persons and count C, p - 0.5 <= 100 C / N < p + 0.5 (linear in C and N); its group sizes stay
    as close as they can to the priors, each at least MIN_GROUP; since the printed shares cannot
    all be met when every person is in a group of every dimension, a dimension may leave persons
    unrecorded (as registers do; the index after the last group), at a cost far above a group off
    its prior size, or exactly ``unrecorded[(cohort, dimension)]`` of them when given.  Every
    statement of ``rules`` that is a set of linear constraints over this pilot's cohorts (see
    :func:`pilotbook.analysis.register_statements.constraints`) is added, with a small margin;
    the rest can only be checked.  With ``strict``, a statement that is not linear raises.
    """
    from pilotbook.analysis.register_statements import NotLinear, constraints

    prog = _Programme()
    x: dict[tuple[str, str, int, int], int] = {}
    first = next(iter(DIMS))
    S = len(STATUSES)
    sizes: dict[tuple[str, str, int], int] = {}  # fixed group sizes (profiles)
    for cohort, spec in specs.items():
        n = spec.n
        extra = 1 if isinstance(spec, FigureFit) else 0  # FigureFit: a last "unrecorded" group
        for d, gs in DIMS.items():
            for k in range(len(gs) + extra):
                for s in range(S):
                    unrecorded_cost = UNRECORDED_PENALTY if k == len(gs) and unrecorded is None else 0.0
                    x[(cohort, d, k, s)] = prog.var(unrecorded_cost, True, n)
            prog.add({x[(cohort, d, k, s)]: 1 for k in range(len(gs) + extra) for s in range(S)}, n, n)
            if extra and unrecorded is not None:
                prog.add({x[(cohort, d, len(gs), s)]: 1 for s in range(S)}, unrecorded[(cohort, d)],
                         unrecorded[(cohort, d)])
            if d != first:  # the same status totals in every dimension
                for s in range(S):
                    row = {x[(cohort, d, k, s)]: 1.0 for k in range(len(gs) + extra)}
                    for k in range(len(DIMS[first]) + extra):
                        row[x[(cohort, first, k, s)]] = row.get(x[(cohort, first, k, s)], 0) - 1
                    prog.add(row, 0, 0)
        if isinstance(spec, FigureFit):
            _figure_rows(prog, x, cohort, spec, prior_cost=1.0)
        else:
            target = split_by_share(n, spec.status)
            for s, status in enumerate(STATUSES):
                prog.add({x[(cohort, first, k, s)]: 1 for k in range(len(DIMS[first]))}, target[status],
                         target[status])
            for d, gs in DIMS.items():
                split = split_by_share(n, getattr(spec, d))
                for k, g in enumerate(gs):
                    sizes[(cohort, d, k)] = split.get(g, 0)
                    prog.add({x[(cohort, d, k, s)]: 1 for s in range(S)}, sizes[(cohort, d, k)],
                             sizes[(cohort, d, k)])
                    for s, status in enumerate(STATUSES):  # |x - proportional| as a cost
                        dev = prog.var(1.0, False, n)
                        even = sizes[(cohort, d, k)] * target[status] / n
                        prog.add({x[(cohort, d, k, s)]: 1, dev: -1}, -np.inf, even)
                        prog.add({x[(cohort, d, k, s)]: -1, dev: -1}, -np.inf, -even)

    def fixed(atom):
        if atom.pilot != pilot_id or atom.cohort not in specs:
            raise NotLinear(f"{atom} is not fitted with {pilot_id}")
        spec = specs[atom.cohort]
        if atom.dimension == "total":
            return spec.n
        gs = DIMS[atom.dimension]
        if isinstance(spec, FigureFit):
            if unrecorded is not None and set(atom.groups) == set(gs):  # everyone with a recorded value
                return spec.n - unrecorded[(atom.cohort, atom.dimension)]
            return None
        return sum(sizes[(atom.cohort, atom.dimension, gs.index(g))] for g in atom.groups)

    def variables(atom) -> list[int]:
        d = first if atom.dimension == "total" else atom.dimension
        ks = range(len(DIMS[d]) + (1 if isinstance(specs[atom.cohort], FigureFit) else 0)) \
            if atom.dimension == "total" else [DIMS[d].index(g) for g in atom.groups]
        ss = range(S) if atom.statuses is None else [STATUSES.index(s) for s in atom.statuses]
        return [x[(atom.cohort, d, k, s)] for k in ks for s in ss]

    for sid, rule in rules:
        try:
            cons = constraints(rule, pilot_id, fixed, categories, margin=STATEMENT_MARGIN, partial=not strict)
            if any(isinstance(specs[atom.cohort], FigureFit) and atom.statuses is not None
                   for c in cons for atom, _ in c.coeffs):  # shares a printed figure fixes
                cons = constraints(rule, pilot_id, fixed, categories, margin=FIGURE_MARGIN, partial=not strict)
        except NotLinear as err:
            if strict:
                raise NotLinear(f"{sid}: {err}") from None
            continue
        for c in cons:
            row: dict[int, float] = {}
            for atom, coeff in c.coeffs:
                for j in variables(atom):
                    row[j] = row.get(j, 0.0) + coeff
            prog.add(row, c.low, c.high)
    first_pass = unrecorded is None and any(isinstance(spec, FigureFit) for spec in specs.values())
    res = prog.solve(FIRST_PASS_OPTIONS if first_pass else MILP_OPTIONS)
    if res.x is None:
        raise RuntimeError(f"{pilot_id}: the printed numbers and the statements cannot all be met ({res.message})")
    return {key: int(round(res.x[j])) for key, j in x.items()}


def _figure_rows(prog: _Programme, x: dict, cohort: str, spec: FigureFit, prior_cost: float) -> None:
    """The printed shares of a FigureFit cohort, its minimum group size and its pull to the priors."""
    first = next(iter(DIMS))
    S = len(STATUSES)

    def share_rows(members: list[tuple[str, int]], shares: dict[str, float]):
        for s_idx, s in enumerate(STATUSES):
            p = shares[s]
            lower = {x[(cohort, d, k, t)]: -(p - 0.5) for d, k in members for t in range(S)}
            upper = {x[(cohort, d, k, t)]: -(p + 0.5) for d, k in members for t in range(S)}
            for d, k in members:
                lower[x[(cohort, d, k, s_idx)]] += 100
                upper[x[(cohort, d, k, s_idx)]] += 100
            prog.add(lower, 0, np.inf)
            prog.add(upper, -np.inf, -0.001)

    share_rows([(first, k) for k in range(len(DIMS[first]) + 1)], spec.figure[("total", "total")])
    for d, gs in DIMS.items():
        for k, g in enumerate(gs):
            share_rows([(d, k)], spec.figure[(d, g)])
            size = {x[(cohort, d, k, t)]: 1 for t in range(S)}
            prog.add(size, MIN_GROUP, np.inf)
            dev = prog.var(prior_cost, False, spec.n)
            target = spec.priors[d][k] * spec.n
            prog.add({**size, dev: -1}, -np.inf, target)
            prog.add({**{i: -1 for i in size}, dev: -1}, -np.inf, -target)


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


def pilot_specs(ura_published: pd.DataFrame) -> dict[str, dict[str, "Profile | FigureFit"]]:
    """pilot -> cohort -> what the generator makes of it: the pilot whose figure prints every group
    (Figure 14) is fitted to it; the others follow :data:`PROFILES`, for the pilots the data folder's
    ``ura_published.csv`` has (a follow-up that drops a pilot gets no persons for it), with the cohort
    size it prints where it prints one."""
    specs: dict[str, dict] = {}
    fig14 = figure_14(ura_published)
    for pilot_id in ura_published.loc[ura_published["figure"] == "Figure 14", "pilot_id"].dropna().unique():
        sizes = cohort_sizes(ura_published, pilot_id)
        specs[pilot_id] = {c: FigureFit(sizes[c], fig14[c], FIG14_PRIORS[c]) for c in ("participant", "refuser")}
    present = set(ura_published["pilot_id"].dropna())
    for (pilot_id, cohort), profile in PROFILES.items():
        if pilot_id in present:
            n = cohort_sizes(ura_published, pilot_id).get(cohort, profile.n)
            specs.setdefault(pilot_id, {})[cohort] = profile if n == profile.n else replace(profile, n=n)
    return specs


def report_statements() -> pd.DataFrame:
    """The statements catalog of the report's own data (the shipped ``data/``): the statements are
    the report's word whichever data folder the margins come from."""
    from pilotbook.io.catalog import load
    from pilotbook.paths import INSTALL_ROOT

    return load("statements", INSTALL_ROOT / "data")


def generate(pilots: pd.DataFrame, ura_published: pd.DataFrame, codes: pd.DataFrame,
             categories: pd.DataFrame, seed: int | None = None,
             statements: pd.DataFrame | None = None) -> pd.DataFrame:
    """The SYNTHETIC extract: every pilot fitted to its printed numbers and to the statements of
    ``statements`` (default: the catalog of the shipped data, :func:`report_statements`)."""
    seed = settings.current().seed_register if seed is None else seed
    statements = report_statements() if statements is None else statements
    rng = np.random.default_rng(seed)
    frames = []
    for pilot_id, specs in pilot_specs(ura_published).items():
        frames.append(_fit_pilot(pilot_id, specs, statement_rules(statements, pilot_id), categories, rng)
                      .assign(pilot_id=pilot_id))
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
                     load("ura_categories", data_dir), statements=load("statements", data_dir))
    path = dataset("ura_extract").path(data_dir)
    path.parent.mkdir(parents=True, exist_ok=True)
    write(frame, path)
    return {path: len(frame)}
