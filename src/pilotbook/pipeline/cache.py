"""Content hashes that decide whether a notebook must run again.

A run's hash covers its template, its parameters (but not where the data folder is), the bytes of every input file
it reads (for a run per pilot, of the inputs it names in ``own_rows`` only the rows
of its pilot and of no pilot: :mod:`pilotbook.io.own_rows`), the settings in force (``pilotbook.toml`` and any override), the source
files of the ``pilotbook`` package, the pip lock file (``requirements.txt``, not
the installed environment itself) and, for a run that reads the exhibit registry, the
records of the other runs' exhibits.  Jupyter Book's own cache sees only the notebook,
not the data; this one sees both.  What a run publishes records the hash it was made from
(:func:`pilotbook.pipeline.execute.is_fresh`), so no separate ledger can disagree with it.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from pilotbook import settings
from pilotbook.io import own_rows
from pilotbook.io.catalog import DATASETS
from pilotbook.paths import PACKAGE_DIR, Project
from pilotbook.pipeline.plan import Run

PACKAGE_SUFFIXES = {".py", ".csv", ".yml", ".yaml", ".json"}


def _update_file(h: "hashlib._Hash", label: str, path: Path) -> None:
    h.update(label.encode() + b"\0")
    h.update(path.read_bytes() if path.is_file() else b"<missing>")
    h.update(b"\0")


def package_hash() -> str:
    h = hashlib.sha256()
    for path in sorted(PACKAGE_DIR.rglob("*")):
        if path.suffix in PACKAGE_SUFFIXES and "__pycache__" not in path.parts:
            _update_file(h, path.relative_to(PACKAGE_DIR).as_posix(), path)
    return h.hexdigest()


def run_hash(project: Project, run: Run, data_dir: Path, pkg_hash: str, registry: str = "") -> str:
    """``registry``: for a run that reads the exhibit registry, the hash of the records it reads."""
    h = hashlib.sha256()
    h.update(registry.encode())
    _update_file(h, "template", run.template)
    # where the data are is not what they are: the inputs' content is hashed below, not their folder
    h.update(json.dumps({k: v for k, v in run.parameters.items() if k != "data_dir"}, sort_keys=True).encode())
    h.update(json.dumps(settings.current().as_dict(), sort_keys=True).encode())
    for name in sorted(run.inputs):
        path = DATASETS[name].path(data_dir)
        if name in run.own_rows:  # only what the run reads: its pilot's rows and the rows of no pilot
            h.update(f"input:{name}[{run.pilot_id}]\0{own_rows.digest(path, run.pilot_id)}\0".encode())
        else:
            _update_file(h, f"input:{name}", path)
    h.update(pkg_hash.encode())
    _update_file(h, "lock", project.root / "requirements.txt")
    return h.hexdigest()


def tree_hash(paths: list[Path], root: Path) -> str:
    """Hash of files (and every file below folders) in ``paths``, by relative name."""
    h = hashlib.sha256()
    files: list[Path] = []
    for p in paths:
        if p.is_dir():
            files += [f for f in p.rglob("*") if f.is_file()]
        elif p.is_file():
            files.append(p)
    for f in sorted(set(files)):
        _update_file(h, f.relative_to(root).as_posix(), f)
    return h.hexdigest()
