"""What the two survey pages share (chapters 2.3 and 2.4): number words, the table that sets every
printed value beside the SYNTHETIC answers' value, and the list of the generator's assumptions."""

from __future__ import annotations

import math

import pandas as pd

from pilotbook import settings
from pilotbook.analysis import disclosure
from pilotbook.io.citation import cite
from pilotbook.report.exhibits import Exhibit, Prose
from pilotbook.report.formatting import fmt_number


def pct_text(v) -> str:
    """'87 %', or '–' for a missing share."""
    return "–" if v is None or (isinstance(v, float) and math.isnan(v)) else f"{v:.0f} %"


def p_text(p) -> str:
    """A p-value as printed: '< 0.001', '0.007', '0.42', or '–'."""
    if p is None or (isinstance(p, float) and math.isnan(p)):
        return "–"
    return "< 0.001" if p < 0.001 else f"{p:.3f}" if p < 0.01 else f"{p:.2f}"


def test_text(p, significant) -> str:
    """A test's result as it may be printed: 'p = 0.42', or, where the p-value is withheld because the
    tested table has a withheld cell (:func:`pilotbook.analysis.survey.agree_by_office`), only which side
    of the ``alpha`` setting it falls: 'p < 0.05' or 'p ≥ 0.05'."""
    if p is None or (isinstance(p, float) and math.isnan(p)):
        if significant is None or (isinstance(significant, float) and math.isnan(significant)):
            return "–"
        alpha = f"{settings.current().alpha:g}"
        return f"p < {alpha}" if significant else f"p ≥ {alpha}"
    text = p_text(p)
    return f"p {text}" if text.startswith("<") else f"p = {text}"


def count_text(n) -> str:
    """A count of persons as it may be printed (:func:`pilotbook.analysis.disclosure.count_text`);
    a count the analysis already masked (NA) reads '<min_cell'."""
    if n is pd.NA:
        return f"<{disclosure.min_cell()}"
    return disclosure.count_text(n)


def check_table(check: pd.DataFrame, columns: dict, share: pd.Series, mean: pd.Series, exhibit_id: str,
                title: str, caption: str) -> Exhibit:
    """Printed values beside the SYNTHETIC data's (``check`` from :mod:`pilotbook.analysis.survey`'s
    ``survey_check`` / ``satisfaction_check``); ``columns`` describe each row, ``share`` and ``mean``
    say which rows are percentages and which means."""
    computed = ["–" if pd.isna(v) else f"{v:.1f} %" if s else f"{v:.2f}" if m else fmt_number(v)
                for v, s, m in zip(check["computed"], share, mean)]
    shown = pd.DataFrame({
        **columns,
        "Report": [fmt_number(v) + (" %" if s else "") + (f" ({q})" if isinstance(q, str) else "")
                   for v, s, q in zip(check["printed"], share, check["qualifier"])],
        "SYNTHETIC data": computed,
        "Compared": check["compared"].replace("", "–"),
        "Result": check["status"],
        "Source": [cite(s, l) for s, l in zip(check["source"], check["ref_line"])],
    })
    return Exhibit(exhibit_id, title, check, shown=shown, caption=caption)


def assumptions(prefix: str | None = None) -> Prose:
    """The survey generator's assumptions (:data:`pilotbook.synth.survey.ASSUMPTIONS`) as a bulleted
    list; ``prefix`` keeps only those that start with it."""
    from pilotbook.synth.survey import ASSUMPTIONS

    kept = [a for a in ASSUMPTIONS if prefix is None or a.startswith(prefix)]
    return Prose("\n".join(f"- {a}" for a in kept))
