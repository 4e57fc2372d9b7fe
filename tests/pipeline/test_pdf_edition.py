"""The PDF edition's parts that need no browser (the printed PDF itself: tests/site/test_pdf.py)."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest

from pilotbook.errors import RenderError
from pilotbook.pipeline import pdf, sphinx_print


def test_blanking_the_dates_keeps_every_byte_offset():
    made = b"<< /Title (t) /CreationDate (D:20261130090043+00'00') /ModDate (D:20261130090043+00'00') >>"
    blank = pdf.without_dates(made)
    assert len(blank) == len(made) and b"Date" not in blank and blank.startswith(b"<< /Title (t) ")
    assert pdf.without_dates(b"<< /Title (t) >>") == b"<< /Title (t) >>"


def test_chromium_prints_without_network_headers_or_the_users_profile(tmp_path):
    cmd = pdf.print_command("chromium", tmp_path / "print.html", tmp_path / "book.pdf", tmp_path / "profile")
    assert "--headless" in cmd and "--no-pdf-header-footer" in cmd and "--generate-pdf-document-outline" in cmd
    assert "--host-resolver-rules=MAP * ~NOTFOUND" in cmd
    assert f"--user-data-dir={tmp_path / 'profile'}" in cmd and cmd[-1] == (tmp_path / "print.html").as_uri()


def test_no_chromium_is_said_with_what_to_do(monkeypatch):
    monkeypatch.delenv(pdf.BROWSER_ENV, raising=False)
    monkeypatch.setattr(pdf.shutil, "which", lambda name: None)
    with pytest.raises(RenderError, match="apt-get install chromium"):
        pdf.browser()
    monkeypatch.setenv(pdf.BROWSER_ENV, "/opt/chrome/chrome")
    assert pdf.browser() == "/opt/chrome/chrome"


def test_the_pdf_is_printed_again_when_its_code_or_the_site_changes():
    assert pdf.edition_key("a") != pdf.edition_key("b")
    assert pdf.edition_key("a") == pdf.edition_key("a")


@pytest.mark.parametrize("builder, policy", [("singlehtml", "per_page"), ("html", "always")])
def test_the_print_build_loads_mathjax_only_for_a_page_with_an_equation(builder, policy):
    """jupyter-book sets "always" for singlehtml (MathJax from a CDN on every page); the extension undoes it."""
    app = SimpleNamespace(builder=SimpleNamespace(name=builder), registry=SimpleNamespace(html_assets_policy="always"))
    sphinx_print._assets_per_page(app, None, [])
    assert app.registry.html_assets_policy == policy


def test_the_print_page_sits_where_its_style_sheets_resolve(tmp_path):
    project = SimpleNamespace(root=tmp_path)
    (tmp_path / "_toc.yml").write_text("format: jb-book\nroot: book/intro\n", encoding="utf-8")
    built = tmp_path / "singlehtml"
    (built / "book").mkdir(parents=True)
    (built / "book" / "intro.html").write_text('<link href="_static/pilotbook.css">', encoding="utf-8")
    page = pdf.print_page(project, built)
    assert page == built / pdf.PRINT_PAGE and page.read_text() == '<link href="_static/pilotbook.css">'
    with pytest.raises(RenderError, match="no intro.html"):
        pdf.print_page(project, tmp_path / "empty")
