"""SYNTHETIC answers to the two surveys of chapters 2.3-2.4, generated from what the report prints.

The evaluators' survey data are not public.  ``survey_nonparticipants.csv`` (one row per
jobseeker who was invited to a pilot but did not join) and ``satisfaction_pirkanmaa.csv``
(one row per answer to the Back to Business customer survey) have the shape a researcher with
the real answers would bring, and are built so that every count and share the report prints
comes out of them: respondents per TE office, Figure 1 and Figure 2 in full, the per-office
shares of the text, the reasons among those aware of the invitation, the clarity shares, the
item Ns, Figure 7's means, the overall grade and the effect grade.  Every row says
``synthetic = true``.

Where the report prints nothing (most of Figures 3-6) the generator assumes, and
:data:`ASSUMPTIONS` says what (the book shows the list).  Where the report's own numbers cannot
all hold at once (the per-office shares of Figure 2 against its totals), an integer programme
finds the table closest to every printed share; the survey chapter lists what remains apart.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd

from pilotbook import settings
from pilotbook.analysis.survey import aware
from pilotbook.contracts.office_split import fit_actions
from pilotbook.contracts.office_split import printed_value as _printed
from pilotbook.io.codebook import ACTION, ATTENDED, SERVICE_NEED, UNAWARE, Codebook
from pilotbook.synth import satisfaction
from pilotbook.synth.allocation import expand, largest_remainder, round_half_up, write


# ---- what the generator assumes where the report prints nothing (each used below, listed in the book)
REASON_AGREE_PCT = {"reason_not_joining_life_situation": 30, "reason_not_joining_full_time_work": 40}
STRONG_SHARE_OF_AGREE = 0.4  # of those agreeing, the share who agree fully
CANT_SAY_AWARE = 0.08  # share of "can't say" among respondents aware of the invitation
DISAGREE_SHAPE = (0.35, 0.35, 0.30)  # how the rest spread over fully disagree / somewhat / neither
UNAWARE_CANT_SAY = 0.7  # respondents unaware of the invitation who still answered: mostly "can't say"
CLARITY_AGREE_SPLIT = 0.6  # of the unaware who found the invitation clear: share "somewhat" (rest "fully")
# Figure 4-5 items without printed values: % agreeing among info-session attendees and among other aware
PROVIDER_VIEWS_AGREE_PCT = {"clarity_providers_explained_services": {"attended": 60, "aware": 30},
                            "providers_expertise": {"attended": 50, "aware": 25}}
# Figure 1 x Figure 2 (chapter 2.3, lines 962-966, names an order, not shares): among respondents aware
# of the invitation, the fields that most often looked through the providers and declined, first to
# last, each at least FIELD_ORDER_GAP percentage points ahead of the next
REVIEWED = "reviewed_providers"  # Figure 2: looked through the providers, did not join
FIELD_REVIEWED_ORDER = ("marketing_tasks", "other_expert_tasks")
FIELD_ORDER_GAP = 2.0
SERVICE_NEED_PCT = {"employer_contacts_own_field": 40, "skills_update": 30, "other": 10}


def _pct(share: float) -> str:
    return f"{100 * share:.0f} %"


ASSUMPTIONS = (
    "Only the offices the report analyses get answers. The report's office shares (87 %, 7 %, 3 %) fit no "
    "total when rounded, but all fit one when truncated: the generator adds the smallest number of respondents "
    "from other offices (the single respondents the report left out) for which they do, with every answer empty.",
    "Figure 2 is split by office by an integer programme: its six counts, the offices' respondents and every count "
    "the text prints for an office are kept exactly; the printed office shares are met as closely as the "
    "report's own numbers allow (they cannot all hold at once). Respondents who did not answer are spread at random.",
    "Figure 1 (field of work) has the same answer rate in every office. The Keski-Suomi respondents (a "
    "construction pilot) sought construction work, the Pirkanmaa respondents (a pilot for the highly "
    "educated) other expert tasks or 'other', in proportion to those fields' totals; the Uusimaa respondents "
    "have the remaining counts of every field. Within an office, every field is equally aware of the invitation. "
    "The report says only that, of the aware, those seeking marketing work most often looked through the providers "
    "and declined, those in other expert tasks second, and that the fields did not differ significantly: the "
    "generator starts from the same share in every field of an office and moves respondents between fields, one at "
    "a time and keeping the fields as alike as it can, until marketing leads and other expert tasks follow, each at "
    "least " + f"{FIELD_ORDER_GAP:g}" + " points ahead of the next.",
    "Every respondent aware of the invitation answered every reason of Figure 3; the rest of each printed N are "
    "respondents unaware of it, of whom " + _pct(UNAWARE_CANT_SAY) + " answered \"can't say\" and the others "
    "spread evenly over the scale. An item without a printed N has the median of the printed ones.",
    "Among the aware, the share agreeing (somewhat or fully) is the printed one; for the two reasons the text "
    "gives no share, it is assumed: " + ", ".join(f"{k.removeprefix('reason_not_joining_').replace('_', ' ')} "
                                                  f"{v} %" for k, v in REASON_AGREE_PCT.items()) + ". "
    f"Of those agreeing {_pct(STRONG_SHARE_OF_AGREE)} agree fully; {_pct(CANT_SAY_AWARE)} of the aware answer "
    "\"can't say\"; the rest fully disagree, somewhat disagree or neither in the proportions "
    + " : ".join(_pct(s) for s in DISAGREE_SHAPE) + ". Every office has the same distribution, "
    "as the report found no significant office differences.",
    "For the clarity of the invitation, each office's printed share is met among its aware respondents (for "
    "Keski-Suomi one aware respondent skipped the item, the only base that gives 35 %); the overall share of "
    "about 40 % is reached by the unaware respondents who answered, some of whom found it clear.",
    "The Figure 4 items whose values are lost in the dump were answered by everyone aware of the invitation and "
    "by as many unaware respondents as the printed N needs; agreement is assumed at "
    + "; ".join(f"{v['attended']} % among info-session attendees and {v['aware']} % among the other aware "
                f"for '{k.replace('_', ' ')}'" for k, v in PROVIDER_VIEWS_AGREE_PCT.items())
    + " (the text says only that attendees were more positive). An item without a printed N has the printed "
    "one of Figure 4.",
    "Figure 6 (services wanted) was answered by everyone who answered Figure 2. \"No service\" has the printed "
    "share of about a third and excludes the others; the rest are assumed: "
    + ", ".join(f"{k.replace('_', ' ')} {v} %" for k, v in SERVICE_NEED_PCT.items())
    + " of the answers, so that employer contacts are the most wanted and skills nearly as common as no service.",
    "Customer survey (Pirkanmaa): a share printed as 'over p %' is generated as p + "
    f"{satisfaction.OVER_MARGIN} %; contacts with the provider average the midpoint of the printed 6-10 and range from "
    f"{satisfaction.CONTACTS_RANGE[0]} to {satisfaction.CONTACTS_RANGE[1]}; {_pct(satisfaction.SATISFACTION_CANT_SAY)} answer \"can't say\" to each "
    "statement of Figure 7; the answers are spread widely (the report says experiences varied very much) "
    "around the printed means; respondents employed at the end are the pilot's share of finishers in "
    "fee-eligible employment (Table 4). Items are independent of each other.",
    "Open answers (190 on reasons, 244 on development) are not generated: the book summarises the report's "
    "account of them and quotes nothing.",
)


# --------------------------------------------------------------------------- helpers


def respondents_total(sizes: dict[str, int], shares: dict[str, float | None]) -> int:
    """Smallest total for which every printed office share is the truncated share, preferring
    totals where the rounded share fits too; the offices' sum when no total fits."""
    base = sum(sizes.values())
    if any(v is None for v in shares.values()):
        return base
    fits = []
    for total in range(base, 2 * base):
        if all(math.floor(100 * sizes[o] / total + 1e-9) == shares[o] for o in sizes):
            rounded = sum(round_half_up(100 * sizes[o] / total) == shares[o] for o in sizes)
            fits.append((-rounded, total))
    return min(fits)[1] if fits else base


