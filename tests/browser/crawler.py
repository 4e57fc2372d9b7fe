"""The crawl behind the browser tests: the built site in Debian's Chromium, driven by Playwright, every
page at 1280 and 390 px.

One crawl per test session (:func:`crawl`) visits every HTML file of ``_build/html`` (the book, its
search and index pages and the Data Docs) at both widths, served over http from 127.0.0.1 by a
thread of this process, and records what each visit saw; the tests of ``test_browser.py`` then read
that record.  The crawl is one browser, one context per width (a fresh profile: Playwright launches
Chromium with a new user-data-dir) and two tabs per context; every page starts as a first visit
(its local and session storage are empty).  axe-core runs on every page at 390 px and on one page of
each layout at 1280 px (see ``WIDE_AXE_LAYOUTS``).

Chromium is Debian's (``make test`` installs the package with apt-get when it is missing), never a
browser build that Playwright downloads; ``PILOTBOOK_CHROMIUM`` may name another binary.
"""

from __future__ import annotations

import asyncio
import functools
import json
import os
import re
import shutil
import subprocess
import threading
import time
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import quote

import pytest

from pilotbook.paths import INSTALL_ROOT, Project

PROJECT = Project(INSTALL_ROOT)
SITE = PROJECT.site
ARTEFACTS = PROJECT.build_dir / "browser"  # screenshots and the crawl's record, kept for a reader
WIDTHS = (1280, 390)
PHONE = 390
HEIGHT = {1280: 900, 390: 844}
TABS = 2  # pages open at once in each context (the machine has two cores)
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
MIN_CHROMIUM = 120
# axe-core runs on every page at 390 px.  At 1280 px it runs on one page of each layout (the first, in
# path order, of each group below): what a wide screen adds is the chrome around the content (sidebars,
# headers), which each layout draws from one template, while the content (every page's own markup, in
# the same colours at any width) is checked on every page at 390 px, where it is also at its tightest.
# One axe run costs 0.1-3 s; running it on every page at both widths would double the crawl.
WIDE_AXE_LAYOUTS = (r"book/[^/]+\.html", r"book/_generated/[^/]+\.html", r"book/_generated/pilots/.+\.html",
                    r"search\.html", r"genindex\.html", r"data-docs/index\.html", r"data-docs/expectations/.+",
                    r"data-docs/validations/.+")


def wide_axe_pages(pages: list[str]) -> set[str]:
    chosen = set()
    for layout in WIDE_AXE_LAYOUTS:
        matching = [p for p in pages if re.fullmatch(layout, p)]
        assert matching, f"no page of the layout {layout}: update WIDE_AXE_LAYOUTS in tests/browser/crawler.py"
        chosen.add(matching[0])
    return chosen


SCREENSHOTS = ("book/intro.html", "book/_generated/results.html", "book/_generated/pilots/09-kainuu-apprenticeship.html",
               "data-docs/index.html")


def chromium_executable() -> str:
    path = os.environ.get("PILOTBOOK_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(path).is_file():
        pytest.fail(f"no Chromium at {path}: the browser tests use Debian's package (`make test` installs it with "
                    "`apt-get install chromium`; or set PILOTBOOK_CHROMIUM to a Chromium binary). "
                    "Playwright's own browser downloads are not used.")
    return path


def chromium_version(path: str) -> str:
    out = subprocess.run([path, "--version"], capture_output=True, text=True, timeout=30).stdout.strip()
    major = re.search(r"(\d+)\.\d+\.\d+", out)
    assert major and int(major.group(1)) >= MIN_CHROMIUM, f"{path} --version says {out!r}: Chromium {MIN_CHROMIUM}+ needed"
    return out


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args):  # a test's output is not an access log
        pass

    def handle(self):
        try:
            super().handle()
        except (BrokenPipeError, ConnectionResetError):  # the browser dropped a request it no longer needs
            pass


@pytest.fixture(scope="session")
def server():
    assert (SITE / "index.html").is_file(), "no built site: run `make book` (make test does) first"
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(SITE)))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_port}/"
    httpd.shutdown()
    httpd.server_close()


def site_pages() -> list[str]:
    """Every HTML file the site publishes, as a path relative to its root."""
    return sorted(p.relative_to(SITE).as_posix() for p in SITE.rglob("*.html"))


@dataclass
class Visit:
    page: str
    width: int
    status: int | None = None
    final_url: str = ""
    page_errors: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    dom: dict = field(default_factory=dict)
    seconds: dict = field(default_factory=dict)  # load, check (the DOM pass and axe)


