"""The pilot chapter's page functions (report/pages/pilot.py) on the shipped data.

Expected values come from data/published (the report's printed numbers), never from the code
under test.  Nothing may be written: every test runs in an empty working folder.
"""

from __future__ import annotations

import json

import pandas as pd
import pytest

from pilotbook import settings
from pilotbook.analysis import results
from pilotbook.io.catalog import fee_models, load
from pilotbook.io.codebook import Codebook
from pilotbook.paths import INSTALL_ROOT
from pilotbook.report import edition
from pilotbook.report.exhibits import Exhibit, Prose
from pilotbook.report.pages import pilot as page

pytestmark = pytest.mark.usefixtures("nothing_written")

DATA = INSTALL_ROOT / "data"
NAMES = ("pilots", "outcomes", "contract_types", "survey_published", "satisfaction_published", "survey_codebook",
         "ura_extract", "ura_codes", "ura_categories", "pilot_texts", "facts", "providers", "ura_published")
PILOT_IDS = pd.read_csv(DATA / "published" / "pilots.csv", dtype=str)["pilot_id"].tolist()


@pytest.fixture(scope="module")
def shipped():
    frames = {name: load(name, DATA) for name in NAMES}
    return frames | {"models": fee_models(DATA), "codebook": Codebook(frames["survey_codebook"])}


def pilot(shipped, pilot_id: str) -> pd.Series:
    return results.pilot_row(shipped["pilots"], pilot_id)


def printed_rows(outcomes: pd.DataFrame, pilot_id: str, source: str) -> dict[str, float]:
    rows = outcomes[(outcomes["pilot_id"] == pilot_id) & (outcomes["source"] == source)]
    return dict(zip(rows["metric"], rows["value"].astype(float)))


def chapter(shipped, pilot_id: str) -> list:
    """Every section of the page, as the template calls them (figures left out: see below)."""
    s, p = shipped, pilot(shipped, pilot_id)
    rows = results.pilot_results(s["pilots"], s["outcomes"], pilot_id)
    model = s["models"].get(pilot_id)
    return [
        page.facts(p),
        page.results_summary(p, rows, results.recomputed_shares(rows)),
        page.results_table(p, rows),
        page.contract_types(p, results.contract_types_of(s["contract_types"], pilot_id)),
        page.fee_model(p, model, results.fee_components(s["models"], pilot_id)),
        page.fee_ladder(p, results.payment_ladder(model)),
        page.surveys(p, results.survey_rows(s["survey_published"], s["satisfaction_published"], s["codebook"],
                                            pilot_id), s["codebook"], s["pilots"]),
        page.printed_values(p, results.printed_values(s["outcomes"], pilot_id, facts=s["facts"],
                                                      contract_types=s["contract_types"], providers=s["providers"],
                                                      satisfaction=s["satisfaction_published"],
                                                      register=s["ura_published"])),
    ]


def flat(items) -> list:
    out = []
    for item in items:
        out += flat(item) if isinstance(item, list) else [item]
    return out


@pytest.mark.parametrize("pilot_id", PILOT_IDS)
def test_every_pilot_gets_every_section(shipped, pilot_id):
    items = flat(chapter(shipped, pilot_id))
    assert all(isinstance(i, (Exhibit, Prose)) for i in items)
    exhibits = [i for i in items if isinstance(i, Exhibit)]
    ids = [e.id for e in exhibits]
    assert len(ids) == len(set(ids)) and all(i.startswith(f"pilot-{pilot_id}-") for i in ids)
    assert f"pilot-{pilot_id}-printed-values" in ids
    for e in exhibits:
        assert e.kind == "table" and len(e.shown) == len(e.data), e.id
        assert "pilot_id" not in e.data.columns or set(e.data["pilot_id"]) <= {pilot_id}, e.id
    # the report's printed values, all of them, in the last table (every file's rows of the pilot)
    printed = exhibits[-1].data
    assert (printed["dataset"] == "outcomes").sum() == (shipped["outcomes"]["pilot_id"] == pilot_id).sum()
    assert (printed["dataset"] == "facts").sum() == (shipped["facts"]["pilot_id"] == pilot_id).sum()


def test_page_title_and_facts(shipped):
    p = pilot(shipped, "uusimaa-ict")
    assert page.glue_values(p) == {"page_title": f"{p['region']}: {p['name_en']}"}
    facts = page.facts(p).markdown
    assert f"*{p['name_fi']}*" in facts and f"`{p['tracking_code']}`" in facts
    assert f"chapter {p['chapter']}" in facts


