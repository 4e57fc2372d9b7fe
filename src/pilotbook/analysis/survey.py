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

from pilotbook.analysis import disclosure
CANT_SAY = "cant_say"
AGREE_POINTS = 2  # "agree" = the top two points of a five-point scale (somewhat + fully)
MIN_EXPECTED = 5  # below this expected count in any cell, Fisher's exact test replaces chi-square
ACTION = "action_after_invitation"
UNAWARE = "unaware_of_invitation"
ATTENDED = "attended_info_session"
SERVICE_NEED = "service_need"
ALL = "all"


# --------------------------------------------------------------------------- codebook


class Codebook:
    """The rows of ``survey_codebook.csv``, with look-ups by kind, item, scale and office."""

    def __init__(self, frame: pd.DataFrame):
        self.frame = frame.assign(code=frame["code"].fillna("").astype(str),
                                  label_fi=frame["label_fi"].fillna(""), label_en=frame["label_en"].fillna(""))

    def _rows(self, kind: str, name: str | None = None, survey: str | None = None) -> pd.DataFrame:
        f = self.frame[self.frame["kind"] == kind]
        if name is not None:
            f = f[f["name"] == name]
        if survey is not None:
            f = f[f["survey"] == survey]
        return f

    # offices and pilots
    def offices(self, analysed_only: bool = True) -> list[str]:
        """Office codes in file order: those the report analyses, or with the ones it left out."""
        kinds = ["office"] if analysed_only else ["office", "excluded_office"]
        return self.frame.loc[self.frame["kind"].isin(kinds), "code"].tolist()

    def invited_offices(self) -> list[str]:
        return list(dict.fromkeys(self._rows("invited_to")["name"]))

    def invited_to(self, office: str) -> list[str]:
        return self._rows("invited_to", office)["code"].tolist()

    def offices_of(self, pilot_id: str) -> list[str]:
        rows = self._rows("invited_to")
        return rows.loc[rows["code"] == pilot_id, "name"].tolist()

    def office_label(self, office: str, lang: str = "en") -> str:
        return self.code_label("office", office, lang)

    def surveyed_pilot(self, survey: str) -> str | None:
        """The pilot whose own (customer) survey ``survey`` is; None when this data has no such row."""
        rows = self._rows("surveyed_pilot", survey)
        return rows["code"].iloc[0] if len(rows) else None

    # items
    def items(self, survey: str | None = None, figure: str | None = None) -> pd.DataFrame:
        f = self._rows("item", survey=survey)
        return f if figure is None else f[f["figure"] == figure]

    def item(self, name: str) -> pd.Series:
        rows = self._rows("item", name)
        if rows.empty:
            raise KeyError(f"survey_codebook.csv has no item {name!r}")
        return rows.iloc[0]

    def item_label(self, name: str, lang: str = "en") -> str:
        row = self.item(name)
        text = row["label_fi"] if lang == "fi" and row["label_fi"] else row["label_en"]
        return ("… " + text) if row["wording"] == "truncated" else text

    def categories(self, item: str) -> list[str]:
        return self._rows("category", item)["code"].tolist()

    def code_label(self, name: str, code, lang: str = "en", kind: str | None = None) -> str:
        f = self.frame[(self.frame["name"] == name) & (self.frame["code"] == str(code))]
        if kind:
            f = f[f["kind"] == kind]
        if f.empty:
            return str(code)
        row = f.iloc[0]
        return row["label_fi"] if lang == "fi" and row["label_fi"] else row["label_en"]

    # scales
    def scale_points(self, scale: str) -> list[int]:
        return [int(c) for c in self._rows("scale_point", scale)["code"]]

    def cant_say(self, scale: str) -> int | None:
        rows = self._rows("cant_say", scale)
        return int(rows["code"].iloc[0]) if len(rows) else None

    def scale_codes(self, scale: str) -> list[int]:
        """Every code of a scale: its points, then its can't-say code."""
        cs = self.cant_say(scale)
        return self.scale_points(scale) + ([cs] if cs is not None else [])

    def agree_codes(self, scale: str) -> list[int]:
        return self.scale_points(scale)[-AGREE_POINTS:]

    def scale_of(self, item: str) -> str:
        return str(self.item(item)["scale"])

    def parameters(self) -> dict[str, list]:
        """Value sets for the microdata contracts (``{"$PARAMETER": ...}``)."""
        params: dict[str, list] = {"survey_offices": self.offices(analysed_only=False)}
        for item in self._rows("item")["name"]:
            if self.categories(item):
                params[f"survey_codes_{item}"] = self.categories(item)
        for scale in dict.fromkeys(self.frame.loc[self.frame["kind"].isin(["scale_point", "cant_say"]), "name"]):
            params[f"survey_scale_{scale}"] = self.scale_codes(scale)
        return params