def fit_count(pct: float, n_max: int) -> tuple[int, int]:
    """(base, count): the largest base up to ``n_max`` for which a count gives ``pct`` within rounding."""
    for n in range(n_max, 0, -1):
        k = round_half_up(pct * n / 100)
        if abs(100 * k / n - pct) <= 0.5 + 1e-9:
            return n, k
    return n_max, round_half_up(pct * n_max / 100)


def _likert_counts(n: int, agree: int, points: list[int], cant_say_code: int | None, cant_say: int,
                   strong: int | None = None, rest_shape=DISAGREE_SHAPE) -> dict[int, int]:
    """Counts per code: ``agree`` on the top two points (``strong`` of them fully), ``cant_say``
    on the can't-say code, the rest over the lower points by ``rest_shape``."""
    strong = round_half_up(agree * STRONG_SHARE_OF_AGREE) if strong is None else strong
    cant_say = min(cant_say, n - agree)
    rest = largest_remainder(n - agree - cant_say, list(rest_shape))
    counts = dict(zip(points[: len(rest)], rest))
    counts[points[-2]], counts[points[-1]] = agree - strong, strong
    if cant_say_code is not None:
        counts[cant_say_code] = cant_say
    return counts


def _spread(n: int, codes: list[int], cant_say_code: int | None, cant_say_share: float) -> dict[int, int]:
    """Answers of those unaware of the invitation: mostly can't say, the rest evenly over the scale."""
    k = round_half_up(n * cant_say_share) if cant_say_code is not None else 0
    counts = dict(zip(codes, largest_remainder(n - k, [1] * len(codes))))
    if cant_say_code is not None:
        counts[cant_say_code] = k
    return counts


