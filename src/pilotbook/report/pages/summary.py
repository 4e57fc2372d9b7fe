"""The summary chapter (``summary.ipynb``): the report's conclusions and recommendations, each with
its evidence in this book, from ``findings.csv``.

A finding's row names the exhibits that carry its evidence (ids of this build's registry) and the
sections that discuss it (MyST labels); both become links Sphinx resolves, so a build with a
dangling one fails.  Where this book's own analysis adds something to a finding (column ``adds``),
a sentence marked as ours says what, with its numbers glued from :func:`glue_values`.  Nothing here
reads or writes files.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd

from pilotbook import settings
from pilotbook.analysis import fee_analysis, results, statistics
from pilotbook.report import edition
from pilotbook.report.exhibits import Exhibit, Prose
from pilotbook.report.formatting import fmt_number, printed_text

KIND_HEADINGS = {"foreword": "Foreword", "conclusion": "Conclusion",
                 "recommendation": "Recommendation"}
BASIS_WORDS = {
    "monitoring": "the pilots' monitoring figures",
    "register": "the register comparison",
    "survey": "the survey of invited non-participants",
    "customer_survey": "the pilots' customer surveys",
    "interviews": "interviews",
    "documents": "tender documents and procurement decisions",
}
FINDINGS_TITLE = "The report's conclusions and recommendations, with their evidence in this book"


@dataclass(frozen=True)
class Addition:
    """What our own analysis adds to a finding: a sentence (ours) citing glued numbers."""

    sentence: str  # MyST; numbers only as {glue:text}`summary_…`; words of the edition as [TABLE_4], [INTERIM]
    exhibit: str  # the exhibit or section label that shows the analysis


def _in_edition(sentence: str) -> str:
    """An addition's sentence for the edition in force: Table 4 is the report's only in the report's
    edition, and only the report's was compiled while the pilots were still running."""
    e = edition.current()
    interim = (f"The table is interim, compiled in {e.as_of} while the pilots were still running; it counts only "
               "fee-eligible recruitments (its notes show more jobs in total for some pilots)"
               if e.report_edition else "The table counts only fee-eligible recruitments")
    return sentence.replace("[TABLE_4]", e.of("Table 4")).replace("[INTERIM]", interim)


ADDITIONS: dict[str, Addition] = {
    "recomputed_shares": Addition(
        "We recomputed the shares of [TABLE_4] from its counts: recruitments that entitle the provider to a fee, "
        "as a share of those who had finished the service, range from {glue:text}`summary_share_min` "
        "({glue:text}`summary_share_min_pilot`) to {glue:text}`summary_share_max` "
        "({glue:text}`summary_share_max_pilot`). [INTERIM]; these shares describe results, not the effect of the "
        "service.",
        "results-compare"),
    "table_3_sum": Addition(
        "We weighted the providers' rows of Table 3 by their numbers of finishers: together they imply that "
        "{glue:text}`summary_table3_implied` of finishers were employed or became entrepreneurs (the table's "
        "measure, which includes jobs that earned no fee), not the {glue:text}`summary_table3_printed` of the "
        "table's total row, so the table does not add up.", "results-providers"),
    "no_service_conflict": Addition(
        "The report gives two different shares of surveyed non-participants who felt they needed no service or "
        "help to look for work: {glue:text}`summary_no_service_c4` in conclusion 4 and "
        "{glue:text}`summary_no_service_c13` in conclusion 13; chapter 2.3, which reports the survey, has "
        "{glue:text}`summary_no_service_survey`. We list this among the report's inconsistencies.",
        "survey-help-wanted"),
    "power": Addition(
        "We computed, from the group sizes and the shares employed at the end of follow-up that the report "
        "prints for its register comparisons of participants and refusers, the smallest difference in the share "
        "employed that each comparison could detect (power {glue:text}`summary_power`, two-sided level "
        "{glue:text}`summary_alpha`): from {glue:text}`summary_mdd_min` percentage points "
        "({glue:text}`summary_mdd_min_pilot`) to {glue:text}`summary_mdd_max` percentage points "
        "({glue:text}`summary_mdd_max_pilot`). Even a difference that large would not by itself show an effect "
        "of the pilot, since clients chose whether to take part.", "register-power"),
    "tender": Addition(
        "In our illustration of the tender rule (its assumptions are in the fee chapter), when price weighs "
        "{glue:text}`summary_tender_weight`, a bid {glue:text}`summary_tender_premium` dearer than a rival's bid "
        "at the full-points price needs a quality lead of {glue:text}`summary_tender_points` points just to tie "
        "with it.", "fees-tender"),
}


