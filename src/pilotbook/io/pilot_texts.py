"""Each pilot's story (``published/pilot_texts.yaml``): three sections in our own words — the
service, how clients came to it, what the evaluators concluded — each with the report lines it
summarises (or, for a text that is not a summary of the report, e.g. a pilot a follow-up adds, the
``source`` it comes from); and, for a pilot of Tables 4-6 whose row has remarks ("Huomioita"), those remarks in
our words (``table_remark``).  Read here and flattened to one row per pilot and section for its contract.

The file's shape::

    pilots:
      - pilot_id: lappi-services
        sections:
          the_service:
            ref_lines: ["2609-2640", 2655]
            text: |
              ...
      - pilot_id: a-pilot-the-report-does-not-have
        sections:
          the_service:
            source: "the follow-up's own description (2019)"
            text: |
              ...
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from pilotbook.errors import DataFileError
from pilotbook.io.readers import node_line, read_yaml, yaml_tree_and_document

SECTIONS = ("the_service", "how_clients_came_to_it", "what_the_evaluators_concluded")  # every pilot has these
TABLE_REMARK = "table_remark"  # optional: the remarks column of its row in Tables 4-6, in our words
COLUMNS = ["pilot_id", "section", "text", "ref_lines", "first_line", "last_line", "words", "source"]


def line_ranges(refs, where: str) -> list[tuple[int, int]]:
    """``["2609-2640", 2655]`` as ``[(2609, 2640), (2655, 2655)]``; a malformed entry is an error naming it."""
    if not isinstance(refs, list) or not refs:
        raise DataFileError(f"{where}: ref_lines must be a non-empty list of line numbers or ranges 'a-b' "
                            "(a text that does not summarise the report names its 'source' instead).")
    out = []
    for ref in refs:
        text = str(ref).strip()
        first, _, last = text.partition("-")
        try:
            a, b = int(first), int(last or first)
        except ValueError:
            raise DataFileError(f"{where}: ref_lines entry {ref!r} is not a line number or a range 'a-b'.") from None
        if b < a:
            raise DataFileError(f"{where}: ref_lines range {ref!r} runs backwards.")
        out.append((a, b))
    return out


def load_texts(path: Path, pilot_id: str | None = None) -> pd.DataFrame:
    """One row per pilot and section: the text, its report lines ('a-b; c'), first and last line, words;
    with ``pilot_id``, that pilot's sections only."""
    doc = read_yaml(path, pilot_id)
    entries = doc.get("pilots")
    if not isinstance(entries, list):
        raise DataFileError(f"{path}: expected a list under 'pilots:' (one entry per pilot).")
    rows = []
    for i, entry in enumerate(entries, start=1):
        if not isinstance(entry, dict) or "pilot_id" not in entry:
            raise DataFileError(f"{path}: entry {i} under 'pilots:' has no pilot_id.")
        pilot_id = str(entry["pilot_id"])
        sections = entry.get("sections") or {}
        if not isinstance(sections, dict):
            raise DataFileError(f"{path}: pilot {pilot_id}: 'sections' must map a section name to its text.")
        for name, section in sections.items():
            where = f"{path}: pilot {pilot_id}, section {name}"
            if not isinstance(section, dict):
                raise DataFileError(f"{where}: expected 'text' and 'ref_lines' (or 'source').")
            source = section.get("source")
            own = "ref_lines" not in section and isinstance(source, str) and source.strip()
            ranges = [] if own else line_ranges(section.get("ref_lines"), where)
            text = section.get("text")
            rows.append({
                "pilot_id": pilot_id, "section": str(name),
                "text": text.strip() if isinstance(text, str) else None,
                "ref_lines": "; ".join(f"{a}" if a == b else f"{a}-{b}" for a, b in ranges) or None,
                "first_line": min((a for a, _ in ranges), default=None),
                "last_line": max((b for _, b in ranges), default=None),
                "words": len(text.split()) if isinstance(text, str) else 0,
                "source": source.strip() if own else None,
            })
    return pd.DataFrame(rows, columns=COLUMNS)


# Where a column of the table stands in a section of pilot_texts.yaml.
SECTION_FIELDS = {"text": "text", "words": "text", "ref_lines": "ref_lines", "first_line": "ref_lines",
                  "last_line": "ref_lines", "source": "source"}


def locate(path: Path):
    """For messages: the line of pilot_texts.yaml a row (``pilot_id``, ``section``) comes from; with the
    columns a rule reads, the line of that field."""
    tree, doc = yaml_tree_and_document(path)
    places: dict[tuple, list] = {}
    entries = doc.get("pilots") if isinstance(doc, dict) else None
    for i, entry in enumerate(entries if isinstance(entries, list) else []):
        if not isinstance(entry, dict):
            continue
        pilot = str(entry.get("pilot_id"))
        places.setdefault((pilot, None), ["pilots", i])
        sections = entry.get("sections")
        for name in sections if isinstance(sections, dict) else {}:
            places.setdefault((pilot, str(name)), ["pilots", i, "sections", name])

    def line(row: dict, columns: list[str]) -> int | None:
        pilot = str(row.get("pilot_id"))
        keys = places.get((pilot, row.get("section"))) or places.get((pilot, None))
        if keys is None:
            return None
        if columns[:1] == ["pilot_id"]:
            return node_line(tree, keys[:2] + ["pilot_id"])
        field = next((SECTION_FIELDS[c] for c in columns if c in SECTION_FIELDS), None)
        if field and len(keys) > 2:
            keys = keys + [field]
        return node_line(tree, keys)

    return line


def text_of(texts: pd.DataFrame, pilot_id: str, section: str) -> pd.Series | None:
    """The row of one pilot's section, or None."""
    rows = texts[(texts["pilot_id"] == pilot_id) & (texts["section"] == section)]
    return None if rows.empty else rows.iloc[0]