def _deal(counts: dict, who: pd.Index, office: pd.Series, rng) -> pd.Series:
    """Give the answers in ``counts`` to the respondents ``who`` so that every office gets the same
    mix (each office's respondents take evenly spaced places in the deck), at random within an office."""
    codes = expand(counts)
    if len(codes) != len(who):
        raise ValueError(f"{len(codes)} answers for {len(who)} respondents")
    shuffled = rng.permutation(np.asarray(who))
    offices = office.loc[shuffled].to_numpy()
    places = []
    for rank, o in enumerate(dict.fromkeys(office.loc[np.asarray(who)])):
        members = shuffled[offices == o]
        places += [((r + 0.5) / len(members), rank, i) for r, i in enumerate(members)]
    order = [i for *_, i in sorted(places)]
    return pd.Series(codes, index=order, dtype=object)


def _assign(frame: pd.DataFrame, column: str, counts: dict, who, rng) -> None:
    codes = expand(counts)
    chosen = rng.permutation(np.asarray(who))[: len(codes)]
    frame.loc[chosen, column] = rng.permutation(np.array(codes, dtype=object))


# --------------------------------------------------------------------------- non-participants


def generate_nonparticipants(published: pd.DataFrame, codebook: pd.DataFrame, seed: int | None = None) -> pd.DataFrame:
    """One row per (synthetic) respondent of the survey of invited non-participants."""
    cb = Codebook(codebook)
    seed = settings.current().seed_survey if seed is None else seed
    rng = np.random.default_rng(seed)
    offices = cb.offices()
    others = [o for o in cb.offices(analysed_only=False) if o not in offices]
    sizes = {o: int(_printed(published, question="survey", office=o, measure="respondents")) for o in offices}
    shares = {o: _printed(published, question="survey", office=o, measure="share") for o in offices}
    n_other = respondents_total(sizes, shares) - sum(sizes.values()) if others else 0
    office = [o for o in offices for _ in range(sizes[o])] + [others[0] if others else ""] * n_other
    items = cb.items("nonparticipants")
    columns = [c for c in items["name"] if c != SERVICE_NEED] + [f"{SERVICE_NEED}_{c}" for c in cb.categories(SERVICE_NEED)]
    frame = pd.DataFrame({"respondent_id": [f"N{i + 1:04d}" for i in range(len(office))], "office": office})
    for column in columns:
        frame[column] = pd.Series([None] * len(frame), dtype=object)
    analysed = frame["office"].isin(offices)

    # Figure 2, by office
    categories = cb.categories(ACTION)
    table, _ = fit_actions(published, offices, sizes, categories)
    for o in offices:
        who = frame.index[frame["office"] == o]
        codes = [c for c in categories for _ in range(table[o][c])]
        frame.loc[who, ACTION] = rng.permutation(np.array(codes + [None] * (len(who) - len(codes)), dtype=object))

    _fields(frame, published, cb, offices, sizes, rng)
    is_aware = aware(frame) & analysed
    aware_idx = frame.index[is_aware]
    unaware_idx = frame.index[analysed & (frame[ACTION] == UNAWARE)]

    # Figure 3: reasons
    reasons = cb.items(figure="Figure 3")
    printed_n = [v for v in (_printed(published, figure="Figure 3", question=q, measure="respondents")
                             for q in reasons["name"]) if v is not None]
    default_n = int(np.median(printed_n)) if printed_n else len(aware_idx)
    for item in reasons.itertuples(index=False):
        n_item = _printed(published, figure="Figure 3", question=item.name, measure="respondents")
        pct = _printed(published, question=item.name, response="agree", measure="share", office="all")
        pct = REASON_AGREE_PCT.get(item.name, 30) if pct is None else pct
        _agree_item(frame, cb, item.name, int(n_item or default_n), pct, aware_idx, unaware_idx, rng)

    # Figure 4: the clarity of the invitation (printed by office) and the views of the providers
    _clarity(frame, published, cb, "clarity_reason_for_invitation", offices, is_aware, unaware_idx, rng)
    views = cb.items(figure="Figure 4")
    views = views[views["name"] != "clarity_reason_for_invitation"]
    printed_views = [v for v in (_printed(published, figure="Figure 4", question=q, measure="respondents")
                                 for q in views["name"]) if v is not None]
    for item in views.itertuples(index=False):
        n_item = _printed(published, figure="Figure 4", question=item.name, measure="respondents")
        n_item = int(n_item or (printed_views[0] if printed_views else len(aware_idx)))
        scale = cb.scale_of(item.name)
        points, cs = cb.scale_points(scale), cb.cant_say(scale)
        assumed = PROVIDER_VIEWS_AGREE_PCT.get(item.name, {"attended": 50, "aware": 25})
        for group, pct in assumed.items():
            who = aware_idx[(frame.loc[aware_idx, ACTION] == ATTENDED).values == (group == "attended")]
            n = len(who)
            counts = _likert_counts(n, round_half_up(pct * n / 100), points, cs, round_half_up(CANT_SAY_AWARE * n))
            frame.loc[who, item.name] = _deal(counts, who, frame["office"], rng)
        extra = max(0, n_item - len(aware_idx))
        _assign(frame, item.name, _spread(extra, points, cs, UNAWARE_CANT_SAY), unaware_idx, rng)

    _service_needs(frame, published, cb, analysed & frame[ACTION].notna(), rng)
    frame["synthetic"] = True
    for column in columns:
        if column.startswith(f"{SERVICE_NEED}_"):
            frame[column] = frame[column].astype("boolean")
        elif cb.scale_of(column) not in ("categories", "multi"):
            frame[column] = pd.to_numeric(frame[column]).astype("Int64")
    return frame