def test_results_summary_and_table_carry_table_4(shipped):
    p = pilot(shipped, "uusimaa-ict")
    v = printed_rows(shipped["outcomes"], "uusimaa-ict", "Table 4")
    rows = results.pilot_results(shipped["pilots"], shipped["outcomes"], "uusimaa-ict")
    text = page.results_summary(p, rows, results.recomputed_shares(rows)).markdown
    assert text.startswith(f"By {edition.current().as_of}, **{v['started']:.0f}** jobseekers")
    assert f"{v['target_low']:.0f}–{v['target_high']:.0f} starters" in text
    assert f"**{v['fee_eligible']:.0f}** employments" in text
    assert f"{100 * v['fee_eligible'] / v['started']:.1f} % of starters" in text
    assert text.endswith("*Source: Table 4 of the report.*")
    table = page.results_table(p, rows)
    assert table.id == "pilot-uusimaa-ict-results" and table.report_ref == "the row of Table 4"
    assert dict(zip(table.data["metric"], table.data["value"])) == v


def test_an_approximate_count_reads_about(shipped):
    outcomes = shipped["outcomes"]
    approx = outcomes[(outcomes["qualifier"] == "approx") & (outcomes["metric"] == "fee_eligible")
                      & outcomes["source"].str.fullmatch(r"Table \d")].iloc[0]
    rows = results.pilot_results(shipped["pilots"], outcomes, approx["pilot_id"])
    text = page.results_summary(pilot(shipped, approx["pilot_id"]), rows, results.recomputed_shares(rows)).markdown
    assert f"counts about **{approx['value']:.0f}** employments" in text


def test_another_editions_numbers_are_dated_and_sourced_as_that_edition_never_as_the_report(shipped, follow_up):
    p = pilot(shipped, "hame-50plus")
    rows = results.pilot_results(shipped["pilots"], shipped["outcomes"], "hame-50plus")
    text = page.results_summary(p, rows, results.recomputed_shares(rows)).markdown
    assert text.startswith("By June 2019, ")
    assert text.endswith(f"*Source: {follow_up.title} (laid out as the report's Table 4).*")
    assert "of the report" not in text
    figure = page.progress_figure(p, results.pilot_progress(rows))
    assert figure.caption == f"Counts from {follow_up.title} (laid out as the report's Table 4), June 2019."
    assert "of the report" not in page.kind_of_pilot(p)
    kainuu = pilot(shipped, "kainuu-apprenticeship")
    none = results.pilot_results(shipped["pilots"], shipped["outcomes"], "kainuu-apprenticeship")
    assert page.results_summary(kainuu, none, results.recomputed_shares(none)).markdown.startswith(
        f"The summary tables (4–6) of {follow_up.title} give no figures")


def test_progress_figure_has_svg_and_alt_with_the_counts(shipped):
    p = pilot(shipped, "hame-50plus")
    v = printed_rows(shipped["outcomes"], "hame-50plus", "Table 4")
    rows = results.pilot_results(shipped["pilots"], shipped["outcomes"], "hame-50plus")
    figure = page.progress_figure(p, results.pilot_progress(rows))
    assert figure.kind == "figure" and figure.id == "pilot-hame-50plus-progress" and "<svg" in figure.svg
    for metric in ("target", "started", "finished", "fee_eligible"):
        assert f"{v[metric]:.0f}" in figure.alt, metric
    assert set(figure.data["source"]) == {"Table 4"}


