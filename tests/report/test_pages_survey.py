"""The survey chapter's page functions (report/pages/survey.py) on the shipped data.

The expected values are the report's printed ones, read from data/published/survey_published.csv
(never taken from the code under test); the answers are the shipped SYNTHETIC file, which
reproduces them.  Nothing may be written: every test runs in an empty working folder.
"""

from __future__ import annotations

import pandas as pd
import pytest

from pilotbook import settings
from pilotbook.analysis import survey as sv
from pilotbook.io.catalog import load
from pilotbook.io.codebook import Codebook
from pilotbook.paths import INSTALL_ROOT
from pilotbook.report.exhibits import Exhibit, Prose
from pilotbook.report.formatting import fmt_number
from pilotbook.report.labels import label
from pilotbook.report.pages import survey as page

pytestmark = pytest.mark.usefixtures("nothing_written")

ROOT = INSTALL_ROOT
DATA = ROOT / "data"
STRICTER = '{"min_cell": 20}'


@pytest.fixture(scope="module")
def shipped():
    frames = {n: load(n, DATA) for n in ("pilots", "survey_published", "survey_codebook", "survey_nonparticipants")}
    cb = Codebook(frames["survey_codebook"])
    return frames | {"cb": cb, "offices": cb.offices(), "answers": sv.analysed(frames["survey_nonparticipants"], cb)}


def printed(published: pd.DataFrame, **where) -> pd.DataFrame:
    for column, value in where.items():
        published = published[published[column] == value]
    return published


def assert_figure(exhibit: Exhibit, exhibit_id: str, report_ref: str = "") -> None:
    assert isinstance(exhibit, Exhibit) and exhibit.id == exhibit_id and exhibit.kind == "figure"
    assert exhibit.report_ref == report_ref
    assert "<svg" in exhibit.svg and "SYNTHETIC" in exhibit.alt and "SYNTHETIC" in exhibit.title
    assert exhibit.caption.startswith("SYNTHETIC")


# --------------------------------------------------------------------------- glue


def test_glue_values_carry_the_printed_respondents_and_texts(shipped):
    pub, cb = shipped["survey_published"], shipped["cb"]
    glued = page.glue_values(shipped["pilots"], pub, shipped["survey_nonparticipants"], cb)
    respondents = printed(pub, question="survey", measure="respondents").set_index("office")["value"]
    analysed = respondents[respondents.index.isin(cb.offices())]
    assert glued["survey_n"] == fmt_number(analysed.sum())
    for office, n in analysed.items():
        assert f"{cb.office_label(office)} {fmt_number(n)}" in glued["survey_offices"]
    action_n = printed(pub, figure="Figure 2", question=sv.ACTION, measure="respondents")["value"].iloc[0]
    assert glued["survey_n_action"] == fmt_number(action_n)
    clarity = printed(pub, question=sv.CLARITY, office="all", response="agree", measure="share")["value"].iloc[0]
    assert glued["survey_clarity_all"] == f"about {clarity:.0f} %"  # printed as approximate ('noin')
    assert glued["survey_no_service"].endswith(" %") and glued["survey_split_misses"] != "0"
    assert glued["min_cell"] == "10" and glued["min_expected"] == "5"
    assert "Pirkanmaa Back to Business" in glued["survey_invited"]


def test_glue_values_follow_the_settings(shipped, monkeypatch):
    monkeypatch.setenv(settings.ENV, '{"min_cell": 20, "min_expected": 7}')
    glued = page.glue_values(shipped["pilots"], shipped["survey_published"], shipped["survey_nonparticipants"],
                             shipped["cb"])
    assert glued["min_cell"] == "20" and glued["min_expected"] == "7"


# --------------------------------------------------------------------------- respondents


