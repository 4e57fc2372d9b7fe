"""How numbers and values are written in the book: one place for every format.

Thin-space thousands as the report prints them, "–" for a missing value, "≈" for the
report's approximations, percentages with a guard for an empty base.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from pilotbook.io.codebook import ALL, Codebook
from pilotbook.report.labels import label


def is_missing(x) -> bool:
    """None, NaN, pandas' NA, or a blank string."""
    if x is None or (isinstance(x, str) and not x.strip()):
        return True
    try:
        return bool(pd.isna(x))
    except (TypeError, ValueError):
        return False


def remarks(outcomes: pd.DataFrame, pilot_id: str, source: str) -> str:
    """The numbers of a table's remarks as one readable line."""
    rows = outcomes[(outcomes["pilot_id"] == pilot_id) & (outcomes["source"] == source)]
    parts = []
    for r in rows.itertuples(index=False):
        unit = " %" if r.unit == "percent" else ""
        parts.append(f"{label(r.metric)}: {fmt_number(r.value)}{unit}")
    return "; ".join(parts)


def with_remarks(table: pd.DataFrame, outcomes: pd.DataFrame) -> pd.DataFrame:
    """A summary table (:func:`pilotbook.analysis.results.results_table`) with the report's remarks
    on each row as one readable line, in a ``remarks`` column before ``source``."""
    out = table.copy()
    out.insert(len(out.columns) - 1, "remarks",
               [remarks(outcomes, p, f"{s} remarks") for p, s in zip(out["pilot_id"], out["source"])])
    return out


def fmt_number(x: float, approx: bool = False) -> str:
    """12 345 style (thin-space thousands as the report uses), '–' for missing."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "–"
    text = f"{x:,.0f}" if float(x).is_integer() else f"{x:,.1f}"
    text = text.replace(",", "\u202f")
    return ("≈" + text) if approx else text


def fmt_range(low: float, high: float) -> str:
    if any(isinstance(x, float) and math.isnan(x) for x in (low, high)):
        return "–"
    return fmt_number(low) if low == high else f"{fmt_number(low)}–{fmt_number(high)}"


def display_table(table: pd.DataFrame, kind: int) -> pd.DataFrame:
    """The reader's version of :func:`results_table`: formatted, labelled columns."""
    out = pd.DataFrame({label("pilot"): table["pilot"]})
    approx = table["approx"].fillna("").str.split(";")
    if kind in (4, 5):
        out[label("started")] = table["started"].map(fmt_number)
        out[label("target")] = [fmt_range(a, b) for a, b in zip(table["target_low"], table["target_high"])]
        out[label("finished")] = table["finished"].map(fmt_number)
        out[label("fee_eligible")] = [fmt_number(x, "fee_eligible" in a) for x, a in zip(table["fee_eligible"], approx)]
        for metric, recomputed in (("pct_fee_eligible_of_started", "recomputed_pct_of_started"),
                                   ("pct_fee_eligible_of_finished", "recomputed_pct_of_finished")):
            out[label(metric)] = [f"{fmt_number(p)} % ({fmt_number(r)})" if not np.isnan(p) else "–"
                                  for p, r in zip(table[metric], table[recomputed])]
    else:
        out[label("participating_entrepreneurs")] = table["participating_entrepreneurs"].map(fmt_number)
        out[label("participating_jobseekers")] = table["participating_jobseekers"].map(fmt_number)
        out[label("target")] = [fmt_range(a, b) for a, b in zip(table["target_low"], table["target_high"])]
        out[label("recruitments")] = table["recruitments"].map(fmt_number)
        out[label("ownership_changes")] = table["ownership_changes"].map(fmt_number)
        out[label("pct_result")] = [f"{fmt_number(p)} %" if not np.isnan(p) else "–" for p in table["pct_result"]]
    return out


def table_notes(table: pd.DataFrame, texts: pd.DataFrame | None = None) -> list[str]:
    """The remarks the report attaches to rows of a summary table, one line per pilot: in our words
    (``pilot_texts``' ``table_remark``, with the line of the report) where the data has them, else
    its numbers (the ``remarks`` column, which the published CSV keeps in any case)."""
    words = {}
    if texts is not None and not texts.empty:
        rows = texts[texts["section"] == "table_remark"]
        words = {r.pilot_id: f"{r.text} (line {r.ref_lines.replace('-', '–')})" for r in rows.itertuples(index=False)}
    notes = []
    for r in table.itertuples(index=False):
        text = words.get(r.pilot_id) or (f"{r.remarks}." if r.remarks else "")
        if text:
            notes.append(f"{r.pilot}: {text}")
    return notes


