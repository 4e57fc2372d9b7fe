"""Chapter 2.3 (notebooks/survey.ipynb): the survey of invited jobseekers who did not join.

Every function takes what :mod:`pilotbook.analysis.survey` computed (distributions, Likert tables,
office shares and tests, the check of every printed value) and returns the exhibits that show it:
labels from the codebook, the figure, the caption.  Nothing here reads or writes a file.  The
answers are SYNTHETIC, and every caption says so.
"""

from __future__ import annotations

import pandas as pd

from pilotbook import settings
from pilotbook.analysis import disclosure, results
from pilotbook.analysis import survey as sv
from pilotbook.contracts.office_split import office_split_fit
from pilotbook.io.codebook import Codebook
from pilotbook.report import survey_figures
from pilotbook.report.exhibits import Exhibit, Prose
from pilotbook.report.formatting import describe_survey_row, fmt_number, printed_text
from pilotbook.report.labels import label
from pilotbook.report.pages.survey_checks import assumptions as _assumptions
from pilotbook.report.pages.survey_checks import check_table, count_text, p_text, pct_text, test_text

SYNTHETIC = ("SYNTHETIC: computed from generated answers that reproduce the report's printed counts and "
             "shares (data/example/survey_nonparticipants.csv), not from the real survey. ")
MARKERS = ("† the report prints no share for this item: its distribution is an assumption of the generator. "
           "‡ the report does not print the item's wording; the label describes it from the text.")
FIELD = "field_of_work"
LEFT_OUT = "– (left out of the analysis, as in the report)"


# --------------------------------------------------------------------------- numbers for the prose


def _printed(published: pd.DataFrame, **where) -> str:
    for column, value in where.items():
        published = published[published[column] == value]
    if published.empty:
        return "–"
    r = published.iloc[0]
    return printed_text(r["value"], r["qualifier"], r["unit"])


def reason_p_text(tests: pd.DataFrame) -> str:
    """The office tests of the reasons in words: 'p-values from 0.97 to 1.00', or, where a tested table has
    a withheld cell and so only its verdict is published, how many fall on which side of ``alpha``."""
    shown = tests.dropna(subset=["p_value"])
    if len(shown) == len(tests) and len(tests):
        return f"p-values from {p_text(shown['p_value'].min())} to {p_text(shown['p_value'].max())}"
    alpha = f"{settings.current().alpha:g}"
    below = int(tests["significant"].sum())
    counts = (f"p ≥ {alpha} throughout" if below == 0 else
              f"p < {alpha} for {below} of the {len(tests)} reasons")
    return counts + " (exact p-values are withheld where a tested table has a withheld cell)"


def glue_values(pilots: pd.DataFrame, published: pd.DataFrame, responses: pd.DataFrame, codebook: Codebook,
                lang: str = "en") -> dict[str, str]:
    """The numbers the chapter's prose cites (myst-nb glue keys), from the data."""
    answers = sv.analysed(responses, codebook)
    offices = codebook.offices()
    names = results.pilot_labels(pilots)
    sizes = [(o, int((answers["office"] == o).sum())) for o in offices]
    invited = "; ".join(f"{codebook.office_label(o, lang)}: {', '.join(names.get(p, p) for p in codebook.invited_to(o))}"
                        for o in offices)
    tests = sv.office_tests(answers, codebook, offices)
    # p-values as published: withheld where the tested table has a withheld cell
    published_tests = sv.agree_by_office(answers, codebook, offices, tests["item"]).drop_duplicates("item")
    reasons = published_tests[published_tests["item"].str.startswith("reason_")]
    clarity = published_tests[published_tests["item"] == sv.CLARITY].iloc[0]
    split = office_split_fit(published)
    return {
        "survey_n": fmt_number(len(answers)),
        "survey_n_excluded": fmt_number(len(responses) - len(answers)),
        "survey_offices": "; ".join(f"{codebook.office_label(o, lang)} {fmt_number(n)}" for o, n in sizes),
        "survey_invited": invited,
        "survey_n_action": fmt_number(answers[sv.ACTION].notna().sum()),
        "survey_n_field": fmt_number(answers[FIELD].notna().sum()),
        "survey_n_aware": fmt_number(sv.aware(answers).sum()),
        "survey_test_methods": " and ".join(sorted(set(reasons["test"]))),
        "survey_reason_p": reason_p_text(reasons),
        "survey_n_reasons": str(len(reasons)),
        "survey_clarity_test": clarity["test"],
        "survey_clarity_p": test_text(clarity["p_value"], clarity["significant"]),
        "survey_no_service": _printed(published, question=sv.SERVICE_NEED, response="no_service_needed"),
        "survey_clarity_all": _printed(published, question=sv.CLARITY, office=sv.ALL, response="agree"),
        "survey_clarity_aware": _printed(published, question=f"{sv.CLARITY}_aware_only", response="agree"),
        "survey_no_suggestion": _printed(published, question="development_suggestions_open_answers",
                                         response="no_suggestion"),
        "min_cell": str(disclosure.min_cell()),
        "min_expected": str(settings.current().min_expected),
        "survey_split_misses": str(int((split["gap"] > 0).sum())),
        "survey_split_max_gap": fmt_number(round(float((split["best_fit"] - split["printed"]).abs().max()), 1)),
    }