def test_offices_table_sets_the_printed_counts_beside_the_synthetic_file(shipped):
    pub, cb = shipped["survey_published"], shipped["cb"]
    respondents = sv.respondents_by_office(shipped["survey_nonparticipants"], pub, cb)
    e = page.offices_table(respondents, cb, shipped["pilots"])
    assert e.id == "survey-offices" and e.kind == "table" and e.report_ref == ""
    data = e.data.set_index("office")
    for r in printed(pub, question="survey", measure="respondents").itertuples(index=False):
        assert data.at[r.office, "respondents_printed"] == r.value
        assert data.at[r.office, "respondents_synthetic"] == r.value  # the generator meets the printed count
    for r in printed(pub, question="survey", measure="share").itertuples(index=False):
        assert data.at[r.office, "share_printed"] == r.value
    assert data.at["pirkanmaa", "invited_to_label"] == "Pirkanmaa Back to Business"
    assert data.at["other", "invited_to_label"].startswith("– (left out")
    assert list(e.shown.columns) == ["TE office", "Respondents (report)", "Share of all (report)",
                                     "SYNTHETIC respondents", "Invited to"]


def test_a_higher_min_cell_masks_the_small_office_count(shipped, monkeypatch):
    pub, cb = shipped["survey_published"], shipped["cb"]
    before = sv.respondents_by_office(shipped["survey_nonparticipants"], pub, cb).set_index("office")
    small = before["respondents_synthetic"].between(10, 19)
    assert small.any(), "the shipped file has an office of 10-19 respondents (the left-out ones)"
    monkeypatch.setenv(settings.ENV, STRICTER)
    after = sv.respondents_by_office(shipped["survey_nonparticipants"], pub, cb)
    e = page.offices_table(after, cb, shipped["pilots"])
    data = e.data.set_index("office")
    assert data.loc[small[small].index, "respondents_synthetic"].isna().all()
    assert (e.shown.set_index("TE office").loc[[cb.office_label(o) for o in small[small].index],
                                               "SYNTHETIC respondents"] == "<20").all()


# --------------------------------------------------------------------------- Figures 1, 2 and by office


@pytest.mark.parametrize("number, column", [(1, "field_of_work"), (2, sv.ACTION)])
def test_figures_1_and_2_carry_the_printed_counts(shipped, number, column):
    pub, cb = shipped["survey_published"], shipped["cb"]
    d = sv.protect_distribution(sv.distribution(shipped["answers"], column, cb.categories(column)))
    e = (page.figure_1 if number == 1 else page.figure_2)(d, cb)
    assert_figure(e, f"report-figure-{number}", f"Figure {number}")
    data = e.data.set_index("code")
    counts = printed(pub, figure=f"Figure {number}", measure="count")
    assert len(counts) > 3
    masked = 0
    for r in counts.itertuples(index=False):
        if r.value < 10:  # the report prints it; the microdata's figure may not
            assert pd.isna(data.at[r.response, "count"]) and data.at[r.response, "masked"]
            masked += 1
        elif not data.at[r.response, "masked"]:
            assert data.at[r.response, "count"] == r.value
            assert f"{fmt_number(r.value)} (" in e.alt
    n = counts["value"].sum()  # single choice: the printed counts add up to those who answered
    assert (data["n"] == n).all() and f"N = {fmt_number(n)}" in e.alt
    assert data["masked"].sum() <= 2 * max(masked, 1)  # secondary suppression stays small


def test_action_by_office_suppresses_more_with_a_higher_min_cell(shipped, monkeypatch):
    cb, codes = shipped["cb"], shipped["cb"].categories(sv.ACTION)

    def exhibit():
        d = sv.distribution(shipped["answers"], sv.ACTION, codes, by="office", groups=shipped["offices"])
        return page.action_by_office(sv.protect_distribution(d), cb)

    default = exhibit()
    assert_figure(default, "survey-action-by-office")
    assert "fewer than 10 answers" in default.caption
    assert set(default.data["group_label"]) == {cb.office_label(o) for o in shipped["offices"]}
    monkeypatch.setenv(settings.ENV, STRICTER)
    strict = exhibit()
    assert "fewer than 20 answers" in strict.caption and "fewer than 10" not in strict.caption
    assert strict.data["masked"].sum() > default.data["masked"].sum()
    shown = pd.to_numeric(strict.data["count"], errors="coerce")
    assert not ((shown > 0) & (shown < 20)).any()


# --------------------------------------------------------------------------- Figures 3-5