# --------------------------------------------------------------------------- survey values


def printed_text(value: float, qualifier=None, unit: str = "percent") -> str:
    """A printed value as words can carry it: 'about 33 %', 'over 20 %', 'nearly 50 %'."""
    words = {"approx": "about ", "over": "over ", "under": "nearly "}
    q = words.get(qualifier, "") if isinstance(qualifier, str) else ""
    if unit == "year":  # 2017, not 2 017
        return f"{q}{int(value)}"
    return f"{q}{fmt_number(value)}" + (" %" if unit == "percent" else "")


def describe_survey_row(row, codebook: Codebook, lang: str = "en") -> str:
    """A reader's description of one row of ``survey_published.csv`` (labels from the codebook)."""
    office = "all offices" if row.office == ALL else codebook.office_label(row.office, lang)
    if row.question == "survey":
        return (f"Respondents, {office}" if row.measure == "respondents"
                else f"{office}: share of all respondents")
    question = row.question.removesuffix("_aware_only")
    aware_only = " (of those aware of the invitation)" if row.question.endswith("_aware_only") else ""
    try:
        item = codebook.item_label(question, lang)
    except KeyError:
        item = question.replace("_", " ")
    if row.measure == "respondents":
        return f"{item}: respondents, {office}"
    if isinstance(row.response, str) and row.response:
        if row.response in ("agree", "strongly_agree"):
            answer = "agree (somewhat or fully)" if row.response == "agree" else "agree fully"
        else:
            answer = codebook.code_label(question, row.response, lang)
        kind = "share" if row.measure == "share" else "number"
        return f"{item}: {answer} — {kind}{aware_only}, {office}"
    return f"{item}, {office}"


def describe_satisfaction_row(row, codebook: Codebook, lang: str = "en") -> str:
    """A reader's description of one row of ``satisfaction_published.csv``."""
    if row.item == "respondents":
        return "Answers to the pilot's own customer survey"
    for suffix, end in (("_low", "lower end"), ("_high", "upper end")):
        if row.item.endswith(suffix):
            base = row.item.removesuffix(suffix)
            try:
                return f"{codebook.item_label(base, lang)}: average, {end} of the printed range"
            except KeyError:
                return f"{base.replace('_', ' ')}: {end}"
    try:
        text = codebook.item_label(row.item, lang)
    except KeyError:
        text = row.item.replace("_", " ")
    return f"{text}: {'average' if row.statistic == 'mean' else 'share'}"


# --------------------------------------------------------------------------- fee models


def fee_components_display(model: dict, lang: str = "en") -> pd.DataFrame:
    """A model's components as a reader's table: what is paid, how much, on what condition, source."""
    from pilotbook.io.fee_models import price_range

    rows = []
    for c in model.get("components") or []:
        if c.get("amount_eur") is not None:
            amount = f"{fmt_number(c['amount_eur'])} €"
            if c.get("share_of_price") is not None:
                amount += f" ({fmt_number(100 * c['share_of_price'])} %)"
        elif c.get("share_of_price") is not None:
            rng = price_range(model)
            amount = f"{fmt_number(100 * c['share_of_price'])} % of {model.get('share_base_en') or 'the price'}"
            if rng:
                amount += f" ({fmt_number(c['share_of_price'] * rng[0])}–{fmt_number(c['share_of_price'] * rng[1])} €)"
        else:
            amount = "not printed"
        kind = {"fixed": "paid regardless of results", "result": "paid for the result",
                "bonus": "bonus per result"}.get(c.get("kind"), c.get("kind"))
        source = f"{c.get('source', '')} (line {c.get('ref_line', '–')})" + (" — inferred" if c.get("inferred") else "")
        rows.append({"What is paid for": c.get("label_en", c["id"]), "Kind": kind, "Amount": amount,
                     "Source": source})
    return pd.DataFrame(rows, columns=["What is paid for", "Kind", "Amount", "Source"])
