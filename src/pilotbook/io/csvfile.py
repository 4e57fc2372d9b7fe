"""The one CSV writer: deterministic bytes (UTF-8, '\\n' line ends, no index)."""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd


def csv_text(frame: pd.DataFrame) -> str:
    buffer = io.StringIO()
    frame.to_csv(buffer, index=False, lineterminator="\n")
    return buffer.getvalue()


def write_csv(frame: pd.DataFrame, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(csv_text(frame), encoding="utf-8")
