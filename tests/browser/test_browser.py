"""The built site as a reader's browser shows it (issue 14): every page of the book and of the Data
Docs, at 1280 and 390 px, in Debian's Chromium (crawler.py: how the crawl runs, and its fixtures;
no conftest.py here, which would shadow tests/conftest.py for the modules that import from it).

Each test reads the one crawl of the session and lists every offending page, so one run says all
that is wrong.
"""

from __future__ import annotations

import fnmatch
import re
import urllib.request
from functools import lru_cache
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
import yaml

from crawler import PHONE, SITE, WIDTHS, crawl, server  # noqa: F401  (crawl and server: the fixtures)

pytestmark = pytest.mark.slow

JUSTIFIED = Path(__file__).with_name("axe_justified.yml")
MIN_CHART_PX = 9.0
# alt text that says nothing: empty, a file name, or a word that only says "an image is here"
EMPTY_ALT = re.compile(r"^\s*$|\.(svg|png|jpe?g|gif)$|^(image|img|figure|chart|graph|plot|picture|logo|icon)\s*\d*$", re.I)


def _shown(items: list[str], limit: int = 30) -> str:
    more = f"\n  ... and {len(items) - limit} more" if len(items) > limit else ""
    return "\n  " + "\n  ".join(items[:limit]) + more


def test_the_crawl_visited_every_page_at_both_widths(crawl):
    assert len(crawl.pages) > 80, f"only {len(crawl.pages)} pages: is the site built with its Data Docs?"
    assert any(p.startswith("data-docs/") for p in crawl.pages) and any(p.startswith("book/") for p in crawl.pages)
    for page in crawl.pages:
        for width in WIDTHS:
            visit = crawl.visits[(page, width)]
            assert visit.status == 200 and visit.dom, f"{page} at {width} px: HTTP {visit.status}"


def test_no_page_throws_an_error(crawl):
    errors = [f"{v.page} @{v.width}: {e[:160]}" for v in crawl.of() for e in v.page_errors]
    assert not errors, "uncaught errors in pages:" + _shown(errors)


def test_no_page_logs_a_console_error(crawl):
    errors = [f"{v.page} @{v.width}: {e[:160]}" for v in crawl.of() for e in v.console_errors]
    assert not errors, "console errors:" + _shown(errors)


def test_no_page_loads_anything_from_outside_the_site(crawl):
    outside = [f"{v.page} @{v.width}: {u[:120]}" for v in crawl.of() for u in v.requests
               if not u.startswith(crawl.base) and not u.startswith(("data:", "blob:"))]
    loads = sum(len(v.requests) for v in crawl.of())
    assert loads > 5 * len(crawl.visits), "the crawl saw almost no requests: are the listeners attached?"
    assert not outside, "requests to other hosts:" + _shown(outside)


def test_no_request_fails(crawl):
    failed = [f"{v.page} @{v.width}: {f.removeprefix(crawl.base)[:140]}" for v in crawl.of() for f in v.failed]
    assert not failed, "failed requests (404s, aborted loads):" + _shown(failed)


def test_no_page_runs_an_inline_script_twice(crawl):
    twice = [f"{v.page}: {s}" for v in crawl.of(PHONE) for s in v.dom["duplicateScripts"]]
    assert not twice, "inline scripts written twice into a page:" + _shown(twice)


def test_no_page_is_wider_than_a_phone(crawl):
    wide = [f"{v.page}: {v.dom['scrollWidth']} px wide; " + "; ".join(v.dom["wide"][:3])
            for v in crawl.of(PHONE) if v.dom["scrollWidth"] > PHONE]
    assert not wide, f"pages wider than the {PHONE} px screen:" + _shown(wide)


def test_no_text_is_cut_off(crawl):
    cut = [f"{v.page} @{v.width}: {c}" for v in crawl.of() for c in v.dom["clipped"]]
    assert not cut, "text cut off by a box that hides its overflow:" + _shown(cut)


def test_no_fixed_element_covers_the_page(crawl):
    covering = [f"{v.page} @{v.width}: {f}" for v in crawl.of() for f in v.dom["fixed"]]
    assert not covering, "fixed elements over the content (a bar across the screen or over 5 % of it):" + _shown(covering)


def test_every_image_loads_and_has_real_alt_text(crawl):
    images = [(v, img) for v in crawl.of() for img in v.dom["images"]]
    assert len(images) > 50, "the crawl found almost no images"
    bad = [f"{v.page}: {img['src'].removeprefix(crawl.base)} alt={img['alt']!r}" for v, img in images
           if img["alt"] is None or EMPTY_ALT.search(img["alt"]) or img["alt"].strip() == Path(img["src"]).stem]
    broken = [f"{v.page} @{v.width}: {img['src'].removeprefix(crawl.base)}" for v, img in images
              if img["width"] > 0 and not img["loaded"]]
    assert not bad, "images without alt text that says what they show:" + _shown(sorted(set(bad)))
    assert not broken, "images that did not load:" + _shown(broken)