def _fields(frame, published, cb: Codebook, offices, sizes, rng) -> None:
    """Figure 1 by office: equal answer rates; the pilots' own fields first; within an office every
    field equally aware of the invitation, and among the aware the order of chapter 2.3 in looking
    through the providers and declining (:func:`order_reviewers`; see ASSUMPTIONS)."""
    column = "field_of_work"
    categories = cb.categories(column)
    totals = {c: int(_printed(published, figure="Figure 1", question=column, response=c, measure="count") or 0)
              for c in categories}
    answered = dict(zip(offices, largest_remainder(sum(totals.values()), [sizes[o] for o in offices])))
    preferred = {"keski-suomi": ["construction"], "pirkanmaa": ["other_expert_tasks", "other_specify"]}
    left = dict(totals)
    by_office: dict[str, dict[str, int]] = {}
    for o in offices:
        fields = [f for f in preferred.get(o, []) if f in left]
        if not fields:
            continue
        parts = largest_remainder(min(answered[o], sum(left[f] for f in fields)), [left[f] for f in fields])
        by_office[o] = dict(zip(fields, parts))
        for f, k in by_office[o].items():
            left[f] -= k
    rest = [o for o in offices if o not in by_office]
    for f, k in left.items():
        for o, part in zip(rest, largest_remainder(k, [answered[o] for o in rest])):
            by_office.setdefault(o, {})[f] = by_office.get(o, {}).get(f, 0) + part
    # who answers: at random within an office; then their awareness and action decide the field mix
    classes, aware_k, reviewers = {}, {}, {}
    for o in offices:
        counts = [by_office.get(o, {}).get(c, 0) for c in categories]
        chosen = frame.loc[rng.choice(np.asarray(frame.index[frame["office"] == o]), size=sum(counts), replace=False),
                           ACTION]
        is_aware = chosen.notna() & (chosen != UNAWARE)
        is_reviewed = is_aware & (chosen == REVIEWED)
        classes[o] = {"reviewed": chosen.index[is_reviewed], "other_aware": chosen.index[is_aware & ~is_reviewed],
                      "not_aware": chosen.index[~is_aware]}
        aware_k[o] = dict(zip(categories, largest_remainder(int(is_aware.sum()), counts)))
        reviewers[o] = int(is_reviewed.sum())
    reviewed_k = order_reviewers(aware_k, reviewers, FIELD_REVIEWED_ORDER, FIELD_ORDER_GAP)
    for o in offices:
        split = {"reviewed": reviewed_k[o],
                 "other_aware": {c: aware_k[o][c] - reviewed_k[o][c] for c in categories},
                 "not_aware": {c: by_office.get(o, {}).get(c, 0) - aware_k[o][c] for c in categories}}
        for name, members in classes[o].items():
            frame.loc[rng.permutation(np.asarray(members)), column] = np.array(expand(split[name]), dtype=object)


