"""Strict reading of the CSV files of a data folder.

The files are UTF-8 without byte-order mark, comma-delimited, with ``.`` as the
decimal mark.  Anything else is refused with a message that names the file and
says how to fix it, rather than being guessed at: a silently mis-parsed file
would pass its contract with wrong numbers.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pandas as pd

from pilotbook.errors import DataFileError
from pilotbook.io import own_rows

BOM = b"\xef\xbb\xbf"


def read_csv(path: Path, text_columns: tuple[str, ...] = (), pilot_id: str | None = None) -> pd.DataFrame:
    """Read a data file; ``text_columns`` stay text even when they look numeric ("017").  With
    ``pilot_id``, only that pilot's rows and the rows of no pilot (:mod:`pilotbook.io.own_rows`)."""
    path = Path(path)
    if not path.is_file():
        raise DataFileError(f"{path}: file not found. Every data folder must hold this file.")
    raw = path.read_bytes()
    if not raw.strip():
        raise DataFileError(f"{path}: the file is empty; it needs a header row and data rows.")
    if raw.startswith(BOM):
        raise DataFileError(
            f"{path}: the file starts with a byte-order mark (BOM). "
            "Save it as UTF-8 without BOM (e.g. 'CSV UTF-8' is not it; use plain UTF-8)."
        )
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        line = raw[: err.start].count(b"\n") + 1
        raise DataFileError(
            f"{path}: line {line} is not valid UTF-8 (byte 0x{raw[err.start]:02x}); the file is "
            "probably Latin-1/Windows-1252. Re-save it as UTF-8."
        ) from None
    header = text.splitlines()[0]
    if ";" in header and "," not in header:
        raise DataFileError(
            f"{path}: the header is separated by ';' (the Finnish Excel convention). "
            "Use ',' as the delimiter and '.' as the decimal mark."
        )
    _check_header_spaces(path, text)
    _check_field_counts(path, text)
    if pilot_id is not None:
        text = own_rows.csv_text(text, pilot_id)
    try:
        frame = pd.read_csv(io.StringIO(text), keep_default_na=False, na_values=[""],
                            dtype={c: "str" for c in text_columns})
    except (pd.errors.ParserError, csv.Error) as err:
        raise DataFileError(f"{path}: not a well-formed CSV table ({err}).") from None
    if frame.empty and pilot_id is None:  # a pilot may have no rows of its own
        raise DataFileError(f"{path}: the file has a header but no data rows.")
    unnamed = [c for c in frame.columns if str(c).startswith("Unnamed:")]
    if unnamed:
        raise DataFileError(f"{path}: the header has empty column names ({len(unnamed)}).")
    _check_decimal_commas(path, frame, text_columns)
    return frame


DECIMAL_COMMA = re.compile(r"^-?\d+,\d+$")
# A thousands separator: ',' (English), or a space, no-break space (U+00A0) or narrow no-break space
# (U+202F), as Finnish spreadsheets write 2 811.  "2,811" is read as 2811 with a separator, not as
# 2.811: the data hold counts of persons, and a decimal comma is refused anyway.
THOUSANDS_COMMA = re.compile(r"^-?\d{1,3}(?:,\d{3})+(?:\.\d+)?$")
THOUSANDS_SPACE = re.compile(r"^-?\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?:\.\d+)?$")
SPACES = {" ": "a space", "\u00a0": "a no-break space, U+00A0", "\u202f": "a narrow no-break space, U+202F"}
SPACE = re.compile("[ \u00a0\u202f]")


def _check_header_spaces(path: Path, text: str) -> None:
    """'pilot_id, region' would make a column ' region' that every rule then calls missing."""
    header = next(csv.reader(io.StringIO(text)), [])
    spaced = [name for name in header if name != name.strip()]
    if spaced:
        names = ", ".join(f"{name!r} (should be {name.strip()!r})" for name in spaced)
        raise DataFileError(
            f"{path}: line 1, the header: column name(s) with spaces around them: {names}. "
            "Remove the spaces around the commas in the header."
        )


def _check_field_counts(path: Path, text: str) -> None:
    """Every row has as many fields as the header (a decimal comma or a thousands separator splits a
    field in two)."""
    rows = csv.reader(io.StringIO(text))
    header = next(rows)
    for number, row in enumerate(rows, start=2):
        if row and len(row) != len(header):
            pairs = [f"{a},{b}" for a, b in zip(row, row[1:])] if len(row) > len(header) else []
            thousands = next((p for p in pairs if THOUSANDS_COMMA.match(p)), None)
            if thousands:
                hint = (f" '{thousands}' splits a number in two: write {thousands.replace(',', '')} without a "
                        "thousands separator (a decimal mark is '.', never ',').")
            elif any(DECIMAL_COMMA.match(p) for p in pairs):
                hint = " A decimal comma (e.g. 19,5) splits a number in two: use '.' as the decimal mark."
            else:
                hint = " Is a comma inside a text field missing its quotes?"
            raise DataFileError(f"{path}: line {number} has {len(row)} fields but the header has {len(header)}.{hint}")