# --------------------------------------------------------------------------- who answered


def offices_table(respondents: pd.DataFrame, codebook: Codebook, pilots: pd.DataFrame, lang: str = "en") -> Exhibit:
    """Respondents per TE office (``respondents_by_office``), and the pilots they were invited to."""
    names = results.pilot_labels(pilots)
    frame = respondents.copy()
    frame.insert(1, "office_label", [codebook.office_label(o, lang) for o in frame["office"]])
    frame["invited_to_label"] = ["; ".join(names.get(p, p) for p in codebook.invited_to(o)) or LEFT_OUT
                                 for o in frame["office"]]
    shown = pd.DataFrame({
        "TE office": frame["office_label"],
        "Respondents (report)": frame["respondents_printed"].map(fmt_number),
        "Share of all (report)": frame["share_printed"].map(pct_text),
        "SYNTHETIC respondents": [count_text(n) for n in frame["respondents_synthetic"]],
        "Invited to": frame["invited_to_label"],
    })
    return Exhibit(
        "survey-offices", "Respondents by TE office (report and SYNTHETIC file) and the pilots they were invited to",
        frame, shown=shown,
        caption=("The report's counts and shares, the SYNTHETIC file's respondents, and the pilot(s) each office's "
                 "respondents were invited to (survey_codebook.csv gives the evidence)."))


# --------------------------------------------------------------------------- Figures 1 and 2


def figure_1(fields: pd.DataFrame, codebook: Codebook, lang: str = "en") -> Exhibit:
    """Figure 1 from the protected distribution of the field of work sought."""
    d = fields.assign(item=FIELD, label=[codebook.code_label(FIELD, c, lang) for c in fields["code"]])
    d = d.sort_values("count", kind="stable")
    return Exhibit.figure(
        "report-figure-1", "Main field of work sought (SYNTHETIC)",
        survey_figures.count_bars(d, "respondents' main field of work sought", lang), d.drop(columns=["group"]),
        report_ref="Figure 1", caption=SYNTHETIC + "Single choice; shares of those who answered.")


def figure_2(actions: pd.DataFrame, codebook: Codebook, lang: str = "en") -> Exhibit:
    """Figure 2 from the protected distribution of what respondents did after the invitation."""
    d = actions.assign(item=sv.ACTION, label=[codebook.code_label(sv.ACTION, c, lang) for c in actions["code"]])
    return Exhibit.figure(
        "report-figure-2", "What respondents did after the invitation (SYNTHETIC)",
        survey_figures.count_bars(d, "what respondents did after the invitation", lang), d.drop(columns=["group"]),
        report_ref="Figure 2",
        caption=SYNTHETIC + "All offices together; single choice, shares of those who answered.")


