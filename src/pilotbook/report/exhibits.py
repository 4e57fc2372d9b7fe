"""Publish every table and figure also as data.

A notebook creates one :class:`Publisher` and passes each exhibit through it.
The publisher writes the exhibit's data to ``data/<id>.csv`` of the site (and a
figure's SVG to ``figures/<id>.svg``), records it for ``data/index.csv``, and
returns the HTML that shows it in the book with its "Data (CSV)" link.
"""

from __future__ import annotations

import base64
import html
import io
import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path

import pandas as pd

from pilotbook.paths import Project
from pilotbook.pipeline.plan import run_key

INDEX_COLUMNS = ("id", "title", "kind", "notebook", "report_reference", "path")


@dataclass
class ExhibitRecord:
    id: str
    title: str
    kind: str  # table | figure
    notebook: str  # the run that made it: template?identity
    report_reference: str  # e.g. "Table 4", or "" when it is ours
    path: str  # data/<id>.csv


class _HTML:
    """Minimal rich-display object (text/html) so this module needs no IPython import."""

    def __init__(self, markup: str, plain: str):
        self.markup, self.plain = markup, plain

    def _repr_html_(self) -> str:
        return self.markup

    def __repr__(self) -> str:
        return self.plain


def write_csv(frame: pd.DataFrame, path: Path) -> None:
    """Deterministic CSV: UTF-8, '\\n' line ends, no index."""
    path.parent.mkdir(parents=True, exist_ok=True)
    buffer = io.StringIO()
    frame.to_csv(buffer, index=False, lineterminator="\n")
    path.write_text(buffer.getvalue(), encoding="utf-8")


class Publisher:
    def __init__(self, template: str, identity: dict | None = None, project: Project | None = None):
        self.project = project or Project.here()
        self.notebook = run_key(template, identity)

    # -- links are relative to the page, whose folder mirrors the notebook's folder
    def _href(self, rel: str) -> str:
        prefix = os.path.relpath(self.project.root, Path.cwd())
        return rel if prefix == "." else f"{prefix}/{rel}".replace(os.sep, "/")

    def _record(self, exhibit_id: str, title: str, kind: str, report_ref: str, data: pd.DataFrame) -> str:
        rel = f"data/{exhibit_id}.csv"
        write_csv(data, self.project.site_extra / rel)
        record = ExhibitRecord(exhibit_id, title, kind, self.notebook, report_ref, rel)
        meta = self.project.exhibit_meta / f"{exhibit_id}.json"
        meta.parent.mkdir(parents=True, exist_ok=True)
        meta.write_text(json.dumps(asdict(record), indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        return rel

    def _caption(self, title: str, report_ref: str, caption: str) -> str:
        ref = f' <span class="exhibit-ref">Reproduces {html.escape(report_ref)} of the report.</span>' if report_ref else ""
        extra = f" {html.escape(caption)}" if caption else ""
        return f"<figcaption><strong>{html.escape(title)}</strong>{extra}{ref}</figcaption>"

    def _links(self, rel: str, svg_rel: str | None = None) -> str:
        links = [f'<a href="{self._href(rel)}" download>Data (CSV)</a>']
        if svg_rel:
            links.append(f'<a href="{self._href(svg_rel)}" download>Figure (SVG)</a>')
        return f'<p class="exhibit-links">{" · ".join(links)}</p>'

    def table(self, shown: pd.DataFrame, exhibit_id: str, title: str, *, report_ref: str = "",
              caption: str = "", data: pd.DataFrame | None = None, notes: list[str] | None = None) -> _HTML:
        """Show ``shown`` as an HTML table; publish ``data`` (default: ``shown``) as CSV.

        ``notes`` are shown under the table (e.g. the remarks the report attaches to rows).
        """
        rel = self._record(exhibit_id, title, "table", report_ref, shown if data is None else data)
        body = shown.to_html(index=False, border=0, classes="exhibit-table", na_rep="–", escape=True)
        note_items = "".join(f"<li>{html.escape(n)}</li>" for n in notes or [])
        note_html = f'<ul class="exhibit-notes">{note_items}</ul>' if note_items else ""
        markup = (f'<figure class="exhibit" id="exhibit-{exhibit_id}">'
                  f"{self._caption(title, report_ref, caption)}{body}{note_html}{self._links(rel)}</figure>")
        return _HTML(markup, f"<table {exhibit_id}>")

    def figure(self, fig, exhibit_id: str, title: str, *, alt: str, data: pd.DataFrame,
               report_ref: str = "", caption: str = "") -> _HTML:
        """Show a matplotlib figure (as SVG) with alt text; publish its data and SVG."""
        from pilotbook.report.style import figure_svg

        import matplotlib.pyplot as plt

        svg = figure_svg(fig)
        plt.close(fig)
        svg_rel = f"figures/{exhibit_id}.svg"
        svg_path = self.project.site_extra / svg_rel
        svg_path.parent.mkdir(parents=True, exist_ok=True)
        svg_path.write_text(svg, encoding="utf-8")
        rel = self._record(exhibit_id, title, "figure", report_ref, data)
        uri = "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")
        markup = (f'<figure class="exhibit" id="exhibit-{exhibit_id}">'
                  f'<img src="{uri}" alt="{html.escape(alt)}" style="max-width:100%;height:auto"/>'
                  f"{self._caption(title, report_ref, caption)}{self._links(rel, svg_rel)}</figure>")
        return _HTML(markup, f"<figure {exhibit_id}>")


# --------------------------------------------------------------------------- build side


def assemble_index(project: Project, run_keys: set[str]) -> pd.DataFrame:
    """Write ``data/index.csv`` from the records of the runs in this build.

    Records (and their CSV/SVG) left by runs that are no longer in the plan,
    e.g. of a pilot removed from pilots.csv, are deleted so they cannot linger.
    """
    records = []
    for meta in sorted(project.exhibit_meta.glob("*.json")) if project.exhibit_meta.is_dir() else []:
        record = json.loads(meta.read_text(encoding="utf-8"))
        if record["notebook"] in run_keys:
            records.append(record)
            continue
        meta.unlink()
        (project.site_extra / record["path"]).unlink(missing_ok=True)
        (project.site_extra / "figures" / f"{record['id']}.svg").unlink(missing_ok=True)
    index = pd.DataFrame(records, columns=list(INDEX_COLUMNS)).sort_values("id")
    project.exhibit_data.mkdir(parents=True, exist_ok=True)
    write_csv(index, project.exhibit_data / "index.csv")
    return index
