"""One pilot's rows of a dataset: what a chapter run once per pilot reads.

A template run per pilot names, in ``metadata.pilotbook.own_rows``, the datasets of which it
reads only the rows of its own pilot and the rows that belong to no pilot (an empty
``pilot_id``).  The chapter reads them through these functions (``Data.load(..., pilot_id=...,
own_rows=...)``) and the build hashes exactly the same text (:func:`digest`), so a change to
another pilot's rows neither reaches the chapter nor executes it again.

The rows are cut out of the file *before* their values are parsed, so nothing of the other
pilots' rows (not even the type a column is read as) can reach the chapter.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from pathlib import Path

PILOT = "pilot_id"


def keep(value, pilot_id: str) -> bool:
    """A row belongs to the run of ``pilot_id`` when it is that pilot's, or no pilot's."""
    return value in (None, "") or str(value) == pilot_id


def csv_text(text: str, pilot_id: str) -> str:
    """The header and the rows of ``pilot_id`` (and of no pilot) of a CSV text; the whole text when
    the table has no ``pilot_id`` column."""
    rows = list(csv.reader(io.StringIO(text)))
    if not rows or PILOT not in rows[0]:
        return text
    return _cut(rows, rows[0].index(PILOT), pilot_id)


def _cut(rows: list[list[str]], column: int, pilot_id: str) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(rows[0])
    writer.writerows(r for r in rows[1:] if r and keep(r[column] if column < len(r) else "", pilot_id))
    return out.getvalue()


def yaml_doc(doc: dict, pilot_id: str) -> dict:
    """A YAML data document with every top-level list of per-pilot entries cut to ``pilot_id``'s."""
    out = {}
    for key, value in doc.items():
        if isinstance(value, list) and any(isinstance(e, dict) and PILOT in e for e in value):
            value = [e for e in value if not (isinstance(e, dict) and PILOT in e) or keep(e[PILOT], pilot_id)]
        out[key] = value
    return out


def digest(path: Path, pilot_id: str) -> str:
    """The hash of what a run of ``pilot_id`` reads of the file at ``path`` (``<missing>`` if absent)."""
    path = Path(path)
    if not path.is_file():
        return "<missing>"
    raw = path.read_bytes()
    key = (hashlib.sha256(raw).hexdigest(), path.suffix)
    if key not in _DIGESTS:  # parse each version of a file once, however many runs ask
        if len(_DIGESTS) >= 64:
            _DIGESTS.pop(next(iter(_DIGESTS)))
        _DIGESTS[key] = _digests(raw, path.suffix)
    digests = _DIGESTS[key]
    return digests.get(pilot_id, digests[""])


_DIGESTS: dict[tuple[str, str], dict[str, str]] = {}  # (content hash, suffix) -> _digests


def _digests(raw: bytes, suffix: str) -> dict[str, str]:
    """pilot_id -> hash of its view of the file, for every pilot named in it; ``""`` for a pilot not
    named (it sees the rows of no pilot)."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:  # not readable: a validated build never gets here; hash the bytes
        return {"": hashlib.sha256(raw).hexdigest()}
    if suffix in (".yaml", ".yml"):
        from pilotbook.io.readers import yaml_values

        doc = yaml_values(text)
        ids = {str(e[PILOT]) for v in doc.values() if isinstance(v, list)
               for e in v if isinstance(e, dict) and e.get(PILOT) not in (None, "")} if isinstance(doc, dict) else set()
        view = (lambda p: json.dumps(yaml_doc(doc, p), sort_keys=True, default=str)) if isinstance(doc, dict) \
            else (lambda p: text)
    else:
        rows = list(csv.reader(io.StringIO(text)))
        if not rows or PILOT not in rows[0]:
            return {"": hashlib.sha256(raw).hexdigest()}
        column = rows[0].index(PILOT)
        ids = {r[column] for r in rows[1:] if len(r) > column and r[column]}
        view = lambda p: _cut(rows, column, p)  # noqa: E731
    return {p: hashlib.sha256(view(p).encode()).hexdigest() for p in sorted(ids | {""})}
