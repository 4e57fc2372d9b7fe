"""The customer-survey chapter's page functions (report/pages/satisfaction.py) on the shipped data.

The expected values are the report's printed ones, read from data/published/satisfaction_published.csv
(never taken from the code under test); the answers are the shipped SYNTHETIC file, which
reproduces them.  Nothing may be written: every test runs in an empty working folder.
"""

from __future__ import annotations

import pytest

from pilotbook import settings
from pilotbook.analysis import satisfaction
from pilotbook.analysis import survey as sv
from pilotbook.io.catalog import load
from pilotbook.io.codebook import Codebook
from pilotbook.paths import INSTALL_ROOT
from pilotbook.report.exhibits import Exhibit, Prose
from pilotbook.report.pages import satisfaction as page

pytestmark = pytest.mark.usefixtures("nothing_written")

ROOT = INSTALL_ROOT
DATA = ROOT / "data"


@pytest.fixture(scope="module")
def shipped():
    frames = {n: load(n, DATA) for n in ("pilots", "satisfaction_published", "survey_codebook",
                                         "satisfaction_pirkanmaa", "facts")}
    cb = Codebook(frames["survey_codebook"])
    return frames | {"cb": cb, "pilot": cb.surveyed_pilot("satisfaction"), "answers": frames["satisfaction_pirkanmaa"]}


def printed_means(shipped) -> dict[str, float]:
    pub = shipped["satisfaction_published"]
    rows = pub[(pub["pilot_id"] == shipped["pilot"]) & (pub["statistic"] == "mean")]
    return dict(zip(rows["item"], rows["value"]))


def test_glue_values_carry_the_printed_values(shipped):
    pub = shipped["satisfaction_published"]
    glued = page.glue_values(shipped["pilots"], pub, shipped["answers"], shipped["cb"], shipped["facts"])
    means = printed_means(shipped)
    respondents = pub[pub["item"] == "respondents"].set_index("pilot_id")["value"]
    pilots = shipped["pilots"].set_index("pilot_id")
    full = {p: f"{pilots.at[p, 'region']}: {pilots.at[p, 'name_en']}" for p in pilots.index}
    assert glued["sat_pilot"] == full[shipped["pilot"]]
    assert glued["sat_n"] == f"{respondents[shipped['pilot']]:.0f}"
    assert glued["sat_grade"] == f"{means['overall_grade']:.1f}"
    assert glued["sat_effect"] == f"{means['effect_grade_employed']:.1f}"
    assert glued["sat_contacts_range"] == f"{means['contacts_with_provider_low']:.0f}–{means['contacts_with_provider_high']:.0f}"
    low, high = (float(x) for x in glued["sat_grade_ci"].split("–"))
    assert low < means["overall_grade"] < high
    other = respondents.drop(shipped["pilot"])
    assert len(other) >= 1
    assert glued["sat_other_surveys"] == "; ".join(f"{full[p]}: {v:.0f} answers" for p, v in other.items())
    fig7 = pub[pub["figure"] == "Figure 7"].sort_values("ref_line")
    for item, value in zip(fig7["item"], fig7["value"]):
        assert f"“{shipped['cb'].item_label(item)}” {value:.1f}" in glued["sat_order"]
    assert glued["sat_scale_statements"] == "1 (fully disagree) to 5 (fully agree)"
    assert glued["min_cell"] == "10"


def test_glue_min_cell_follows_the_setting(shipped, monkeypatch):
    monkeypatch.setenv(settings.ENV, '{"min_cell": 20}')
    glued = page.glue_values(shipped["pilots"], shipped["satisfaction_published"], shipped["answers"],
                             shipped["cb"], shipped["facts"])
    assert glued["min_cell"] == "20"


def test_figure_7_carries_the_printed_means(shipped):
    cb = shipped["cb"]
    statements = satisfaction.statements(cb)
    e = page.figure_7(satisfaction.means(shipped["answers"], cb, statements), cb)
    assert isinstance(e, Exhibit) and e.id == "report-figure-7" and e.kind == "figure" and e.report_ref == "Figure 7"
    assert "<svg" in e.svg and e.caption.startswith("SYNTHETIC")
    data = e.data.set_index("item")
    means = printed_means(shipped)
    assert list(data.index) == statements and len(statements) == 3
    for item in statements:
        assert abs(data.at[item, "mean"] - means[item]) <= sv.TOLERANCE_MEAN, item
        assert data.at[item, "ci_low"] < means[item] < data.at[item, "ci_high"]
        assert f"mean {data.at[item, 'mean']:.2f}" in e.alt and cb.item_label(item) in e.alt
    assert (data["cant_say"] > 0).all() and (data["n"] + data["cant_say"] <= len(shipped["answers"])).all()