@dataclass
class Crawl:
    base: str
    pages: list[str]
    visits: dict[tuple[str, int], Visit]
    chromium: str
    seconds: float
    search: dict
    scroll_cue_pixels: dict

    def of(self, width: int | None = None):
        return [v for (p, w), v in sorted(self.visits.items()) if width in (None, w)]


FIRST_VISIT = "try { localStorage.clear(); sessionStorage.clear(); } catch (e) {}"
PAGE_SCRIPT = (Path(__file__).with_name("page.js")).read_text(encoding="utf-8")


async def _visit(page, base: str, path: str, width: int, axe: bool) -> Visit:
    visit = Visit(path, width)
    handlers = {
        "pageerror": lambda err: visit.page_errors.append(str(err)),
        "console": lambda msg: visit.console_errors.append(msg.text) if msg.type == "error" else None,
        "request": lambda req: visit.requests.append(req.url),
        # an icon request (type "other") the page does not wait for is cancelled when the crawl moves on:
        # not a failure of the site (the link test checks that every icon link resolves)
        "requestfailed": lambda req: None if (req.resource_type == "other" and "ERR_ABORTED" in (req.failure or ""))
        else visit.failed.append(f"{req.url} ({req.failure})"),
        "response": lambda resp: visit.failed.append(f"{resp.url} (HTTP {resp.status})") if resp.status >= 400 else None,
    }
    for event, handler in handlers.items():
        page.on(event, handler)
    try:
        start = time.perf_counter()
        response = await page.goto(base + path, wait_until="load")
        visit.status = response.status if response else None
        if path == "index.html":  # the site's entry page sends the reader on: follow it
            await page.wait_for_url(re.compile(r".*/book/[^/]+\.html$"), timeout=10_000)
            await page.wait_for_load_state("load")
        visit.final_url = page.url
        loaded = time.perf_counter()
        visit.dom = await page.evaluate(PAGE_SCRIPT, {"width": width, "axe": axe, "wide": width > PHONE})
        visit.seconds = {"load": round(loaded - start, 3), "check": round(time.perf_counter() - loaded, 3)}
    finally:
        for event, handler in handlers.items():
            page.remove_listener(event, handler)
    return visit


async def _crawl(base: str, pages: list[str], chromium: str) -> tuple[dict, dict, dict]:
    from playwright.async_api import async_playwright

    axe_source = (PROJECT.node_modules / "axe-core" / "axe.min.js")
    assert axe_source.is_file(), f"axe-core is not installed ({axe_source}): run `make env` (npm ci in assets/)"
    visits: dict[tuple[str, int], Visit] = {}
    search: dict = {}
    pixels: dict = {}
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        try:
            for width in WIDTHS:
                context = await browser.new_context(
                    viewport={"width": width, "height": HEIGHT[width]}, device_scale_factor=1,
                    is_mobile=width == PHONE, has_touch=width == PHONE, service_workers="block")
                await context.add_init_script(FIRST_VISIT)
                await context.add_init_script(path=str(axe_source))
                queue = list(pages)
                wide_axe = wide_axe_pages(pages)

                async def worker():
                    page = await context.new_page()
                    while queue:
                        path = queue.pop(0)
                        axe = width == PHONE or path in wide_axe
                        visits[(path, width)] = await _visit(page, base, path, width, axe)
                        if len(visits) % 10 == 0:
                            _cpu_seconds()  # renderers come and go: note their time while they are there
                        if path in SCREENSHOTS:
                            await page.screenshot(path=str(ARTEFACTS / f"{path.replace('/', '_')[:-5]}-{width}.png"))
                    await page.close()

                await asyncio.gather(*(worker() for _ in range(TABS)))
                if width == PHONE:
                    page = await context.new_page()
                    search.update(await _search(page, base))
                    pixels.update(await _scroll_cue_pixels(page, base))
                    await page.close()
                await context.close()
        finally:
            _cpu_seconds()
            await browser.close()
    return visits, search, pixels


