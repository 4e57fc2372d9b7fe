"""The register chapter's page functions (pilotbook.report.pages.register) on the shipped data:
exhibit ids and kinds, the report's printed numbers in the data, figures with SVG and alt text,
disclosure control that follows ``min_cell``, and no file written."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from pilotbook.analysis import disclosure, register
from pilotbook.analysis.results import pilot_labels
from pilotbook.paths import INSTALL_ROOT
from pilotbook.report.exhibits import Exhibit
from pilotbook.report.pages import register as page

from conftest import assert_keeps_the_reports_word

pytestmark = pytest.mark.usefixtures("nothing_written")

ROOT = INSTALL_ROOT
DATA = ROOT / "data"
KEYS = ["pilot_id", "cohort", "dimension", "group", "status"]


@pytest.fixture(scope="module")
def data(register_data):
    return register_data


@pytest.fixture(scope="module")
def classified(data):
    return register.classify(data["ura_extract"], data["ura_codes"], data["ura_categories"])


@pytest.fixture(scope="module")
def status_table(classified, data):
    return register.with_intervals(register.status_table(classified, data["ura_categories"]))


def printed_status_shares(data) -> pd.DataFrame:
    pub = data["ura_published"]
    return pub[pub["measure"] == "status_share"]


def cohort_sizes_printed(data) -> pd.Series:
    pub = data["ura_published"]
    rows = pub[(pub["measure"] == "persons") & pub["pilot_id"].notna()]
    return rows.drop_duplicates(["pilot_id", "cohort"]).set_index(["pilot_id", "cohort"])["value"]


def test_glue_values_carry_the_reports_national_n(data, no_writes):
    pub = data["ura_published"]
    national = int(pub[(pub["measure"] == "persons") & pub["pilot_id"].isna()]["value"].iloc[0])
    glued = page.glue_values(register.cohort_sizes(data["ura_extract"]))
    assert glued["ura_persons"] == f"{national:,}".replace(",", "\u202f")
    figured = data["pilots"]["ura_figure"].notna().sum()
    assert glued["ura_pilots"] == str(figured)  # every pilot with a register figure has an extract
    with_refusers = cohort_sizes_printed(data).xs("refuser", level="cohort").index.nunique()
    assert glued["ura_pilots_with_refusers"] == str(with_refusers)
    assert glued["min_cell"] == "10"
    no_writes.setenv("PILOTBOOK_SETTINGS", '{"min_cell": 20}')
    assert page.glue_values(register.cohort_sizes(data["ura_extract"]))["min_cell"] == "20"


def test_table_2_carries_the_group_shares_the_report_prints(data, classified, no_writes):
    comp = register.composition_table(classified, data["ura_categories"])
    exhibit = page.table_2(comp, data["pilots"], data["ura_categories"])
    assert isinstance(exhibit, Exhibit)
    assert (exhibit.id, exhibit.kind, exhibit.report_ref) == ("report-table-2", "table", "Table 2")
    assert "SYNTHETIC" in exhibit.title and "fewer than 10 persons" in exhibit.caption
    pub = data["ura_published"]
    printed = pub[(pub["measure"] == "group_share") & (pub["group"] != "basic_or_secondary")]
    merged = printed.merge(exhibit.data, on=["pilot_id", "cohort", "dimension", "group"], how="left",
                           suffixes=("_printed", ""))
    assert len(merged) == len(printed) and merged["share"].notna().all()
    assert_keeps_the_reports_word(merged)
    # the table the reader sees: one row per group of a pilot, participants beside refusers
    shown = exhibit.shown
    assert list(shown.columns) == ["Pilot", "Characteristic", "Group", "Participants", "Refusers"]
    assert exhibit.row_groups == ("Pilot", "Characteristic") and "All" not in set(shown["Group"])
    assert set(shown["Characteristic"]) == {"Sex", "Age", "Education"}
    assert not shown.duplicated(["Pilot", "Characteristic", "Group"]).any()
    cells = shown[["Participants", "Refusers"]]
    assert cells.map(lambda v: v in ("–", "withheld") or v.endswith(" %")).all().all()
    assert not (cells == "–").all(axis=1).any(), "a row with nothing in it"
    # no count of 1-9 persons, and no share standing for one
    counts = exhibit.data["count"]
    assert not ((counts > 0) & (counts < 10)).any()
    assert exhibit.data.loc[exhibit.data["suppressed"], "share"].isna().all()


def test_table_2_suppresses_more_with_a_higher_min_cell(data, classified, no_writes):
    base = page.table_2(register.composition_table(classified, data["ura_categories"]), data["pilots"],
                        data["ura_categories"])
    no_writes.setenv("PILOTBOOK_SETTINGS", '{"min_cell": 20}')
    strict = page.table_2(register.composition_table(classified, data["ura_categories"]), data["pilots"],
                          data["ura_categories"])
    assert strict.data["suppressed"].sum() > base.data["suppressed"].sum()
    counts = strict.data["count"]
    assert not ((counts > 0) & (counts < 20)).any()
    assert "fewer than 20 persons" in strict.caption
    assert (strict.shown == "withheld").sum().sum() > (base.shown == "withheld").sum().sum()


def _page_cells(shown: pd.DataFrame, pilots: pd.DataFrame, categories: pd.DataFrame) -> dict:
    """(pilot_id, cohort, dimension, group) -> the text of the cell, read back from the table as shown."""
    by_name = {v: k for k, v in pilot_labels(pilots).items()}
    by_label = {v: k for k, v in page.category_labels(categories).items()}
    by_dimension = {v: k for k, v in page.DIMENSION_LABELS.items()}
    cells = {}
    for r in shown.itertuples(index=False):
        pilot_id = by_name[r.Pilot.split(":")[0]]
        for cohort, text in (("participant", r.Participants), ("refuser", r.Refusers)):
            cells[(pilot_id, cohort, by_dimension[r.Characteristic], by_label[r.Group])] = text
    return cells


def _assert_page_and_csv_agree(exhibit, pilots, categories) -> dict:
    csv = exhibit.data.set_index(["pilot_id", "cohort", "dimension", "group"])
    cells = _page_cells(exhibit.shown, pilots, categories)
    assert set(csv.index) <= set(cells), "a CSV row missing from the page"
    cohorts = set(zip(exhibit.data["pilot_id"], exhibit.data["cohort"]))
    for key, text in cells.items():
        if key in csv.index:
            row = csv.loc[key]
            assert text == ("withheld" if row["suppressed"] else f"{row['share']:.0f} %"), (key, text)
        elif key[:2] in cohorts:
            assert text == "0 %", (key, text)
        else:
            assert text == "–", (key, text)
    # the heading of each pilot gives its cohorts' sizes as the CSV has them
    by_name = {v: k for k, v in pilot_labels(pilots).items()}
    for heading in exhibit.shown["Pilot"].unique():
        pilot_id = by_name[heading.split(":")[0]]
        for cohort, word in (("participant", "participants"), ("refuser", "refusers")):
            n = exhibit.data[(exhibit.data["pilot_id"] == pilot_id) & (exhibit.data["cohort"] == cohort)
                             & (exhibit.data["dimension"] == "sex")]["n"]
            if len(n):
                assert f"{disclosure.count_text(n.iloc[0])} {word}" in heading
            else:
                assert "no comparison group of refusers" in heading and cohort == "refuser"
    return cells


@pytest.mark.parametrize("min_cell", [10, 20])
def test_table_2_page_and_csv_say_the_same(data, classified, no_writes, min_cell):
    """Every cell of the page is the CSV's share, withheld where the CSV withholds it; every CSV row is on
    the page; a '0 %' is a group the CSV has no row for, in a cohort it has; '–' a cohort it has not."""
    no_writes.setenv("PILOTBOOK_SETTINGS", f'{{"min_cell": {min_cell}}}')
    exhibit = page.table_2(register.composition_table(classified, data["ura_categories"]), data["pilots"],
                           data["ura_categories"])
    cells = _assert_page_and_csv_agree(exhibit, data["pilots"], data["ura_categories"])
    assert "withheld" in cells.values() and "–" in cells.values()


def test_table_2_says_0_percent_for_a_group_with_nobody_in_it(data, classified, no_writes):
    """The shipped extract has no such group: take the refusers over 50 out of one pilot's table."""
    comp = register.composition_table(classified, data["ura_categories"])
    gone = (comp["pilot_id"] == "uusimaa-ict") & (comp["cohort"] == "refuser") & (comp["group"] == "50_plus")
    assert gone.sum() == 1
    exhibit = page.table_2(comp[~gone], data["pilots"], data["ura_categories"])
    cells = _assert_page_and_csv_agree(exhibit, data["pilots"], data["ura_categories"])
    assert cells[("uusimaa-ict", "refuser", "age", "50_plus")] == "0 %"


