"""A small Sphinx extension for the print edition (``_config.yml`` lists it in ``extra_extensions``).

The PDF is printed from jupyter-book's ``singlehtml`` build (:mod:`pilotbook.pipeline.pdf`).  For that
builder jupyter-book sets Sphinx's asset policy to "always", which puts MathJax, fetched from a CDN,
on the page although no chapter has an equation; the book must load nothing from outside (and
Chromium would wait for the fetch).  This sets the policy back to "per page" before the sources are
read, so MathJax comes only with an equation, as in the HTML site.  The HTML build is not changed.
"""

from __future__ import annotations


def _assets_per_page(app, env, docnames) -> None:
    if app.builder.name == "singlehtml":
        app.registry.html_assets_policy = "per_page"


def setup(app) -> dict:
    app.connect("env-before-read-docs", _assets_per_page)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