def test_sections_without_data_say_so_in_the_old_words(shipped):
    s = shipped
    no_row = next(p for p in PILOT_IDS if pd.isna(pilot(s, p)["results_table"]))
    rows = results.pilot_results(s["pilots"], s["outcomes"], no_row)
    assert rows.empty
    assert page.results_table(pilot(s, no_row), rows) == Prose("*No summary-table row for this pilot.*")
    assert page.results_summary(pilot(s, no_row), rows, results.recomputed_shares(rows)).markdown.startswith(
        "The report's summary tables (4–6) give no figures for this pilot; chapter ")
    assert page.progress_figure(pilot(s, no_row), results.pilot_progress(rows)) is None
    no_contracts = next(p for p in PILOT_IDS if not (s["contract_types"]["pilot_id"] == p).any())
    assert page.contract_types(pilot(s, no_contracts), results.contract_types_of(s["contract_types"], no_contracts)) \
        == Prose("*The report gives no breakdown of this pilot's employments by kind of contract.*")
    no_register = next(p for p in PILOT_IDS if not (s["ura_extract"]["pilot_id"] == p).any())
    status = results.register_status(s["ura_extract"], s["ura_codes"], s["ura_categories"], no_register)
    assert page.ura_section(pilot(s, no_register), status, s["ura_categories"]) \
        == Prose("The report analyses no register (URA) data for this pilot.")
    p = pilot(s, "hame-50plus")
    assert page.fee_model(p, None, pd.DataFrame()) == Prose("*This data holds no fee model for the pilot.*")
    assert page.fee_model(p, {"status": "known"}, pd.DataFrame()) == Prose("*No fee components are described.*")
    assert page.fee_ladder(p, results.payment_ladder(None)) \
        == Prose("*The fee engine cannot price this model, so no payment ladder is shown.*")
    none = results.survey_rows(s["survey_published"], s["satisfaction_published"], s["codebook"], "hame-50plus")
    assert page.surveys(p, none, s["codebook"], s["pilots"]) \
        == Prose("*Neither survey of the evaluation covers this pilot.*")


def test_fee_model_and_ladder_show_the_printed_amounts(shipped):
    components = load("fee_models", DATA)
    mine = components[components["pilot_id"] == "uusimaa-ict"]
    p, model = pilot(shipped, "uusimaa-ict"), shipped["models"]["uusimaa-ict"]
    prose, table = page.fee_model(p, model, results.fee_components(shipped["models"], "uusimaa-ict"))
    assert isinstance(prose, Prose) and table.id == "pilot-uusimaa-ict-fees"
    assert list(table.data["component"]) == list(mine["component"])
    assert list(table.data["amount_eur"].dropna()) == list(mine["amount_eur"].dropna())
    ladder = page.fee_ladder(p, results.payment_ladder(model))
    assert ladder.id == "pilot-uusimaa-ict-fee-ladder"
    # euro amounts: the most the model pays is what its fixed parts and its best result tier add up to
    assert 0 < ladder.data["total_eur"].max() <= mine["amount_eur"].sum()


def test_a_ladder_of_shares_is_priced_at_the_midpoint_of_the_price_range(shipped):
    components = load("fee_models", DATA)
    priced = components[(components["basis"] == "share_of_price") & components["price_low"].notna()]
    pilot_id = priced["pilot_id"].iloc[0]
    mine = priced[priced["pilot_id"] == pilot_id]
    midpoint = (mine["price_low"].iloc[0] + mine["price_high"].iloc[0]) / 2
    ladder = page.fee_ladder(pilot(shipped, pilot_id), results.payment_ladder(shipped["models"][pilot_id]))
    assert set(ladder.data["price_eur"]) == {midpoint}
    assert ladder.caption.startswith(f"At a price of {midpoint:,.0f} €".replace(",", "\u202f"))


def test_a_single_derived_price_is_not_called_a_midpoint(shipped):
    """Pohjois-Savo had one provider; its 980 € is derived from Figure 8 (10 % = 98 €, line 1322), not a range."""
    model = shipped["models"]["pohjois-savo-construction"]
    assert model["price"]["low"] == model["price"]["high"] and model["price"]["inferred"]
    ladder = page.fee_ladder(pilot(shipped, "pohjois-savo-construction"), results.payment_ladder(model))
    assert "midpoint" not in ladder.caption and "does not print" in ladder.caption
    assert ladder.caption.startswith("At the price of 980 €")
    # the caption follows the data: a range is called a range
    ranged = results.payment_ladder({**model, "price": {**model["price"], "low": 900, "high": 1060}})
    assert "the midpoint of the range 900–1\u202f060 €" in page.fee_ladder(pilot(shipped, "pohjois-savo-construction"),
                                                                        ranged).caption