def test_a_grouped_table_heads_each_group_once(no_writes):
    from pilotbook.report.exhibits import grouped_table_html

    shown = pd.DataFrame({"Pilot": ["A & B", "A & B", "A & B", "C"], "Kind": ["k", "k", "m", "k"],
                          "Group": ["x", "y", "z", "x"], "Share": ["1 %", None, "2 %", "<3"]})
    markup = grouped_table_html(shown, ("Pilot",))
    assert markup.count('scope="rowgroup"') == 2 and markup.count("<tbody>") == 2
    assert "A &amp; B" in markup and "&lt;3" in markup and "<td>–</td>" in markup
    assert '<th scope="col">Pilot</th>' not in markup and markup.count("<tr>") == 1 + 4  # the head and the rows
    nested = grouped_table_html(shown, ("Pilot", "Kind"))
    assert nested.count('class="row-subgroup"') == 3 and '<th scope="col">Kind</th>' not in nested
    assert nested.index(">m<") > nested.index(">y<"), "a subgroup heads its own rows, in order"
    with pytest.raises(ValueError, match="row_groups"):
        Exhibit("t", "t", shown, row_groups=("Region",))


def test_status_figures_are_the_reports_figures_10_to_15(data, classified, status_table, no_writes):
    pilots = register.pilots_with_data(data["pilots"], classified)
    shares = register.protect_shares(status_table)
    exhibits = page.status_figures(shares, pilots, data["pilots"], data["ura_categories"])
    expected = data["pilots"].dropna(subset=["ura_figure"]).sort_values("ura_figure")
    assert [e.id for e in exhibits] == [f"report-figure-{f.split()[-1]}" for f in expected["ura_figure"]]
    assert [e.report_ref for e in exhibits] == expected["ura_figure"].tolist()
    for e in exhibits:
        assert e.kind == "figure" and "<svg" in e.svg and e.alt.startswith("Stacked bar chart")
        assert not any(c.endswith("_masked") for c in e.data.columns)
        assert not ((e.data["count"] > 0) & (e.data["count"] < 10)).any()
    # Figure 14 is reproduced exactly: its printed totals are in the alt text and in the data
    fig14 = next(e for e in exhibits if e.id == "report-figure-14")
    printed = printed_status_shares(data)
    printed = printed[printed["figure"] == "Figure 14"]
    merged = printed.merge(fig14.data, on=KEYS, suffixes=("_printed", ""))
    assert len(merged) == len(printed)
    shown = merged.dropna(subset=["share"])  # withheld cells (disclosure control) carry no share
    assert len(shown) >= len(printed) // 2
    assert (np.floor(shown["share"] + 0.5 + 1e-9) == shown["value"]).all()
    total = printed[(printed["dimension"] == "total") & (printed["cohort"] == "participant")]
    employed = total[total["status"] == "employed"]["value"].iloc[0]
    assert f"All, participants (N=592): employed {employed:.0f} %" in fig14.alt
    # group sizes in the labels are the report's printed N
    sizes = cohort_sizes_printed(data)
    for e in exhibits:
        pilot_id = e.data["pilot_id"].iloc[0]
        n = int(sizes[(pilot_id, "participant")]) if (pilot_id, "participant") in sizes.index else None
        if n is not None:
            n_text = f"{n:,}".replace(",", "\u202f")
            assert f"All, participants (N={n_text}):" in e.alt, e.id


