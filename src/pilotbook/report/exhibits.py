"""Exhibits: every table and figure of the book, as data, and the one place that publishes them.

A page function (:mod:`pilotbook.report.pages`) returns :class:`Exhibit` objects — id, title,
the data frame, the table as the reader sees it, caption, the report reference, notes, and for a
figure its SVG and alt text — or :class:`Prose` (a paragraph computed from the data).  Nothing
there touches the file system.  The :class:`Publisher` a notebook creates is the only writer: it
writes each exhibit's data to ``data/<id>.csv`` (a figure's SVG to ``figures/<id>.svg``) of its run's
folder, records it for ``data/index.csv``, and returns the HTML that shows it.  The build gives each
run a folder of its own (``PILOTBOOK_EXHIBITS``) and assembles the site's files from the folders of
the runs it planned (:func:`assemble_site`); a notebook run outside the build writes under
``_build/standalone/``, which the build never reads.
"""

from __future__ import annotations

import base64
import html
import json
import os
import shutil
from dataclasses import asdict, dataclass, field
from pathlib import Path

import pandas as pd

from pilotbook.errors import NotebookError
from pilotbook.io.csvfile import write_csv
from pilotbook.paths import Project

INDEX_COLUMNS = ("id", "title", "kind", "notebook", "report_reference", "path")
EXHIBITS_ENV = "PILOTBOOK_EXHIBITS"  # the folder a run of the build publishes into
RUN_RECORD = "run.json"  # in a run's folder: the hash of the inputs its exhibits were made from


def run_key(template_name: str, identity: dict | None = None) -> str:
    """Names one run of a template (not its data): ``template?param=value``."""
    identity = identity or {}
    if not identity:
        return template_name
    return template_name + "?" + "&".join(f"{k}={identity[k]}" for k in sorted(identity))


@dataclass
class Exhibit:
    """One table or figure: what is shown, what is published as data, and how it is described."""

    id: str
    title: str
    data: pd.DataFrame  # published as data/<id>.csv
    kind: str = "table"  # table | figure
    shown: pd.DataFrame | None = None  # a table as the reader sees it (default: ``data``)
    caption: str = ""
    report_ref: str = ""  # e.g. "Table 4"; "" when the exhibit is ours
    ref_note: str = ""  # how the exhibit relates to ``report_ref`` when it does not simply reproduce it
    notes: list[str] = field(default_factory=list)  # shown under a table (e.g. the report's remarks)
    row_groups: tuple[str, ...] = ()  # columns of ``shown`` whose values head groups of rows instead of filling a column
    svg: str = ""  # a figure, as SVG text
    alt: str = ""  # a figure's alt text, computed from the same numbers

    def __post_init__(self):
        if self.kind not in ("table", "figure"):
            raise ValueError(f"exhibit {self.id}: kind must be table or figure, got {self.kind!r}")
        missing = set(self.row_groups) - set((self.data if self.shown is None else self.shown).columns)
        if missing:
            raise ValueError(f"exhibit {self.id}: row_groups names {sorted(missing)}, not columns of the table")
        if self.kind == "figure" and not (self.svg and self.alt):
            raise ValueError(f"exhibit {self.id}: a figure needs its SVG and alt text")

    @classmethod
    def figure(cls, id: str, title: str, drawn: tuple, data: pd.DataFrame, **kw) -> "Exhibit":
        """A figure from ``(matplotlib figure, alt text)`` as :mod:`pilotbook.report.figures` returns it."""
        from pilotbook.report.style import close, figure_svg

        fig, alt = drawn
        svg = figure_svg(fig)
        close(fig)
        return cls(id=id, title=title, data=data, kind="figure", svg=svg, alt=alt, **kw)


@dataclass
class Prose:
    """A paragraph of MyST markdown computed from data (shown as it is, never published as data)."""

    markdown: str

    def _repr_markdown_(self) -> str:  # glued as text/markdown, pasted with {glue:md} as prose (not bold)
        return self.markdown


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


class _Markdown:
    def __init__(self, text: str):
        self.text = text

    def _repr_markdown_(self) -> str:
        return self.text

    def __repr__(self) -> str:
        return self.text


