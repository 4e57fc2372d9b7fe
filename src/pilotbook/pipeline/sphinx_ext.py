"""A small Sphinx extension (listed in ``_config.yml``) for what configuration alone cannot fix.

* **Inline scripts written twice.**  Sphinx 7.4 adds a script registered by an extension after the
  builder started (sphinx-thebe's ``const THEBE_JS_URL = ...``, sphinx-togglebutton's selector) once
  when it is registered and once more when it prepares writing, because the two copies differ only
  in ``filename`` being ``None`` or ``""``.  A ``const`` declared twice is a page error on every
  page (``Identifier 'THEBE_JS_URL' has already been declared``); each page keeps the first copy.
* **A summary named against its text.**  myst-nb writes the "Show code cell source" toggle of a
  hidden input cell as ``<summary aria-label="Toggle hidden content">``: a name that leaves out
  the words on screen (axe: label-content-name-mismatch, serious).  The same markup, without the
  ``aria-label``: the summary's visible text is its name.
* **Theme template files published as pages.**  pydata-sphinx-theme and sphinx-book-theme keep the
  Jinja macros their layouts import in their ``static/`` folders, so Sphinx copies them to
  ``_static/`` as if they were pages (raw macro text, with links that 404).  They are removed from
  the output when the build finishes; the layouts read them from the theme, never from there.
"""

from __future__ import annotations

from html import escape
from pathlib import Path

THEME_TEMPLATES = ("webpack-macros.html", "sbt-webpack-macros.html")


def _script_key(script) -> tuple:
    attributes = getattr(script, "attributes", {}) or {}
    return (getattr(script, "filename", script) or "", getattr(script, "priority", 500),
            tuple(sorted((k, str(v)) for k, v in attributes.items())))


def drop_duplicate_scripts(app, pagename, templatename, context, doctree) -> None:
    """Keep the first of several identical script entries (same file or body, same attributes)."""
    scripts = context.get("script_files")
    if not scripts:
        return
    seen, kept = set(), []
    for script in scripts:
        key = _script_key(script)
        if key not in seen:
            seen.add(key)
            kept.append(script)
    context["script_files"] = kept


def visit_hidden_input(self, node) -> None:
    """myst-nb's ``visit_HideCellInput`` (myst_nb/sphinx_.py, 1.4.0) but for the summary's aria-label."""
    classes = " ".join(node["classes"])
    self.body.append(f'<details class="admonition hide {classes}">\n')
    self.body.append("<summary>\n")
    self.body.append(f'<p class="collapsed admonition-title">{escape(node["prompt_show"])}</p>\n')
    self.body.append(f'<p class="expanded admonition-title">{escape(node["prompt_hide"])}</p>\n')
    self.body.append("</summary>\n")


def depart_hidden_input(self, node) -> None:
    self.body.append("</details>\n")


def drop_theme_templates(app, exception) -> None:
    if exception is not None or app.builder.format != "html":
        return
    for name in THEME_TEMPLATES:
        (Path(app.outdir) / "_static" / name).unlink(missing_ok=True)


def setup(app):
    from myst_nb.sphinx_ import HideCodeCellNode

    app.add_node(HideCodeCellNode, override=True, html=(visit_hidden_input, depart_hidden_input))
    app.connect("html-page-context", drop_duplicate_scripts, priority=900)
    app.connect("build-finished", drop_theme_templates)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
