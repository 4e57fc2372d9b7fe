"""The Data Docs' post-processing (contracts/datadocs.py): pages shaped as GX 1.24 writes them come out
with what the browser tests ask of every page (issue 14).  The browser tests check the real pages."""

from __future__ import annotations

from pathlib import Path

import pytest

from pilotbook.contracts.datadocs import OWN_DIR, accessible, page_name
from pilotbook.errors import RenderError

# The parts of GX's templates (page.j2, top_navbar.j2, ge_info.j2, tabs.j2, the table helpers, the
# icon and the Vega imports) that accessible() rewrites, as GX renders them.
GX_PAGE = """<!DOCTYPE html>
<html lang="en">
  <head>
    <title>Data documentation compiled by Great Expectations</title>
    <meta name="viewport" content="width=device-width, initial-scale=1.0" />
    <title></title>
<script src="{up}static/vendor/vega/vega.min.js"></script>
<script src="{up}static/vendor/vega/vega-lite.min.js"></script>
<link rel="shortcut icon" href="../../../static/images/favicon.ico" type="image/x-icon"/>
  </head>
  <body>
<nav class="navbar navbar-expand-md sticky-top border-bottom" style="height: 70px">
  <div class="mr-auto">
    <nav class="d-flex align-items-center">
      <a href="{up}index.html">Home</a>
    </nav>
  </div>
</nav>
    <div class="container-fluid pt-4 pb-4 pl-5 pr-5">
      <h4>Expectation Validation Result</h4>
      <nav id="navigation" class="rounded navbar"></nav>
      <h5 class="m-0" >Overview</h5>
      <h6 class="m-0" >Statistics</h6>
  <ul class="nav nav-tabs" id=tabs-nav role="tablist">
      <li class="nav-item">
        <a class="nav-link active" id="A-tab" role="tab" href="#A">A</a>
      </li>
  </ul>
<script>
  function rowStyleLinks(row, index) {{ return {{}} }}
</script>
<script>
  function rowStyleLinks(row, index) {{ return {{}} }}
</script>
    </div>
<footer>
</footer>
  </body>
</html>
"""


@pytest.fixture
def site(tmp_path) -> Path:
    pages = {
        "index.html": "",
        "expectations/outcomes/by_metric.html": "../../",
        "validations/outcomes/by_metric/__none__/validation/pilotbook-outcomes.by_metric.html": "../../../../../",
    }
    for rel, up in pages.items():
        path = tmp_path / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(GX_PAGE.format(up=up), encoding="utf-8")
    (tmp_path / "static" / "images").mkdir(parents=True)
    (tmp_path / "static" / "images" / "favicon.ico").write_bytes(b"")
    return tmp_path


def test_each_kind_of_page_is_named_from_where_gx_puts_it(tmp_path):
    assert page_name(tmp_path / "index.html", tmp_path).startswith("Data Docs:")
    assert page_name(tmp_path / "expectations/outcomes/by_metric.html", tmp_path) == \
        "Contract outcomes.by_metric: its expectations"
    validation = tmp_path / "validations/outcomes/by_metric/__none__/validation/pilotbook-outcomes.by_metric.html"
    assert page_name(validation, tmp_path) == "Contract outcomes.by_metric: validation of this build's data"
    with pytest.raises(RenderError, match="unexpected Data Docs page"):
        page_name(tmp_path / "profiling/x.html", tmp_path)


def test_pages_get_a_title_headings_landmarks_and_our_styles(site):
    accessible(site)
    page = site / "validations/outcomes/by_metric/__none__/validation/pilotbook-outcomes.by_metric.html"
    html = page.read_text(encoding="utf-8")
    assert html.count("<title>") == 1
    assert "<title>Contract outcomes.by_metric: validation of this build's data | Data Docs" in html
    # h4-h6 become h1-h3 with their old look
    assert '<h1 class="h4">Contract outcomes.by_metric: validation of this build\'s data</h1>' in html
    assert '<h2 class="h5 m-0" >Overview</h2>' in html and '<h3 class="h6 m-0" >Statistics</h3>' in html
    assert "<h4" not in html and "<h5" not in html
    # landmarks, each named; the main part
    assert '<nav aria-label="Data Docs" class="navbar' in html and '<nav aria-label="Breadcrumb"' in html
    assert '<nav aria-label="Table of contents" id="navigation"' in html
    assert 'class="container-fluid pt-4 pb-4 pl-5 pr-5" role="main"' in html
    # tabs own their tabs; no fixed empty footer; no Vega where no chart; each helper script once
    assert '<li class="nav-item" role="presentation">' in html
    assert "<footer>" not in html and "vega" not in html
    assert html.count("function rowStyleLinks") == 1
    # the icon and our CSS and JS, at the right depth
    assert 'href="../../../../../static/images/favicon.ico"' in html
    assert f'href="../../../../../{OWN_DIR}/datadocs.css"' in html and f'src="../../../../../{OWN_DIR}/datadocs.js"' in html
    assert (site / OWN_DIR / "datadocs.css").is_file() and (site / OWN_DIR / "datadocs.js").is_file()


def test_every_page_has_a_title_of_its_own(site):
    accessible(site)
    titles = [p.read_text(encoding="utf-8").split("<title>")[1].split("</title>")[0] for p in site.rglob("*.html")]
    assert len(titles) == 3 and len(set(titles)) == 3


def test_a_page_gx_writes_with_its_own_top_headings_stops_the_build(site):
    page = site / "expectations/outcomes/by_metric.html"
    page.write_text(page.read_text(encoding="utf-8").replace("<h4>", "<h2>").replace("</h4>", "</h2>"), encoding="utf-8")
    with pytest.raises(RenderError, match="revisit accessible"):
        accessible(site)