def test_statements_spread_is_a_synthetic_likert_figure(shipped):
    cb = shipped["cb"]
    statements = satisfaction.statements(cb)
    e = page.statements(sv.likert(shipped["answers"], sv.likert_items(statements, cb), cb))
    assert e.id == "satisfaction-statements" and e.kind == "figure" and e.report_ref == ""
    assert "SYNTHETIC" in e.alt and "SYNTHETIC" in e.title
    assert (e.data["bar_label"] == e.data["label"]).all() and (e.data["marker"] == "").all()
    shares = e.data.groupby("item")["share"].sum()
    assert ((shares - 100).abs() < 1e-9).all()


def test_grades_carry_the_printed_means_and_suppress_small_groups(shipped, monkeypatch):
    cb = shipped["cb"]
    e = page.grades(satisfaction.grades(shipped["answers"], cb), cb)
    assert e.id == "satisfaction-grades" and e.kind == "table"
    data = e.data.set_index("item")
    means = printed_means(shipped)
    for item in satisfaction.GRADES:
        assert abs(data.at[item, "mean"] - means[item]) <= sv.TOLERANCE_MEAN, item
    assert means["contacts_with_provider_low"] <= data.at[satisfaction.CONTACTS, "mean"] <= means["contacts_with_provider_high"]
    assert list(e.shown["Scale"]) == ["1–10", "1–10", "count"]
    # a group of answers smaller than min_cell gets no mean
    answers = shipped["answers"]
    few = answers[answers["effect_grade_employed"].notna()].head(15)  # 15 answers to every item
    assert not page.grades(satisfaction.grades(few, cb), cb).data["suppressed"].any()
    monkeypatch.setenv(settings.ENV, '{"min_cell": 20}')
    strict = page.grades(satisfaction.grades(few, cb), cb)
    assert strict.data["suppressed"].all() and strict.data["mean"].isna().all()
    assert set(strict.shown["Mean"]) == {"suppressed"}


def test_reproduction_covers_every_printed_value(shipped, monkeypatch):
    pub, cb = shipped["satisfaction_published"], shipped["cb"]
    e = page.reproduction(satisfaction.check(pub, shipped["answers"], shipped["pilot"]), cb, shipped["pilots"])
    assert e.id == "satisfaction-reproduction" and e.kind == "table" and len(e.data) == len(pub)
    mine = e.data["pilot_id"] == shipped["pilot"]
    assert (e.data.loc[mine, "status"] == "matches").all()
    assert (e.data.loc[~mine, "status"] == "not in the microdata").all()
    pilots = shipped["pilots"].set_index("pilot_id")
    assert list(e.shown["Pilot"]) == [f"{pilots.at[p, 'region']}: {pilots.at[p, 'name_en']}" for p in pub["pilot_id"]]
    assert (e.data["printed"].to_numpy() == pub["value"].to_numpy()).all()
    few = shipped["answers"].head(15)
    monkeypatch.setenv(settings.ENV, '{"min_cell": 20}')
    strict = satisfaction.check(pub, few, shipped["pilot"])
    hidden = strict[strict["statistic"] == "respondents"]
    assert hidden.loc[hidden["pilot_id"] == shipped["pilot"], "status"].str.endswith(
        "computed value withheld (<20 persons)").all()
    assert hidden["computed"].isna().all()


def test_assumptions_are_the_customer_survey_ones(shipped):
    from pilotbook.synth.survey import ASSUMPTIONS

    prose = page.assumptions()
    assert isinstance(prose, Prose)
    kept = [a for a in ASSUMPTIONS if a.startswith("Customer survey")]
    assert kept and prose.markdown.splitlines() == [f"- {a}" for a in kept]
    assert len(kept) < len(ASSUMPTIONS)
