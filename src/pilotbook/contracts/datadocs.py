"""Great Expectations Data Docs that work offline, served from the book's site.

GX renders Data Docs that load jQuery, Bootstrap, Font Awesome, bootstrap-table,
Vega and a logo from CDNs (the logo URL even carries a timestamp: a beacon).  The
same files, pinned in ``assets/package.json`` and installed from the npm registry
by ``make``, are copied into the Data Docs folder and every link is rewritten to
them, so a browser opening the pages asks nothing of any other host.

The pages are then held to the book's bar (:func:`accessible`, issue 14): a title
and a first-level heading of their own, labelled landmarks, tabs and filter fields,
colours with enough contrast, no fixed footer over the tables, and nothing wider
than a phone.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

from pilotbook.errors import RenderError

VENDOR_DIR = "static/vendor"

# CDN URL (as GX writes it) -> (file under node_modules, path under static/vendor)
CDN_FILES: dict[str, tuple[str, str]] = {
    "https://code.jquery.com/jquery-3.7.1.min.js": ("jquery/dist/jquery.min.js", "jquery/jquery.min.js"),
    "https://maxcdn.bootstrapcdn.com/bootstrap/4.3.1/css/bootstrap.min.css":
        ("bootstrap/dist/css/bootstrap.min.css", "bootstrap/css/bootstrap.min.css"),
    "https://stackpath.bootstrapcdn.com/bootstrap/4.3.1/js/bootstrap.min.js":
        ("bootstrap/dist/js/bootstrap.min.js", "bootstrap/js/bootstrap.min.js"),
    "https://cdnjs.cloudflare.com/ajax/libs/popper.js/1.12.9/umd/popper.min.js":
        ("popper.js/dist/umd/popper.min.js", "popper/popper.min.js"),
    "https://cdnjs.cloudflare.com/ajax/libs/font-awesome/6.6.0/css/all.min.css":
        ("@fortawesome/fontawesome-free/css/all.min.css", "fontawesome/css/all.min.css"),
    "https://cdnjs.cloudflare.com/ajax/libs/bootstrap-datepicker/1.9.0/css/bootstrap-datepicker.min.css":
        ("bootstrap-datepicker/dist/css/bootstrap-datepicker.min.css", "bootstrap-datepicker/bootstrap-datepicker.min.css"),
    "https://cdnjs.cloudflare.com/ajax/libs/bootstrap-datepicker/1.9.0/js/bootstrap-datepicker.min.js":
        ("bootstrap-datepicker/dist/js/bootstrap-datepicker.min.js", "bootstrap-datepicker/bootstrap-datepicker.min.js"),
    "https://unpkg.com/bootstrap-table@1.19.1/dist/bootstrap-table.min.css":
        ("bootstrap-table/dist/bootstrap-table.min.css", "bootstrap-table/bootstrap-table.min.css"),
    "https://unpkg.com/bootstrap-table@1.19.1/dist/bootstrap-table.min.js":
        ("bootstrap-table/dist/bootstrap-table.min.js", "bootstrap-table/bootstrap-table.min.js"),
    "https://unpkg.com/bootstrap-table@1.19.1/dist/extensions/filter-control/bootstrap-table-filter-control.min.js":
        ("bootstrap-table/dist/extensions/filter-control/bootstrap-table-filter-control.min.js",
         "bootstrap-table/bootstrap-table-filter-control.min.js"),
    "https://unpkg.com/bootstrap-table@1.19.0/dist/extensions/filter-control/bootstrap-table-filter-control.css":
        ("bootstrap-table-1.19.0/dist/extensions/filter-control/bootstrap-table-filter-control.css",
         "bootstrap-table/bootstrap-table-filter-control-1.19.0.css"),
    "https://unpkg.com/bootstrap-table@1.19.0/dist/extensions/filter-control/bootstrap-table-filter-control.min.css":
        ("bootstrap-table-1.19.0/dist/extensions/filter-control/bootstrap-table-filter-control.min.css",
         "bootstrap-table/bootstrap-table-filter-control-1.19.0.min.css"),
    "https://cdn.jsdelivr.net/npm/@forevolve/bootstrap-dark@1.1.0/dist/css/bootstrap-prefers-dark.css":
        ("@forevolve/bootstrap-dark/dist/css/bootstrap-prefers-dark.css", "bootstrap-dark/bootstrap-prefers-dark.css"),
    "https://cdn.jsdelivr.net/npm/vega@5": ("vega/build/vega.min.js", "vega/vega.min.js"),
    "https://cdn.jsdelivr.net/npm/vega-lite@5": ("vega-lite/build/vega-lite.min.js", "vega/vega-lite.min.js"),
    "https://cdn.jsdelivr.net/npm/vega-embed@6": ("vega-embed/build/vega-embed.min.js", "vega/vega-embed.min.js"),
}
# Whole folders a vendored file needs beside it (Font Awesome's CSS loads ../webfonts/).
CDN_DIRS = {"@fortawesome/fontawesome-free/webfonts": "fontawesome/webfonts"}
# Remote images -> the copies GX ships in static/images/.
REMOTE_IMAGES = re.compile(r"https://great-expectations-web-assets\.s3\.[a-z0-9-]+\.amazonaws\.com/"
                           r"(?:logo-long\.png(?:\?d=[0-9TZ.]+)?|full_logo_dark\.png)")
NEWSLETTER = re.compile(r"<p>[^<]*newsletter <a [^>]*>Subscribe</a></p>", re.IGNORECASE)
REMOTE_LOAD = re.compile(r"""(?:src|href)=["'](https?:)?//[^"']+["']|url\(['"]?https?://""")
LINK_OR_SCRIPT = re.compile(r"<(?:script|link|img)\b[^>]*>", re.IGNORECASE)


def _relative(from_file: Path, site: Path, target: str) -> str:
    return os.path.relpath(site / target, from_file.parent).replace(os.sep, "/")


def vendor(site: Path, node_modules: Path) -> None:
    """Copy the pinned front-end files into ``site/static/vendor``."""
    missing = [src for src, _ in CDN_FILES.values() if not (node_modules / src).is_file()]
    missing += [src for src in CDN_DIRS if not (node_modules / src).is_dir()]
    if missing:
        raise RenderError(
            f"Data Docs assets are not installed in {node_modules} (missing: {', '.join(missing[:3])}...). "
            "Run `make env` (it runs `npm ci` in assets/)."
        )
    for src, dest in CDN_FILES.values():
        target = site / VENDOR_DIR / dest
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(node_modules / src, target)
    for src, dest in CDN_DIRS.items():
        shutil.copytree(node_modules / src, site / VENDOR_DIR / dest, dirs_exist_ok=True)


def rewrite(site: Path) -> list[str]:
    """Point every CDN reference of the HTML and CSS files at the vendored copies.

    Returns the remote loads that remain (none, when GX's pages are as expected).
    """
    remaining: list[str] = []
    for path in sorted([*site.rglob("*.html"), *site.rglob("*.css")]):
        if VENDOR_DIR in path.as_posix():
            continue
        text = path.read_text(encoding="utf-8")
        for url, (_, dest) in CDN_FILES.items():
            text = text.replace(url, _relative(path, site, f"{VENDOR_DIR}/{dest}"))
        text = REMOTE_IMAGES.sub(lambda m: _relative(path, site, "static/images/logo-long.png"), text)
        text = NEWSLETTER.sub("", text)
        if path.suffix == ".html":
            text = re.sub(r"<html(?![^>]*\blang=)", '<html lang="en"', text, count=1)
            tags = LINK_OR_SCRIPT.findall(text)
            remaining += [f"{path.relative_to(site)}: {t[:120]}" for t in tags if REMOTE_LOAD.search(t)]
        else:
            remaining += [f"{path.relative_to(site)}: {m}" for m in re.findall(r"url\(['\"]?https?://[^)]+", text)]
        path.write_text(text, encoding="utf-8")
    return remaining


RUN_FOLDER = re.compile(r"^\d{8}T\d{6}\.\d{6}Z$")  # GX names a validation's folder by its run time
RUN_STAMP = re.compile(r"\d{8}T\d{6}\.\d{6}Z")
RUN_TIMES = re.compile(r"\d{4}-\d{2}-\d{2}(?:T| )\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z| UTC)")
RUN_SORT = re.compile(r"'_run_time_sort': [0-9.]+")
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
RUN_NAME = "validation"  # what stands for the run time in folder names
RUN_TIME_TEXT = "this build"  # what stands for the run time in the pages


def deterministic(site: Path) -> None:
    """Make the Data Docs a function of the data alone: two validations of the same files give the same
    bytes.  GX stamps each validation with its run time (a folder name, shown times, a sort key) and gives
    collapsible blocks random ids; each run folder becomes ``validation``, each time "this build", and the
    ids are numbered in order of appearance in their page."""
    for folder in sorted((p for p in site.rglob("*") if p.is_dir() and RUN_FOLDER.match(p.name)), reverse=True):
        folder.rename(folder.with_name(RUN_NAME))
    for path in sorted(site.rglob("*.html")):
        if VENDOR_DIR in path.as_posix():
            continue
        text = path.read_text(encoding="utf-8")
        text = RUN_STAMP.sub(RUN_NAME, text)
        text = RUN_TIMES.sub(RUN_TIME_TEXT, text)
        text = RUN_SORT.sub("'_run_time_sort': 0", text)
        ids: dict[str, str] = {}
        text = UUID.sub(lambda m: ids.setdefault(m.group(0), f"block-{len(ids) + 1}"), text)
        path.write_text(text, encoding="utf-8")


OWN_STATIC = Path(__file__).with_name("datadocs_static")  # our CSS and JS for the pages
OWN_DIR = "static/pilotbook"
BOOK_CONTRACTS = "../book/_generated/contracts.html"  # from the Data Docs' index back to the book
TITLE_SUFFIX = "Data Docs of the pilotbook contracts"
VEGA_SCRIPT = re.compile(r'<script src="[^"]*static/vendor/vega/[^"]+"></script>\n?')
INLINE_SCRIPT = re.compile(r"<script>(.*?)</script>\s*", re.S)
HEADING = re.compile(r"<(/?)h([4-6])\b([^>]*)>")


def page_name(path: Path, site: Path) -> str:
    """What a Data Docs page shows, from where GX puts it: ``expectations/<suite>.html`` (a suite's
    views in a folder of its name) and ``validations/<suite>/.../validation/<file>.html``."""
    parts = path.relative_to(site).with_suffix("").parts
    if parts == ("index",):
        return "Data Docs: every contract and its validation"
    if parts[0] == "expectations":
        return f"Contract {'.'.join(parts[1:])}: its expectations"
    if parts[0] == "validations":
        suite = [p for p in parts[1:] if p != "__none__"]
        suite = suite[: suite.index(RUN_NAME)] if RUN_NAME in suite else suite[:-1]
        return f"Contract {'.'.join(suite)}: validation of this build's data"
    raise RenderError(f"unexpected Data Docs page {path.relative_to(site)}: add its kind to page_name()")


def _renumber(match: re.Match) -> str:
    """GX's pages start at <h4>: h4-h6 become h1-h3, keeping their size (Bootstrap's .h4-.h6)."""
    closing, level, attrs = match.group(1), int(match.group(2)), match.group(3)
    if closing:
        return f"</h{level - 3}>"
    if 'class="' in attrs:
        attrs = attrs.replace('class="', f'class="h{level} ', 1)
    else:
        attrs = f' class="h{level}"' + attrs
    return f"<h{level - 3}{attrs}>"


def _first_copies(text: str) -> str:
    """GX writes its table helpers (function declarations only) once per table: keep the first copy of
    each inline script."""
    seen: set[str] = set()

    def once(match: re.Match) -> str:
        body = match.group(1).strip()
        if body in seen:
            return ""
        seen.add(body)
        return match.group(0)

    return INLINE_SCRIPT.sub(once, text)


def accessible(site: Path) -> None:
    """Give every page of GX's Data Docs what the book's browser tests ask of a page (issue 14)."""
    shutil.copytree(OWN_STATIC, site / OWN_DIR, dirs_exist_ok=True)
    for path in sorted(site.rglob("*.html")):
        if VENDOR_DIR in path.as_posix():
            continue
        text = path.read_text(encoding="utf-8")
        name = page_name(path, site)
        title = f"{name} | {TITLE_SUFFIX}"
        # GX writes two <title>s (a fixed one, shared by every page, and an empty block): one of its own
        text = re.sub(r"\s*<title>[^<]*</title>", "", text)
        text = text.replace("<head>", f"<head>\n    <title>{title}</title>", 1)
        if re.search(r"<h[1-3]\b", text):
            raise RenderError(f"{path.relative_to(site)}: GX now writes <h1>-<h3>; revisit accessible() in datadocs.py")
        text = re.sub(r"<h4>[^<]*</h4>", f"<h4>{name}</h4>", text, count=1)
        text = HEADING.sub(_renumber, text)
        if "<h1" not in text:  # the index: its site-name box becomes the heading, with a way back to the book
            text, found = re.subn(r"<span >\s*<strong >Data Docs</strong> \|[^<]*</span>",
                                  f'<h1 class="h5 m-0">{name}</h1>\n<p class="mb-0 mt-1">These pages are '
                                  f'Great Expectations\' report of the contracts; <a href="{BOOK_CONTRACTS}">'
                                  "back to the book's contracts appendix</a>.</p>", text, count=1)
            if not found:
                raise RenderError(f"{path.relative_to(site)}: no heading and no site-name box to make one of")
        # landmarks: a labelled top bar and breadcrumb, the page's main part, a labelled table of contents
        text = text.replace('<nav class="navbar navbar-expand-md sticky-top border-bottom"',
                            '<nav aria-label="Data Docs" class="navbar navbar-expand-md sticky-top border-bottom"', 1)
        text = text.replace('<nav class="d-flex align-items-center">',
                            '<nav aria-label="Breadcrumb" class="d-flex align-items-center">', 1)
        text = text.replace('<nav id="navigation"', '<nav aria-label="Table of contents" id="navigation"', 1)
        text = text.replace('<div class="container-fluid pt-4 pb-4 pl-5 pr-5">',
                            '<div class="container-fluid pt-4 pb-4 pl-5 pr-5" role="main">', 1)
        # tabs: the list items between a tablist and its tabs are presentation, not list items
        text = re.sub(r'(role="tablist">.*?</ul>)',
                      lambda m: m.group(1).replace('<li class="nav-item">', '<li class="nav-item" role="presentation">'),
                      text, flags=re.S)
        # the empty footer GX leaves (fixed over the bottom of the page, above the tables)
        text = re.sub(r"<footer>\s*</footer>\s*", "", text)
        if "vegaEmbed(" not in text:  # no chart on the page: 1.3 MB of Vega it would load for nothing
            text = VEGA_SCRIPT.sub("", text)
        text = _first_copies(text)
        # GX's icon link climbs one folder too few on validation pages: point every page at the icon
        text = re.sub(r'(<link rel="shortcut icon" href=")[^"]*(")',
                      lambda m: m.group(1) + _relative(path, site, "static/images/favicon.ico") + m.group(2), text)
        own = _relative(path, site, OWN_DIR)
        text = text.replace("</head>", f'  <link rel="stylesheet" href="{own}/datadocs.css">\n  </head>', 1)
        text = text.replace("</body>", f'<script src="{own}/datadocs.js"></script>\n</body>', 1)
        path.write_text(text, encoding="utf-8")


def publish_offline(gx_site: Path, dest: Path, node_modules: Path) -> None:
    """Copy GX's rendered Data Docs to ``dest``, vendored, rewritten to load nothing remote, free of
    run times and random ids (:func:`deterministic`), and accessible (:func:`accessible`)."""
    shutil.rmtree(dest, ignore_errors=True)
    shutil.copytree(gx_site, dest)
    vendor(dest, node_modules)
    deterministic(dest)
    remaining = rewrite(dest)
    if remaining:
        raise RenderError("Data Docs still load files from other hosts after rewriting:\n  " +
                          "\n  ".join(remaining[:10]) + "\nAdd them to CDN_FILES in src/pilotbook/contracts/datadocs.py.")
    accessible(dest)
