"""Chapter 2.4 (notebooks/satisfaction.ipynb): the pilots' own customer surveys.

Figure 7 and the grades come from SYNTHETIC answers to the Back to Business survey
(:mod:`pilotbook.analysis.survey` computes the means, Likert tables and the check of every printed
value); the functions here label them and return the exhibits.  Nothing here reads or writes a file.
"""

from __future__ import annotations

import pandas as pd

from pilotbook.analysis import disclosure, results
from pilotbook.analysis import satisfaction, statistics
from pilotbook.contracts.office_split import printed_value
from pilotbook.io.codebook import Codebook
from pilotbook.report import survey_figures
from pilotbook.report.exhibits import Exhibit, Prose
from pilotbook.report.formatting import describe_satisfaction_row, fmt_number, fmt_range, printed_text
from pilotbook.report.pages.survey_checks import assumptions as _assumptions
from pilotbook.report.pages.survey_checks import check_table, count_text, pct_text

SYNTHETIC = ("SYNTHETIC: computed from generated answers that reproduce the report's printed means "
             "(data/example/satisfaction_pirkanmaa.csv), not from the real survey. ")
NO_PILOT = "The pilot whose customer survey this is (not in this data's pilots)"


# --------------------------------------------------------------------------- numbers for the prose


def _fact(facts: pd.DataFrame, pilot: str | None, quantity: str) -> str:
    f = facts[(facts["pilot_id"] == pilot) & (facts["quantity"] == quantity)]
    return "–" if f.empty else printed_text(f["value"].iloc[0], f["qualifier"].iloc[0], f["unit"].iloc[0])


def scale_text(codebook: Codebook, item: str, lang: str = "en") -> str:
    """'1 (fully disagree) to 5 (fully agree)': the scale's end points with their printed labels."""
    scale = codebook.scale_of(item)
    points = codebook.scale_points(scale)
    ends = points[0], points[-1]
    labels = [codebook.code_label(scale, e, lang) for e in ends]
    return " to ".join(f"{e} ({l.lower()})" if l != str(e) else str(e) for e, l in zip(ends, labels))


def order_sentence(published: pd.DataFrame, codebook: Codebook, lang: str = "en") -> str:
    """How the three means of Figure 7 are paired with their statements (the dump prints values
    first, labels after): in print order, which the text of chapter 2.4 supports."""
    fig7 = published[published["figure"] == "Figure 7"].sort_values("ref_line")
    return "; ".join(f"“{codebook.item_label(i, lang)}” {v:.1f}" for i, v in zip(fig7["item"], fig7["value"]))


def glue_values(pilots: pd.DataFrame, published: pd.DataFrame, responses: pd.DataFrame, codebook: Codebook,
                facts: pd.DataFrame, lang: str = "en") -> dict[str, str]:
    """The numbers the chapter's prose cites (myst-nb glue keys), from the data."""
    pilot = codebook.surveyed_pilot("satisfaction")  # None in a data folder without that pilot
    names = results.pilot_labels(pilots, full=True)
    statements = satisfaction.statements(codebook)
    means = satisfaction.means(responses, codebook, satisfaction.GRADES).set_index("item")
    others = published[(published["pilot_id"] != pilot) & (published["item"] == "respondents")]
    contacts = statistics.mean_ci(responses[satisfaction.CONTACTS])
    grade, effect = means.loc["overall_grade"], means.loc["effect_grade_employed"]
    mine = published[published["pilot_id"] == pilot]
    return {
        "sat_pilot": names.get(pilot, NO_PILOT),
        "sat_n": fmt_number(len(responses)),
        "sat_heard_pct": pct_text(100 * responses["heard_via_invitation_letter"].mean()),
        "sat_contacts_mean": fmt_number(round(contacts["mean"], 1)),
        "sat_grade": f"{grade['mean']:.1f}",
        "sat_grade_ci": f"{grade['ci_low']:.1f}–{grade['ci_high']:.1f}",
        "sat_effect": f"{effect['mean']:.1f}",
        "sat_effect_n": fmt_number(effect["n"]),
        "sat_effect_ci": f"{effect['ci_low']:.1f}–{effect['ci_high']:.1f}",
        "sat_other_surveys": "; ".join(f"{names.get(p, p)}: {fmt_number(v)} answers"
                                       for p, v in zip(others["pilot_id"], others["value"])) or "none",
        "sat_order": order_sentence(published, codebook, lang),
        "sat_contacts_range": fmt_range(*[printed_value(mine, item=f"{satisfaction.CONTACTS}_{e}") for e in ("low", "high")]),
        "sat_choice_coach": _fact(facts, pilot, "pct_choice_driven_by_info_session_coach"),
        "sat_scale_statements": scale_text(codebook, statements[0], lang),
        "sat_scale_grade": scale_text(codebook, "overall_grade", lang),
        "sat_scale_effect": scale_text(codebook, "effect_grade_employed", lang),
        "min_cell": str(disclosure.min_cell()),
    }