def test_status_figures_hide_more_groups_with_a_higher_min_cell(data, classified, status_table, no_writes):
    pilot = "keski-suomi-construction"
    base = page.status_figure(register.protect_shares(status_table), pilot, data["pilots"], data["ura_categories"])
    no_writes.setenv("PILOTBOOK_SETTINGS", '{"min_cell": 20}')
    strict = page.status_figure(register.protect_shares(status_table), pilot, data["pilots"], data["ura_categories"])
    assert strict.data["suppressed"].sum() > base.data["suppressed"].sum()
    assert "not shown: fewer than 20 persons" in strict.svg
    assert strict.alt.count("%") < base.alt.count("%")
    assert not ((strict.data["count"] > 0) & (strict.data["count"] < 20)).any()


def test_shares_table_has_every_cohort_total_with_its_interval(data, status_table, no_writes):
    totals = register.protect_shares(register.totals(status_table))
    exhibit = page.shares_table(totals, data["pilots"], data["ura_categories"])
    assert (exhibit.id, exhibit.kind, exhibit.report_ref) == ("ura-shares-intervals", "table", "")
    assert "95 %" in exhibit.title and "Share (95 % interval)" in exhibit.shown.columns
    d = exhibit.data
    assert (d["dimension"] == "total").all()
    shown = d.dropna(subset=["share"])
    assert ((shown["ci_low"] <= shown["share"]) & (shown["share"] <= shown["ci_high"])).all()
    assert d.loc[d["share"].isna(), ["count", "ci_low", "ci_high"]].isna().all().all()
    # the cohorts' sizes are the report's
    sizes = d.drop_duplicates(["pilot_id", "cohort"]).set_index(["pilot_id", "cohort"])["n"]
    for key, n in cohort_sizes_printed(data).items():
        assert sizes[key] == n, key
    printed = printed_status_shares(data)
    printed = printed[(printed["dimension"] == "total") & printed["qualifier"].isna()]
    merged = printed.merge(d, on=KEYS, suffixes=("_printed", "")).dropna(subset=["share"])
    assert len(merged) and ((merged["share"] - merged["value"]).abs() <= 1).all()