def codebook_parameters(frame: pd.DataFrame | None) -> dict[str, list]:
    """Contract parameters from the codebook; empty sets when it could not be read."""
    if frame is None or not {"kind", "name", "code"} <= set(frame.columns):
        return dict.fromkeys(PARAMETER_NAMES, [])
    try:
        params = Codebook(frame).parameters()
    except (KeyError, ValueError, TypeError):
        params = {}
    return dict.fromkeys(PARAMETER_NAMES, []) | params


# Parameters the microdata suites refer to (always defined, so a broken codebook gives a finding,
# not a crash).
PARAMETER_NAMES = (
    "survey_offices", "survey_codes_field_of_work", "survey_codes_action_after_invitation",
    "survey_codes_service_need", "survey_scale_agree5", "survey_scale_agree5_ends",
    "survey_scale_grade10", "survey_scale_effect10",
)


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
    1..min_n-1 is masked together with its share.  Secondary: where the masked counts of
    a group add up to fewer than ``min_n`` persons (so subtraction from N would reveal
    them), the smallest unmasked non-zero cell is masked too, until they do; a group that
    cannot reach that is suppressed whole.
    """
    min_n = disclosure.min_cell() if min_n is None else min_n
    out = disclosure.protect(frame, "n", ["share"], ("count",), min_n=min_n)
    out["share"] = out["share"].where(~out["count_masked"])
    out["masked"] = out["count_masked"] | out["suppressed"]
    for key, part in out.groupby(group, sort=False):
        if part["suppressed"].all():
            continue
        counts = frame.loc[part.index, "count"]
        masked = part["masked"].copy()
        while 0 < counts[masked].sum() < min_n:
            candidates = counts[~masked & (counts > 0)]
            if candidates.empty:
                break
            masked[candidates.idxmin()] = True
        if 0 < counts[masked].sum() < min_n:
            masked[:] = True
            out.loc[part.index, "suppressed"] = True
        out.loc[part.index, "masked"] = masked
    out.loc[out["masked"], ["count", "share"]] = np.nan
    out.loc[out["suppressed"], ["share", "count"]] = np.nan
    return out.drop(columns=["count_masked", "n_masked"])


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


def agree_share(responses: pd.DataFrame, item: str, codebook: Codebook, top_only: bool = False) -> tuple[int, int]:
    """(persons agreeing, persons answering, can't say included) for one item."""
    answers = responses[item].dropna()
    scale = codebook.scale_of(item)
    codes = codebook.scale_points(scale)[-1:] if top_only else codebook.agree_codes(scale)
    return int(answers.isin(codes).sum()), len(answers)


def office_test(responses: pd.DataFrame, item: str, codebook: Codebook, offices: list[str]) -> dict:
    """Do the offices differ in agreeing with ``item``?  Offices x (agree, not) among the answers.

    Pearson's chi-square test when every expected count is at least :data:`MIN_EXPECTED`; otherwise Fisher's
    exact test (the Freeman-Halton extension for more than two offices).
    """
    from scipy import stats

    table = []
    for office in offices:
        k, n = agree_share(responses[responses["office"] == office], item, codebook)
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
    if min_expected < MIN_EXPECTED:
        fisher = stats.fisher_exact(table)
        return result | {"test": "Fisher's exact test", "statistic": np.nan, "dof": np.nan,
                         "p_value": float(fisher.pvalue), "min_expected": min_expected}
    return result | {"test": "Pearson's chi-square test", "statistic": float(chi2.statistic), "dof": int(chi2.dof),
                     "p_value": float(chi2.pvalue), "min_expected": min_expected}


def mean_ci(values: pd.Series, level: float = 0.95) -> dict:
    """Mean with a t-based confidence interval (``level``)."""
    from scipy import stats

    x = pd.to_numeric(values, errors="coerce").dropna().astype(float)
    n = len(x)
    if n == 0:
        return {"n": 0, "mean": np.nan, "sd": np.nan, "ci_low": np.nan, "ci_high": np.nan}
    mean, sd = float(x.mean()), float(x.std(ddof=1)) if n > 1 else np.nan
    half = float(stats.t.ppf(0.5 + level / 2, n - 1) * sd / math.sqrt(n)) if n > 1 else np.nan
    return {"n": n, "mean": mean, "sd": sd, "ci_low": mean - half, "ci_high": mean + half}


def protect_means(frame: pd.DataFrame, min_n: int | None = None) -> pd.DataFrame:
    """Means (and intervals) over fewer than ``min_n`` answers are suppressed."""
    return disclosure.protect(frame, "n", ["mean", "sd", "ci_low", "ci_high"], min_n=min_n)


# --------------------------------------------------------------------------- Figure 2 by office


def printed_value(published: pd.DataFrame, **where) -> float | None:
    """The value of the one row matching ``where`` (None matches an empty cell), or None."""
    f = published
    for column, value in where.items():
        f = f[f[column].isna()] if value is None else f[f[column] == value]
    return None if f.empty else float(f["value"].iloc[0])


def fit_actions(published: pd.DataFrame, offices: list[str], sizes: dict[str, int],
                categories: list[str]) -> tuple[dict[str, dict[str, int]], float]:
    """Figure 2 by office: integers that keep the figure's counts, the offices' sizes and the counts
    the text prints exactly, and miss the printed office shares (beyond rounding) as little as
    possible.  Returns the table and the total miss in persons (0 when everything fits)."""
    from scipy.optimize import Bounds, LinearConstraint, milp

    n_o, n_c = len(offices), len(categories)
    nx = n_o * n_c
    totals = [printed_value(published, figure="Figure 2", office="all", question=ACTION, response=c, measure="count")
              for c in categories]
    if any(t is None for t in totals):
        raise ValueError("survey_published.csv lacks a Figure 2 count for every category of the codebook")
    rows = published[published["office"].isin(offices) & published["question"].isin([ACTION, f"{ACTION}_aware_only"])]
    shares = rows[rows["measure"] == "share"]
    counts = rows[(rows["measure"] == "count") & (rows["question"] == ACTION)]
    n_var = nx + 2 * len(shares)
    lb, ub = np.zeros(n_var), np.full(n_var, np.inf)
    for r in counts.itertuples(index=False):
        i = offices.index(r.office) * n_c + categories.index(r.response)
        lb[i] = ub[i] = r.value
    a_rows, a_lb, a_ub = [], [], []

    def add(terms: list[tuple[int, float]], low: float, high: float) -> None:
        row = np.zeros(n_var)
        for i, v in terms:
            row[i] += v
        a_rows.append(row), a_lb.append(low), a_ub.append(high)

    for c, total in enumerate(totals):
        add([(o * n_c + c, 1) for o in range(n_o)], total, total)
    for o, office in enumerate(offices):
        add([(o * n_c + c, 1) for c in range(n_c)], 0, sizes[office])
    unaware = categories.index(UNAWARE)
    for j, r in enumerate(shares.itertuples(index=False)):
        o, c = offices.index(r.office), categories.index(r.response)
        aware_only = r.question.endswith("_aware_only")
        base = [o * n_c + k for k in range(n_c) if not (aware_only and k == unaware)]
        if pd.notna(r.base_n) and not aware_only:
            add([(i, 1) for i in base], r.base_n, r.base_n)
        x, s_up, s_down = o * n_c + c, nx + 2 * j, nx + 2 * j + 1
        # within rounding: (p - 0.5) base <= 100 x <= (p + 0.5) base, missed by s persons at most
        add([(x, 100)] + [(i, -(r.value + 0.5)) for i in base] + [(s_up, -100)], -np.inf, 0)
        add([(x, -100)] + [(i, r.value - 0.5) for i in base] + [(s_down, -100)], -np.inf, 0)
    # a miss is weighed in percentage points of its (approximate) base, not in persons: a small
    # office's share is not to be sacrificed because its persons are few
    weights = []
    for r in shares.itertuples(index=False):
        base = r.base_n if pd.notna(r.base_n) else sizes[r.office]
        if r.question.endswith("_aware_only"):
            unaware_pct = printed_value(published, office=r.office, question=ACTION, response=UNAWARE, measure="share")
            base = base * (1 - (unaware_pct or 0) / 100)
        weights += [100 / base] * 2
    cost = np.r_[np.zeros(nx), weights]
    result = milp(cost, constraints=LinearConstraint(np.array(a_rows), a_lb, a_ub),
                  integrality=np.r_[np.ones(nx), np.zeros(n_var - nx)], bounds=Bounds(lb, ub))
    if not result.success:
        raise ValueError(f"Figure 2 cannot be split by office within the printed counts: {result.message}")
    x = np.round(result.x[:nx]).astype(int)
    table = {office: {cat: int(x[o * n_c + c]) for c, cat in enumerate(categories)} for o, office in enumerate(offices)}
    return table, float(result.fun)


def office_split_fit(published: pd.DataFrame) -> pd.DataFrame:
    """View for the contracts: each office share of Figure 2 that the text prints, beside the
    closest share any split of Figure 2 by office can give (:func:`fit_actions`).

    ``gap`` is how far (in points, beyond rounding) the best split still misses the printed
    share: above zero, the report's shares and counts cannot all be true at once.
    """
    respondents = published[(published["question"] == "survey") & (published["measure"] == "respondents")]
    offices = [o for o in respondents["office"] if o != ALL]
    sizes = {o: int(v) for o, v in zip(respondents["office"], respondents["value"]) if o != ALL}
    fig2 = published[(published["figure"] == "Figure 2") & (published["measure"] == "count")]
    categories = list(dict.fromkeys(fig2["response"]))
    table, _ = fit_actions(published, offices, sizes, categories)
    rows = []
    printed = published[published["office"].isin(offices) & (published["measure"] == "share")
                        & published["question"].isin([ACTION, f"{ACTION}_aware_only"])]
    for idx, r in printed.iterrows():
        cells = table[r.office]
        base = sum(v for c, v in cells.items() if not (r.question.endswith("_aware_only") and c == UNAWARE))
        fit = 100 * cells[r.response] / base if base else np.nan
        rows.append({"office": r.office, "question": r.question, "response": r.response, "printed": r.value,
                     "best_fit": round(fit, 2), "base": base, "count": cells[r.response],
                     "gap": round(max(0.0, abs(fit - r.value) - 0.5), 2), "csv_lines": str(idx + 2)})
    return pd.DataFrame(rows, columns=["office", "question", "response", "printed", "best_fit", "base", "count",
                                       "gap", "csv_lines"])


# --------------------------------------------------------------------------- the report's values


IN_WORDS = "in words"
TOLERANCE_WORDS = 3.0  # percentage points: "a fifth", "about half", "about 40 %"
TOLERANCE_MEAN = 0.05  # means printed with one decimal


def printed_text(value: float, qualifier=None, unit: str = "percent") -> str:
    """A printed value as words can carry it: 'about 33 %', 'over 20 %', 'nearly 50 %'."""
    from pilotbook.analysis.results import fmt_number

    words = {"approx": "about ", "over": "over ", "under": "nearly "}
    q = words.get(qualifier, "") if isinstance(qualifier, str) else ""
    return f"{q}{fmt_number(value)}" + (" %" if unit == "percent" else "")


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


def _share(k: int, n: int) -> float:
    return 100 * k / n if n else np.nan


def survey_value(responses: pd.DataFrame, codebook: Codebook, row) -> tuple[float, float]:
    """(computed value, its base) for one row of ``survey_published.csv``; NaN when the
    microdata cannot give it (e.g. open answers, which are not generated)."""
    q, office, response, measure = row.question, row.office, row.response, row.measure
    if q == "survey":
        n = int((responses["office"] == office).sum())
        return (float(n), np.nan) if measure == "respondents" else (_share(n, len(responses)), float(len(responses)))
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
        return _share(k, len(base)), float(len(base))
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
        k, n = agree_share(data, column, codebook, top_only=response == "strongly_agree")
        return _share(k, n), float(n)
    return _share(int((answers == response).sum()), len(answers)), float(len(answers))


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


def satisfaction_value(responses: pd.DataFrame, row, pilot_id: str | None) -> tuple[float, str]:
    """(computed value, measure for comparison) for one row of ``satisfaction_published.csv``;
    ``responses`` are the answers to the customer survey of ``pilot_id``."""
    data = responses if row.pilot_id == pilot_id else responses.iloc[0:0]
    if data.empty:
        return np.nan, row.statistic
    if row.statistic == "respondents":
        return float(len(data)), "respondents"
    for suffix, measure in (("_low", "mean_low"), ("_high", "mean_high")):
        if row.item.endswith(suffix) and row.item.removesuffix(suffix) in data.columns:
            return float(data[row.item.removesuffix(suffix)].mean()), measure
    if row.item not in data.columns:
        return np.nan, row.statistic
    if row.statistic == "share":
        answers = data[row.item].dropna().astype(bool)
        return _share(int(answers.sum()), len(answers)), "share"
    values = pd.to_numeric(data[row.item], errors="coerce")
    if pd.notna(row.scale_max):
        values = values[values.between(row.scale_min, row.scale_max)]  # can't say is outside the scale
    return float(values.mean()), "mean"


def reproduce_satisfaction(published: pd.DataFrame, responses: pd.DataFrame, pilot_id: str | None) -> pd.DataFrame:
    """Every printed value of the pilots' customer surveys beside the value ``responses`` (the answers
    to ``pilot_id``'s survey) give."""
    rows = []
    for r in published.itertuples(index=False):
        value, measure = satisfaction_value(responses, r, pilot_id)
        how, status = _compare(r.value, value, measure, r.qualifier, r.note)
        rows.append({"pilot_id": r.pilot_id, "figure": r.figure, "item": r.item, "statistic": r.statistic,
                     "printed": r.value, "qualifier": r.qualifier, "computed": value, "compared": how,
                     "status": status, "source": r.source, "ref_line": r.ref_line})
    return pd.DataFrame(rows)


# --------------------------------------------------------------------------- words for printed values


def describe_survey_row(row, codebook: Codebook, lang: str = "en") -> str:
    """A reader's description of one row of ``survey_published.csv`` (labels from the codebook)."""
    office = "all offices" if row.office == ALL else codebook.office_label(row.office, lang)
    if row.question == "survey":
        return (f"Respondents, {office}" if row.measure == "respondents"
                else f"{office}: share of all respondents")
    question = row.question.removesuffix("_aware_only")
    aware_only = " (of those aware of the invitation)" if row.question.endswith("_aware_only") else ""
    try:
        item = codebook.item_label(question, lang)
    except KeyError:
        item = question.replace("_", " ")
    if row.measure == "respondents":
        return f"{item}: respondents, {office}"
    if isinstance(row.response, str) and row.response:
        if row.response in ("agree", "strongly_agree"):
            answer = "agree (somewhat or fully)" if row.response == "agree" else "agree fully"
        else:
            answer = codebook.code_label(question, row.response, lang)
        kind = "share" if row.measure == "share" else "number"
        return f"{item}: {answer} — {kind}{aware_only}, {office}"
    return f"{item}, {office}"


def describe_satisfaction_row(row, codebook: Codebook, lang: str = "en") -> str:
    """A reader's description of one row of ``satisfaction_published.csv``."""
    if row.item == "respondents":
        return "Answers to the pilot's own customer survey"
    for suffix, end in (("_low", "lower end"), ("_high", "upper end")):
        if row.item.endswith(suffix):
            base = row.item.removesuffix(suffix)
            try:
                return f"{codebook.item_label(base, lang)}: average, {end} of the printed range"
            except KeyError:
                return f"{base.replace('_', ' ')}: {end}"
    try:
        text = codebook.item_label(row.item, lang)
    except KeyError:
        text = row.item.replace("_", " ")
    return f"{text}: {'average' if row.statistic == 'mean' else 'share'}"