# --------------------------------------------------------------------------- numbers of the additions


def _share_range(pilots: pd.DataFrame, outcomes: pd.DataFrame) -> dict[str, str]:
    shares = results.fee_eligible_shares(pilots, outcomes)
    table_4 = shares[(shares["source"] == "Table 4") & (shares["denominator"] == "finished")].dropna(subset=["share_pct"])
    if table_4.empty:
        return {}
    low, high = table_4.loc[table_4["share_pct"].idxmin()], table_4.loc[table_4["share_pct"].idxmax()]
    return {"summary_share_min": f"{fmt_number(round(low['share_pct']))} %", "summary_share_min_pilot": low["pilot"],
            "summary_share_max": f"{fmt_number(round(high['share_pct']))} %", "summary_share_max_pilot": high["pilot"]}


def _table_3(providers: pd.DataFrame) -> dict[str, str]:
    table = results.table_3(providers)
    if table.empty:
        return {}
    implied, printed = results.providers_weighted_share(table)
    return {"summary_table3_implied": f"{fmt_number(round(implied, 1))} %",
            "summary_table3_printed": f"{fmt_number(printed)} %"}


def _no_service(facts: pd.DataFrame, survey: pd.DataFrame) -> dict[str, str]:
    rows = facts[facts["quantity"] == "pct_non_participants_needing_no_service"]
    by_source = {s: printed_text(v, q, u) for s, v, q, u in
                 zip(rows["source"], rows["value"], rows["qualifier"], rows["unit"])}
    printed = survey[(survey["question"] == "service_need") & (survey["response"] == "no_service_needed")]
    out = {"summary_no_service_c4": by_source.get("chapter 1.1, conclusion 4", "–"),
           "summary_no_service_c13": by_source.get("chapter 1.1, conclusion 13", "–")}
    if not printed.empty:
        r = printed.iloc[0]
        out["summary_no_service_survey"] = printed_text(r["value"], r["qualifier"], r["unit"])
    return out if len(out) == 3 else {}


def _power(ura: pd.DataFrame, pilots: pd.DataFrame) -> dict[str, str]:
    """Minimum detectable differences from the Ns and employed shares the report prints."""
    total = ura[(ura["dimension"] == "total") & (ura["pilot_id"].isin(pilots["pilot_id"]))]
    ns = total[total["measure"] == "persons"].drop_duplicates(["pilot_id", "cohort"]).set_index(["pilot_id", "cohort"])["value"]
    emp = total[(total["measure"] == "status_share") & (total["status"] == "employed")].drop_duplicates(
        ["pilot_id", "cohort"]).set_index(["pilot_id", "cohort"])["value"]
    names = results.pilot_labels(pilots)
    mdd = {}
    for pilot in sorted(set(p for p, _ in ns.index)):
        keys = [(pilot, "participant"), (pilot, "refuser")]
        if all(k in ns.index for k in keys) and keys[1] in emp.index:
            mdd[names.get(pilot, pilot)] = statistics.minimum_detectable_difference(
                emp[keys[1]] / 100, int(ns[keys[0]]), int(ns[keys[1]]))
    if not mdd:
        return {}
    low, high = min(mdd, key=mdd.get), max(mdd, key=mdd.get)
    s = settings.current()
    return {"summary_mdd_min": fmt_number(round(mdd[low], 1)), "summary_mdd_min_pilot": low,
            "summary_mdd_max": fmt_number(round(mdd[high], 1)), "summary_mdd_max_pilot": high,
            "summary_power": f"{fmt_number(100 * s.power)} %", "summary_alpha": f"{fmt_number(100 * s.alpha)} %"}


def _tender(models: dict[str, dict], pilots: pd.DataFrame) -> dict[str, str]:
    try:
        rule = fee_analysis.tender_rule(models, results.pilot_labels(pilots))
    except ValueError:  # no model of this data prints a price-scoring rule
        return {}
    s = settings.current()
    weight, premium = max(s.tender_price_weights), max(s.tender_premiums_eur)
    grid = fee_analysis.quality_needed_grid(rule, [weight], [premium])
    return {"summary_tender_weight": f"{fmt_number(100 * weight)} %", "summary_tender_premium": f"{fmt_number(premium)} €",
            "summary_tender_points": fmt_number(round(grid["quality_points_needed"].iloc[0], 1))}


