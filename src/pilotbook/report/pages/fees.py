"""The fees chapter (``fees.ipynb``): Figure 8, Tables 7-9, payment ladders, the share at risk,
the cost of results (SYNTHETIC clients) and the tender illustration.

Every function takes what :mod:`pilotbook.analysis.fee_analysis` computed (and the fee models
where a table shows a model's components) and returns exhibits or prose; nothing here reads or
writes files or displays anything.
"""

from __future__ import annotations

import pandas as pd

from pilotbook.analysis import disclosure

from pilotbook.analysis import fee_analysis
from pilotbook.io.fee_models import components_table
from pilotbook.report import figures
from pilotbook.report.exhibits import Exhibit, Prose
from pilotbook.report.formatting import fee_components_display, fmt_number, fmt_range

SERVICE_NOTE = ("Each client is taken to have received every service step the model pays for once, the "
                "optional ones included (one licence or card training, one skills assessment).")
FIGURE_8_CAPTION = (
    "Computed by the fee engine from data/published/fee_models.yaml. Where providers bid a "
    "price within a range, bars use the midpoint and the black line spans the range. "
    + SERVICE_NOTE + " '?' marks a payment with a part whose amount the report does not print: the bar "
    "shows only the printed part, and in the data the results part and the total are empty (not computable).")
COSTS_CAPTION = (
    "SYNTHETIC: the clients are generated from the report's counts (data/example/placements.csv), "
    "then priced one by one by the fee engine at the midpoint of each price range. The engine "
    "pays only for jobs that meet the model's conditions, so its count can fall short of the "
    "report's where the generated kinds of contract (e.g. jobs under three months) do not qualify. "
    "The generated clients have no licence or card trainings and no skills assessments (the report "
    "does not say how many there were), so fees for them are left out. 'Not computable' marks a cost "
    "that includes a fee whose amount the report does not print.")
NOT_COMPUTABLE = "not computable"


def glue_values(models: dict[str, dict]) -> dict[str, str]:
    """The numbers the chapter's prose cites: how many models, priced, partly printed, not printed."""
    counts = fee_analysis.status_counts(models)
    return {"n_models": str(counts["models"]), "n_priced": str(counts["priced"]),
            "n_unknown": str(counts["unknown"]), "n_partly": str(counts["partly_known"])}


def _drawable(comparison: pd.DataFrame) -> pd.DataFrame:
    """Figure 8's frame for drawing: where a part is not printed, the bars stop at the printed part
    (marked '?'); the published data keep the results part and the total empty."""
    known = comparison["known_eur"]
    return comparison.assign(
        results_eur=comparison["results_eur"].fillna(known - comparison["fixed_eur"].fillna(0)),
        fixed_eur=comparison["fixed_eur"].fillna(0),
        total_eur=comparison["total_eur"].fillna(known),
        total_low_eur=comparison["total_low_eur"].fillna(known),
        total_high_eur=comparison["total_high_eur"].fillna(known))


def _incomplete_alt(comparison: pd.DataFrame) -> str:
    gaps = comparison[~comparison["complete"]]
    if gaps.empty:
        return ""
    every = comparison["outcome"].nunique()
    parts = []
    for pilot, rows in gaps.groupby("pilot", sort=False):
        outcomes = rows["outcome_label"].str.split(":").str[0].str.lower()
        parts.append(f"{pilot} ({'every outcome' if len(rows) == every else ' and '.join(outcomes)})")
    return (" The amounts given for " + "; ".join(parts) + " are only the parts the report prints: a further "
            "part is due whose amount it does not print, so the total is not computable.")


def figure_8(comparison: pd.DataFrame, lang: str = "en") -> Exhibit:
    """The report's Figure 8 redrawn from :func:`fee_analysis.comparison`; the data keep a payment
    with an unprinted part as not computable (empty), the bars show its printed part."""
    fig, alt = figures.fee_comparison(_drawable(comparison), lang)
    return Exhibit.figure("report-figure-8", "What each pilot's fee model paid per client, by outcome",
                          (fig, alt + _incomplete_alt(comparison)), comparison,
                          report_ref="Figure 8", caption=FIGURE_8_CAPTION)


def report_table(cited: dict[str, dict], n: int, names: dict[str, str], lang: str = "en") -> Exhibit | Prose:
    """Table ``n`` (7, 8 or 9) of the report: the components of the model that cites it
    (``cited`` as :func:`fee_analysis.model_citing` returns it), or a sentence saying none does."""
    source = f"Table {n}"
    if not cited:
        return Prose(f"*No fee model in this data cites {source}.*")
    pid, model = next(iter(cited.items()))
    return Exhibit(f"report-table-{n}", f"{names.get(pid, pid)}: fee model", components_table({pid: model}),
                   shown=fee_components_display(model, lang), report_ref=source)


def _payment_text(total: float, known: float, complete: bool) -> str:
    if complete:
        return f"{fmt_number(total)} €"
    return f"{NOT_COMPUTABLE}: {fmt_number(known)} € + a fee not printed"