def test_a_ladder_row_decided_by_our_reading_is_marked_and_explained(shipped):
    """Table 8 pays a job of "yli 3 kk" and "yli 12 kk" (over 3 and over 12 months, lines 3077 and 3084)."""
    p, model = pilot(shipped, "pirkanmaa-b2b"), shipped["models"]["pirkanmaa-b2b"]
    ladder = page.fee_ladder(p, results.payment_ladder(model))
    total = dict(zip(ladder.shown["Outcome"], ladder.shown["Total"]))
    assert total["Fixed-term job, 3 months"].endswith("(our reading, see below)")
    assert total["Fixed-term job, 12 months"].endswith("(our reading, see below)")
    assert not total["Fixed-term job, 6 months"].endswith("see below)")
    assert any(n.startswith("Part-time job, 3 months, 20 h/week; Fixed-term job, 3 months: The report pays")
               and "exactly 3 months as not over 3 months" in n for n in ladder.notes)


def test_fee_model_text_marks_our_readings_and_attributions(shipped):
    def text(pid):
        out = page.fee_model(pilot(shipped, pid), shipped["models"][pid],
                             results.fee_components(shipped["models"], pid))
        return (out[0] if isinstance(out, list) else out).markdown

    hame = text("hame-50plus")
    assert "Open application procedure (avoin hakumenettely" in hame and "That reading is ours" in hame
    assert "bid amount" not in hame
    savo = text("pohjois-savo-construction")
    assert "Figure 8 gives the euro amounts" not in savo and "we read as this pilot's" in savo
    assert "about 60 %" in savo and "may be Häme's" in savo  # the 50 % price weight's fragment (line 1344)
    assert "no labelled box in Figure 8" in text("pirkanmaa-b2b")
    assert text("pohjanmaa-entrepreneurship").startswith("**The report describes no fee model for this pilot.**")
    assert text("uusimaa-prostart").startswith("**The report does not print this model's amounts.**")


def test_kainuu_ladder_shows_the_planned_bonus_only_for_an_ownership_change(shipped):
    model = shipped["models"]["kainuu-apprenticeship"]
    ladder = page.fee_ladder(pilot(shipped, "kainuu-apprenticeship"), results.payment_ladder(model))
    paid = dict(zip(ladder.shown["Outcome"], ladder.shown["Paid for the result"]))
    assert {paid[o] for o in ("Fixed-term job, 6 months", "Fixed-term job, 12 months", "Permanent job")} == {"0 €"}
    assert paid["Apprenticeship job of 6 months in a firm changing owners"] == "500 €"


def test_surveys_list_the_printed_values_of_the_pilots_offices_and_customers(shipped):
    s = shipped
    rows = results.survey_rows(s["survey_published"], s["satisfaction_published"], s["codebook"], "pirkanmaa-b2b")
    prose, table = page.surveys(pilot(s, "pirkanmaa-b2b"), rows, s["codebook"], s["pilots"])
    offices = s["codebook"].offices_of("pirkanmaa-b2b")
    published = s["survey_published"][s["survey_published"]["office"].isin(offices)]
    customers = s["satisfaction_published"][s["satisfaction_published"]["pilot_id"] == "pirkanmaa-b2b"]
    assert table.id == "pilot-pirkanmaa-b2b-surveys"
    assert (table.data["survey"] == "invited non-participants").sum() == len(published)
    assert (table.data["survey"] == "customer survey").sum() == len(customers)
    assert sorted(table.data["value"]) == sorted(list(published["value"]) + list(customers["value"]))
    assert "own customer survey" in prose.markdown and "did not join" in prose.markdown


def test_survey_counts_stay_whole_numbers_when_only_one_survey_covers_the_pilot(shipped):
    s = shipped
    rows = results.survey_rows(s["survey_published"], s["satisfaction_published"], s["codebook"],
                               "keski-suomi-construction")
    assert set(rows["survey"]) == {"invited non-participants"}
    assert rows["value"].dtype == s["survey_published"]["value"].dtype


def test_register_section_is_synthetic_protected_and_follows_min_cell(shipped, monkeypatch):
    s, pilot_id = shipped, "hame-50plus"
    status = results.register_status(s["ura_extract"], s["ura_codes"], s["ura_categories"], pilot_id)
    prose, figure = page.ura_section(pilot(s, pilot_id), status, s["ura_categories"])
    assert "SYNTHETIC" in prose.markdown and "SYNTHETIC" in figure.title
    assert figure.kind == "figure" and figure.id == f"pilot-{pilot_id}-ura" and "<svg" in figure.svg
    assert figure.report_ref == pilot(s, pilot_id)["ura_figure"]
    counts = figure.data["count"].dropna()
    assert not ((counts > 0) & (counts < 10)).any()
    employed = figure.data[(figure.data["status"] == "employed") & (figure.data["cohort"] == "participant")].iloc[0]
    assert f"{employed['share']:.0f} % of participants" in prose.markdown
    assert f"{employed['share']:.0f} %" in figure.alt
    masked_at_10 = int(status["count"].isna().sum())
    monkeypatch.setenv(settings.ENV, json.dumps({"min_cell": 20}))
    stricter = results.register_status(s["ura_extract"], s["ura_codes"], s["ura_categories"], pilot_id)
    counts = stricter["count"].dropna()
    assert not ((counts > 0) & (counts < 20)).any()
    assert int(stricter["count"].isna().sum()) > masked_at_10


