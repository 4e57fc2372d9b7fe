"""Render the book with jupyter-book and publish it atomically.

jupyter-book renders into a staging folder (execution is off: papermill already
ran the notebooks).  Only when it succeeded without a single warning does the
staged site replace ``_build/html``; anything else leaves the published site
exactly as it was.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from pilotbook.errors import RenderError
from pilotbook.paths import Project

TAIL_LINES = 25


def jupyter_book_command(project: Project, out: Path) -> list[str]:
    exe = Path(sys.executable).with_name("jupyter-book")
    cmd = [str(exe)] if exe.exists() else [sys.executable, "-m", "jupyter_book.cli.main"]
    return cmd + ["build", str(project.root), "--path-output", str(out), "--all",
                  "-W", "-n", "--keep-going", "--builder", "html"]


def render(project: Project, log=print) -> Path:
    """Build the site into staging; return the staged html folder."""
    shutil.rmtree(project.staging, ignore_errors=True)
    project.staging.mkdir(parents=True)
    project.site_extra.mkdir(parents=True, exist_ok=True)
    cmd = jupyter_book_command(project, project.staging)
    env = dict(os.environ, GX_ANALYTICS_ENABLED="False", PYDEVD_DISABLE_FILE_VALIDATION="1")
    proc = subprocess.run(cmd, cwd=project.root, capture_output=True, text=True, env=env)
    staged = project.staging / "_build" / "html"
    log_path = project.state / "jupyter-book.log"
    log_path.parent.mkdir(parents=True, exist_ok=True)
    log_path.write_text(proc.stdout + "\n" + proc.stderr, encoding="utf-8")
    warnings = [ln for ln in (proc.stdout + proc.stderr).splitlines() if "WARNING" in ln or "ERROR" in ln]
    if proc.returncode != 0 or not (staged / "index.html").is_file():
        shown = warnings[:TAIL_LINES] or (proc.stdout + proc.stderr).splitlines()[-TAIL_LINES:]
        raise RenderError(
            "jupyter-book could not build the book without warnings (a strict build treats them "
            f"as errors):\n  " + "\n  ".join(shown) +
            f"\nFull log: {log_path.relative_to(project.root)}. The published site is unchanged."
        )
    return staged


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
