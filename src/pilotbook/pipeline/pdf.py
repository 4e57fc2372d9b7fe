"""The PDF edition: the whole book in one PDF, printed by Chromium.

jupyter-book's ``singlehtml`` builder writes every chapter, in the order of ``_toc.yml``, into one
page (built beside the HTML site, from the same sources, by :func:`pilotbook.pipeline.render.render`).
Chromium prints that page with the book's print style (``@media print`` in ``book/_static/pilotbook.css``:
no navigation, each chapter on a new page, figures and tables kept whole, long lines wrapped) to
``pilotbook.pdf`` at the root of the site, which the introduction links as a download.

Chromium stamps the time of printing into the PDF's information dictionary (``/CreationDate``,
``/ModDate``) and nothing else that changes between runs: both entries are blanked out with spaces of
the same length (the file's byte offsets stay valid), so the same site gives a byte-identical PDF.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import yaml

from pilotbook.errors import RenderError
from pilotbook.paths import Project

PDF_NAME = "pilotbook.pdf"
BROWSER_ENV = "PILOTBOOK_CHROMIUM"  # a Chromium (or Chrome) to print with, when it is not on the PATH
BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome")
PRINT_PAGE = "print.html"
TIMEOUT_S = 300
_DATES = re.compile(rb"/(?:CreationDate|ModDate)\s*\(D:[^)]*\)")


def edition_key(site_hash: str) -> str:
    """What the PDF edition is made from: the site's sources (``site_hash``) and the code that prints them
    (this module and the Sphinx extension), so a change to either prints it again."""
    here = Path(__file__).resolve().parent
    h = hashlib.sha256(site_hash.encode())
    for path in (here / "pdf.py", here / "sphinx_print.py"):
        h.update(path.read_bytes())
    return h.hexdigest()


def browser() -> str:
    """The Chromium to print with: ``$PILOTBOOK_CHROMIUM``, else the first of :data:`BROWSERS` on the PATH."""
    given = os.environ.get(BROWSER_ENV)
    if given:
        return given
    for name in BROWSERS:
        found = shutil.which(name)
        if found:
            return found
    raise RenderError("the PDF edition is printed by Chromium, and none was found (looked for "
                      f"{', '.join(BROWSERS)} on the PATH). Install it (Debian: apt-get install chromium) or "
                      f"name it in {BROWSER_ENV}=/path/to/chromium. The published site is unchanged.")


def root_doc(project: Project) -> str:
    """The book's first page (``root`` of ``_toc.yml``): the singlehtml builder names its page after it."""
    return yaml.safe_load((project.root / "_toc.yml").read_text(encoding="utf-8"))["root"]


def print_page(project: Project, singlehtml: Path) -> Path:
    """The singlehtml page, at the root of its build: Sphinx writes it to ``<root doc>.html`` (here in
    ``book/``) with links to its style sheets relative to the build's root, so it is copied there."""
    page = singlehtml / f"{root_doc(project)}.html"
    if not page.is_file():
        raise RenderError(f"the singlehtml build wrote no {page.name} to print from ({page}). "
                          "The published site is unchanged.")
    printed = singlehtml / PRINT_PAGE
    shutil.copyfile(page, printed)
    return printed


def print_command(browser_path: str, page: Path, pdf: Path, profile: Path) -> list[str]:
    """Chromium printing ``page`` to ``pdf``: headless, no header or footer line, the headings as the PDF's
    outline (bookmarks: one per chapter), a fresh profile, and no network at all (every host name fails
    to resolve), so nothing is fetched while printing."""
    return [browser_path, "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
            "--generate-pdf-document-outline",
            "--no-first-run", "--disable-extensions", "--disable-sync", "--disable-background-networking",
            "--disable-component-update", "--host-resolver-rules=MAP * ~NOTFOUND",
            f"--user-data-dir={profile}", f"--print-to-pdf={pdf}", page.as_uri()]


def without_dates(pdf: bytes) -> bytes:
    """``pdf`` with its creation and modification dates blanked (same length: byte offsets unchanged)."""
    return _DATES.sub(lambda m: b" " * len(m.group(0)), pdf)


def make_pdf(project: Project, singlehtml: Path, dest: Path) -> Path:
    """Print the singlehtml build ``singlehtml`` to ``dest`` (reproducible: see the module's note)."""
    page = print_page(project, singlehtml)
    exe = browser()
    dest.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="pilotbook-chromium-") as profile:
        try:
            proc = subprocess.run(print_command(exe, page, dest, Path(profile)), capture_output=True, text=True,
                                  timeout=TIMEOUT_S)
        except subprocess.TimeoutExpired:
            raise RenderError(f"Chromium did not print the book within {TIMEOUT_S} s ({exe}). "
                              "The published site is unchanged.") from None
    if proc.returncode != 0 or not dest.is_file() or dest.stat().st_size == 0:
        tail = "\n  ".join((proc.stdout + proc.stderr).splitlines()[-10:])
        raise RenderError(f"Chromium could not print the book to PDF ({exe}, exit code {proc.returncode}):\n  "
                          f"{tail}\nThe published site is unchanged.")
    dest.write_bytes(without_dates(dest.read_bytes()))
    return dest