# --------------------------------------------------------------------------- the pilot's story (issue 11)


@pytest.mark.parametrize("section", ["the_service", "how_clients_came_to_it", "what_the_evaluators_concluded"])
@pytest.mark.parametrize("pilot_id", PILOT_IDS)
def test_every_pilot_tells_its_story_with_the_lines_it_summarises(shipped, pilot_id, section):
    texts = shipped["pilot_texts"]
    row = texts[(texts["pilot_id"] == pilot_id) & (texts["section"] == section)].iloc[0]
    shown = page.story(texts, pilot_id, section)
    assert isinstance(shown, Prose) and row["text"] in shown.markdown
    first = row["ref_lines"].split("; ")[0].split("-")[0]
    assert f"text dump lines {first}" in shown.markdown
    assert page.story(texts.iloc[0:0], pilot_id, section).markdown.startswith("*This data holds no text")


def test_the_kind_of_pilot_names_the_table_that_reports_it(shipped):
    tables = {p: results.primary_source(r) for p, r in zip(shipped["pilots"]["pilot_id"], shipped["pilots"]["results_table"])}
    for pilot_id, table in tables.items():
        facts = page.facts(pilot(shipped, pilot_id)).markdown
        if table:
            assert f"results in {table} of the report" in facts
        else:
            assert "in none of the report's Tables 4–6" in facts, pilot_id
    assert tables["kainuu-apprenticeship"] is None  # the report's Tables 4-6 have no row for it


def test_only_table_4_results_are_dated_and_caveats_stay_beside_their_numbers(shipped):
    s = shipped
    def summary(pilot_id):
        rows = results.pilot_results(s["pilots"], s["outcomes"], pilot_id)
        return page.results_summary(pilot(s, pilot_id), rows, results.recomputed_shares(rows), s["outcomes"]).markdown
    assert summary("hame-50plus").startswith(f"By {edition.current().as_of}")
    prostart = summary("uusimaa-prostart")
    assert not prostart.startswith("By ") and "In Table 5 of the report" in prostart
    assert "end of May 2017" in prostart  # its finishers are counted earlier (chapter 12)
    assert "confirmation" in summary("satakunta-ownership")  # the ownership changes were provisional


def test_a_work_trial_is_not_employment(shipped):
    contracts = results.contract_types_of(shipped["contract_types"], "lappi-growth-firms")
    exhibit = page.contract_types(pilot(shipped, "lappi-growth-firms"), contracts)
    trials = exhibit.shown[contracts["contract_type"].eq("work_trial").to_numpy()]
    assert len(trials) and trials.iloc[:, 1].str.endswith("(not employment)").all()
    assert "not employment" in exhibit.caption


def test_every_printed_value_of_the_pilot_is_listed(shipped):
    s = shipped
    for pilot_id in PILOT_IDS:
        printed = results.printed_values(s["outcomes"], pilot_id, facts=s["facts"], contract_types=s["contract_types"],
                                         providers=s["providers"], satisfaction=s["satisfaction_published"],
                                         register=s["ura_published"])
        expected = sum(int((s[name]["pilot_id"] == pilot_id).sum())
                       for name in ("outcomes", "facts", "contract_types", "satisfaction_published", "ura_published"))
        expected += 3 * int((s["providers"]["pilot_id"] == pilot_id).sum())
        assert len(printed) == expected, pilot_id
        exhibit = page.printed_values(pilot(s, pilot_id), printed)
        assert len(exhibit.shown) == expected
    kainuu = results.printed_values(s["outcomes"], "kainuu-apprenticeship", facts=s["facts"])
    assert len(kainuu) > 0, "Kainuu's table has rows (from facts.csv)"
    shown = page.printed_values(pilot(s, "kainuu-apprenticeship"), kainuu).shown
    assert "2016" in set(shown.iloc[:, 2]), "a year is printed as a year, not as 2 016"


