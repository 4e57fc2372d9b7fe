"""Which notebooks a build executes, with which parameters, reading which inputs.

Each template in ``notebooks/`` declares itself in its notebook metadata::

    "pilotbook": {
        "inputs": ["pilots", "outcomes"],      # catalog datasets it reads
        "run_per": "pilot",                   # optional: once per row of pilots.csv
        "own_rows": ["outcomes"],             # optional, with run_per: inputs of which the run reads
                                              # only its pilot's rows (and rows of no pilot)
        "output": "pilots/{order:02d}-{pilot_id}",  # optional, under book/_generated/
        "reads_exhibits": true                 # optional: runs after the others, reading their
    }                                          # exhibit registry (the summary links to them)

so a new template, or a new pilot row, needs no change here.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from pilotbook.io.catalog import DATASETS, load
from pilotbook.errors import TemplateError
from pilotbook.paths import Project
from pilotbook.report.exhibits import run_key


@dataclass(frozen=True)
class Run:
    """One papermill execution: a template, its parameters, and where it goes."""

    template: Path
    output: str  # relative to book/_generated, with .ipynb
    parameters: dict = field(default_factory=dict)
    inputs: tuple[str, ...] = ()
    reads_exhibits: bool = False  # runs once the other runs of the build have published their exhibits
    own_rows: tuple[str, ...] = ()  # inputs of which it reads only its pilot's rows (io/own_rows.py)

    @property
    def pilot_id(self) -> str | None:
        return self.parameters.get("pilot_id")

    @property
    def run_per_pilot(self) -> bool:
        return "pilot_id" in self.parameters

    @property
    def key(self) -> str:
        """Identifies the run (not its data): ``template?param=value``."""
        return run_key(self.template.name, {k: v for k, v in self.parameters.items() if k not in ENV_PARAMS})

    @property
    def name(self) -> str:
        return self.output.removesuffix(".ipynb")


# Parameters that say where and how to run, not which run it is.
ENV_PARAMS = ("data_dir", "lang")


def template_spec(path: Path) -> dict:
    """A template's ``metadata.pilotbook`` block (inputs, run_per, output), checked."""
    try:
        notebook = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as err:
        raise TemplateError(f"{path}: not a notebook (invalid JSON at line {err.lineno}: {err.msg}).") from None
    meta = notebook.get("metadata", {}).get("pilotbook") if isinstance(notebook, dict) else None
    if not isinstance(meta, dict):
        raise TemplateError(f"{path}: notebook metadata has no 'pilotbook' section; add e.g. "
                            '"pilotbook": {"inputs": ["pilots", "outcomes"]} (see pipeline/plan.py).')
    inputs = meta.get("inputs", [])
    if not isinstance(inputs, list):
        raise TemplateError(f"{path}: metadata.pilotbook.inputs must be a list of dataset names.")
    unknown = [d for d in inputs if d not in DATASETS]
    if unknown:
        raise TemplateError(f"{path}: metadata.pilotbook.inputs names unknown datasets {unknown}; "
                            f"known: {', '.join(DATASETS)}")
    if meta.get("run_per") == "pilot" and meta.get("reads_exhibits"):
        raise TemplateError(f"{path}: a template run per pilot cannot also read the exhibit registry.")
    if meta.get("run_per") not in (None, "pilot"):
        raise TemplateError(f"{path}: metadata.pilotbook.run_per must be 'pilot' or absent, got {meta['run_per']!r}")
    if not isinstance(meta.get("reads_exhibits", False), bool):
        raise TemplateError(f"{path}: metadata.pilotbook.reads_exhibits must be true or false.")
    own = meta.get("own_rows", [])
    if not isinstance(own, list) or not set(own) <= set(inputs):
        raise TemplateError(f"{path}: metadata.pilotbook.own_rows must be a list of datasets named in its inputs.")
    if own and meta.get("run_per") != "pilot":
        raise TemplateError(f"{path}: metadata.pilotbook.own_rows is for a template run per pilot.")
    if meta.get("run_per") == "pilot" and "output" not in meta:
        raise TemplateError(f"{path}: a template run per pilot needs metadata.pilotbook.output, "
                            "e.g. 'pilots/{order:02d}-{pilot_id}'.")
    return meta


def check_templates(project: Project) -> None:
    """Every template's metadata, checked before the build spends time on the data: a broken template
    is named at once (:func:`template_spec`)."""
    for template in sorted(project.templates.glob("*.ipynb")):
        template_spec(template)


def data_param(project: Project, data_dir: Path) -> str:
    """The data folder as the notebooks receive it: relative to the project when inside it (a folder
    outside is reached through the link ``_build/data``: :func:`link_data`), so that no path of the
    machine that built the book reaches the executed notebooks."""
    data_dir = Path(os.path.abspath(data_dir))
    try:
        return data_dir.relative_to(Path(os.path.abspath(project.root))).as_posix()
    except ValueError:
        return str(data_dir)


def link_data(project: Project, data_dir: Path) -> Path:
    """``data_dir`` as a path inside the project: itself when it is inside, else the link
    ``_build/data`` pointing at it (made anew for each build)."""
    data_dir = Path(os.path.abspath(data_dir))
    try:
        data_dir.relative_to(Path(os.path.abspath(project.root)))
        return data_dir
    except ValueError:
        pass
    link = project.build_dir / "data"
    project.build_dir.mkdir(parents=True, exist_ok=True)
    if link.is_symlink() or link.exists():
        link.unlink()
    link.symlink_to(data_dir, target_is_directory=True)
    return link


def make_plan(project: Project, data_dir: Path, lang: str = "en") -> list[Run]:
    runs: list[Run] = []
    pilots: pd.DataFrame | None = None
    base = {"data_dir": data_param(project, data_dir), "lang": lang}
    for template in sorted(project.templates.glob("*.ipynb")):
        spec = template_spec(template)
        inputs = tuple(spec.get("inputs", ()))
        per = spec.get("run_per")
        if per is None:
            out = spec.get("output", template.stem) + ".ipynb"
            runs.append(Run(template, out, dict(base), inputs, spec.get("reads_exhibits", False)))
        elif per == "pilot":
            if pilots is None:
                pilots = load("pilots", data_dir).sort_values("order")
            for row in pilots.itertuples(index=False):
                row = row._asdict()
                try:
                    out = spec["output"].format(**row) + ".ipynb"
                except (KeyError, IndexError, ValueError) as err:
                    raise TemplateError(f"{template}: metadata.pilotbook.output {spec['output']!r} names "
                                        f"{err} which is not a column of pilots.csv.") from None
                runs.append(Run(template, out, {"pilot_id": str(row["pilot_id"]), **base}, inputs,
                                own_rows=tuple(spec.get("own_rows", ()))))
    return runs
