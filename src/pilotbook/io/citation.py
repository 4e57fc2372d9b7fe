"""Where a value is printed: its source (a table, figure or chapter) and the line of the report's text
dump, as the pages and the messages write it.  A value a follow-up adds has no line in the report: its
``ref_line`` is empty, and the citation says it is not printed in the report."""

from __future__ import annotations

import math


def line_of(value) -> int | None:
    """The line number of a ``ref_line`` cell (int, float or text), or None when the cell is empty."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(number) else int(number)


def cite(source, line, words: str = "line", bracketed: bool = True) -> str:
    """'Table 4 (line 2252)', or with ``bracketed=False`` 'Table 4, line 2252'; for a value with no line
    in the report (a follow-up's), 'Table 4 (not printed in the report)': the source then only says
    whose place in the report's layout the value takes."""
    number = line_of(line)
    if number is None:
        return f"{source} (not printed in the report)" if bracketed else f"{source}, not printed in the report"
    return f"{source} ({words} {number})" if bracketed else f"{source}, {words} {number}"
