"""The PDF edition in the build (``pilotbook build --pdf``): made only when asked, cached like the site,
never left stale.  The singlehtml build runs for real; Chromium's print is replaced by a stub that
writes a marker file (the real print is checked on the built site: tests/site/test_print_and_figures.py)."""

from __future__ import annotations

import pytest

from pilotbook.pipeline import build as build_module
from pilotbook.pipeline import pdf as pdf_edition
from pilotbook.pipeline import render as render_module
from pilotbook.pipeline.build import build
from pilotbook.pipeline.cache import tree_hash

from small_plan import first_build, project  # noqa: F401 (fixtures: each module builds a project of its own)

pytestmark = pytest.mark.slow


@pytest.fixture
def printer(monkeypatch):
    """Chromium's print, stubbed: the singlehtml page it would print must exist; a marker PDF is written."""
    printed = []

    def fake_make_pdf(project, singlehtml, dest):
        page = pdf_edition.print_page(project, singlehtml)
        assert "https://cdn." not in page.read_text(encoding="utf-8"), "the print page loads from outside"
        dest.write_bytes(b"%PDF-1.4 stub of " + page.name.encode())
        printed.append(dest)
        return dest

    monkeypatch.setattr(pdf_edition, "browser", lambda: "chromium")
    monkeypatch.setattr(render_module.pdf_edition, "make_pdf", fake_make_pdf)
    return printed


def html_fingerprint(project) -> str:
    return tree_hash([p for p in project.site.iterdir() if p.name != pdf_edition.PDF_NAME], project.root)


def test_pdf_is_made_on_request_cached_and_never_stale(project, first_build, printer):
    pdf = project.site / pdf_edition.PDF_NAME
    assert not pdf.exists(), "a build without --pdf makes none"
    html = html_fingerprint(project)

    # the site is unchanged: only its PDF edition is made, and the pages stay as they were
    lines = []
    result = build(project, jobs=2, log=lines.append, pdf=True)
    assert result.executed == [] and result.rendered and len(printer) == 1
    assert pdf.read_bytes().startswith(b"%PDF") and html_fingerprint(project) == html
    assert any("PDF edition" in line for line in lines)

    # nothing changed: nothing is printed again, with or without --pdf, and the PDF stays
    assert not build(project, jobs=2, log=lambda *_: None, pdf=True).rendered
    assert not build(project, jobs=2, log=lambda *_: None).rendered
    assert len(printer) == 1 and pdf.is_file()

    # a chapter changed: a site rendered without --pdf carries no PDF of the old sources
    intro = project.root / "book" / "intro.md"
    intro.write_text(intro.read_text(encoding="utf-8") + "\nOne more sentence.\n", encoding="utf-8")
    assert build(project, jobs=2, log=lambda *_: None).rendered
    assert not pdf.exists()

    # with --pdf the site and its PDF edition are rendered together
    result = build(project, jobs=2, log=lambda *_: None, pdf=True)
    assert result.rendered and len(printer) == 2 and pdf.is_file()
    assert (project.site / "book" / "intro.html").read_text(encoding="utf-8").count("One more sentence") == 1


def test_pdf_is_printed_again_when_the_printing_code_changes(project, first_build, printer, monkeypatch):
    build(project, jobs=2, log=lambda *_: None, pdf=True)
    before = len(printer)
    monkeypatch.setattr(build_module.pdf_edition, "edition_key", lambda site_hash: "other printing code")
    assert build(project, jobs=2, log=lambda *_: None, pdf=True).rendered
    assert len(printer) == before + 1
