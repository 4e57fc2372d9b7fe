"""Strict reading of the CSV files of a data folder.

The files are UTF-8 without byte-order mark, comma-delimited, with ``.`` as the
decimal mark.  Anything else is refused with a message that names the file and
says how to fix it, rather than being guessed at: a silently mis-parsed file
would pass its contract with wrong numbers.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pandas as pd

from .errors import DataFileError

BOM = b"\xef\xbb\xbf"


def read_csv(path: Path, text_columns: tuple[str, ...] = ()) -> pd.DataFrame:
    """Read a data file; ``text_columns`` stay text even when they look numeric ("017")."""
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
    try:
        frame = pd.read_csv(io.StringIO(text), keep_default_na=False, na_values=[""],
                            dtype={c: "str" for c in text_columns})
    except (pd.errors.ParserError, csv.Error) as err:
        raise DataFileError(f"{path}: not a well-formed CSV table ({err}).") from None
    if frame.empty:
        raise DataFileError(f"{path}: the file has a header but no data rows.")
    unnamed = [c for c in frame.columns if str(c).startswith("Unnamed:")]
    if unnamed:
        raise DataFileError(f"{path}: the header has empty column names ({len(unnamed)}).")
    return frame
