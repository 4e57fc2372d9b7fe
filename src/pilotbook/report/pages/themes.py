"""Part I's thematic chapters (procurement, reaching clients, lessons …): the facts their prose cites.

The prose of these chapters is the notebook's markdown; every number in it is a glued fact of
``facts.csv`` (each with the report line it stands on).  A fact is glued under the name
``<quantity>`` when it belongs to no pilot, else ``<pilot_id>__<quantity>`` (dashes as
underscores).  Where the report gives the same quantity two different values, each keeps its own
name, ``…__l<ref_line>``, so the prose has to say which it means.  Nothing here reads or writes files.
"""

from __future__ import annotations

import pandas as pd

from pilotbook.analysis import results
from pilotbook.io.citation import cite
from pilotbook.report.exhibits import Exhibit
from pilotbook.report.formatting import fmt_number, is_missing, printed_text


def fact_key(pilot_id, quantity: str) -> str:
    """The glue name of a fact."""
    return quantity if is_missing(pilot_id) or pilot_id == "" else f"{str(pilot_id).replace('-', '_')}__{quantity}"


MISSING = "– (not in this data)"


def fact_glue(facts: pd.DataFrame, report: pd.DataFrame | None = None) -> dict[str, str]:
    """Every fact as the prose cites it ('about 67 %', 'over 20', '5'), by :func:`fact_key`; with
    ``report`` (the report's own facts), every fact of the report this data lacks as :data:`MISSING`."""
    glued: dict[str, str] = {} if report is None else dict.fromkeys(fact_glue(report), MISSING)
    keys = [fact_key(p, q) for p, q in zip(facts["pilot_id"], facts["quantity"])]
    facts = facts.assign(_key=keys)
    for key, rows in facts.groupby("_key", sort=True):
        texts = {line: printed_text(v, q, u) for v, q, u, line in
                 zip(rows["value"], rows["qualifier"], rows["unit"], rows["ref_line"])}
        if rows["value"].nunique() == 1:
            glued[key] = next(iter(texts.values()))
        else:
            glued.update({f"{key}__l{int(line)}": text for line, text in texts.items()})
    return glued


def cited_facts(facts: pd.DataFrame, chapter: str, title: str, sources: list[str], also: tuple[str, ...] = ()) -> Exhibit:
    """The facts a thematic chapter cites: those of the report's ``sources`` (e.g. "chapter 2.2")
    and those named in ``also`` (glue names, from other parts of the report), each with the line of
    the report where it stands."""
    keys = pd.Series([fact_key(p, q) for p, q in zip(facts["pilot_id"], facts["quantity"])], index=facts.index)
    rows = facts[facts["source"].isin(sources) | keys.isin(also)].sort_values(["ref_line", "pilot_id", "quantity"], na_position="first")
    data = rows[["pilot_id", "quantity", "value", "unit", "qualifier", "source", "ref_line", "note"]].reset_index(drop=True)
    shown = pd.DataFrame({
        "Name in the text": [fact_key(p, q) for p, q in zip(rows["pilot_id"], rows["quantity"])],
        "Value": [printed_text(v, q, u) for v, q, u in zip(rows["value"], rows["qualifier"], rows["unit"])],
        "Unit": rows["unit"].where(rows["unit"] != "percent", "").fillna(""),
        "Where in the report": [cite(s, l, bracketed=False) for s, l in zip(rows["source"], rows["ref_line"])],
        "What it is": rows["note"].fillna(""),
    })
    return Exhibit(f"theme-{chapter}-facts", title, data, shown=shown,
                   caption="Every figure of the report's text that this chapter cites, with the line of the "
                           "report's text dump where it stands.")


TENDER_COUNTS = (  # Table 1's counts of the negotiated procedures (facts.csv, source Table 1), in print order
    ("took_part", "took part"),  # Uusimaa's rows print only "osallistui N"
    ("requests_to_participate", "requests to participate"),
    ("requests_meeting_criteria", "met the criteria"),
    ("candidates_selected", "selected"),
    ("invited_to_negotiate", "invited to negotiate"),
    ("final_candidates", "final candidates"),
)
PROCEDURES = {"negotiated": "Negotiated procedure", "open": "Open procedure"}


def table_1(procurement: pd.DataFrame, pilots: pd.DataFrame, facts: pd.DataFrame) -> Exhibit:
    """Table 1: each pilot's aim and target group (our words), how it was procured, and the counts
    of the negotiated procedures the table prints."""
    printed = facts[facts["source"] == "Table 1"]
    rows = procurement.merge(pilots[["pilot_id", "order", "region", "short_en"]], on="pilot_id", how="left")
    rows = rows.sort_values("ref_line").reset_index(drop=True)
    counts = []
    for pilot_id in rows["pilot_id"]:
        mine = printed[printed["pilot_id"] == pilot_id].set_index("quantity")["value"]
        counts.append("; ".join(f"{fmt_number(mine[q])} {words}" for q, words in TENDER_COUNTS if q in mine.index))
    data = rows.assign(tender_counts=counts)[["pilot_id", "region", "procedure", "tender_counts", "target_group",
                                              "ref_line", "note"]]
    shown = pd.DataFrame({
        "Region": rows["region"], "Pilot": rows["short_en"],
        "Aim and target group (our summary)": rows["target_group"],
        "How the services were bought": [PROCEDURES[p] + (f" ({c})" if c else "") for p, c in
                                         zip(rows["procedure"], counts)],
    })
    missing = sorted(set(pilots["pilot_id"]) - set(procurement["pilot_id"]))
    names = results.pilot_labels(pilots)
    notes = [f"Table 1 has no row for {', '.join(names.get(i, i) for i in missing)}."] if missing else []
    return Exhibit("report-table-1", "Aims, target groups and procurement of the pilots", data, shown=shown,
                   report_ref="Table 1", notes=notes,
                   caption="Procedures and counts as printed; the aims and target groups are summarised in our words "
                           "(ages and lengths of unemployment are in the chapters of Part II).")