# --------------------------------------------------------------------------- exhibits


def _labelled(means: pd.DataFrame, codebook: Codebook, lang: str) -> pd.DataFrame:
    out = means.copy()
    out.insert(1, "label", [codebook.item_label(i, lang) for i in out["item"]])
    return out


def figure_7(means: pd.DataFrame, codebook: Codebook, lang: str = "en") -> Exhibit:
    """Figure 7 from :func:`pilotbook.analysis.satisfaction.means` of its statements."""
    fig7 = _labelled(means, codebook, lang)
    scale = (fig7["scale_min"].min(), fig7["scale_max"].max())
    return Exhibit.figure(
        "report-figure-7", "Satisfaction with how the service was delivered (SYNTHETIC)",
        survey_figures.means_with_intervals(fig7, "satisfaction with how the service was delivered", scale, lang), fig7,
        report_ref="Figure 7",
        caption=SYNTHETIC + ("Means on a scale of 1 (fully disagree) to 5 (fully agree), can't say left out as "
                             "in the report, with 95 % confidence intervals (t distribution). The intervals "
                             "show what the spread of the synthetic answers implies, not the real one."))


def statements(spread: pd.DataFrame, lang: str = "en") -> Exhibit:
    """How the answers to Figure 7's statements spread (:func:`pilotbook.analysis.survey.likert`)."""
    frame = spread.assign(bar_label=spread["label"])
    return Exhibit.figure(
        "satisfaction-statements", "How the answers to the Figure 7 statements spread (SYNTHETIC)",
        survey_figures.likert_diverging(frame, "the Figure 7 statements", lang), frame,
        caption=SYNTHETIC + ("The report prints only the means; the spread is the generator's "
                             "assumption (it says experiences varied very much)."))


def grades(grade_means: pd.DataFrame, codebook: Codebook, lang: str = "en") -> Exhibit:
    """The grades and the contacts (:func:`pilotbook.analysis.satisfaction.grades`)."""
    frame = _labelled(grade_means, codebook, lang)
    shown = pd.DataFrame({
        "Item": frame["label"],
        "Scale": [("count" if pd.isna(lo) else f"{lo:.0f}–{hi:.0f}") for lo, hi in zip(frame["scale_min"], frame["scale_max"])],
        "N": [count_text(n) for n in frame["n"]],
        "Mean": ["suppressed" if pd.isna(v) else f"{v:.1f}" for v in frame["mean"]],
        "95 % interval": [("–" if pd.isna(lo) else f"{lo:.1f}–{hi:.1f}") for lo, hi in zip(frame["ci_low"], frame["ci_high"])],
    })
    return Exhibit("satisfaction-grades", "Grades and contacts: means with 95 % intervals (SYNTHETIC)", frame,
                   shown=shown, caption=SYNTHETIC)


def reproduction(check: pd.DataFrame, codebook: Codebook, pilots: pd.DataFrame, lang: str = "en") -> Exhibit:
    """Every customer-survey value the report prints beside the SYNTHETIC value
    (:func:`pilotbook.analysis.satisfaction.check`)."""
    names = results.pilot_labels(pilots, full=True)
    columns = {"Pilot": [names.get(p, p) for p in check["pilot_id"]],
               "Printed value": [describe_satisfaction_row(r, codebook, lang) for r in check.itertuples(index=False)]}
    return check_table(
        check, columns, check["statistic"] == "share", check["statistic"] == "mean", "satisfaction-reproduction",
        "Every customer-survey value the report prints, and what the SYNTHETIC answers give",
        "Means must match to the printed decimal, shares and ranges as printed ('over', 'about').")


def assumptions() -> Prose:
    """The survey generator's assumptions about the customer survey, as a bulleted list."""
    return _assumptions("Customer survey")