def _head(url: str) -> int:
    try:
        with urllib.request.urlopen(urllib.request.Request(url, method="HEAD"), timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as err:
        return err.code


def test_every_internal_link_and_anchor_resolves(crawl):
    ids = {v.page: set(v.dom["ids"]) for v in crawl.of(PHONE)}
    files: dict[str, int] = {}
    broken, checked, csv = [], 0, 0
    for visit in crawl.of(PHONE):
        for href in visit.dom["links"]:
            if not href.startswith(crawl.base):
                continue  # another host (a link a reader may follow, never loaded by the page) or mailto:
            parts = urlsplit(href)
            target = unquote(parts.path[len(urlsplit(crawl.base).path):]) or "index.html"
            if target.endswith("/"):
                target += "index.html"
            checked += 1
            if target in ids:
                fragment = unquote(parts.fragment)
                if fragment and fragment not in ids[target]:
                    broken.append(f"{visit.page}: {target}#{fragment} (no such anchor)")
                continue
            if target not in files:
                files[target] = _head(crawl.base + target)
            csv += target.endswith(".csv")
            if files[target] != 200:
                broken.append(f"{visit.page}: {target} (HTTP {files[target]})")
    assert checked > 1000 and csv > 50, f"only {checked} internal links ({csv} to CSV files) found"
    assert not broken, "links that lead nowhere:" + _shown(sorted(set(broken)))


def test_search_finds_a_pilot_by_name(crawl):
    found = [u for u in crawl.search["links"] if u.split("#")[0].endswith(crawl.search["expected"])]
    assert found, (f"searching for {crawl.search['term']!r} did not list {crawl.search['expected']}; "
                   f"it listed {crawl.search['links'][:10]}")


def test_every_page_has_a_language_and_a_title_of_its_own(crawl):
    visits = crawl.of(PHONE)
    no_lang = [v.page for v in visits if not v.dom["lang"]]
    no_viewport = [v.page for v in visits if not v.dom["viewportMeta"]]
    titles: dict[str, list[str]] = {}
    for v in visits:
        if v.page != "index.html":  # followed to the book's first page: that page's title
            titles.setdefault(v.dom["title"], []).append(v.page)
    shared = [f"{t!r}: {len(p)} pages ({', '.join(p[:3])}...)" for t, p in titles.items() if len(p) > 1 or not t]
    problems = ([f"no language: {p}" for p in no_lang] + [f"no device-width viewport: {p}" for p in no_viewport]
                + [f"a title that does not tell pages apart: {s}" for s in shared])
    assert not problems, "pages a browser or a screen reader cannot tell apart or read right:" + _shown(problems)


def test_the_entry_page_has_a_title_and_a_language_and_leads_to_the_book(crawl):
    html = (SITE / "index.html").read_text(encoding="utf-8")
    assert re.search(r"<html[^>]*\blang=\"en\"", html), "index.html has no lang"
    title = re.search(r"<title>([^<]+)</title>", html)
    assert title and title.group(1).strip(), "index.html has no title"
    assert re.search(r'<a href="book/intro\.html"', html), "index.html has no link to the book for a reader without refresh"
    assert crawl.visits[("index.html", PHONE)].final_url.endswith("/book/intro.html")


def test_wide_tables_show_that_they_scroll(crawl):
    scrollers = [(v, s) for v in crawl.of() for s in v.dom["scrollers"]]
    assert any(v.width == PHONE for v, _ in scrollers), "no table scrolls at 390 px: is the check looking?"
    silent = [f"{v.page} @{v.width}: {s['box']} " + ", ".join(k for k in ("framed", "rightShade", "focusable", "hint") if not s[k])
              for v, s in scrollers if not (s["framed"] and s["rightShade"] and s["focusable"] and s["hint"])]
    assert not silent, "tables that scroll sideways without showing it (missing):" + _shown(silent)
    assert crawl.scroll_cue_pixels.get("found"), "the contracts appendix has no framed wide table at 390 px"
    assert crawl.scroll_cue_pixels["differ"], "the shade at a wide table's right edge does not show on screen"
    assert crawl.scroll_cue_pixels["follows_scroll"], "scrolled to its end, a wide table still shades its right edge"


# axe-core ---------------------------------------------------------------------------------------

def _findings(crawl):
    for v in crawl.of():
        for finding in v.dom.get("axe", []):
            yield v, finding


def test_axe_finds_nothing_critical_or_serious(crawl):
    assert all("axe" in v.dom for v in crawl.of(PHONE)), f"axe did not run on every page at {PHONE} px"
    assert sum("axe" in v.dom for v in crawl.of(1280)) >= 8, "axe ran on too few pages at 1280 px"
    grave = [f"{v.page} @{v.width}: {f['impact']} {f['id']} ({len(f['nodes'])}x, e.g. {f['nodes'][0]['target'][:90]}: "
             f"{f['nodes'][0]['summary'][:160]!r})"
             for v, f in _findings(crawl) if f["impact"] in ("critical", "serious")]
    assert not grave, "axe-core violations:" + _shown(grave, 40)


@lru_cache(maxsize=1)
def _justifications() -> list[dict]:
    entries = yaml.safe_load(JUSTIFIED.read_text(encoding="utf-8")) or []
    for e in entries:
        assert set(e) >= {"rule", "pages", "reason"} and len(e["reason"]) > 40, f"justification needs rule, pages, reason: {e}"
    return entries


def _justification(page: str, width: int, finding: dict) -> int | None:
    for i, e in enumerate(_justifications()):
        if e["rule"] == finding["id"] and fnmatch.fnmatch(page, e["pages"]) and width in e.get("widths", WIDTHS):
            return i
    return None


def test_every_other_axe_finding_is_justified(crawl):
    """Moderate and minor findings stay only with a reason in axe_justified.yml."""
    loose = [f"{v.page} @{v.width}: {f['impact']} {f['id']} ({f['help']}; e.g. {f['nodes'][0]['target'][:80]})"
             for v, f in _findings(crawl) if f["impact"] not in ("critical", "serious")
             and _justification(v.page, v.width, f) is None]
    assert not loose, f"axe findings with no justification in {JUSTIFIED.name}:" + _shown(loose, 40)


def test_every_justification_still_matches_a_finding(crawl):
    used = {_justification(v.page, v.width, f) for v, f in _findings(crawl)}
    stale = [f"{e['rule']} on {e['pages']}" for i, e in enumerate(_justifications()) if i not in used]
    assert not stale, f"entries of {JUSTIFIED.name} that no finding needs any more (remove them):" + _shown(stale)


def test_no_stylesheet_locks_the_orientation():
    """axe's css-orientation-lock needs the CSSOM it preloads, which the crawl skips (page.js): the rule's
    question, asked of every stylesheet the site publishes instead."""
    sheets = list(SITE.rglob("*.css"))
    assert len(sheets) > 10
    locked = [p.relative_to(SITE).as_posix() for p in sheets
              if re.search(r"@media[^{]*orientation\s*:", p.read_text(encoding="utf-8", errors="ignore"))]
    assert not locked, f"stylesheets with orientation media queries (check them for a locked orientation): {locked}"


# charts -----------------------------------------------------------------------------------------

@lru_cache(maxsize=None)
def _svg_file(path: str) -> dict:
    """The viewBox width of a published SVG file and the smallest font size of its texts (viewBox units)."""
    svg = (SITE / path).read_text(encoding="utf-8")
    box = re.search(r'<svg\b[^>]*\bviewBox="[-0-9.]+[ ,]+[-0-9.]+[ ,]+([0-9.]+)', svg)
    sizes = []
    for tag in re.findall(r"<(?:text|tspan)\b[^>]*>", svg):
        found = re.search(r"font-size:\s*([0-9.]+)|\bfont-size=\"([0-9.]+)", tag)
        if found:
            sizes.append(float(found.group(1) or found.group(2)))
    return {"viewBoxWidth": float(box.group(1)) if box else None, "sizes": len(sizes), "minSize": min(sizes, default=None)}


def test_chart_text_is_at_least_9px_on_a_phone(crawl):
    """Every chart shown at 390 px (an SVG image, as a file or inlined): its width on screen / its viewBox
    width x its smallest font size = the smallest text on screen, in CSS px."""
    small, measured = {}, set()
    for v in crawl.of(PHONE):
        for img in v.dom["images"]:
            if img["width"] <= 0 or not (img.get("svg") or img.get("svgFile")):
                continue
            path = unquote(urlsplit(img["src"]).path[len(urlsplit(crawl.base).path):]) if img.get("svgFile") else ""
            svg = img.get("svg") or _svg_file(path)
            name = img["figure"].removeprefix("exhibit-") or Path(path).stem
            assert svg["viewBoxWidth"], f"{name} on {v.page}: an SVG without a viewBox"
            if not svg["sizes"]:
                continue  # a chart with no text
            measured.add(name)
            px = img["width"] / svg["viewBoxWidth"] * svg["minSize"]
            if px < MIN_CHART_PX and (name not in small or px < small[name][0]):
                small[name] = (px, v.page)
    figures = {p.stem for p in (SITE / "figures").glob("*.svg")}
    assert figures and figures <= measured, f"figures never shown at {PHONE} px: {sorted(figures - measured)[:10]}"
    lines = [f"{name}: smallest text {px:.1f} px (on {page})" for name, (px, page) in sorted(small.items())]
    assert not lines, (f"{len(small)} of {len(measured)} charts have text under {MIN_CHART_PX:g} px at {PHONE} px:"
                       + _shown(lines, 40))