def test_likert_figures_mark_assumed_items_and_carry_the_printed_n(shipped):
    pub, cb, answers = shipped["survey_published"], shipped["cb"], shipped["answers"]
    reasons = cb.items(figure="Figure 3")["name"]
    e3 = page.figure_3(sv.likert(answers, sv.likert_items(reasons, cb, published=pub), cb))
    assert_figure(e3, "report-figure-3", "Figure 3")
    views = cb.items(figure="Figure 4")["name"]
    e4 = page.figure_4(sv.likert(answers, sv.likert_items(views, cb, published=pub), cb))
    assert_figure(e4, "report-figure-4", "Figure 4")
    n = printed(pub, figure="Figure 4", question="clarity_providers_explained_services",
                measure="respondents")["value"].iloc[0]
    bar = e4.data[e4.data["item"] == "clarity_providers_explained_services"]
    assert (bar["n"] == n).all() and f"N = {fmt_number(n)}" in e4.alt
    assert bar["label"].iloc[0].endswith("†")  # the report prints no share for it
    assert "† the report prints no share" in e3.caption
    assert (e3.data["bar_label"] == e3.data["label"]).all()


def test_figure_5_splits_by_attendance(shipped):
    pub, cb = shipped["survey_published"], shipped["cb"]
    aware = sv.by_attendance(shipped["answers"])
    items = sv.likert_items(sv.attendance_items(cb), cb, published=pub)
    e = page.figure_5(sv.likert(aware, items, cb, by="audience", groups=sv.AUDIENCES))
    assert_figure(e, "report-figure-5", "Figure 5")
    assert set(e.data["group"]) == set(sv.AUDIENCES)
    assert e.data["bar_label"].str.contains(" — Attended an info session").any()
    attended = printed(pub, figure="Figure 2", response=sv.ATTENDED, measure="count")["value"].iloc[0]
    assert e.data.loc[e.data["group"] == "attended", "n"].max() <= attended


# --------------------------------------------------------------------------- office tables


def test_reasons_by_office_publish_shares_with_tests_and_no_small_counts(shipped, monkeypatch):
    cb, reasons = shipped["cb"], shipped["cb"].items(figure="Figure 3")["name"]
    e = page.reasons_by_office(sv.agree_by_office(shipped["answers"], cb, shipped["offices"], reasons), cb)
    assert e.id == "survey-reasons-by-office" and e.kind == "table"
    assert "fewer than 10 persons" in e.caption and "at least 5" in e.caption
    assert {"agree", "not_agree"}.isdisjoint(e.data.columns)  # counts that would give persons away
    assert list(e.shown.columns) == ["Item", *(cb.office_label(o) for o in shipped["offices"]),
                                     label("survey_all_offices"), "Test of office differences"]
    tests = e.shown["Test of office differences"]
    assert tests.str.match(r"(Pearson's chi-square|Fisher's exact) test: p( = | < | ≥ )").all()
    # a test over a table with a withheld cell publishes only its verdict (its p-value would give the cell back)
    blind = e.data.groupby("item", sort=False)["masked"].any().to_numpy()
    assert tests[blind].str.match(r".*: p [<≥] 0\.05$").all() and tests[~blind].str.contains("p = ").all()
    assert e.data.loc[e.data["masked"], ["p_value", "statistic"]].isna().all().all()
    monkeypatch.setenv(settings.ENV, STRICTER)
    strict = page.reasons_by_office(sv.agree_by_office(shipped["answers"], cb, shipped["offices"], reasons), cb)
    assert "fewer than 20 persons" in strict.caption
    assert strict.data["share"].isna().sum() > e.data["share"].isna().sum()


def test_clarity_by_office_reproduces_the_printed_office_shares(shipped):
    pub, cb = shipped["survey_published"], shipped["cb"]
    e = page.clarity_by_office(sv.agree_by_office(shipped["answers"], cb, shipped["offices"], [sv.CLARITY]), cb)
    assert e.id == "survey-clarity-by-office"
    data = e.data.set_index("group")
    rows = printed(pub, question=sv.CLARITY, response="agree", measure="share")
    checked = 0
    for r in rows[rows["office"] != "all"].itertuples(index=False):
        if data.at[r.office, "suppressed"] or pd.isna(data.at[r.office, "share"]):
            continue  # a share resting on fewer than min_cell persons agreeing or not is not published
        assert abs(data.at[r.office, "share"] - r.value) <= 0.5 + 1e-9, r.office
        checked += 1
    assert checked >= 1
    assert e.shown.iloc[0].str.contains("suppressed").sum() == data["share"].isna().sum()
    # the office whose share is withheld to protect a small one still shows in the check as agreeing
    check = sv.survey_check(pub, shipped["survey_nonparticipants"], cb)
    office_rows = check[(check["question"] == sv.CLARITY) & (check["office"] != "all") & (check["measure"] == "share")]
    assert office_rows["status"].str.startswith("matches").all()


