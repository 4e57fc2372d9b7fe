"""Render the book with jupyter-book and publish it atomically.

jupyter-book renders into a staging folder (execution is off: papermill already
ran the notebooks).  With the PDF edition, a second jupyter-book build (``singlehtml``:
the whole book in one page) runs beside it, and Chromium prints that page into the
staged site (:mod:`pilotbook.pipeline.pdf`).  Only when everything succeeded without
a single warning does the staged site replace ``_build/html``; anything else leaves
the published site exactly as it was.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

from pilotbook.errors import RenderError
from pilotbook.paths import Project
from pilotbook.pipeline import pdf as pdf_edition

TAIL_LINES = 25


def jupyter_book_command(project: Project, out: Path, builder: str = "html") -> list[str]:
    exe = Path(sys.executable).with_name("jupyter-book")
    cmd = [str(exe)] if exe.exists() else [sys.executable, "-m", "jupyter_book.cli.main"]
    return cmd + ["build", str(project.root), "--path-output", str(out), "--all",
                  "-W", "-n", "--keep-going", "--builder", builder]


def _run_side_by_side(project: Project, commands: dict[str, list[str]], env: dict) -> dict[str, tuple[int, str]]:
    """Run the commands at once (each writes its own output folder); their exit codes and output, by name.
    If this is interrupted, every one of them is killed before the interruption goes on."""
    logs = {name: project.state / f"jupyter-book{'' if name == 'html' else '-' + name}.log" for name in commands}
    project.state.mkdir(parents=True, exist_ok=True)
    procs = {}
    try:
        for name, cmd in commands.items():
            with open(logs[name], "w", encoding="utf-8") as out:
                procs[name] = subprocess.Popen(cmd, cwd=project.root, stdout=out, stderr=subprocess.STDOUT, env=env)
        codes = {name: proc.wait() for name, proc in procs.items()}
    except BaseException:
        for proc in procs.values():
            proc.kill()
            proc.wait()
        raise
    return {name: (codes[name], logs[name].read_text(encoding="utf-8")) for name in commands}


def _check(project: Project, results: dict[str, tuple[int, str]], built: dict[str, Path]) -> None:
    for name, (code, output) in results.items():
        if code != 0 or not built[name].exists():
            log_path = project.state / f"jupyter-book{'' if name == 'html' else '-' + name}.log"
            warnings = [ln for ln in output.splitlines() if "WARNING" in ln or "ERROR" in ln]
            shown = warnings[:TAIL_LINES] or output.splitlines()[-TAIL_LINES:]
            raise RenderError(
                f"jupyter-book could not build the book ({name}) without warnings (a strict build treats them "
                f"as errors):\n  " + "\n  ".join(shown) +
                f"\nFull log: {log_path.relative_to(project.root)}. The published site is unchanged."
            )


def _print(project: Project, dest: Path, log) -> Path:
    started = time.perf_counter()
    printed = pdf_edition.make_pdf(project, project.staging / "print" / "_build" / "singlehtml", dest)
    log(f"      pdf: {printed.name}, {printed.stat().st_size / 1e6:.1f} MB, printed by Chromium in "
        f"{time.perf_counter() - started:.1f} s")
    return printed


def render(project: Project, log=print, pdf: bool = False) -> Path:
    """Build the site into staging; return the staged html folder.  With ``pdf``, the singlehtml build
    runs beside the html one and Chromium prints the PDF edition into the staged site."""
    shutil.rmtree(project.staging, ignore_errors=True)
    project.staging.mkdir(parents=True)
    project.site_extra.mkdir(parents=True, exist_ok=True)
    staged = project.staging / "_build" / "html"
    commands, built = {"html": jupyter_book_command(project, project.staging)}, {"html": staged / "index.html"}
    if pdf:
        pdf_edition.browser()  # no Chromium: say so before anything is built
        commands["singlehtml"] = jupyter_book_command(project, project.staging / "print", "singlehtml")
        built["singlehtml"] = project.staging / "print" / "_build" / "singlehtml"
    env = dict(os.environ, GX_ANALYTICS_ENABLED="False", PYDEVD_DISABLE_FILE_VALIDATION="1")
    _check(project, _run_side_by_side(project, commands, env), built)
    if pdf:
        _print(project, staged / pdf_edition.PDF_NAME, log)
    return staged


def render_pdf(project: Project, log=print) -> Path:
    """The PDF edition alone (the site itself is unchanged): singlehtml build and print into staging."""
    pdf_edition.browser()
    shutil.rmtree(project.staging, ignore_errors=True)
    project.staging.mkdir(parents=True)
    project.site_extra.mkdir(parents=True, exist_ok=True)
    commands = {"singlehtml": jupyter_book_command(project, project.staging / "print", "singlehtml")}
    env = dict(os.environ, GX_ANALYTICS_ENABLED="False", PYDEVD_DISABLE_FILE_VALIDATION="1")
    _check(project, _run_side_by_side(project, commands, env),
           {"singlehtml": project.staging / "print" / "_build" / "singlehtml"})
    return _print(project, project.staging / pdf_edition.PDF_NAME, log)


def publish_pdf(project: Project, staged_pdf: Path) -> None:
    """Put a PDF edition printed from the published site's own sources into it (an atomic rename)."""
    os.replace(staged_pdf, project.site / pdf_edition.PDF_NAME)
    shutil.rmtree(project.staging, ignore_errors=True)


def publish(project: Project, staged: Path, extra: dict[str, Path] | None = None) -> None:
    """Swap ``staged`` in as ``_build/html``; the old site is restored if the swap fails."""
    for name, src in (extra or {}).items():
        shutil.copytree(src, staged / name, dirs_exist_ok=True)
    site, old = project.site, project.build_dir / ".html-old"
    shutil.rmtree(old, ignore_errors=True)
    had_site = site.exists()
    if had_site:
        os.replace(site, old)
    try:
        os.replace(staged, site)
    except OSError:
        if had_site:
            os.replace(old, site)
        raise
    shutil.rmtree(old, ignore_errors=True)
    shutil.rmtree(project.staging, ignore_errors=True)
