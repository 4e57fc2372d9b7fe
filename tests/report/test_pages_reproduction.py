"""The reproduction appendix's page functions (pilotbook.report.pages.reproduction) on the shipped data:
printed values beside computed ones, suppression that follows ``min_cell``, the generators' assumptions,
and no file written."""

from __future__ import annotations

import pandas as pd
import pytest

from pilotbook.analysis import register
from pilotbook.paths import INSTALL_ROOT
from pilotbook.report.exhibits import Exhibit, Prose
from pilotbook.report.pages import reproduction as page
from pilotbook.synth import placements as synth_placements
from pilotbook.synth import register as synth_register

pytestmark = pytest.mark.usefixtures("nothing_written")

DATA = INSTALL_ROOT / "data"


@pytest.fixture(scope="module")
def data(register_data):
    return register_data


@pytest.fixture(scope="module")
def status_table(data):
    classified = register.classify(data["ura_extract"], data["ura_codes"], data["ura_categories"])
    return register.with_intervals(register.status_table(classified, data["ura_categories"]))


def test_every_printed_register_share_stands_beside_its_computed_value(data, status_table, no_writes):
    exhibit = page.reproduction_table(register.reproduction(data["ura_published"], status_table), data["pilots"],
                                      data["ura_categories"])
    assert isinstance(exhibit, Exhibit)
    assert (exhibit.id, exhibit.kind, exhibit.report_ref) == ("ura-reproduction", "table", "")
    assert "SYNTHETIC" in exhibit.title
    pub = data["ura_published"]
    printed = pub[pub["measure"] == "status_share"].reset_index(drop=True)
    d = exhibit.data
    assert len(d) == len(printed) == len(exhibit.shown)
    assert d["value"].tolist() == printed["value"].tolist()
    assert d["figure"].tolist() == printed["figure"].tolist()
    # a withheld cell (disclosure control) shows only whether it agrees, never the computed share
    withheld = d["computed"].isna()
    assert d.loc[withheld, "agreement"].isin(["matches", "differs"]).all()
    assert (exhibit.shown.loc[withheld.to_numpy(), "Computed"] == "withheld").all()
    assert withheld.sum() < len(d) / 2
    d = d[~withheld]
    # Figure 14 to the integer; the other exact values within a point; bounds on the right side
    fig14 = d[d["figure"] == "Figure 14"]
    assert len(fig14) >= 50 and ((fig14["computed"] - fig14["value"]).abs() <= 0.5).all()
    assert (fig14["agreement"] == "matches").all()
    exact = d[(d["figure"] != "Figure 14") & d["qualifier"].isna()]
    assert (exact["difference"].abs() <= 1).all()
    over, under = d[d["qualifier"] == "over"], d[d["qualifier"] == "under"]
    assert (over["computed"] > over["value"]).all() and (under["computed"] < under["value"]).all()
    assert ((d["computed"] - d["value"]).round(1) - d["difference"]).abs().max() <= 0.051
    # what the reader sees: the printed value with its qualifier, the computed one to a decimal
    shown = exhibit.shown
    assert shown["Printed"].iloc[0] == f"{printed['value'].iloc[0]:g} %"
    shown = shown[~withheld.to_numpy()]
    assert shown.loc[(d["qualifier"] == "over").to_numpy(), "Printed"].str.endswith(" (over)").all()
    assert shown.loc[(d["qualifier"] == "approx").to_numpy(), "Printed"].str.endswith(" (about)").all()
    assert shown["Computed"].str.fullmatch(r"\d+\.\d %").all()


def test_a_higher_min_cell_suppresses_computed_shares_of_small_groups(data, status_table, no_writes):
    keys = ["pilot_id", "cohort", "dimension", "group", "status"]
    sizes = register.reproduction(data["ura_published"], status_table).merge(
        status_table[keys + ["n"]], on=keys, how="left")["n"]
    threshold = int(sizes.min()) + 1  # one above the smallest printed group of the data
    no_writes.setenv("PILOTBOOK_SETTINGS", f'{{"min_cell": {threshold}}}')
    rep = register.reproduction(data["ura_published"], status_table)
    small = (sizes < threshold).to_numpy()
    assert small.any()
    assert rep.loc[small, "computed"].isna().all() and rep.loc[small, "difference"].isna().all()
    exhibit = page.reproduction_table(rep, data["pilots"], data["ura_categories"])
    assert (exhibit.shown.loc[small, "Computed"] == "withheld").all()
    assert rep.loc[small, "agreement"].isin(["matches", "differs"]).all()  # agreement is still given


def test_the_assumptions_are_those_the_generators_state(no_writes):
    prose = page.synthetic_assumptions()
    assert isinstance(prose, Prose)
    text = prose.markdown
    assert text.index("### Clients of the pilots (placements.csv)") < text.index("### Register extract (ura_extract.csv)")
    for assumption in (*synth_placements.ASSUMPTIONS, *synth_register.ASSUMPTIONS):
        assert f"- {assumption}" in text
    for pilot_id, _cohort in synth_register.PROFILES:
        assert f"- {pilot_id}: " in text
    assert text.count("\n- ") == (len(synth_placements.ASSUMPTIONS) + len(synth_register.ASSUMPTIONS)
                                      + len({p for p, _ in synth_register.PROFILES}))


def test_every_printed_cohort_size_stands_beside_the_extracts_count(data, no_writes):
    """The report's numbers of persons per cohort (and of everyone in the extract) against the SYNTHETIC
    extract: all equal, since the generator keeps the printed totals; the comparison is exact."""
    sizes = register.size_reproduction(data["ura_published"], data["ura_extract"])
    pub = data["ura_published"]
    printed = pub[(pub["measure"] == "persons") & (pub["dimension"] == "total")]
    assert len(sizes) == len(printed) >= 10
    assert list(sizes["value"]) == list(printed["value"])
    everyone = sizes[sizes["cohort"] == "all"]
    assert list(everyone["computed"]) == [len(data["ura_extract"])] == [12895]  # chapter 4.2, line 1811
    assert (sizes["agreement"] == "matches").all(), sizes[sizes["agreement"] != "matches"]
    exhibit = page.size_table(sizes, data["pilots"])
    assert exhibit.id == "ura-reproduction-sizes" and "SYNTHETIC" in exhibit.title
    assert "printed in the report" in exhibit.title


def test_a_cohort_that_lost_persons_differs_and_a_small_count_is_not_shown(data, no_writes):
    extract = data["ura_extract"]
    hame = extract.index[(extract["pilot_id"] == "hame-50plus")]
    fewer = extract.drop(hame[:3])  # 217 printed (Figure 12), 214 left
    sizes = register.size_reproduction(data["ura_published"], fewer).set_index(["pilot_id", "cohort"])
    assert sizes.loc[("hame-50plus", "participant"), "agreement"] == "differs"
    assert sizes.loc[("hame-50plus", "participant"), "difference"] == -3
    tiny = extract.drop(hame[4:])  # 4 persons left: under the threshold of 10
    row = register.size_reproduction(data["ura_published"], tiny).set_index(["pilot_id", "cohort"]).loc[
        ("hame-50plus", "participant")]
    assert row["agreement"] == "withheld" and row["computed"] is pd.NA and row["difference"] is pd.NA


def test_another_editions_values_are_not_called_the_reports(data, follow_up, no_writes):
    sizes = register.size_reproduction(data["ura_published"], data["ura_extract"])
    title = page.size_table(sizes, data["pilots"]).title
    assert follow_up.title in title and "the report" not in title
