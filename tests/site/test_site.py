"""Checks of the published site that `make book` built (make test builds it first).

They hold for whatever data the site was built from (``DATA=`` is passed on as
``PILOTBOOK_DATA``), so a researcher's re-run is checked the same way.
"""

from __future__ import annotations

import json
import os
import re
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest

import agreement
from pilotbook.io.catalog import load
from pilotbook.paths import INSTALL_ROOT, Project

PROJECT = Project(INSTALL_ROOT)
SITE = PROJECT.site


@pytest.fixture(scope="module")
def site() -> Path:
    assert (SITE / "index.html").is_file(), "no built site: run `make book` (make test does) first"
    return SITE


@pytest.fixture(scope="module")
def data_pilots() -> pd.DataFrame:
    return load("pilots", PROJECT.resolve_data(os.environ.get("PILOTBOOK_DATA") or None))


class _Resources(HTMLParser):
    """Collects every URL a page loads by itself (not the links a reader may click)."""

    def __init__(self):
        super().__init__()
        self.loads: list[str] = []
        self.images: list[dict] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag in ("script", "img", "iframe", "source", "audio", "video") and a.get("src"):
            self.loads.append(a["src"])
        if tag == "link" and a.get("href") and a.get("rel") not in ("canonical",):
            self.loads.append(a["href"])
        if tag == "img":
            self.images.append(a)


def _pages(site: Path):
    return sorted(p for p in site.rglob("*.html") if "_static" not in p.parts)


def test_site_has_index_part_one_and_one_page_per_pilot(site, data_pilots):
    assert (site / "book" / "intro.html").is_file()
    assert (site / "book" / "evaluation.html").is_file()
    assert (site / "book" / "_generated" / "results.html").is_file()
    pages = {p.stem for p in (site / "book" / "_generated" / "pilots").glob("*.html")}
    expected = {f"{int(r.order):02d}-{r.pilot_id}" for r in data_pilots.itertuples()}
    assert pages == expected


def test_no_page_loads_anything_from_outside_the_site(site):
    remote, loads = [], 0
    for page in _pages(site):
        parser = _Resources()
        parser.feed(page.read_text(encoding="utf-8"))
        loads += len(parser.loads)
        remote += [f"{page.relative_to(site)}: {u}" for u in parser.loads if re.match(r"^(https?:)?//", u)]
    for css in site.rglob("*.css"):
        remote += [f"{css.relative_to(site)}: {u}" for u in re.findall(r"url\((['\"]?)(https?://[^)'\"]+)", css.read_text(errors="ignore"))]
    assert loads > 100, "the parser found almost no resources: is it reading the pages?"
    assert not remote, "\n".join(remote[:20])


def test_every_image_has_alt_text(site):
    missing = []
    for page in _pages(site):
        parser = _Resources()
        parser.feed(page.read_text(encoding="utf-8"))
        missing += [f"{page.relative_to(site)}" for img in parser.images if not (img.get("alt") or "").strip()]
    assert not missing, missing[:10]


def test_index_lists_every_published_csv_and_nothing_else(site):
    index = pd.read_csv(site / "data" / "index.csv")
    assert index["id"].is_unique
    on_disk = {p.stem for p in (site / "data").glob("*.csv")} - {"index"}
    assert set(index["id"]) == on_disk
    for row in index.itertuples():
        frame = pd.read_csv(site / row.path)
        assert len(frame.columns) > 0, row.id


def test_readme_replication_table_matches_the_index(site, root):
    readme = (root / "README.md").read_text(encoding="utf-8")
    block = readme.split("<!-- exhibits:start -->")[1].split("<!-- exhibits:end -->")[0]
    rows = [[c.strip() for c in line.strip().strip("|").split("|")] for line in block.strip().splitlines()[2:]]
    patterns = [(re.compile("^" + re.sub(r"\\\{[a-z_]+\\\}", "[a-z0-9_-]+", re.escape(r[0].strip("`"))) + "$"),
                 r[2], r[3].strip("`").split("/")[-1]) for r in rows]
    index = pd.read_csv(site / "data" / "index.csv")
    unmatched = []
    used = set()
    for row in index.itertuples():
        template = row.notebook.split("?")[0]
        hits = [i for i, (rx, kind, nb) in enumerate(patterns) if rx.match(row.id) and kind == row.kind and nb == template]
        if not hits:
            unmatched.append(row.id)
        used.update(hits)
    assert not unmatched, f"exhibits missing from the README table: {unmatched}"
    unused = [rows[i][0] for i in range(len(rows)) if i not in used]
    assert not unused, f"README lists exhibits the build does not make: {unused}"


def test_executed_notebooks_hold_no_errors_and_no_volatile_metadata(root):
    for nb_path in sorted(PROJECT.generated.rglob("*.ipynb")):
        nb = json.loads(nb_path.read_text(encoding="utf-8"))
        for cell in nb["cells"]:
            for out in cell.get("outputs", []):
                assert out["output_type"] != "error", f"{nb_path}: error output"
                assert not (out["output_type"] == "stream" and out.get("name") == "stderr"), \
                    f"{nb_path}: stderr output {out.get('text')!r}"
            assert "execution" not in cell.get("metadata", {}), nb_path
        assert "start_time" not in nb["metadata"].get("papermill", {}), nb_path


def test_numbers_in_prose_come_from_the_data(site, data_pilots):
    """The intro cites the number of pilots through glue: it must equal the data's."""
    text = re.sub(r"<[^>]+>", "", (site / "book" / "intro.html").read_text(encoding="utf-8"))
    assert re.search(rf"covers\s+{len(data_pilots)}\s+pilots", text), "pilot count in the intro"


