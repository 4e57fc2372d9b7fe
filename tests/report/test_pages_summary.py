"""The summary chapter's page functions (report/pages/summary.py) and Part I's Table 1.

Expected values come from the report's printed numbers in data/published (or are recomputed here
independently), never from the code under test.  Nothing may be written.
"""

from __future__ import annotations

import math
import re

import pandas as pd
import pytest
from scipy import stats

from pilotbook import settings
from pilotbook.io.catalog import fee_models, load
from pilotbook.paths import INSTALL_ROOT
from pilotbook.report.pages import summary as page
from pilotbook.report.pages import themes

pytestmark = pytest.mark.usefixtures("nothing_written")

DATA = INSTALL_ROOT / "data"
NAMES = ("findings", "pilots", "outcomes", "providers", "facts", "survey_published", "ura_published", "procurement")


@pytest.fixture(scope="module")
def shipped():
    return {name: load(name, DATA) for name in NAMES}


@pytest.fixture(scope="module")
def glued(shipped):
    d = shipped
    return page.glue_values(d["pilots"], d["outcomes"], d["providers"], d["facts"], d["survey_published"],
                            d["ura_published"], fee_models(DATA))


def _registry(ids):
    return pd.DataFrame({"id": ids, "title": [f"Title of {i}" for i in ids], "report_reference": ["Table 4"] + [""] * (len(ids) - 1)})


def test_every_addition_can_be_computed_from_the_shipped_data(glued):
    assert page.available(glued) == set(page.ADDITIONS)


def test_every_addition_a_finding_names_exists(shipped):
    named = {k for cell in shipped["findings"]["adds"].fillna("") for k in cell.split(";") if k}
    assert named and named <= set(page.ADDITIONS)


def test_recomputed_shares_span_table_4_as_printed(glued, shipped):
    o = shipped["outcomes"]
    t4 = o[o["source"] == "Table 4"].pivot_table(index="pilot_id", columns="metric", values="value")
    printed = t4["pct_fee_eligible_of_finished"]
    lo, hi = float(glued["summary_share_min"].split()[0]), float(glued["summary_share_max"].split()[0])
    assert abs(lo - printed.min()) <= 1 and abs(hi - printed.max()) <= 1


def test_table_3_addition_gives_the_printed_total(glued, shipped):
    total = shipped["providers"].query("provider == 'total'")["pct_employed_or_entrepreneur_of_finished"].iloc[0]
    assert glued["summary_table3_printed"] == f"{total:g} %"
    assert glued["summary_table3_implied"] != glued["summary_table3_printed"]


def test_no_service_addition_quotes_both_printed_values(glued):
    assert glued["summary_no_service_c4"] == "about 67 %"
    assert glued["summary_no_service_c13"] == "about 33 %"
    assert glued["summary_no_service_survey"] == "about 33 %"


def test_power_addition_recomputed_independently(glued, shipped):
    ura = shipped["ura_published"]
    tot = ura[ura["dimension"] == "total"]
    s = settings.current()
    z = stats.norm.ppf(1 - s.alpha / 2) + stats.norm.ppf(s.power)
    mdds = []
    for pilot, g in tot.groupby("pilot_id"):
        n = g[g["measure"] == "persons"].drop_duplicates("cohort").set_index("cohort")["value"]
        p = g[(g["measure"] == "status_share") & (g["status"] == "employed") & (g["cohort"] == "refuser")]["value"]
        if {"participant", "refuser"} <= set(n.index) and len(p):
            q = p.iloc[0] / 100
            mdds.append(100 * z * math.sqrt(q * (1 - q) * (1 / n["participant"] + 1 / n["refuser"])))
    assert float(glued["summary_mdd_min"]) == pytest.approx(min(mdds), abs=0.06)
    assert float(glued["summary_mdd_max"]) == pytest.approx(max(mdds), abs=0.06)


def test_a_finding_links_its_evidence_and_sections_and_says_when_it_rests_on_interviews(shipped):
    row = pd.Series({"id": "C9", "kind": "conclusion", "number": "9", "title": "T", "statement": "S.",
                     "line_from": "10", "line_to": "12", "basis": "interviews", "evidence": "report-table-4;ghost",
                     "sections": "results-business", "adds": "power"})
    text = page.finding(row, _registry(["report-table-4"]), additions={"power"}).markdown
    assert "(finding-c9)=" in text and "Rests on interviews only" in text
    assert "{ref}`Table 4: Title of report-table-4 <exhibit-report-table-4>`" in text
    assert "`ghost` (not made from this data)" in text and "<exhibit-ghost>" not in text
    assert "{ref}`results-business`" in text and ":class: ours" in text
    assert "lines 10–12" in text
    quiet = page.finding(pd.concat([row.drop("basis"), pd.Series({"basis": "monitoring;interviews"})]), _registry(["report-table-4"]), additions=set()).markdown
    assert "interviews only" not in quiet and ":class: ours" not in quiet


def test_the_summary_lists_every_finding_of_each_kind(shipped):
    f = shipped["findings"]
    for kind, n in (("conclusion", 16), ("recommendation", 8), ("foreword", 1)):
        shown = page.findings(f, _registry(["report-table-4"]), kind, set())
        assert len(shown) == n
    assert page.findings_exhibit(f).id == "report-findings"


def test_table_1_has_the_printed_procedures_and_counts(shipped, report_lines):
    d = shipped
    table = themes.table_1(d["procurement"], d["pilots"], d["facts"])
    assert table.id == "report-table-1" and table.report_ref == "Table 1"
    for row in table.data.itertuples():
        line = report_lines[int(row.ref_line) - 1].lower()
        word = {"negotiated": "neuvottelumenettely", "open": "avoin"}[row.procedure]
        assert word in line, (row.pilot_id, line)
        for number in re.findall(r"\d+", row.tender_counts):
            window = " ".join(report_lines[int(row.ref_line) - 2:int(row.ref_line) + 3])
            assert number in window, (row.pilot_id, number)
    assert "ProStart" in " ".join(table.notes)  # Table 1 prints no row for it


def test_the_recomputed_shares_name_the_edition_and_only_the_reports_table_is_dated_as_interim(shipped, follow_up):
    """Our addition to a finding recomputes the shares of the summary table in force: under a follow-up
    it names that edition's table and says nothing of the report's September 2017 compilation."""
    row = pd.Series({"id": "C3", "kind": "conclusion", "number": "3", "title": "T", "statement": "S.",
                     "line_from": "141", "line_to": "152", "basis": "monitoring", "evidence": "report-table-4",
                     "sections": "results-compare", "adds": "recomputed_shares"})
    text = page.finding(row, _registry(["report-table-4"]), additions={"recomputed_shares"}).markdown
    assert f"the shares of {follow_up.title} (laid out as the report's Table 4) from its counts" in text
    assert "The table counts only fee-eligible recruitments" in text
    assert "September 2017" not in text and "[" not in text.split(":class: ours")[1].split("(See")[0]


def test_the_reports_own_table_is_the_interim_one_of_september_2017(shipped):
    row = pd.Series({"id": "C3", "kind": "conclusion", "number": "3", "title": "T", "statement": "S.",
                     "line_from": "141", "line_to": "152", "basis": "monitoring", "evidence": "report-table-4",
                     "sections": "results-compare", "adds": "recomputed_shares"})
    text = page.finding(row, _registry(["report-table-4"]), additions={"recomputed_shares"}).markdown
    assert "the shares of Table 4 of the report from its counts" in text
    assert "The table is interim, compiled in September 2017 while the pilots were still running; it counts" in text
