"""The results chapter (``results.ipynb``): Tables 3-6 of the report and the cross-pilot comparison.

Every function takes what :mod:`pilotbook.analysis.results` computed and returns exhibits or
prose; nothing here reads or writes files or displays anything.
"""

from __future__ import annotations

import pandas as pd

from pilotbook.analysis import results
from pilotbook.report import edition, figures
from pilotbook.report.exhibits import Exhibit, Prose
from pilotbook.report.formatting import display_table, fmt_number, table_notes, with_remarks
from pilotbook.report.labels import label

FAMILY_TITLES = {4: "Placement pilots", 5: "Job-search support pilots", 6: "Business-service pilots"}
COMPARISON_TITLE = "Fee-eligible employment as a share of starters and of finishers, and starters against target"
COMPARISON_CAPTION = (
    "Left: shares recomputed from the counts of Tables 4 and 5. Right: starters as a share of the "
    "target for starters; where the target is a range the bar uses its midpoint and the line "
    "spans the range.")
TABLE_3_CAPTION = "Providers are anonymised as in the report. The last column is ours: finishers × share."


def glue_values(counts: pd.Series) -> dict[str, str]:
    """The numbers the chapter's prose cites, from :func:`results.overall_counts`."""
    whole = ("n_pilots", "n_placement", "n_job_search", "n_business", "n_table_4", "n_table_5", "n_table_6", "n_regions")
    return ({key: str(int(counts[key])) for key in whole}
            | {key: fmt_number(counts[key]) for key in counts.index if key not in whole}
            | {"results_timing": Prose(results_timing())})


def results_timing() -> str:
    """When the summary tables' values hold, in the edition in force: the report's are interim, taken
    while most pilots still had time to run; another edition's hold at its own reference date."""
    e = edition.current()
    if e.report_edition:
        return (f"Table 4 gives the state in {e.as_of}; all of these tables show results while most pilots still "
                "had time to run, so they are interim results.")
    return (f"Here the tables hold the values of {e.title}, as of {e.as_of}, in the report's layout; "
            "the report's own tables were interim results, taken while most pilots still had time to run.")


def results_table(table: pd.DataFrame, outcomes: pd.DataFrame, n: int, lang: str = "en",
                  texts: pd.DataFrame | None = None) -> Exhibit:
    """Table ``n`` (4, 5 or 6) from :func:`results.results_table`, with the report's remarks on its rows."""
    data = with_remarks(table, outcomes)
    printed = edition.current().name
    caption = (f"Shares as printed in {printed}, with the share recomputed from the counts in brackets."
               if n in (4, 5) else f"As printed in {printed}.")
    notes = table_notes(data, texts) or ([f"No pilot in this data is reported in Table {n}."] if data.empty else [])
    return Exhibit(f"report-table-{n}", (f"{FAMILY_TITLES[n]}: results by {edition.current().as_of}" if n == 4
                    else f"{FAMILY_TITLES[n]}: results while the pilots were still running"
                    if edition.current().report_edition else f"{FAMILY_TITLES[n]}: results"),
                   data, shown=display_table(data, n), report_ref=f"Table {n}", caption=caption, notes=notes)


def providers(table: pd.DataFrame, weighted: tuple[float, float], pilots: pd.DataFrame,
              lang: str = "en") -> Exhibit | Prose:
    """Table 3 (:func:`results.table_3`); ``weighted`` is :func:`results.providers_weighted_share`
    (the share employed the provider rows imply, the share the total row prints)."""
    if table.empty:
        return Prose("*No provider-level results in this data.*")
    implied, printed = weighted
    shown = pd.DataFrame({
        label("provider", lang): table["provider"].replace({"total": "All providers"}),
        label("finished", lang): table["finished"].map(fmt_number),
        label("pct_employed_or_entrepreneur_of_finished", lang):
            table["pct_employed_or_entrepreneur_of_finished"].map(lambda v: f"{fmt_number(v)} %"),
        label("pct_not_employed_of_finished", lang):
            table["pct_not_employed_of_finished"].map(lambda v: f"{fmt_number(v)} %"),
        label("employed_computed", lang): table["employed_computed"].map(fmt_number),
    })
    name = results.pilot_row(pilots, table["pilot_id"].iloc[0])["name_en"]
    note = (f"Weighted by their finishers, the providers' shares give {fmt_number(implied)} % employed, "
            f"not the {fmt_number(printed)} % of the total row: the table does not add up (see the appendix "
            "on the report's inconsistencies)." if abs(implied - printed) > 1 else "")
    return Exhibit("report-table-3", f"{name}: results by provider", table, shown=shown, report_ref="Table 3",
                   caption=TABLE_3_CAPTION, notes=[note] if note else [])


def comparison_figure(shares: pd.DataFrame, attainment: pd.DataFrame, lang: str = "en") -> Exhibit:
    """Fee-eligible shares (:func:`results.fee_eligible_shares`) beside starters against target
    (:func:`results.target_attainment`)."""
    return Exhibit.figure("fee-eligible-shares", COMPARISON_TITLE,
                          figures.fee_eligible_comparison(shares, attainment, lang),
                          results.comparison_data(shares, attainment), caption=COMPARISON_CAPTION)
