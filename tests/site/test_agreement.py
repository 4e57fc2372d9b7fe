"""The page-against-CSV checker (``tests/agreement.py``) on a tiny site made here, so that it
is itself tested without a build: it accepts a site whose CSVs hold what the pages show and names the
exhibit of each kind of disagreement (a changed value, a missing CSV, another pilot's row, a figure's
bar label or count)."""

from __future__ import annotations

import base64

import pytest

import agreement

SVG = """<svg xmlns="http://www.w3.org/2000/svg"><g id="axes_1">
<g id="xtick_1"><g id="text_1"><text>100</text></g></g>
<g id="ytick_1"><g id="text_2"><text>Häme over-50s</text><text>(N=217)</text></g></g>
<g id="text_3"><text>17</text></g><g id="text_4"><text>not shown: fewer than 10 persons</text></g>
</g></svg>"""

PAGE = """<html><body>
<figure class="exhibit" id="exhibit-results"><table class="dataframe exhibit-table">
<thead><tr><th>Pilot</th><th>Started</th><th>% of starters</th><th>Target</th></tr></thead>
<tbody><tr><td>Häme over-50s</td><td>216</td><td>21 % (20.8)</td><td>150–200</td></tr>
<tr><td>All pilots</td><td>12&#8239;895</td><td>≈48</td><td>–</td></tr></tbody></table>
<p class="exhibit-links"><a href="../data/results.csv" download>Data (CSV)</a></p></figure>
<figure class="exhibit" id="exhibit-ura"><img src="data:image/svg+xml;base64,{svg}" alt="Employed"/>
<p class="exhibit-links"><a href="../data/ura.csv" download>Data (CSV)</a></p></figure>
</body></html>"""

FILES = {
    "data/index.csv": "id,title,kind,notebook,report_reference,path\n"
                      "results,Results,table,t,,data/results.csv\nura,Status,figure,t,,data/ura.csv\n",
    "data/results.csv": "pilot_id,pilot,started,share,target_low,target_high\n"
                        "hame-50plus,Häme over-50s,216,20.833333,200,200\ntotal,All pilots,12895,47.6,150,\n",
    "data/ura.csv": "pilot_id,pilot,n,share\nhame-50plus,Häme over-50s,217,17.05\nlappi-services,Lappi services,,\n",
}


@pytest.fixture
def tiny_site(tmp_path):
    (tmp_path / "book").mkdir()
    (tmp_path / "data").mkdir()
    svg = base64.b64encode(SVG.encode("utf-8")).decode("ascii")
    (tmp_path / "book" / "page.html").write_text(PAGE.replace("{svg}", svg), encoding="utf-8")
    for name, text in FILES.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    return tmp_path


def test_a_site_whose_csvs_hold_what_the_pages_show_agrees(tiny_site):
    assert agreement.disagreements(tiny_site) == []


@pytest.mark.parametrize("name, old, new, shown", [
    ("data/results.csv", "hame-50plus,Häme over-50s,216", "hame-50plus,Häme over-50s,217", "216"),
    ("data/results.csv", "hame-50plus,Häme over-50s", "lappi-services,Lappi services", "'Häme over-50s'"),
    ("data/ura.csv", "217,17.05", "217,19.2", "17"),
    ("data/ura.csv", "217,17.05", "218,17.05", "N=217"),
    ("data/results.csv", None, None, "data/results.csv does not exist"),
])
def test_each_kind_of_disagreement_names_its_exhibit(tiny_site, name, old, new, shown):
    path = tiny_site / name
    if old is None:
        path.unlink()
    else:
        path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    found = agreement.disagreements(tiny_site)
    exhibit = "results" if "results" in name else "ura"
    assert len(found) == 1 and f"exhibit {exhibit}:" in found[0] and shown in found[0], found


@pytest.mark.parametrize("text, values", [
    ("12\u202f895 €", [12895]), ("12 895", [12895]), ("≈48", [48]), ("150–200", [150, 200]),
    ("21 % (20.8)", [21, 20.8]), ("-12.0 (-16.7 to +7.1)", [-12, -16.7, 7.1]), ("3-6 months", [3, 6]),
    ("2,5", [2.5]), ("withheld (<10 persons)", []), ("Mean with 95 % interval", []),
])
def test_numbers_are_read_as_printed(text, values):
    assert [n.value for n in agreement.numbers(text)] == values
