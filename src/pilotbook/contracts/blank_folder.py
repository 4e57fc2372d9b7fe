"""``pilotbook init DIR``: a data folder to fill with real numbers, made from the contracts.

It holds every file of the catalog at its place, with its header and no rows (the YAML files with
an empty list and a pointer to their schema; the edition with its keys empty and ``report_edition: false``), and a README that says, file by file, what each
column means, its unit and the values the contract allows.  ``pilotbook validate --data DIR`` then
says what is still missing.
"""

from __future__ import annotations

from pathlib import Path

from pilotbook.contracts.appendix import allowed_values
from pilotbook.contracts.validate import load_suites
from pilotbook.errors import DataFileError
from pilotbook.io.catalog import DATASETS

YAML_LISTS = {"fee_models": "models", "pilot_texts": "pilots"}  # the list a YAML dataset's entries go in
EDITION_KEYS = ("title", "reference_date", "source")  # left empty for the researcher; report_edition: false


def _main_suites(contracts_dir: Path) -> dict[str, dict]:
    """dataset -> its suite on the file itself (not on a view), which names the columns."""
    return {s["meta"]["dataset"]: s for s in load_suites(contracts_dir)
            if not s["meta"].get("view") and s["meta"].get("columns")}


def init_folder(dest: Path, contracts_dir: Path) -> list[Path]:
    """Write the blank data folder ``dest`` (which must not exist or be empty); return its files."""
    dest = Path(dest)
    if dest.exists() and any(dest.iterdir()):
        raise DataFileError(f"{dest} exists and is not empty: give `pilotbook init` a new folder.")
    suites = _main_suites(contracts_dir)
    written = []
    for name, ds in DATASETS.items():
        path = ds.path(dest)
        path.parent.mkdir(parents=True, exist_ok=True)
        if name == "edition":
            path.write_text(f"# {ds.description}\n# Fill in each key (contract: data_contracts/edition.json); only the report's "
                            "own printed numbers are report_edition: true.\n"
                            + "".join(f"{key}:\n" for key in EDITION_KEYS) + "report_edition: false\n", encoding="utf-8")
        elif name in YAML_LISTS:
            path.write_text(f"# {ds.description}\n# Structure: data_contracts/{name}.schema.json (if any) and the "
                            f"shipped data/{ds.relpath}.\n{YAML_LISTS[name]}: []\n", encoding="utf-8")
        else:
            columns = list((suites.get(name) or {}).get("meta", {}).get("columns", {})) or list(ds.key)
            path.write_text(",".join(columns) + "\n", encoding="utf-8")
        written.append(path)
    readme = dest / "README.md"
    readme.write_text(describe(suites), encoding="utf-8")
    return [readme, *written]


def describe(suites: dict[str, dict]) -> str:
    """The README of a blank data folder: every file, and every column with its meaning, unit and the
    values its contract allows."""
    lines = ["# A data folder for pilotbook", "",
             "Every file below is here with its header and no rows. Fill each with your numbers, then run",
             "`pilotbook validate --data THIS_FOLDER`: it names every file, column and rule still unmet.",
             "Files under `example/` are person-level microdata; the shipped ones are SYNTHETIC and",
             "`pilotbook synth --data THIS_FOLDER` generates them from the files under `published/`.",
             "This README is generated from the contracts in `data_contracts/` (`pilotbook init`).", ""]
    for name, ds in DATASETS.items():
        lines += [f"## `{ds.relpath}`", "", ds.description, ""]
        suite = suites.get(name)
        if suite is None:
            lines += [f"Its structure is in `data_contracts/{name}.schema.json` and its rules in "
                      f"`data_contracts/{name}.json`; the shipped `data/{ds.relpath}` is a complete example.", ""]
            continue
        meta = suite["meta"]
        if meta.get("about"):
            lines += [meta["about"], ""]
        lines += ["| column | type | unit | meaning | allowed |", "| --- | --- | --- | --- | --- |"]
        for column, info in meta["columns"].items():
            allowed = allowed_values(suite["expectations"], column).replace("|", "\\|")
            lines.append(f"| `{column}` | {info.get('type', '')} | {info.get('unit', '')} | "
                         f"{info.get('meaning', '')} | {allowed} |")
        lines.append("")
    return "\n".join(lines)
