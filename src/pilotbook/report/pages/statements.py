"""The reproduction appendix's list of the report's comparative statements and their verdicts.

:func:`verdicts_table` shows :func:`pilotbook.analysis.statements.evaluate`: each statement of
``statements.csv`` with its chapter, report lines, our wording and whether it holds in the data
(or why the report's own numbers rule it out).  It publishes verdicts only, never a number
computed from the microdata.  Nothing here reads or writes files or displays anything.
"""

from __future__ import annotations

import pandas as pd

from pilotbook.analysis.results import pilot_labels
from pilotbook.analysis.statements import NOT_EVALUATED
from pilotbook.report.exhibits import Exhibit, Prose

PUBLISHED = ["id", "chapter", "pilot_id", "line_from", "line_to", "statement", "rule", "verdict"]


def _lines(a, b) -> str:
    return f"{int(a)}" if int(a) == int(b) else f"{int(a)}–{int(b)}"


def verdicts_table(verdicts: pd.DataFrame, pilots: pd.DataFrame) -> Exhibit:
    """Every statement with its verdict on the data the book is built from."""
    v = verdicts
    names = pilot_labels(pilots)
    shown = pd.DataFrame({
        "Id": v["id"], "Chapter": v["chapter"],
        "Report lines": [_lines(a, b) for a, b in zip(v["line_from"], v["line_to"])],
        "Pilot": v["pilot_id"].map(lambda p: names.get(p, p) if p else "–"),
        "The report says (our words)": v["statement"],
        "Our rule (its thresholds are our reading)": v["rule"],
        "Verdict": v["verdict"],
    })
    return Exhibit("statements-verdicts",
                   "The report's statements about groups, checked on the data the book is built from",
                   v[PUBLISHED].reset_index(drop=True), shown=shown,
                   caption=("A statement 'holds' when its rule (statements.csv) is true of the data; with the "
                            "SYNTHETIC example data this shows that the generators keep the report's word, not "
                            "that the pilots behaved so. The rule is how we read the report's words: where it "
                            "says 'clearly', 'a few points' or 'nearly all', the number of points is ours. "
                            "'Cannot hold' names the report's own printed numbers that rule the statement out "
                            "as we read it."))


def is_synthetic(frames: dict[str, pd.DataFrame]) -> bool:
    """True when every microdata frame says its rows are SYNTHETIC (column ``synthetic``)."""
    return all("synthetic" in f.columns and f["synthetic"].astype(bool).all() for f in frames.values())


def verdicts_summary(verdicts: pd.DataFrame, synthetic: bool = True) -> Prose:
    """How many statements hold, cannot hold, do not hold or were not evaluated (counts of statements)."""
    v = verdicts["verdict"]
    holds = int((v == "holds").sum())
    cannot = int(v.str.startswith("cannot hold").sum())
    missing = int((v == NOT_EVALUATED).sum())
    no_pilot = int(v.str.startswith(f"{NOT_EVALUATED}:").sum())
    fails = len(v) - holds - cannot - missing - no_pilot
    parts = [f"Of the {len(v)} statements, {holds} hold in the {'SYNTHETIC ' if synthetic else ''}data"]
    if cannot:
        parts.append(f"{cannot} cannot hold as we read them, because the report's own printed numbers rule them out")
    if fails:
        parts.append(f"{fails} do not hold")
    if missing:
        parts.append(f"{missing} could not be evaluated (their dataset or its evaluator is missing)")
    if no_pilot:
        parts.append(f"{no_pilot} could not be evaluated because they are about a pilot the data do not have")
    text = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
    return Prose(text + ".")