def test_shares_table_follows_the_confidence_setting(data, status_table, no_writes):
    no_writes.setenv("PILOTBOOK_SETTINGS", '{"confidence": 0.9}')
    totals = register.protect_shares(register.totals(register.with_intervals(status_table.drop(
        columns=["ci_low", "ci_high"]))))
    exhibit = page.shares_table(totals, data["pilots"], data["ura_categories"])
    assert "90 %" in exhibit.title and "Share (90 % interval)" in exhibit.shown.columns
    width90 = (exhibit.data["ci_high"] - exhibit.data["ci_low"]).to_numpy()
    width95 = (register.totals(status_table)["ci_high"] - register.totals(status_table)["ci_low"]).to_numpy()
    shown = ~np.isnan(width90)
    assert shown.sum() >= len(width90) // 2 and (width90[shown] < width95[shown]).all()


def test_differences_are_suppressed_where_a_group_is_small(data, status_table, no_writes):
    diff = register.differences(status_table)
    exhibit = page.differences_table(register.protect_differences(diff, status="employed"), data["pilots"],
                                     data["ura_categories"])
    assert (exhibit.id, exhibit.kind) == ("ura-differences", "table")
    assert exhibit.title.startswith("Employed: participants minus refusers, with 95 % intervals")
    d = exhibit.data
    assert (d["status"] == "employed").all()
    employed = diff[diff["status"] == "employed"]  # the group sizes and flags before protection
    withheld = (employed[["withheld_p", "withheld_r", "n_withheld_p", "n_withheld_r"]].any(axis=1)).to_numpy()
    small = ((employed["n_p"] < 10) | (employed["n_r"] < 10)).to_numpy() | withheld
    assert (d["suppressed"].to_numpy() == small).all() and d.loc[small, "difference"].isna().all()
    ok = d[~small]
    assert ((ok["ci_low"] <= ok["difference"]) & (ok["difference"] <= ok["ci_high"])).all()
    no_writes.setenv("PILOTBOOK_SETTINGS", '{"min_cell": 20}')
    strict_diff = register.differences(register.flagged(status_table))
    strict = page.differences_table(register.protect_differences(strict_diff, status="employed"), data["pilots"],
                                    data["ura_categories"])
    s = strict.data
    employed = strict_diff[strict_diff["status"] == "employed"]
    withheld = (employed[["withheld_p", "withheld_r", "n_withheld_p", "n_withheld_r"]].any(axis=1)).to_numpy()
    small = ((employed["n_p"] < 20) | (employed["n_r"] < 20)).to_numpy() | withheld
    assert small.any() and s["suppressed"].sum() > d["suppressed"].sum()
    assert (s["suppressed"].to_numpy() == small).all()
    for column in ("share_p", "share_r", "difference", "ci_low", "ci_high"):
        assert s[column].iloc[small].isna().all(), column
    for column in ("n_p", "n_r"):  # nor is a group of 1-19 persons published as a count
        assert not s[column].between(1, 19).fillna(False).any(), column
    shown = strict.shown["Difference (95 % interval)"]
    assert (shown[small] == "withheld").all()
    assert not shown[~small].str.startswith("withheld").any()
    assert (strict.shown.loc[small, ["Participants", "Refusers"]] == "–").all().all()