def test_a_pilot_with_no_printed_value_says_so_instead_of_an_empty_table(shipped):
    s = shipped
    none = results.printed_values(s["outcomes"], "kainuu-apprenticeship")  # Kainuu has no row in Tables 4-6
    assert none.empty
    said = page.printed_values(pilot(s, "kainuu-apprenticeship"), none)
    assert isinstance(said, Prose) and said.markdown == page.NO_PRINTED_VALUES and "no printed value" in said.markdown


def test_register_numbers_are_marked_as_ours_and_assumed_sizes_said(shipped):
    from pilotbook.analysis import register

    s = shipped
    for pilot_id, assumed in (("keski-suomi-construction", True), ("uusimaa-ict", False)):
        status = results.register_status(s["ura_extract"], s["ura_codes"], s["ura_categories"], pilot_id)
        sizes = register.printed_cohorts(s["ura_published"], pilot_id)
        text = page.ura_section(pilot(s, pilot_id), status, s["ura_categories"], printed_sizes=sizes)[0].markdown
        assert "our computation from the synthetic extract" in text
        assert ("is an assumption of the synthetic extract" in text) == assumed, pilot_id



def test_a_text_the_report_does_not_have_names_its_own_source_and_never_the_report(tmp_path_factory):
    """A pilot a follow-up adds has no lines in the report to cite: its sections name their source, the
    page shows it as not the report's, and a section with neither is refused naming both options."""
    from pilotbook.errors import DataFileError
    from pilotbook.io.pilot_texts import load_texts

    path = tmp_path_factory.mktemp("texts") / "pilot_texts.yaml"
    path.write_text("pilots:\n  - pilot_id: new-pilot\n    sections:\n      the_service:\n"
                    "        source: the follow-up's own description\n        text: A service the report never saw.\n",
                    encoding="utf-8")
    texts = load_texts(path)
    shown = page.story(texts, "new-pilot", "the_service").markdown
    assert shown.endswith("*Source: the follow-up's own description (not the report).*")
    assert "summary of the report" not in shown and "text dump" not in shown
    path.write_text(path.read_text(encoding="utf-8").replace("        source: the follow-up's own description\n", ""),
                    encoding="utf-8")
    with pytest.raises(DataFileError, match="pilot new-pilot, section the_service: ref_lines must be .*names its 'source'"):
        load_texts(path)


def test_a_follow_ups_empty_sections_and_a_pilot_the_report_lacks_never_speak_for_the_report(shipped, follow_up):
    """Under another edition, a section without data names that edition; a pilot with no chapter in
    the report shows its Finnish name and its own source, never a report chapter."""
    s = shipped
    no_contracts = next(p for p in PILOT_IDS if not (s["contract_types"]["pilot_id"] == p).any())
    shown = page.contract_types(pilot(s, no_contracts), results.contract_types_of(s["contract_types"], no_contracts))
    assert shown == Prose(f"*{follow_up.title} gives no breakdown of this pilot's employments by kind of contract.*")
    no_register = next(p for p in PILOT_IDS if not (s["ura_extract"]["pilot_id"] == p).any())
    status = results.register_status(s["ura_extract"], s["ura_codes"], s["ura_categories"], no_register)
    assert page.ura_section(pilot(s, no_register), status, s["ura_categories"]) \
        == Prose(f"{follow_up.title} has no register (URA) data for this pilot.")
    new = pilot(s, "hame-50plus").copy()
    new[["chapter", "source"]] = [float("nan"), "the follow-up's own records"]
    facts = page.facts(new).markdown
    assert "Finnish name\n:" in facts and "Source\n: the follow-up's own records; the report has no chapter" in facts
    assert "Report chapter" not in facts and "Name in the report" not in facts
    assert "Report chapter\n: Part II, chapter 10 (" in page.facts(pilot(s, "hame-50plus")).markdown


def test_another_editions_box_is_titled_not_the_reports_numbers(follow_up):
    """The box under a chapter's first heading has the title 'Not the report's numbers' (an admonition
    with a title of its own; the 'important' directive would take the words as its body)."""
    from pilotbook.report import edition

    lines = edition.note().markdown.splitlines()
    assert lines[:2] == [":::{admonition} Not the report's numbers", ":class: important"]
    assert follow_up.title in lines[2] and lines[-1] == ":::"
