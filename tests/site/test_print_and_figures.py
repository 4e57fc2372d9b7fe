"""What a printer gets of the built site (issue 14).  (What a phone gets of its figures is measured in
the page by the browser tests, ``tests/browser/``, and drawn from the data, without a build, by
``tests/report/test_figure_legibility.py``.)

The PDF edition, the whole book printed by Chromium (``make pdf``), read with pypdf: one bookmark per
chapter of the site's table of contents, in its order, each on a page of its own whose text carries
the chapter's title; body text at the print style's size (nothing made Chromium shrink the pages); more
pages than chapters; no print date stamped in; the introduction links it.
"""

from __future__ import annotations

import html
import re
import unicodedata

import pytest

from pilotbook.paths import INSTALL_ROOT, Project
from pilotbook.pipeline import pdf as pdf_edition

SITE = Project(INSTALL_ROOT).site
PDF = SITE / pdf_edition.PDF_NAME


def squash(text: str) -> str:
    """Text as compared: compatibility forms (ligatures), no whitespace (lines break inside titles), lower case."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text)).lower()


@pytest.fixture(scope="module")
def reader():
    pypdf = pytest.importorskip("pypdf")
    assert PDF.is_file(), "no PDF edition: run `make pdf` (make test does)"
    return pypdf.PdfReader(PDF)


@pytest.fixture(scope="module")
def chapters() -> list[str]:
    """The chapter titles of the built site's table of contents (the sidebar of the first page), in order."""
    page = (SITE / "book" / "intro.html").read_text(encoding="utf-8")
    found = re.findall(r'<li class="toctree-l1[^"]*"><a class="reference internal" href="[^"]*">(.*?)</a>', page, re.S)
    titles = [html.unescape(re.sub("<[^>]+>", "", t)).strip() for t in found]
    assert len(titles) >= 20, titles
    return titles


def bookmarks(reader) -> list[tuple[str, int]]:
    """The outline's entries below the book's title: (title, page index)."""
    out = []

    def walk(items, depth):
        for item in items:
            if isinstance(item, list):
                walk(item, depth + 1)
            elif depth == 1:
                out.append((item.title, reader.get_destination_page_number(item)))

    walk(reader.outline, 0)
    return out


def test_every_chapter_starts_a_page_of_its_own_in_the_order_of_the_contents(reader, chapters):
    marks = bookmarks(reader)
    pages = []
    for title in chapters:
        at = [page for mark, page in marks if squash(mark) == squash(title)]
        assert at, f"no bookmark for the chapter {title!r}"
        text = squash(reader.pages[at[0]].extract_text() or "")
        assert squash(title) in text, f"the title {title!r} is not in the text of page {at[0] + 1}"
        pages.append(at[0])
    assert pages == sorted(pages) and len(set(pages)) == len(pages), "chapters out of order, or two on one page"


def body_text_pt(page) -> float:
    """The size (pt, as printed) of most of a page's text."""
    import collections
    import math

    sizes = collections.Counter()

    def visit(text, cm, tm, font, size):
        if text.strip():
            sizes[round(size * math.hypot(tm[2], tm[3]) * math.hypot(cm[2], cm[3]), 1)] += len(text.strip())

    page.extract_text(visitor_text=visit)
    return sizes.most_common(1)[0][0]


def test_the_pages_are_printed_at_their_size(reader):
    """The text is at the print style's sizes (10 pt, 8.5 pt in tables), on the page after each chapter's
    first: anything wider than the page would have made Chromium shrink every page to fit it (it did
    once, to 7.7 pt text, because of a table of the contracts appendix)."""
    starts = sorted({page for _, page in bookmarks(reader)})
    sizes = {page + 1: body_text_pt(reader.pages[page + 1]) for page in starts if page + 1 < len(reader.pages)}
    assert sorted(sizes.values())[len(sizes) // 2] >= 9.7, sizes  # the median page: 10 pt text
    assert min(sizes.values()) >= 8.3, sizes  # a page of a table: 8.5 pt


def test_the_book_is_all_there(reader, chapters):
    assert len(reader.pages) > 2 * len(chapters), f"{len(reader.pages)} pages for {len(chapters)} chapters"
    last = bookmarks(reader)[-1][1]
    assert last < len(reader.pages), "the last chapter has pages"
    # the last page has text: nothing was cut short
    assert len((reader.pages[-1].extract_text() or "").split()) > 10


def test_no_print_date_is_stamped_in(reader):
    info = reader.metadata or {}
    assert "/CreationDate" not in info and "/ModDate" not in info, info
    assert b"/CreationDate" not in PDF.read_bytes()


def test_the_introduction_links_the_pdf():
    intro = (SITE / "book" / "intro.html").read_text(encoding="utf-8")
    links = re.findall(r'href="([^"]*pilotbook\.pdf)"', intro)
    assert links and all((SITE / "book" / link).resolve() == PDF.resolve() for link in links), links