ID_PATTERNS = (re.compile(r"\bP\d{6}\b"), re.compile(r"\bS-[a-z0-9-]+-\d{4}\b"))
ID_COLUMNS = {"person_id", "client_id", "respondent_id"}


def test_no_person_level_identifier_reaches_the_site(site):
    """Disclosure control: no synthetic person id (or id column) in any page, CSV or figure."""
    hits, files = [], 0
    for path in site.rglob("*"):
        if not path.is_file() or path.suffix not in (".html", ".csv", ".svg", ".json", ".txt", ".js"):
            continue
        if "_static" in path.parts or "static" in path.parts:
            continue
        files += 1
        text = path.read_text(encoding="utf-8", errors="ignore")
        hits += [f"{path.relative_to(site)}: {m.group(0)}" for rx in ID_PATTERNS for m in rx.finditer(text)]
        if path.suffix == ".csv":
            header = text.splitlines()[0].split(",") if text else []
            hits += [f"{path.relative_to(site)}: column {c}" for c in header if c in ID_COLUMNS]
    assert files > 50
    assert not hits, hits[:10]


def test_register_exhibits_publish_no_small_cell(site):
    """Every register table built from microdata: no count of 1-9 persons, no share over fewer than 10."""
    from pilotbook.analysis.disclosure import min_cell
    MIN_CELL = min_cell()

    checked = 0
    for path in (site / "data").glob("*.csv"):
        frame = pd.read_csv(path)
        if "n" in frame.columns and "share" in frame.columns and "status" in frame.columns:
            checked += 1
            small = frame["n"].notna() & (frame["n"] < MIN_CELL)
            assert frame.loc[small, "share"].isna().all(), path.name
            if "count" in frame.columns:
                c = frame["count"]
                assert not ((c > 0) & (c < MIN_CELL)).any(), path.name
    assert checked >= 6


PRINTED_FILES = ("outcomes", "facts", "contract_types", "providers", "satisfaction_published", "ura_published")


def test_every_printed_value_of_a_pilot_appears_on_its_page(site, data_pilots):
    """Each row of every data file that names the pilot is on the pilot's page: its value in the
    page's list of printed figures (the CSV behind it), and its line of the report on the page."""
    folder = PROJECT.resolve_data(os.environ.get("PILOTBOOK_DATA") or None)
    frames = {name: load(name, folder) for name in PRINTED_FILES}
    pages = {p.stem.split("-", 1)[1]: p for p in (site / "book" / "_generated" / "pilots").glob("*.html")}
    checked = 0
    for pilot_id in data_pilots["pilot_id"]:
        html = re.sub(r"<[^>]+>", " ", pages[pilot_id].read_text(encoding="utf-8"))
        listed = pd.read_csv(site / "data" / f"pilot-{pilot_id}-printed-values.csv")
        have = set(zip(listed["dataset"], listed["ref_line"].astype(int), listed["value"].astype(float)))
        for name, frame in frames.items():
            value_columns = ["finished", "pct_employed_or_entrepreneur_of_finished", "pct_not_employed_of_finished"] \
                if name == "providers" else ["value"]
            for row in frame[frame["pilot_id"] == pilot_id].itertuples(index=False):
                for column in value_columns:
                    value = getattr(row, column)
                    if pd.isna(value):
                        continue
                    assert (name, int(row.ref_line), float(value)) in have, (pilot_id, name, row)
                    assert f"text dump line {int(row.ref_line)}" in html, (pilot_id, name, row.ref_line)
                    checked += 1
    assert checked > 300


def test_every_pilot_page_tells_its_story_citing_the_report(site, data_pilots):
    """The three sections of issue 11 on every pilot page, with their anchors, each citing report lines."""
    pages = sorted((site / "book" / "_generated" / "pilots").glob("*.html"))
    assert len(pages) == len(data_pilots)
    for page in pages:
        html = page.read_text(encoding="utf-8")
        for anchor in ("the-service", "how-clients-came-to-it", "what-the-evaluators-concluded"):
            assert f'id="{anchor}"' in html, (page.name, anchor)
        text = re.sub(r"<[^>]+>", " ", html)
        assert text.count("Our summary of the report, text dump lines") == 3, page.name


def test_the_summary_links_every_finding_to_evidence_that_exists(site):
    """Every conclusion, recommendation and the foreword's recommendation is on the summary page
    with at least one link to an exhibit, and every such link lands on an element of its page."""
    page = site / "book" / "_generated" / "summary.html"
    html = page.read_text(encoding="utf-8")
    findings = load("findings", PROJECT.resolve_data(os.environ.get("PILOTBOOK_DATA") or None))
    index = pd.read_csv(site / "data" / "index.csv")
    assert "report-findings" in set(index["id"])
    blocks = re.split(r'<span id="finding-', html)[1:]
    assert len(blocks) == len(findings) == 25
    ids_on_pages: dict[Path, str] = {}
    for block in blocks:
        links = re.findall(r'href="([^"#]+)#exhibit-([^"]+)"', block.split('<span id="finding-')[0])
        assert links, f"finding {block[:8]} links to no exhibit"
        for target, anchor in links:
            path = (page.parent / target).resolve()
            text = ids_on_pages.setdefault(path, path.read_text(encoding="utf-8"))
            assert f'id="exhibit-{anchor}"' in text, f"{target}#exhibit-{anchor} does not exist"


def test_every_exhibit_csv_agrees_with_its_page(site):
    """Every number an exhibit's page shows (table cells, a figure's labels) is in the CSV offered beside
    it, and every pilot its rows name is: a CSV of another build or data folder fails (agreement.py)."""
    from pilotbook.analysis.disclosure import min_cell

    problems = agreement.disagreements(site, threshold=min_cell())
    assert not problems, f"{len(problems)} exhibits disagree with their CSV:\n" + "\n".join(problems)