def order_reviewers(aware: dict[str, dict[str, int]], reviewers: dict[str, int], order: tuple[str, ...],
                    gap: float) -> dict[str, dict[str, int]]:
    """Per office, how many of each field's aware respondents looked through the providers and declined.

    ``aware`` gives each office's aware respondents per field, ``reviewers`` each office's number who
    looked through the providers.  Starting from the same share in every field of an office, one
    respondent at a time changes field within an office (the change that most reduces the shortfall,
    and among equal ones the least chi-square of fields x reviewed over all offices) until, over all
    offices, the fields of ``order`` lead in that order, each at least ``gap`` points above the next
    and the last above every other field.  Deterministic; ValueError if the order cannot be reached."""
    offices = list(aware)
    fields = list(next(iter(aware.values())))
    a = np.array([[aware[o][f] for f in fields] for o in offices], dtype=float)
    r = np.array([largest_remainder(reviewers[o], [aware[o][f] for f in fields]) for o in offices], dtype=float)
    lead = [fields.index(f) for f in order]
    A = a.sum(axis=0)

    others = [g for g in range(len(fields)) if g not in lead and A[g] > 0]
    seen = A > 0

    def score(r):
        """(how far the order is missed in points, chi-square of fields x reviewed)"""
        share = np.full(len(fields), np.nan)
        share[seen] = 100 * r.sum(axis=0)[seen] / A[seen]
        short = 0.0
        for i, f in enumerate(lead):
            below = lead[i + 1:i + 2] if i + 1 < len(lead) else others
            short += sum(max(0.0, share[g] + gap - share[f]) for g in below)
        observed = np.c_[r.sum(axis=0), A - r.sum(axis=0)][seen]
        expected = np.outer(A[seen], observed.sum(axis=0) / A.sum())
        return short, float(np.sum((observed - expected) ** 2 / np.where(expected > 0, expected, np.inf)))

    current = score(r)
    while current[0] > 0:
        best = None
        for o in range(len(offices)):
            for g in range(len(fields)):
                if r[o, g] <= 0:
                    continue
                for f in range(len(fields)):
                    if f == g or r[o, f] >= a[o, f]:
                        continue
                    r[o, g] -= 1
                    r[o, f] += 1
                    s = score(r)
                    r[o, g] += 1
                    r[o, f] -= 1
                    if s < current and (best is None or s < best[0]):
                        best = (s, o, g, f)
        if best is None:
            raise ValueError(f"no split of the reviewers gives the order {order}")
        current, o, g, f = best
        r[o, g] -= 1
        r[o, f] += 1
    return {o: {f: int(r[i, j]) for j, f in enumerate(fields)} for i, o in enumerate(offices)}


