"""The two surveys of chapters 2.3-2.4: codebook, tabulation, office tests, and the check
against every value the report prints.

* The **codebook** (``published/survey_codebook.csv``) names every item of both surveys,
  its Finnish text as printed (or why it is not), its answer scale and codes, the TE offices
  and the pilot(s) each office's respondents were invited to.  Figure labels and contract
  value sets both come from it.
* **Tabulation** turns person-level answers into distributions and passes every table
  through disclosure control (:mod:`pilotbook.analysis.disclosure`): a group under the minimum cell
  is suppressed whole; a count of 1-9 persons is masked with its share, and a second cell
  is masked where the masked ones could otherwise be recovered by subtraction.
* **Reproduction** recomputes each row of ``survey_published.csv`` /
  ``satisfaction_published.csv`` from the microdata and says whether it matches.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from pilotbook import settings
from pilotbook.analysis import disclosure
from pilotbook.analysis.statistics import percent
from pilotbook.contracts.office_split import office_split_fit, printed_value
from pilotbook.io.codebook import (ACTION, ALL, ATTENDED, SERVICE_NEED, UNAWARE,  # noqa: F401
                                   Codebook)

# --------------------------------------------------------------------------- selections


def analysed(responses: pd.DataFrame, codebook: Codebook) -> pd.DataFrame:
    """Respondents of the offices the report analyses (it left out single ones from elsewhere)."""
    return responses[responses["office"].isin(codebook.offices())]


def aware(responses: pd.DataFrame) -> pd.Series:
    """Answered the action question with anything but 'did not receive an invitation'."""
    return responses[ACTION].notna() & (responses[ACTION] != UNAWARE)


def service_need_columns(codebook: Codebook) -> list[str]:
    return [f"{SERVICE_NEED}_{c}" for c in codebook.categories(SERVICE_NEED)]


def answered_service_need(responses: pd.DataFrame, codebook: Codebook) -> pd.Series:
    return responses[service_need_columns(codebook)].notna().any(axis=1)


# --------------------------------------------------------------------------- distributions


def distribution(responses: pd.DataFrame, column: str, codes: list, by: str | None = None,
                 groups: list | None = None) -> pd.DataFrame:
    """Counts of every code (zeros kept) and shares of those who answered, per group."""
    rows = []
    keys = groups if groups is not None else ([None] if by is None else list(dict.fromkeys(responses[by])))
    for key in keys:
        part = responses if by is None else responses[responses[by] == key]
        answers = part[column].dropna()
        n = len(answers)
        for code in codes:
            count = int((answers == code).sum())
            rows.append({"group": ALL if by is None else key, "code": code, "count": count, "n": n,
                         "share": 100 * count / n if n else np.nan})
    return pd.DataFrame(rows, columns=["group", "code", "count", "n", "share"])


def protect_distribution(frame: pd.DataFrame, group: str = "group", min_n: int | None = None) -> pd.DataFrame:
    """Disclosure control for a distribution (one row per group and code).

    Primary: a group of fewer than ``min_n`` answers is suppressed whole; a count of
    1..min_n-1 is masked together with its share.  Complementary: further cells are masked
    until no masked count can be got back by subtraction, from the group's N or, with several
    groups, from the same question's counts for all groups together
    (:func:`pilotbook.analysis.disclosure.protect_grid`).
    """
    min_n = disclosure.min_cell() if min_n is None else min_n
    out = frame.copy()
    out["masked"] = disclosure.protect_grid(frame, group, "code", min_n=min_n)
    out["suppressed"] = out["n"] < min_n
    out.loc[out["masked"] | out["suppressed"], ["count", "share"]] = np.nan
    out["n"] = out["n"].astype(float).where(~out["n"].between(1, min_n - 1))
    return out


@dataclass(frozen=True)
class LikertItem:
    name: str
    label: str
    scale: str
    marker: str = ""  # '†' distribution assumed (nothing printed); '‡' wording not printed


def likert(responses: pd.DataFrame, items: list[LikertItem], codebook: Codebook, by: str | None = None,
           groups: list | None = None, lang: str = "en", min_n: int | None = None) -> pd.DataFrame:
    """One row per item (x group) and answer code, with counts and shares of all answers.

    Shares are of every answer, "can't say" included, so a bar and its can't-say share add
    up to 100.  A bar with any count of 1..min_n-1 is suppressed whole (a stacked bar would
    give a masked segment away by subtraction).
    """
    min_n = disclosure.min_cell() if min_n is None else min_n
    frames = []
    for item in items:
        codes = codebook.scale_codes(item.scale)
        cant_say = codebook.cant_say(item.scale)
        d = distribution(responses, item.name, codes, by, groups)
        d["item"], d["label"], d["marker"] = item.name, item.label, item.marker
        d["code_label"] = [codebook.code_label(item.scale, c, lang) for c in d["code"]]
        d["cant_say"] = d["code"] == cant_say
        frames.append(d)
    out = pd.concat(frames, ignore_index=True)
    small = (out["count"] > 0) & (out["count"] < min_n)
    bars = out.assign(small=small | (out["n"] < min_n)).groupby(["item", "group"], sort=False)["small"].transform("any")
    out["suppressed"] = bars
    out.loc[bars, ["count", "share"]] = np.nan
    return out[["item", "label", "marker", "group", "code", "code_label", "cant_say", "count", "n", "share", "suppressed"]]


# --------------------------------------------------------------------------- shares, tests, means


def agreepercent(responses: pd.DataFrame, item: str, codebook: Codebook, top_only: bool = False) -> tuple[int, int]:
    """(persons agreeing, persons answering, can't say included) for one item."""
    answers = responses[item].dropna()
    scale = codebook.scale_of(item)
    codes = codebook.scale_points(scale)[-1:] if top_only else codebook.agree_codes(scale)
    return int(answers.isin(codes).sum()), len(answers)


def office_test(responses: pd.DataFrame, item: str, codebook: Codebook, offices: list[str]) -> dict:
    """Do the offices differ in agreeing with ``item``?  Offices x (agree, not) among the answers.

    Pearson's chi-square test when every expected count is at least the ``min_expected`` setting; otherwise Fisher's
    exact test (the Freeman-Halton extension for more than two offices, its p-value estimated by Monte Carlo
    with the ``seed_survey`` setting, so that the same answers give the same p-value).
    """
    from scipy import stats

    table = []
    for office in offices:
        k, n = agreepercent(responses[responses["office"] == office], item, codebook)
        table.append([k, n - k])
    table = np.array(table)
    kept = [o for o, row in zip(offices, table) if row.sum() > 0]
    table = table[table.sum(axis=1) > 0]
    result = {"item": item, "offices": ", ".join(kept), "n": int(table.sum()),
              "agree_by_office": "; ".join(f"{o}: {r[0]}/{r.sum()}" for o, r in zip(kept, table))}
    if len(table) < 2 or (table.sum(axis=0) == 0).any():
        return result | {"test": "not computable (one office, or no variation)", "statistic": np.nan,
                         "dof": np.nan, "p_value": np.nan, "min_expected": np.nan}
    chi2 = stats.chi2_contingency(table, correction=False)
    min_expected = float(chi2.expected_freq.min())
    if min_expected < settings.current().min_expected:
        # beyond 2 x 2 scipy estimates the p-value by Monte Carlo: seeded, so a build gives the same p twice
        method = None if table.shape == (2, 2) else stats.MonteCarloMethod(
            rng=np.random.default_rng(settings.current().seed_survey))
        fisher = stats.fisher_exact(table, method=method)
        return result | {"test": "Fisher's exact test", "statistic": np.nan, "dof": np.nan,
                         "p_value": float(fisher.pvalue), "min_expected": min_expected}
    return result | {"test": "Pearson's chi-square test", "statistic": float(chi2.statistic), "dof": int(chi2.dof),
                     "p_value": float(chi2.pvalue), "min_expected": min_expected}


# --------------------------------------------------------------------------- the report's values


IN_WORDS = "in words"
TOLERANCE_WORDS = 3.0  # percentage points: "a fifth", "about half", "about 40 %"
TOLERANCE_MEAN = 0.05  # means printed with one decimal


def _compare(printed: float, computed: float, measure: str, qualifier, note, truncated: bool = False) -> tuple[str, str]:
    """(how the two were compared, status) for one printed value."""
    if computed is None or (isinstance(computed, float) and math.isnan(computed)):
        return "", "not in the microdata"
    if measure in ("count", "respondents"):
        return "exact", "matches" if round(computed) == printed else "differs"
    if measure == "mean":
        return f"±{TOLERANCE_MEAN}", "matches" if abs(computed - printed) <= TOLERANCE_MEAN + 1e-9 else "differs"
    if measure == "mean_low":
        return "at least", "matches" if computed >= printed else "differs"
    if measure == "mean_high":
        return "at most", "matches" if computed <= printed else "differs"
    q = qualifier if isinstance(qualifier, str) else ""
    if q == "over":
        return "over", "matches" if computed >= printed - 0.5 else "differs"
    if q == "under":
        return "under", "matches" if computed <= printed + 0.5 else "differs"
    if q == "approx" or (isinstance(note, str) and note.startswith(IN_WORDS)):
        ok = abs(computed - printed) <= TOLERANCE_WORDS
        return f"±{TOLERANCE_WORDS:g} points (in words or approximate)", "matches" if ok else "differs"
    if truncated:
        ok = math.floor(computed + 1e-9) == printed or abs(computed - printed) <= 0.5
        return "truncated or rounded", "matches" if ok else "differs"
    return "rounded", "matches" if abs(computed - printed) <= 0.5 + 1e-9 else "differs"


def survey_value(responses: pd.DataFrame, codebook: Codebook, row) -> tuple[float, float]:
    """(computed value, its base) for one row of ``survey_published.csv``; NaN when the
    microdata cannot give it (e.g. open answers, which are not generated)."""
    q, office, response, measure = row.question, row.office, row.response, row.measure
    if q == "survey":
        n = int((responses["office"] == office).sum())
        return (float(n), np.nan) if measure == "respondents" else (percent(n, len(responses)), float(len(responses)))
    data = analysed(responses, codebook)
    if office != ALL:
        data = data[data["office"] == office]
    column, aware_only = (q.removesuffix("_aware_only"), q.endswith("_aware_only"))
    if q == "provider_view_info_session_attendees":
        attendees = data[data[ACTION] == ATTENDED]
        return float(attendees["clarity_providers_explained_services"].notna().sum()), np.nan
    if q == SERVICE_NEED:
        base = data[answered_service_need(data, codebook)]
        k = int(base[f"{SERVICE_NEED}_{response}"].fillna(False).astype(bool).sum())
        return percent(k, len(base)), float(len(base))
    if column not in data.columns:
        return np.nan, np.nan
    if aware_only or (column.startswith("reason_not_joining") and measure == "share") or (
            column == "clarity_reason_for_invitation" and office != ALL and measure == "share"):
        # shares among those aware of the invitation (chapter 2.3 says so for the reasons and the
        # aware-only rows; the office shares of clarity are read the same way, see the codebook)
        data = data[aware(data)]
    answers = data[column].dropna()
    if measure == "respondents":
        return float(len(answers)), np.nan
    if pd.isna(response) or response == "":
        return np.nan, np.nan
    if measure == "count":
        return float((answers == response).sum()), float(len(answers))
    if response in ("agree", "strongly_agree"):
        k, n = agreepercent(data, column, codebook, top_only=response == "strongly_agree")
        return percent(k, n), float(n)
    return percent(int((answers == response).sum()), len(answers)), float(len(answers))


def reproduce_survey(published: pd.DataFrame, responses: pd.DataFrame, codebook: Codebook) -> pd.DataFrame:
    """Every printed value of the non-participant survey beside the value the microdata give."""
    rows = []
    for r in published.itertuples(index=False):
        value, base = survey_value(responses, codebook, r)
        how, status = _compare(r.value, value, r.measure, r.qualifier, r.note, truncated=r.question == "survey")
        rows.append({"figure": r.figure, "office": r.office, "question": r.question, "response": r.response,
                     "measure": r.measure, "printed": r.value, "qualifier": r.qualifier, "computed": value,
                     "base": base, "compared": how, "status": status, "source": r.source, "ref_line": r.ref_line})
    return pd.DataFrame(rows)


# --------------------------------------------------------------------------- chapter 2.3, step by step


CLARITY = "clarity_reason_for_invitation"
AUDIENCES = ("attended", "other")  # Figure 5: attended an info session, or aware of the invitation only
SPLIT_DIFFERS = "differs: the report's shares and counts cannot all hold"


def suppressed_status(min_n: int | None = None, status: str = "") -> str:
    """The status of a check row whose computed value is withheld: whether it agrees with the report
    ('matches' / 'differs', from ``status``), and that the value itself is not shown."""
    withheld = f"computed value withheld (<{disclosure.min_cell() if min_n is None else min_n} persons)"
    return f"{status}; {withheld}" if status else withheld


def withhold_small(rep: pd.DataFrame, counts: pd.Series, min_n: int) -> pd.DataFrame:
    """Blank ``computed`` where ``counts`` (the persons a computed value stands for, or the rest of its
    base) is 1 .. ``min_n - 1``; the row keeps whether it matches the report."""
    small = counts.between(1, min_n - 1) & rep["computed"].notna()
    rep = rep.copy()
    rep.loc[small, "status"] = [suppressed_status(min_n, s) for s in rep.loc[small, "status"]]
    rep.loc[small, "computed"] = np.nan
    return rep


def respondents_by_office(responses: pd.DataFrame, published: pd.DataFrame, codebook: Codebook,
                          min_n: int | None = None) -> pd.DataFrame:
    """Respondents per TE office (those left out of the analysis too): the printed count and share,
    the microdata's count (1..min_n-1 masked) and the pilots the office's respondents were invited to."""
    min_n = disclosure.min_cell() if min_n is None else min_n
    rows = [{"office": o,
             "respondents_printed": printed_value(published, question="survey", office=o, measure="respondents"),
             "share_printed": printed_value(published, question="survey", office=o, measure="share"),
             "respondents_synthetic": int((responses["office"] == o).sum()),
             "invited_to": "; ".join(codebook.invited_to(o))}
            for o in codebook.offices(analysed_only=False)]
    frame = pd.DataFrame(rows)
    counts = frame["respondents_synthetic"].astype("Int64")
    frame["respondents_synthetic"] = counts.mask((counts > 0) & (counts < min_n))
    return frame


def office_tests(answers: pd.DataFrame, codebook: Codebook, offices: list[str], items=None) -> pd.DataFrame:
    """:func:`office_test` among respondents aware of the invitation, one row per item (default:
    the reasons of Figure 3 and the clarity of the invitation)."""
    if items is None:
        items = [*codebook.items(figure="Figure 3")["name"], CLARITY]
    aware_answers = answers[aware(answers)]
    return pd.DataFrame([office_test(aware_answers, i, codebook, offices) for i in items])


def agree_by_office(answers: pd.DataFrame, codebook: Codebook, offices: list[str], items,
                    min_n: int | None = None) -> pd.DataFrame:
    """Share agreeing (somewhat or fully) with each item, per office and for all offices, among
    respondents aware of the invitation, can't say in the base; with the office test of each item.

    A share resting on 1..min_n-1 persons agreeing or not agreeing is suppressed (the counts
    themselves are not returned)."""
    items = list(items)
    aware_answers = answers[aware(answers)]
    rows = []
    for name in items:
        for group in [*offices, ALL]:
            part = aware_answers if group == ALL else aware_answers[aware_answers["office"] == group]
            k, n = agreepercent(part, name, codebook)
            rows.append({"item": name, "group": group, "agree": k, "n": n, "share": percent(k, n)})
    frame = pd.DataFrame(rows)
    cells = pd.concat([frame.assign(code="agree", count=frame["agree"]),
                       frame.assign(code="not_agree", count=frame["n"] - frame["agree"])], ignore_index=True)
    masked = set()
    for item, part in cells.groupby("item", sort=False):
        hidden = disclosure.protect_grid(part, "group", "code", total_group=ALL, min_n=min_n)
        masked |= set(zip(part.loc[hidden, "item"], part.loc[hidden, "group"]))
    min_n = disclosure.min_cell() if min_n is None else min_n
    protected = frame.assign(suppressed=frame["n"] < min_n,
                             masked=[(i, g) in masked for i, g in zip(frame["item"], frame["group"])])
    protected["share"] = protected["share"].where(~protected["masked"] & ~protected["suppressed"])
    protected["n"] = protected["n"].astype(float).where(~protected["n"].between(1, min_n - 1))
    tests = office_tests(answers, codebook, offices, items)
    merged = protected.merge(tests[["item", "test", "statistic", "dof", "p_value", "min_expected"]], on="item")
    # a test over a table with a withheld cell would give the cell back: only its verdict is published
    alpha = settings.current().alpha
    merged["significant"] = merged["p_value"] < alpha
    blind = merged.groupby("item")["masked"].transform("any")
    merged.loc[blind, ["statistic", "p_value", "min_expected"]] = np.nan
    return merged.drop(columns=["agree"])


def is_assumed(published: pd.DataFrame, item: str) -> bool:
    """True when the report prints no share for ``item`` (its distribution is the generator's assumption)."""
    question = published["question"].str.removesuffix("_aware_only")
    return not ((question == item) & (published["measure"] == "share")).any()


def likert_items(names, codebook: Codebook, lang: str = "en", published: pd.DataFrame | None = None) -> list[LikertItem]:
    """The items to tabulate with :func:`likert`.  With ``published`` (the printed values), an item
    the report prints no share for is marked '†' and one whose wording it does not print '‡'."""
    items = []
    for name in names:
        row = codebook.item(name)
        marker = "" if published is None else (
            ("†" if is_assumed(published, name) else "") + ("‡" if row["wording"] == "not_printed" else ""))
        text = codebook.item_label(name, lang) + (f" {marker}" if marker else "")
        items.append(LikertItem(name, text, str(row["scale"]), marker))
    return items


def attendance_items(codebook: Codebook) -> list[str]:
    """Figure 5's items: Figure 4's statements about the providers (not the invitation's clarity)."""
    return [n for n in codebook.items(figure="Figure 4")["name"] if n != CLARITY]


def by_attendance(answers: pd.DataFrame) -> pd.DataFrame:
    """Respondents aware of the invitation, with ``audience``: 'attended' an info session, or 'other'."""
    out = answers[aware(answers)].copy()
    out["audience"] = np.where(out[ACTION] == ATTENDED, AUDIENCES[0], AUDIENCES[1])
    return out


def service_need(answers: pd.DataFrame, codebook: Codebook, min_n: int | None = None) -> pd.DataFrame:
    """Figure 6: persons choosing each service (several allowed) and their share of those who
    answered, most chosen first; counts of 1..min_n-1 masked with their share."""
    answered = answers[answered_service_need(answers, codebook)]
    rows = []
    for code in codebook.categories(SERVICE_NEED):
        k = int(answered[f"{SERVICE_NEED}_{code}"].fillna(False).astype(bool).sum())
        rows.append({"code": code, "count": k, "n": len(answered), "share": percent(k, len(answered))})
    out = disclosure.protect(pd.DataFrame(rows), "n", ["share"], ("count",), min_n=min_n)
    out.loc[out["count_masked"], "share"] = np.nan
    return out.sort_values("share", ascending=False, kind="stable")


def survey_check(published: pd.DataFrame, responses: pd.DataFrame, codebook: Codebook,
                 min_n: int | None = None) -> pd.DataFrame:
    """:func:`reproduce_survey` as it may be published: computed counts of 1..min_n-1 persons
    hidden, and the office shares no split of Figure 2 can meet marked as the report's inconsistency."""
    min_n = disclosure.min_cell() if min_n is None else min_n
    rep = reproduce_survey(published, responses, codebook)
    is_count = rep["measure"].isin(["count", "respondents"])
    persons = (rep["computed"] * rep["base"] / 100).round()
    counts = rep["computed"].where(is_count, persons)
    rep = withhold_small(rep, counts, min_n)
    rep = withhold_small(rep, (rep["base"] - persons).where(~is_count), min_n)
    split = office_split_fit(published)
    gaps = split[split["gap"] > 0]
    flagged = set(zip(gaps["office"], gaps["question"], gaps["response"]))
    rep.loc[[(o, q, r) in flagged for o, q, r in zip(rep["office"], rep["question"], rep["response"])],
            "status"] = SPLIT_DIFFERS
    return rep