def ladders(ladder_frame: pd.DataFrame, lang: str = "en") -> Exhibit:
    """Payment ladders (from :func:`fee_analysis.ladders`): one row per pilot, one column per outcome."""
    frame = ladder_frame
    cells = frame.assign(cell=[_payment_text(t, k, ok)
                               for t, k, ok in zip(frame["total_eur"], frame["known_eur"], frame["complete"])])
    wide = cells.pivot(index="pilot", columns="outcome", values="cell")
    wide = wide.reindex(index=list(dict.fromkeys(frame["pilot"])), columns=list(dict.fromkeys(frame["outcome"])))
    wide.columns.name = None
    shown = wide.reset_index().rename(columns={"pilot": "Pilot"})
    return Exhibit(
        "fee-ladders", "Payment ladders: what one client earned the provider, by outcome", frame, shown=shown,
        caption=("At the midpoint of any price range. Sums of all fixed and results parts due. " + SERVICE_NOTE
                 + " Where a part due has no printed amount the total is not computable; the printed part "
                 "is given beside it."))


def _share_text(v: float) -> str:
    return f"{fmt_number(100 * v)} %"


def _share_range(low: float, high: float) -> str:
    if pd.isna(low) or pd.isna(high) or low == high:
        return "–"
    return f"{fmt_range(100 * low, 100 * high)} %"


def at_risk(risk: pd.DataFrame, lang: str = "en") -> Exhibit:
    """The share of the top payment that depends on the result (from :func:`fee_analysis.at_risk`),
    largest first; a share that depends on an unprinted amount is 'not computable', with the reason."""
    frame = risk.sort_values("share_at_risk", ascending=False, na_position="last")
    shown = pd.DataFrame({
        "Pilot": frame["pilot"],
        "Share of the largest payment that depends on the result": [
            _share_text(v) if ok else f"{NOT_COMPUTABLE}: {why}"
            for v, ok, why in zip(frame["share_at_risk"], frame["computable"], frame["not_computable_because"])],
        "From the lowest to the highest price": [
            _share_range(lo, hi)
            for lo, hi in zip(frame["share_at_risk_low_price"], frame["share_at_risk_high_price"])],
    })
    return Exhibit("fee-share-at-risk", "How much of the top payment was at risk", frame, shown=shown,
                   caption=("The largest payment is the best outcome's, at the midpoint of any price range. "
                            + SERVICE_NOTE))


def _euro(v: float) -> str:
    return f"{fmt_number(v)} €"


def _money(cost: pd.DataFrame, column: str) -> list[str]:
    """Euros, or 'not computable' where the value is empty because a fee is not printed (a value
    suppressed for disclosure stays as the suppression shows it)."""
    suppressed = cost["suppressed"] if "suppressed" in cost else pd.Series(False, index=cost.index)
    return [NOT_COMPUTABLE if pd.isna(v) and not ok and not hidden else _euro(v)
            for v, ok, hidden in zip(cost[column], cost["complete"], suppressed)]


def costs(cost: pd.DataFrame, lang: str = "en") -> Exhibit:
    """Cost per starter and per paid employment of the SYNTHETIC clients (from
    :func:`fee_analysis.cost_per_outcome`); labelled SYNTHETIC in its title and caption."""
    shown = pd.DataFrame({
        "Pilot": cost["pilot"], "Starters": cost["starters"].map(fmt_number),
        "Fee-eligible in the report": cost["employments_reported_fee_eligible"].map(fmt_number),
        "Paid for by the engine": [(fmt_number(v) if pd.notna(v) else f"<{disclosure.min_cell()}")
                                   + ("" if ok else " (amount not printed)")
                                   for v, ok in zip(cost["employments_paid"], cost["complete"])],
        "Total cost": _money(cost, "total_cost_eur"),
        "Per starter": _money(cost, "cost_per_starter_eur"),
        "Per paid employment": _money(cost, "cost_per_paid_employment_eur"),
    })
    return Exhibit("fee-cost-per-employment",
                   "Expected cost per starter and per paid employment (SYNTHETIC clients)", cost, shown=shown,
                   caption=COSTS_CAPTION + (f" Where fewer than {disclosure.min_cell()} clients earned a result "
                                            "payment, their count is suppressed with every figure that "
                                            "would give it back." if cost.get("suppressed", pd.Series(False)).any() else ""))


def _rule_words(rule: dict) -> str:
    """The scoring rule in a sentence (ours): its ends, and what lies between and beyond."""
    top, least = fee_analysis.max_price(rule), rule["min_points"]
    return (f"price earns the full {fmt_number(rule['max_points'])} points up to "
            f"{fmt_number(rule['full_points_price'])} €, falling in a straight line to {fmt_number(least)} "
            f"point{'' if least == 1 else 's'} at {fmt_number(top)} €, which we take as the buyer's maximum price; "
            "a dearer bid is not admissible")