def action_by_office(actions: pd.DataFrame, codebook: Codebook, lang: str = "en") -> Exhibit:
    """Figure 2 by TE office, from its protected distribution by office."""
    d = actions.copy()
    d["label"] = [codebook.code_label(sv.ACTION, c, lang) for c in d["code"]]
    d["group_label"] = [codebook.office_label(o, lang) for o in d["group"]]
    return Exhibit.figure(
        "survey-action-by-office", "What respondents did after the invitation, by TE office (SYNTHETIC)",
        survey_figures.stacked_shares(d, "what respondents did after the invitation, by TE office", lang), d,
        caption=SYNTHETIC + (
            f"Cells of fewer than {disclosure.min_cell()} answers are suppressed, and so is the next smallest cell "
            "where the suppressed ones could otherwise be recovered from the total; together they form the "
            "hatched segment."))


# --------------------------------------------------------------------------- Figures 3-5 (Likert items)


def _likert_figure(frame: pd.DataFrame, exhibit_id: str, title: str, report_ref: str, what: str, caption: str,
                   lang: str, group_labels: dict | None = None) -> Exhibit:
    frame = frame.copy()
    frame["bar_label"] = (frame["label"] if group_labels is None
                          else frame["label"] + " — " + frame["group"].map(group_labels))
    return Exhibit.figure(exhibit_id, title, survey_figures.likert_diverging(frame, what, lang), frame,
                          report_ref=report_ref, caption=SYNTHETIC + caption + " " + MARKERS)


def figure_3(reasons: pd.DataFrame, lang: str = "en") -> Exhibit:
    """Figure 3 from :func:`pilotbook.analysis.survey.likert` of the reasons for not taking part."""
    return _likert_figure(
        reasons, "report-figure-3", "Why respondents did not take part (SYNTHETIC)", "Figure 3",
        "the reasons for not taking part",
        "All respondents who answered, as in the report; shares of all answers, can't say included.", lang)


def figure_4(views: pd.DataFrame, lang: str = "en") -> Exhibit:
    """Figure 4 from :func:`pilotbook.analysis.survey.likert` of the views of the invitation and providers."""
    return _likert_figure(
        views, "report-figure-4", "Views of the invitation and of the providers (SYNTHETIC)", "Figure 4",
        "views of the invitation and the providers", "All respondents who answered.", lang)


def figure_5(views: pd.DataFrame, lang: str = "en") -> Exhibit:
    """Figure 5 from the Likert table of the providers' items by ``audience`` (attended or not)."""
    audiences = dict(zip(sv.AUDIENCES, (label("survey_attended", lang), label("survey_other_aware", lang))))
    return _likert_figure(
        views, "report-figure-5", "Info-session attendees' view of the providers, beside other invitees (SYNTHETIC)",
        "Figure 5", "info-session attendees' and other invitees' views of the providers",
        "Respondents aware of the invitation, by whether they attended an info session.", lang, audiences)


# --------------------------------------------------------------------------- agreement by office


def _office_table(frame: pd.DataFrame, codebook: Codebook, exhibit_id: str, title: str, caption: str,
                  lang: str) -> Exhibit:
    """``frame``: :func:`pilotbook.analysis.survey.agree_by_office`."""
    names = list(dict.fromkeys(frame["item"]))
    shown = pd.DataFrame({"Item": [codebook.item_label(n, lang) for n in names]})
    for group in dict.fromkeys(frame["group"]):
        part = frame[frame["group"] == group].set_index("item").reindex(names)
        head = label("survey_all_offices", lang) if group == sv.ALL else codebook.office_label(group, lang)
        shown[head] = [("suppressed" if pd.isna(s) else pct_text(s)) + f" (N={count_text(n)})"
                       for s, n in zip(part["share"], part["n"])]
    tests = frame.drop_duplicates("item").set_index("item").reindex(names)
    shown["Test of office differences"] = [f"{t}: {test_text(p, sig)}"
                                           for t, p, sig in zip(tests["test"], tests["p_value"], tests["significant"])]
    return Exhibit(exhibit_id, title, frame, shown=shown, caption=SYNTHETIC + caption)