# --------------------------------------------------------------------------- Figure 6


def test_figure_6_carries_the_printed_share_and_marks_the_assumed_options(shipped):
    pub, cb = shipped["survey_published"], shipped["cb"]
    e = page.figure_6(sv.service_need(shipped["answers"], cb), cb, pub)
    assert_figure(e, "report-figure-6", "Figure 6")
    data = e.data.set_index("code")
    none = printed(pub, question=sv.SERVICE_NEED, response="no_service_needed")["value"].iloc[0]
    assert abs(data.at["no_service_needed", "share"] - none) <= 3  # printed in words: 'about a third'
    assert not data.at["no_service_needed", "label"].endswith("†")
    assert data.loc[data.index != "no_service_needed", "label"].str.endswith("†").any()
    assert list(e.data["share"].dropna()) == sorted(e.data["share"].dropna(), reverse=True)
    assert f"{fmt_number(data.at['no_service_needed', 'count'])} (" in e.alt


# --------------------------------------------------------------------------- checks, codebook, assumptions


ALLOWED = {"matches", "not in the microdata", "differs: the report's shares and counts cannot all hold"}


def test_reproduction_covers_every_printed_value(shipped, monkeypatch):
    pub, cb, raw = shipped["survey_published"], shipped["cb"], shipped["survey_nonparticipants"]
    e = page.reproduction(sv.survey_check(pub, raw, cb), cb)
    assert e.id == "survey-reproduction" and e.kind == "table" and len(e.data) == len(pub)
    assert (e.data["printed"].to_numpy() == pub["value"].to_numpy()).all()
    withheld = {sv.suppressed_status(10, s) for s in ALLOWED}
    assert set(e.data["status"]) <= ALLOWED | withheld
    assert "Counts under 10 persons are not shown" in e.caption
    small = pub["measure"].isin(["count", "respondents"]) & (pub["value"] < 10)
    assert e.data.loc[small, "status"].isin(withheld).all() and e.data.loc[small, "computed"].isna().all()
    # a share whose persons (share × base) are fewer than 10 is withheld too
    share = e.data["measure"] == "share"
    persons = (e.data["printed"] * e.data["base"] / 100).round()
    assert not e.data.loc[share & persons.between(1, 9), "computed"].notna().any()
    assert e.data["status"].str.startswith("matches").sum() > 0.8 * len(pub) - 3
    monkeypatch.setenv(settings.ENV, STRICTER)
    strict = page.reproduction(sv.survey_check(pub, raw, cb), cb)
    assert "Counts under 20 persons" in strict.caption
    hidden = strict.data["status"].str.contains("withheld")
    assert hidden.sum() > small.sum() and strict.data.loc[hidden, "computed"].isna().all()
    assert set(strict.data["status"]) <= ALLOWED | {sv.suppressed_status(20, s) for s in ALLOWED}


def test_codebook_table_lists_every_question(shipped):
    cb = shipped["cb"]
    questions = cb.items("nonparticipants")
    e = page.codebook_table(questions, cb)
    assert e.id == "survey-codebook" and len(e.data) == len(e.shown) == len(questions)
    assert e.shown.set_index("Item").at["reason_not_joining_bad_reputation", "Answers"] == "1–5, 9 = can't say"


def test_assumptions_list_the_generator_s(shipped):
    from pilotbook.synth.survey import ASSUMPTIONS

    prose = page.assumptions()
    assert isinstance(prose, Prose)
    assert prose.markdown.splitlines() == [f"- {a}" for a in ASSUMPTIONS]
