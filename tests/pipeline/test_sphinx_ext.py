"""Our Sphinx extension (pipeline/sphinx_ext.py) on the objects Sphinx hands it; the browser tests check
the pages it helps write."""

from __future__ import annotations

from types import SimpleNamespace

from sphinx.builders.html._assets import _JavaScript

from pilotbook.pipeline import sphinx_ext


def test_a_script_registered_twice_is_written_once():
    body = 'const THEBE_JS_URL = "x"'
    # Sphinx 7.4 keeps the builder's copy (filename None) and the registry's ("") of a late inline script
    scripts = [_JavaScript("_static/doctools.js", priority=200), _JavaScript(None, priority=500, body=body),
               _JavaScript("_static/sphinx-thebe.js", priority=500, **{"async": "async"}),
               _JavaScript("", priority=500, body=body), _JavaScript(None, priority=500, body="let other = 1")]
    context = {"script_files": list(scripts)}
    sphinx_ext.drop_duplicate_scripts(None, "page", "page.html", context, None)
    kept = context["script_files"]
    assert [s.attributes.get("body") for s in kept].count(body) == 1
    assert len(kept) == 4 and kept[0].filename == "_static/doctools.js"


def test_the_themes_macro_files_are_not_published(tmp_path):
    static = tmp_path / "_static"
    static.mkdir()
    for name in (*sphinx_ext.THEME_TEMPLATES, "pilotbook.css"):
        (static / name).write_text("{% macro x() %}{% endmacro %}")
    app = SimpleNamespace(outdir=str(tmp_path), builder=SimpleNamespace(format="html"))
    sphinx_ext.drop_theme_templates(app, None)
    assert sorted(p.name for p in static.iterdir()) == ["pilotbook.css"]


def test_the_hidden_input_toggle_is_named_by_its_text():
    translator = SimpleNamespace(body=[])
    node = {"classes": ["above-input"], "prompt_show": "Show code cell source", "prompt_hide": "Hide code cell source"}
    sphinx_ext.visit_hidden_input(translator, node)
    html = "".join(translator.body)
    assert "<summary>" in html and "aria-label" not in html
    assert '<p class="collapsed admonition-title">Show code cell source</p>' in html