async def _search(page, base: str) -> dict:
    """Search the book for the first pilot's name as the report prints it (Finnish); return what came back."""
    from pilotbook.io.catalog import load

    pilots = load("pilots", PROJECT.resolve_data(os.environ.get("PILOTBOOK_DATA") or None))
    pilot = pilots.sort_values("order").iloc[0]
    term = str(pilot["name_fi"])
    await page.goto(f"{base}search.html?q={quote(term)}", wait_until="load")
    await page.wait_for_function("document.querySelector('#search-results') && "
                                 "!document.querySelector('#search-results').classList.contains('pst-search-results-loading')"
                                 " && document.querySelectorAll('#search-results ul.search li').length > 0",
                                 timeout=15_000)
    links = await page.evaluate("[...document.querySelectorAll('#search-results ul.search li a')].map(a => a.href)")
    expected = f"{int(pilot['order']):02d}-{pilot['pilot_id']}.html"
    return {"term": term, "expected": expected, "links": links}


async def _scroll_cue_pixels(page, base: str) -> dict:
    """Does the cue show on screen?  The right edge of the first wide table's frame, scrolled to the start
    (more to see on the right), with the frame's "more on the right" state and without it: the pixels
    must differ.  Then, scrolled to the end, the frame must drop that state by itself."""
    from playwright.async_api import TimeoutError as PlaywrightTimeout

    await page.goto(base + "book/_generated/contracts.html", wait_until="load")
    box = await page.query_selector(".pb-scroll-frame.pb-scrolls.pb-more-right > .pb-scroll-box")
    if box is None:
        return {"found": False}
    await box.scroll_into_view_if_needed()
    frame = await box.evaluate_handle("b => b.parentElement")
    rect = await frame.bounding_box()
    clip = {"x": rect["x"] + rect["width"] - 16, "y": rect["y"], "width": 14, "height": min(rect["height"], 200)}
    await frame.screenshot(path=str(ARTEFACTS / "wide-table-390.png"))
    shaded = await page.screenshot(clip=clip)
    await frame.evaluate("f => f.classList.remove('pb-more-right')")
    plain = await page.screenshot(clip=clip)
    await box.evaluate("b => { b.scrollLeft = b.scrollWidth; }")
    try:
        await page.wait_for_function("b => !b.parentElement.classList.contains('pb-more-right') && "
                                     "b.parentElement.classList.contains('pb-more-left')", arg=box, timeout=5_000)
        follows = True
    except PlaywrightTimeout:
        follows = False
    return {"found": True, "differ": shaded != plain, "follows_scroll": follows}


_CHILD_CPU: dict[int, tuple[str, float]] = {}


def _cpu_seconds() -> dict[str, float]:
    """CPU time of this process and of every process it started (the Playwright driver, Chromium's
    browser, renderer and helper processes), by kind: what the crawl costs whatever else the machine is
    doing (its wall time depends on that)."""
    import psutil

    me = psutil.Process()
    for child in me.children(recursive=True):
        try:
            line = " ".join(child.cmdline())
            times = child.cpu_times()
        except psutil.Error:
            continue
        kind = ("playwright driver" if "node" in line else "chromium renderer" if "--type=renderer" in line
                else "chromium zygote" if "--type=zygote" in line else "chromium helper" if "--type=" in line
                else "chromium browser")
        _CHILD_CPU[child.pid] = (kind, times.user + times.system)  # own time: a reaped child is counted as itself
    own = me.cpu_times()
    kinds = {"pytest (python)": own.user + own.system}
    for kind, seconds in _CHILD_CPU.values():
        kinds[kind] = kinds.get(kind, 0.0) + seconds
    return kinds


@pytest.fixture(scope="session")
def crawl(server) -> Crawl:
    chromium = chromium_executable()
    version = chromium_version(chromium)
    pages = site_pages()
    start = time.perf_counter()
    cpu = _cpu_seconds()
    visits, search, pixels = asyncio.run(_crawl(server, pages, chromium))
    seconds = time.perf_counter() - start
    result = Crawl(server, pages, visits, version, seconds, search, pixels)
    cpu_after = _cpu_seconds()
    cpu = {kind: round(s - cpu.get(kind, 0.0), 1) for kind, s in cpu_after.items()}
    record = {"chromium": version, "seconds": round(seconds, 1), "cpu_seconds": round(sum(cpu.values()), 1),
              "cpu_by_process": cpu, "load_average_1min": os.getloadavg()[0], "pages": len(pages), "search": search,
              "visits": {f"{p}@{w}": {"errors": v.page_errors, "console": v.console_errors, "failed": v.failed,
                                      "axe": v.dom.get("axe", []), "seconds": v.seconds, "ms": v.dom.get("ms")}
                         for (p, w), v in visits.items()}}
    (ARTEFACTS / "crawl.json").write_text(json.dumps(record, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return result