def _misread_number(value: str) -> str | None:
    """Why ``value`` is a number the reader refuses (a thousands separator, a decimal comma), or None."""
    if THOUSANDS_COMMA.match(value):
        return (f"has a thousands separator (','): write {value.replace(',', '')}, digits only "
                "(and '.' as the decimal mark)")
    if THOUSANDS_SPACE.match(value):
        sep = next(c for c in value if c in SPACES)
        return (f"has a thousands separator ({SPACES[sep]}): write {SPACE.sub('', value)}, "
                "digits only")
    if DECIMAL_COMMA.match(value):
        return "uses a decimal comma. Use '.' as the decimal mark (the Finnish ',' is not accepted)"
    return None


def _check_decimal_commas(path: Path, frame: pd.DataFrame, text_columns: tuple[str, ...]) -> None:
    """A quoted "19,5", "2,811" or "2 811" would be read as text; name it (file, line, column, value)
    rather than let a type rule guess."""
    for column in frame.columns:
        if column in text_columns or frame[column].dtype != object and str(frame[column].dtype) != "str":
            continue
        values = frame[column].dropna().astype(str)
        why = values.map(_misread_number)
        hits = values[why.notna()]
        if len(hits) and len(hits) >= len(values) / 2 or (len(hits) and pd.to_numeric(
                values.drop(hits.index), errors="coerce").notna().all()):
            line = int(hits.index[0]) + 2
            more = f" ({len(hits) - 1} more row(s) like it)" if len(hits) > 1 else ""
            raise DataFileError(f"{path}: column '{column}', line {line}: {hits.iloc[0]!r} {why[hits.index[0]]}.{more}")


def yaml_values(text: str):
    """A YAML text's values, safely (no tags run): with libyaml's parser where PyYAML was built with
    it (the same values, about fifty times faster than the pure-Python one), else PyYAML's own."""
    import yaml

    return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


def yaml_nodes(text: str):
    """A YAML text's composed node tree (values not built; each node knows its line)."""
    import yaml

    return yaml.compose(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


def read_yaml(path: Path, pilot_id: str | None = None) -> dict:
    """A YAML data file as a mapping, with the same care for encoding as the CSV files; with
    ``pilot_id``, its lists of per-pilot entries cut to that pilot's (:mod:`pilotbook.io.own_rows`)."""
    import yaml

    path = Path(path)
    if not path.is_file():
        raise DataFileError(f"{path}: file not found. Every data folder must hold this file.")
    raw = path.read_bytes()
    if raw.startswith(BOM):
        raise DataFileError(f"{path}: the file starts with a byte-order mark (BOM). Save it as UTF-8 without BOM.")
    try:
        doc = yaml_values(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise DataFileError(f"{path}: the file is not valid UTF-8; re-save it as UTF-8.") from None
    except yaml.YAMLError as err:
        raise DataFileError(f"{path}: not valid YAML ({err}).") from None
    if not isinstance(doc, dict):
        raise DataFileError(f"{path}: expected a mapping at the top level (with 'models:').")
    return doc if pilot_id is None else own_rows.yaml_doc(doc, pilot_id)


def yaml_tree(path: Path):
    """The composed node tree of a YAML data file (no values built): where each entry stands, for
    messages that name a line (``node_line``).  None if the file cannot be composed."""
    import yaml

    try:
        return yaml_nodes(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return None


def yaml_tree_and_document(path: Path):
    """:func:`yaml_tree` and the document's values (None where the file cannot be read)."""
    import yaml

    try:
        doc = yaml_values(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        doc = None
    return yaml_tree(path), doc


def node_line(root, keys) -> int | None:
    """The 1-based line of what ``keys`` (mapping keys and list indices) lead to in a composed YAML tree:
    the line of a mapping entry's key, of a list item's first line; where the path stops early (an
    absent key), the line of the last entry found."""
    import yaml

    if root is None:
        return None
    node, line = root, root.start_mark.line + 1
    for key in keys:
        if isinstance(node, yaml.MappingNode):
            found = next(((k, v) for k, v in node.value if k.value == str(key)), None)
            if found is None:
                return line
            line, node = found[0].start_mark.line + 1, found[1]
        elif isinstance(node, yaml.SequenceNode) and isinstance(key, int) and 0 <= key < len(node.value):
            node = node.value[key]
            line = node.start_mark.line + 1
        else:
            return line
    return line