def tender_attribution(rule: dict, models: dict[str, dict]) -> Prose:
    """Which pilot the scoring rule belongs to, and how sure that is (from the rule's attribution data)."""
    if rule.get("attribution_inferred_from") is None:
        return Prose(f"The report prints this rule for {rule['pilot']}.")
    lines = "–".join(str(n) for n in rule["attribution_lines"])
    how = {"position": "from where it stands in the garbled figure: in the text dump it comes straight after "
                       "that pilot's amounts and the broken-up letters of its label, with only a column heading of "
                       f"the figure between them (lines {lines})",
           "label": f"from a fragment of the box's label (lines {lines})",
           "amounts": f"from the amounts printed beside it (lines {lines})"}[rule["attribution_inferred_from"]]
    text = (f"**Whose rule it is.** The Figure 8 box that prints the rule has lost its label in the text dump. "
            f"We give the rule to {rule['pilot']} {how}. The report itself does not say so.")
    alternative = rule.get("alternative_pilot_id")
    if not alternative:
        return Prose(text)
    model = models.get(alternative) or {}
    price = model.get("price") or {}
    text += f" The other pilot it could belong to is {rule['alternative_pilot']}"
    if price.get("low") is not None and price["low"] <= rule["full_points_price"] <= price.get("high", price["low"]):
        text += (f", for which {price.get('source', 'the report')} prints a results price of "
                 f"{fmt_range(price['low'], price['high'])} € per client (line {price.get('ref_line', '–')}), "
                 f"a range that holds the rule's {fmt_number(rule['full_points_price'])} €")
    if (model.get("procurement") or {}).get("full_points_price_eur") is None:
        text += "; the report prints no price scoring for it"
    return Prose(text + ".")


def tender_figure(curves: pd.DataFrame, rule: dict, quality: float, lang: str = "en") -> Exhibit:
    """The score of a bid under each price weight (from :func:`fee_analysis.tender_illustration`)."""
    fig, _ = figures.tender(curves, rule["full_points_price"], rule["variation"], lang)
    drops = [f"at a price weight of {w:.0%} the score falls from {fmt_number(round(g['score'].max()))} to "
             f"{fmt_number(round(g['score'].min()))}" for w, g in curves.groupby("price_weight")]
    alt = ("Line chart of a tender score against the bid per client. Under the rule, "
           + _rule_words(rule) + "; " + "; ".join(drops) + ".")
    return Exhibit.figure(
        "fee-tender-illustration", "How the weight of price turns a higher bid into a lost tender", (fig, alt), curves,
        caption=(f"Illustration, not data: one bidder with a quality score of {fmt_number(100 * quality)} of 100; "
                 f"price points as in the {rule['pilot']} scoring rule, with the point the report says a bid at "
                 f"the buyer's maximum price earns. Bids run up to that maximum price."))


def _weight_columns(wide: pd.DataFrame) -> list[str]:
    return [f"price weight {w:.0%}" for w in wide.columns]


def _points_text(v: float) -> str:
    return "not admissible (above the maximum price)" if pd.isna(v) else f"{fmt_number(v)} points"


def tender_table(grid: pd.DataFrame, lang: str = "en") -> Exhibit:
    """The quality lead a dearer bid needs (from :func:`fee_analysis.quality_needed_grid`)."""
    shown = grid.pivot(index="premium_eur", columns="price_weight", values="quality_points_needed")
    shown.columns = _weight_columns(shown)
    shown.index = [f"bid {fmt_number(p)} € above the full-points price" for p in shown.index]
    shown = shown.map(_points_text).reset_index(names="")
    return Exhibit("fee-tender-quality-needed", "Quality advantage (points of 100) a dearer bid needs to win",
                   grid, shown=shown,
                   caption=("Computed from the scoring rule, under which a bid at the buyer's maximum price still "
                            "earns a point; the quality scale is an assumption (see the text)."))


def tender_winning_bids(grid: pd.DataFrame, rule: dict, lang: str = "en") -> Exhibit:
    """What a better provider can bid and still win (from :func:`fee_analysis.winning_bids_grid`)."""
    texts = [f"the maximum price, {fmt_number(v)} €" if capped else f"up to {fmt_number(v)} € per client"
             for v, capped in zip(grid["highest_winning_bid_eur"], grid["at_max_price"])]
    shown = grid.assign(text=texts).pivot(index="quality_lead_points", columns="price_weight", values="text")
    shown.columns = _weight_columns(shown)
    shown.index = [f"{fmt_number(lead)} points better in quality" for lead in shown.index]
    return Exhibit(
        "fee-tender-winning-bids", "What a better provider can bid and still win", grid,
        shown=shown.reset_index(names=""),
        caption=(f"Against a rival bidding the full-points price of {fmt_number(rule['full_points_price'])} €; "
                 f"no bid may exceed the maximum price of {fmt_number(fee_analysis.max_price(rule))} €. "
                 "The same scoring rule and assumptions as the figure."))