def _agree_item(frame, cb: Codebook, item: str, n_item: int, pct: float, aware_idx, unaware_idx, rng) -> None:
    scale = cb.scale_of(item)
    points, cs = cb.scale_points(scale), cb.cant_say(scale)
    who = aware_idx if n_item >= len(aware_idx) else pd.Index(rng.choice(np.asarray(aware_idx), n_item, replace=False))
    n = len(who)
    counts = _likert_counts(n, round_half_up(pct * n / 100), points, cs, round_half_up(CANT_SAY_AWARE * n))
    frame.loc[who, item] = _deal(counts, who, frame["office"], rng)
    _assign(frame, item, _spread(max(0, n_item - n), points, cs, UNAWARE_CANT_SAY), unaware_idx, rng)


def _clarity(frame, published, cb: Codebook, item, offices, is_aware, unaware_idx, rng) -> None:
    """Each office's printed share among its aware respondents; the overall share via the unaware."""
    scale = cb.scale_of(item)
    points, cs = cb.scale_points(scale), cb.cant_say(scale)
    agreed = answered = 0
    for o in offices:
        who = frame.index[is_aware & (frame["office"] == o)]
        pct = _printed(published, question=item, office=o, response="agree", measure="share")
        if pct is None:
            pct = _printed(published, question=f"{item}_aware_only", office="all", response="agree", measure="share") or 50
        n, k = fit_count(pct, len(who))
        strong = _printed(published, question=item, office=o, response="strongly_agree", measure="share")
        strong_k = round_half_up(strong * n / 100) if strong is not None else None
        chosen = pd.Index(rng.permutation(np.asarray(who))[:n])
        counts = _likert_counts(n, k, points, cs, round_half_up(CANT_SAY_AWARE * n), strong=strong_k)
        frame.loc[chosen, item] = _deal(counts, chosen, frame["office"], rng)
        agreed, answered = agreed + k, answered + n
    total_n = _printed(published, question=item, office="all", measure="respondents")
    total_pct = _printed(published, question=item, office="all", response="agree", measure="share")
    extra = max(0, int(total_n or answered) - answered)
    extra = min(extra, len(unaware_idx))
    k = min(extra, max(0, round_half_up((total_pct or 0) * (answered + extra) / 100) - agreed))
    somewhat = round_half_up(k * CLARITY_AGREE_SPLIT)
    counts = _spread(extra - k, points[:-2], cs, UNAWARE_CANT_SAY)
    counts[points[-2]], counts[points[-1]] = somewhat, k - somewhat
    _assign(frame, item, counts, unaware_idx, rng)


def _service_needs(frame, published, cb: Codebook, answering: pd.Series, rng) -> None:
    """Figure 6: 'no service' excludes the rest; everyone else wants at least one service."""
    who = rng.permutation(np.asarray(frame.index[answering]))
    n = len(who)
    cats = cb.categories(SERVICE_NEED)
    none_pct = _printed(published, question=SERVICE_NEED, response="no_service_needed", measure="share")
    k_none = round_half_up((none_pct if none_pct is not None else 33) * n / 100)
    for c in cats:
        frame.loc[who, f"{SERVICE_NEED}_{c}"] = False
    frame.loc[who[:k_none], f"{SERVICE_NEED}_no_service_needed"] = True
    rest = list(who[k_none:])
    covered: set = set()
    for c in [c for c in cats if c != "no_service_needed"]:
        k = min(len(rest), round_half_up(SERVICE_NEED_PCT.get(c, 10) * n / 100))
        first = [i for i in rest if i not in covered]
        chosen = first[:k] if c != "other" else []
        chosen += [i for i in rng.permutation(np.asarray(rest)) if i not in chosen][: k - len(chosen)]
        frame.loc[chosen, f"{SERVICE_NEED}_{c}"] = True
        covered.update(chosen)
    left = [i for i in rest if i not in covered]
    frame.loc[left, f"{SERVICE_NEED}_other"] = True


# --------------------------------------------------------------------------- files


def write_example(data_dir: Path) -> dict[Path, int]:
    """Regenerate the two SYNTHETIC survey files of a data folder from its published values."""
    from pilotbook.io.catalog import dataset, load

    codebook = load("survey_codebook", data_dir)
    written = {}
    for name, frame in (
            ("survey_nonparticipants", generate_nonparticipants(load("survey_published", data_dir), codebook)),
            ("satisfaction_pirkanmaa", satisfaction.generate_satisfaction(load("satisfaction_published", data_dir), codebook,
                                                             load("outcomes", data_dir)))):
        path = dataset(name).path(data_dir)
        write(frame, path)
        written[path] = len(frame)
    return written