def glue_values(pilots: pd.DataFrame, outcomes: pd.DataFrame, providers: pd.DataFrame, facts: pd.DataFrame,
                survey: pd.DataFrame, ura: pd.DataFrame, models: dict[str, dict]) -> dict[str, str]:
    """The numbers of every addition this data allows (an addition whose data are missing is left out)."""
    return (_share_range(pilots, outcomes) | _table_3(providers) | _no_service(facts, survey)
            | _power(ura, pilots) | _tender(models, pilots))


def available(glued: dict[str, str]) -> set[str]:
    """The additions whose every glued number exists."""
    return {key for key, a in ADDITIONS.items()
            if all(name in glued for name in re.findall(r"\{glue:text\}`([^`]+)`", a.sentence))}


# --------------------------------------------------------------------------- the chapter


def _split(cell) -> list[str]:
    return [p.strip() for p in cell.split(";") if p.strip()] if isinstance(cell, str) else []


def _evidence_links(ids: list[str], registry: pd.DataFrame) -> str:
    titles = dict(zip(registry["id"], registry["title"])) if not registry.empty else {}
    refs = dict(zip(registry["id"], registry["report_reference"].fillna(""))) if not registry.empty else {}
    links = []
    for exhibit in ids:
        if exhibit not in titles:  # e.g. the exhibit of a pilot this data leaves out
            links.append(f"`{exhibit}` (not made from this data)")
            continue
        text = f"{refs[exhibit]}: {titles[exhibit]}" if refs.get(exhibit) else titles[exhibit]
        links.append("{ref}`" + text.replace("`", "'").replace("<", "‹").replace(">", "›") + f" <exhibit-{exhibit}>`")
    return "; ".join(links)


def finding(row: pd.Series, registry: pd.DataFrame, additions: set[str]) -> Prose:
    """One finding: title, statement, what it rests on, links to its evidence and discussion, and
    what our analysis adds."""
    basis = _split(row["basis"])
    heading = KIND_HEADINGS[row["kind"]] + ("" if row["kind"] == "foreword" else f" {int(row['number'])}")
    lines = [f"(finding-{str(row['id']).lower()})=", f"### {heading}: {row['title']}", "", str(row["statement"]), ""]
    rests = ", ".join(BASIS_WORDS[b] for b in basis)
    if basis == ["interviews"]:
        lines.append("**Rests on interviews only**: no figure in the report or in this book tests it.")
    else:
        lines.append(f"**Rests on:** {rests}.")
    lines += ["", f"**Evidence in this book:** {_evidence_links(_split(row['evidence']), registry)}.", "",
              "**Discussed in:** " + "; ".join("{ref}`" + label + "`" for label in _split(row["sections"])) + ".", ""]
    for key in _split(row.get("adds")):
        if key in additions:
            a = ADDITIONS[key]
            lines += [":::{admonition} What our analysis adds", ":class: ours",
                      f"{_in_edition(a.sentence)} (See {{ref}}`{a.exhibit}`.)", ":::", ""]
    lines.append(f"<span class=\"finding-source\">The report, {_lines(row)}.</span>")
    return Prose("\n".join(lines))


def _lines(row: pd.Series) -> str:
    a, b = int(row["line_from"]), int(row["line_to"])
    return f"line {a}" if a == b else f"lines {a}–{b}"


def findings(table: pd.DataFrame, registry: pd.DataFrame, kind: str, additions: set[str]) -> list[Prose]:
    """Every finding of ``kind`` (foreword, conclusion, recommendation), in the report's order."""
    rows = table[table["kind"] == kind].sort_values("number")
    if rows.empty:
        return [Prose(f"*This data has no {kind} rows.*")]
    return [finding(row, registry, additions) for _, row in rows.iterrows()]


def counts(table: pd.DataFrame) -> dict[str, str]:
    """How many conclusions and recommendations the data hold (glued into the introduction)."""
    return {f"n_{kind}s": str(int((table["kind"] == kind).sum())) for kind in ("conclusion", "recommendation")}


def findings_exhibit(table: pd.DataFrame) -> Exhibit:
    """``findings.csv`` as the book's registry publishes it (``report-findings``)."""
    return Exhibit("report-findings", FINDINGS_TITLE, table.reset_index(drop=True),
                   shown=table[["id", "title", "line_from", "line_to", "basis", "evidence"]].rename(columns={
                       "id": "Id", "title": "Title (ours)", "line_from": "From line", "line_to": "To line",
                       "basis": "Rests on", "evidence": "Exhibits"}),
                   caption="The statements are in our own words; the lines are those of the report's text dump.")