def test_standardised_and_bounds_cover_the_pilots_with_refusers(data, classified, status_table, no_writes):
    with_refusers = set(cohort_sizes_printed(data).xs("refuser", level="cohort").index)
    st = page.standardised_table(register.standardised(classified, status="employed", table=status_table),
                                 data["pilots"])
    bounds = page.unknown_bounds_table(register.unknown_bounds(status_table), data["pilots"])
    assert (st.id, bounds.id) == ("ura-standardised", "ura-unknown-bounds")
    assert set(st.data["pilot_id"]) == set(bounds.data["pilot_id"]) == with_refusers
    sizes = cohort_sizes_printed(data)
    for r in st.data.itertuples(index=False):
        assert (r.n_participants, r.n_refusers) == (sizes[(r.pilot_id, "participant")], sizes[(r.pilot_id, "refuser")])
    assert "Difference, standardised (95 % interval)" in st.shown.columns
    assert st.shown["Participants employed"].str.endswith(" %").all()
    b = bounds.data.dropna(subset=["lowest_possible"])
    assert (b["lowest_possible"] <= b["highest_possible"]).all()
    assert (bounds.shown.loc[bounds.data["suppressed"].to_numpy(), "Widest possible range"] == "withheld").all()


def test_power_table_follows_the_settings(data, status_table, no_writes):
    exhibit = page.power_exhibit(register.power_table(status_table, status="employed"), data["pilots"])
    assert (exhibit.id, exhibit.kind) == ("ura-power", "table")
    assert exhibit.caption.startswith("80 % power, two-sided 5 % test")
    assert "Persons per arm to detect 5 points" in exhibit.shown.columns
    sizes = cohort_sizes_printed(data).xs("participant", level="cohort")
    by_pilot = exhibit.data.set_index("pilot_id")
    for pilot_id, n in sizes.items():
        assert by_pilot.at[pilot_id, "n_participants"] == n
    without_refusers = by_pilot["n_refusers"] == 0
    assert by_pilot.loc[without_refusers, "mdd_points"].isna().all()
    assert exhibit.shown.loc[without_refusers.to_numpy(), "Refusers"].eq("–").all()
    no_writes.setenv("PILOTBOOK_SETTINGS", '{"detect_difference": 0.1, "power": 0.9}')
    wider = page.power_exhibit(register.power_table(status_table, status="employed"), data["pilots"])
    assert "Persons per arm to detect 10 points" in wider.shown.columns
    assert wider.caption.startswith("90 % power")
    assert (wider.data["n_per_arm_for_10_points"] < exhibit.data["n_per_arm_for_5_points"]).all()
    with_refusers = ~without_refusers.to_numpy()
    assert (wider.data["mdd_points"].to_numpy()[with_refusers] > exhibit.data["mdd_points"].to_numpy()[with_refusers]).all()


def test_category_labels_fall_back_to_english(data):
    labels = page.category_labels(data["ura_categories"], "fi")
    assert labels["employed"] == "Työssä" and labels["total"] == "All"
    assert page.category_labels(data["ura_categories"])["employed"] == "Employed"
    assert page.category_labels(data["ura_categories"], "xx")["employed"] == "Employed"