def reasons_by_office(agreement: pd.DataFrame, codebook: Codebook, lang: str = "en") -> Exhibit:
    return _office_table(
        agreement, codebook, "survey-reasons-by-office", "Agreeing with each reason, by TE office (SYNTHETIC)",
        ("Share agreeing (somewhat or fully) among respondents aware of the invitation, can't say counted in the "
         f"base. Shares resting on fewer than {disclosure.min_cell()} persons agreeing or not agreeing are "
         "suppressed. The test is Pearson's chi-square when every expected count is at least "
         f"{settings.current().min_expected}, else Fisher's exact test."), lang)


def clarity_by_office(agreement: pd.DataFrame, codebook: Codebook, lang: str = "en") -> Exhibit:
    return _office_table(
        agreement, codebook, "survey-clarity-by-office",
        "Was it clear why the TE office sent the invitation? By TE office (SYNTHETIC)",
        "Share agreeing (somewhat or fully) among respondents aware of the invitation who answered.", lang)


# --------------------------------------------------------------------------- Figure 6


def figure_6(needs: pd.DataFrame, codebook: Codebook, published: pd.DataFrame, lang: str = "en") -> Exhibit:
    """Figure 6 from :func:`pilotbook.analysis.survey.service_need`; an option the report prints no
    share for is marked †."""
    printed = set(published.loc[published["question"] == sv.SERVICE_NEED, "response"])
    d = needs.copy()
    d.insert(1, "label", [codebook.code_label(sv.SERVICE_NEED, c, lang) + ("" if c in printed else " †")
                          for c in d["code"]])
    return Exhibit.figure(
        "report-figure-6", "Services wanted to support finding work (SYNTHETIC)",
        survey_figures.count_bars(d, "the services respondents wanted (more than one could be chosen)", lang), d,
        report_ref="Figure 6",
        caption=SYNTHETIC + "Multiple choice: shares of those who answered add up to more than 100 %. "
        "The report's figure is lost in the dump; the options are those its text names. † the report prints "
        "no share for this option: it is an assumption of the generator (see below).")


# --------------------------------------------------------------------------- checks and the codebook


def reproduction(check: pd.DataFrame, codebook: Codebook, lang: str = "en") -> Exhibit:
    """Every value the report prints for the survey beside the SYNTHETIC value
    (:func:`pilotbook.analysis.survey.survey_check`)."""
    described = [describe_survey_row(r, codebook, lang) for r in check.itertuples(index=False)]
    return check_table(
        check, {"Printed value": described}, check["measure"] == "share", check["measure"] == "mean",
        "survey-reproduction", "Every survey value the report prints, and what the SYNTHETIC answers give",
        ("Counts must match exactly, printed percentages within rounding; numbers written in words or "
         f"marked approximate within 3 points. Counts under {disclosure.min_cell()} persons are not shown."))


WORDING = {"printed": "as printed", "truncated": "only the end is printed",
           "not_printed": "not printed (described from the text)"}


def _answers_text(row, codebook: Codebook) -> str:
    if row.scale in ("categories", "multi"):
        return f"{len(codebook.categories(row.name))} options" + (", several allowed" if row.scale == "multi" else "")
    points = codebook.scale_points(row.scale)
    cs = codebook.cant_say(row.scale)
    return f"{points[0]}–{points[-1]}" + (f", {cs} = can't say" if cs is not None else "")


def codebook_table(questions: pd.DataFrame, codebook: Codebook) -> Exhibit:
    """The survey's questions (``codebook.items("nonparticipants")``): wording, our label, answers (the
    answers as the page words them are in the exhibit's data too)."""
    data = questions.assign(answers=[_answers_text(r, codebook) for r in questions.itertuples(index=False)])
    shown = pd.DataFrame({
        "Item": data["name"], "Figure": data["figure"],
        "Text in the report (Finnish)": data["label_fi"].replace("", "–"),
        "Our label": data["label_en"], "Wording": data["wording"].map(WORDING), "Answers": data["answers"],
    })
    return Exhibit(
        "survey-codebook", "The questions of the survey of invited non-participants", data, shown=shown,
        caption="From data/published/survey_codebook.csv; every Finnish text is checked against the report's text.")


def assumptions() -> Prose:
    """Every assumption of the survey generator, as a bulleted list."""
    return _assumptions()