class Publisher:
    """Writes a notebook's exhibits into the site and returns what shows them."""

    def __init__(self, template: str, identity: dict | None = None, project: Project | None = None,
                 folder: Path | None = None):
        self.project = project or Project.here()
        self.notebook = run_key(template, identity)
        given = folder or os.environ.get(EXHIBITS_ENV)
        self.folder = Path(given) if given else self.project.standalone / _slug(self.notebook)

    # -- links are relative to the page, whose folder mirrors the notebook's folder
    def _href(self, rel: str) -> str:
        prefix = os.path.relpath(self.project.root, Path.cwd())
        return rel if prefix == "." else f"{prefix}/{rel}".replace(os.sep, "/")

    def _record(self, exhibit: Exhibit) -> str:
        rel = f"data/{exhibit.id}.csv"
        write_csv(exhibit.data, self.folder / "site" / rel)
        record = ExhibitRecord(exhibit.id, exhibit.title, exhibit.kind, self.notebook, exhibit.report_ref, rel)
        meta = self.folder / "records" / f"{exhibit.id}.json"
        meta.parent.mkdir(parents=True, exist_ok=True)
        meta.write_text(json.dumps(asdict(record), indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        return rel

    @staticmethod
    def _caption(e: Exhibit) -> str:
        from pilotbook.report.edition import current

        text = e.ref_note or (f"Reproduces {e.report_ref} of the report." if e.report_ref else "")
        if e.report_ref and not current().report_edition:  # never attribute another edition's values
            ed = current()
            text = f"Values of {ed.title} (as of {ed.as_of}); the layout follows the report ({e.report_ref})."
        ref = f' <span class="exhibit-ref">{html.escape(text)}</span>' if text else ""
        extra = f" {html.escape(e.caption)}" if e.caption else ""
        return f"<figcaption><strong>{html.escape(e.title)}</strong>{extra}{ref}</figcaption>"

    def _links(self, rel: str, svg_rel: str | None = None) -> str:
        links = [f'<a href="{self._href(rel)}" download>Data (CSV)</a>']
        if svg_rel:
            links.append(f'<a href="{self._href(svg_rel)}" download>Figure (SVG)</a>')
        return f'<p class="exhibit-links">{" · ".join(links)}</p>'

    def publish(self, exhibit: Exhibit) -> _HTML:
        """Write the exhibit's files and return its HTML (table or figure, caption, links)."""
        e = exhibit
        svg_rel = None
        if e.kind == "figure":
            svg_rel = f"figures/{e.id}.svg"
            svg_path = self.folder / "site" / svg_rel
            svg_path.parent.mkdir(parents=True, exist_ok=True)
            svg_path.write_text(e.svg, encoding="utf-8")
        rel = self._record(e)
        if e.kind == "figure":
            uri = "data:image/svg+xml;base64," + base64.b64encode(e.svg.encode("utf-8")).decode("ascii")
            body = f'<img src="{uri}" alt="{html.escape(e.alt)}" style="max-width:100%;height:auto"/>'
            markup = (f'<figure class="exhibit" id="exhibit-{e.id}">{body}'
                      f"{self._caption(e)}{self._links(rel, svg_rel)}</figure>")
            return _HTML(markup, f"<figure {e.id}>")
        shown = e.data if e.shown is None else e.shown
        body = (grouped_table_html(shown, e.row_groups) if e.row_groups else
                shown.to_html(index=False, border=0, classes="exhibit-table", na_rep="–", escape=True))
        note_items = "".join(f"<li>{html.escape(n)}</li>" for n in e.notes)
        note_html = f'<ul class="exhibit-notes">{note_items}</ul>' if note_items else ""
        markup = (f'<figure class="exhibit" id="exhibit-{e.id}">'
                  f"{self._caption(e)}{body}{note_html}{self._links(rel)}</figure>")
        return _HTML(markup, f"<table {e.id}>")

    def show(self, *items) -> None:
        """Display what a page function returned: exhibits (published), prose, or lists of them."""
        from IPython.display import display

        for item in items:
            if item is None:
                continue
            if isinstance(item, (list, tuple)):
                self.show(*item)
            elif isinstance(item, Exhibit):
                display(_Markdown(f"(exhibit-{item.id})=\n"))  # a label other pages can {ref}
                display(self.publish(item))
            elif isinstance(item, Prose):
                display(_Markdown(item.markdown))
            elif isinstance(item, str):
                display(_Markdown(item))
            else:
                raise TypeError(f"show() takes exhibits and prose, not {type(item).__name__}")


def grouped_table_html(shown: pd.DataFrame, groups: tuple[str, ...]) -> str:
    """A table whose rows come in groups: each value of the first column of ``groups`` (in order of
    appearance) heads its rows in a ``<tbody>`` of its own (a header cell across the table,
    ``scope="rowgroup"``), each value of a second one heads its rows within that group; the columns
    are not repeated on every row, so a narrow screen keeps the table's width for the rest."""
    columns = [c for c in shown.columns if c not in groups]
    cell = lambda v: "–" if v is None or (isinstance(v, float) and v != v) else html.escape(str(v))
    head = "".join(f'<th scope="col">{html.escape(str(c))}</th>' for c in columns)
    bodies = []
    for group, rows in shown.groupby(groups[0], sort=False):
        lines = [f'<tr class="row-group"><th colspan="{len(columns)}" scope="rowgroup">{cell(group)}</th></tr>']
        parts = rows.groupby(groups[1], sort=False) if len(groups) > 1 else [(None, rows)]
        for sub, part in parts:
            if sub is not None:
                lines.append(f'<tr class="row-subgroup"><th colspan="{len(columns)}">{cell(sub)}</th></tr>')
            lines += ["<tr>" + "".join(f"<td>{cell(v)}</td>" for v in row) + "</tr>"
                      for row in part[columns].itertuples(index=False)]
        bodies.append("<tbody>\n" + "\n".join(lines) + "\n</tbody>")
    return (f'<table class="dataframe exhibit-table exhibit-table-grouped">\n<thead><tr>{head}</tr></thead>\n'
            + "\n".join(bodies) + "\n</table>")


# --------------------------------------------------------------------------- build side


def _slug(key: str) -> str:
    return "".join(c if c.isalnum() or c in "-_." else "_" for c in key)


def read_index(project: Project | None = None) -> pd.DataFrame:
    """The registry of this build's exhibits (``data/index.csv``), for a run that reads it (the
    build executes such runs after all others); empty before the first build."""
    path = (project or Project.here()).exhibit_data / "index.csv"
    if not path.is_file():
        return pd.DataFrame(columns=list(INDEX_COLUMNS))
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def run_hash_of(folder: Path) -> str | None:
    """The hash of the inputs a run's folder was made from (None when it has none)."""
    try:
        return json.loads((folder / RUN_RECORD).read_text(encoding="utf-8"))["hash"]
    except (OSError, ValueError, KeyError, TypeError):
        return None


def seal(folder: Path, digest: str) -> None:
    """Record in a run's folder the hash of the inputs it was made from."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / RUN_RECORD).write_text(json.dumps({"hash": digest}) + "\n", encoding="utf-8")


def assemble_site(project: Project, folders: list[Path]) -> pd.DataFrame:
    """Make the site's ``data/`` and ``figures/`` (``book/_generated/site``) anew from ``folders`` — the
    folders of the runs this build planned, each made from this build's inputs — and write
    ``data/index.csv`` from their records.  Nothing else reaches the site: not a run no longer planned
    (a removed pilot's), not an exhibit a run no longer makes, not what a notebook run outside the
    build wrote."""
    shutil.rmtree(project.site_extra, ignore_errors=True)
    records = []
    for folder in folders:
        if (folder / "site").is_dir():
            shutil.copytree(folder / "site", project.site_extra, dirs_exist_ok=True)
        records += [json.loads(p.read_text(encoding="utf-8")) for p in sorted((folder / "records").glob("*.json"))]
    index = pd.DataFrame(records, columns=list(INDEX_COLUMNS)).sort_values("id")
    duplicated = index[index["id"].duplicated(keep=False)]
    if not duplicated.empty:
        raise NotebookError("two runs publish the same exhibit id, so one would overwrite the other's data: "
                            + "; ".join(f"{r.id} ({r.notebook})" for r in duplicated.itertuples())
                            + ". Give each exhibit an id of its own (e.g. with the pilot_id in it).")
    project.exhibit_data.mkdir(parents=True, exist_ok=True)
    write_csv(index, project.exhibit_data / "index.csv")
    return index
