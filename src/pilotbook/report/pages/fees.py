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
READING_MARK = " (our reading, see below)"
COSTS_CAPTION = (
    "SYNTHETIC: the clients are generated from the report's counts (data/example/placements.csv), "
    "then priced one by one by the fee engine at the midpoint of each price range. The engine "
    "pays only for jobs that meet the model's conditions, so its count can fall short of the "
    "report's where the generated kinds of contract (e.g. jobs under three months) do not qualify. "
    "The generated clients have no licence or card trainings and no skills assessments (the report "
    "does not say how many there were), so fees for them are left out. 'Not computable' marks a cost "
    "that includes a fee whose amount the report does not print.")
NOT_COMPUTABLE = "not computable"


def _count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def glue_values(models: dict[str, dict]) -> dict[str, str]:
    """The numbers the chapter's prose cites, and the sentence that counts the models by what the report
    prints of them (``models_sentence``)."""
    counts = fee_analysis.status_counts(models)
    parts = [f"Of the {_count(counts['models'], 'pilot', 'pilots')}, the report describes no fee model for "
             f"{counts['not_described']}" if counts["not_described"] else f"Of the {counts['models']} pilots' models"]
    printed = []
    if counts["partly_known"]:
        printed.append(f"{counts['partly_known']} only in part")
    if counts["unknown"]:
        printed.append(f"{counts['unknown']} without {'its' if counts['unknown'] == 1 else 'their'} amounts")
    if printed:
        lead = (f"; of the {_count(counts['described'], 'model', 'models')} it describes, it prints "
                if counts["not_described"] else ", the report prints ")
        parts.append(lead + " and ".join(printed))
    sentence = "".join(parts) + f"; the engine prices {counts['priced']}, some partly printed ones among them."
    return {"n_models": str(counts["models"]), "n_priced": str(counts["priced"]),
            "n_unknown": str(counts["unknown"]), "n_partly": str(counts["partly_known"]),
            "n_not_described": str(counts["not_described"]), "models_sentence": sentence}


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


def _names(pilots: list[str]) -> str:
    return pilots[0] if len(pilots) == 1 else ", ".join(pilots[:-1]) + " and " + pilots[-1]


def _figure_8_sources(comparison: pd.DataFrame) -> str:
    """Which pilots' boxes the report's Figure 8 has, how each is tied to its pilot, and which the chart adds."""
    box = comparison.drop_duplicates("pilot_id").set_index("pilot")["figure_8_box"].fillna("")
    labelled, by_amounts, added = (list(box[box == kind].index) for kind in ("label", "amounts", ""))
    clauses = ([f"{_names(labelled)}, named by their labels (in pieces in the text dump)"] if labelled else []) + (
        [f"{_names(by_amounts)}, whose boxes have lost their labels in the dump and which we read as theirs from "
         "their amounts"] if by_amounts else [])
    text = (f"Redraws and extends the report's Figure 8, which has boxes for {len(labelled) + len(by_amounts)} "
            f"pilots: {', and '.join(clauses)}.")
    if added:
        text += f" The chart adds {_names(added)}, whose models it takes from their chapters in Part II."
    job = fee_analysis.COMPARE[1][2]
    return (text + f" The fixed-term job is priced as a full-time contract of {fmt_number(job.months)} months, "
            f"found {fmt_number(job.days_from_assessment)} days after the initial assessment.")


def figure_8(comparison: pd.DataFrame, lang: str = "en") -> Exhibit:
    """The report's Figure 8 redrawn and extended with the other pilots' models from
    :func:`fee_analysis.comparison`; the data keep a payment with an unprinted part as not computable
    (empty), the bars show its printed part.  Not a reproduction of the figure (which has fewer boxes),
    so it says it redraws and extends Figure 8 (``ref_note``); the caption says which boxes are the figure's."""
    fig, alt = figures.fee_comparison(_drawable(comparison), lang)
    return Exhibit.figure("report-figure-8", "What each pilot's fee model paid per client, by outcome",
                          (fig, alt + _incomplete_alt(comparison)), comparison,
                          caption=_figure_8_sources(comparison) + " " + FIGURE_8_CAPTION, report_ref="Figure 8",
                          ref_note="Based on Figure 8 of the report.")


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


def reading_notes(ladder_frame: pd.DataFrame, prefix_pilot: bool = False) -> dict[int, str]:
    """``{row position: note}`` for the ladder rows a reading of ours decides (from the ``over_*`` and
    ``timing_*`` columns of :func:`fees.ladder`); rows with the same reading share one note, which
    names their outcomes (and pilot, with ``prefix_pilot``)."""
    notes: dict[tuple[str, str], list[int]] = {}
    for i, r in enumerate(ladder_frame.itertuples(index=False)):
        texts = []
        if r.over_tier:
            n = fmt_number(r.over_months)
            texts.append(f"the report pays “{r.over_tier}”; we read a contract of exactly {n} months as not over "
                         f"{n} months, so the result earns {fmt_number(r.results_eur)} € (read as at least {n} months, "
                         f"{fmt_number(r.over_results_eur)} €)")
        if r.timing_tier:
            texts.append(f"the job is taken as found {fmt_number(r.days_from_assessment)} days after the initial "
                         f"assessment, so it is paid at the tier “{r.timing_tier}”; found later, the result earns "
                         f"{fmt_number(r.timing_results_later_eur)} €")
        for text in texts:
            notes.setdefault((getattr(r, "pilot", "") if prefix_pilot else "", text), []).append(i)
    out: dict[int, str] = {}
    for (pilot, text), rows in notes.items():
        outcomes = "; ".join(ladder_frame["outcome"].iloc[rows])
        note = (f"{pilot}, " if pilot else "") + f"{outcomes}: {text[0].upper()}{text[1:]}."
        for i in rows:
            out[i] = (out[i] + " " + note) if i in out else note
    return out


def ladders(ladder_frame: pd.DataFrame, lang: str = "en") -> Exhibit:
    """Payment ladders (from :func:`fee_analysis.ladders`): one row per pilot, one column per outcome; a
    cell that a reading of ours decides is marked and explained under the table."""
    frame = ladder_frame
    notes = reading_notes(frame, prefix_pilot=True)
    cells = frame.assign(cell=[_payment_text(t, k, ok) + (READING_MARK if i in notes else "")
                               for i, (t, k, ok) in enumerate(zip(frame["total_eur"], frame["known_eur"],
                                                                  frame["complete"]))])
    wide = cells.pivot(index="pilot", columns="outcome", values="cell")
    wide = wide.reindex(index=list(dict.fromkeys(frame["pilot"])), columns=list(dict.fromkeys(frame["outcome"])))
    wide = wide.fillna("–")  # an outcome only some models pay for (an ownership change)
    wide.columns.name = None
    shown = wide.reset_index().rename(columns={"pilot": "Pilot"})
    return Exhibit(
        "fee-ladders", "Payment ladders: what one client earned the provider, by outcome", frame, shown=shown,
        caption=("At the midpoint of any price range. Sums of all fixed and results parts due. " + SERVICE_NOTE
                 + " Where a part due has no printed amount the total is not computable; the printed part "
                 "is given beside it. An ownership change is listed only for the models that pay for one "
                 "('–' elsewhere)."),
        notes=list(dict.fromkeys(notes.values())))


def _pct(share: float) -> str:
    return f"{fmt_number(round(100 * share, 1))} %"


def our_readings(readings: pd.DataFrame, models: dict[str, dict]) -> Prose:
    """The readings of ours behind the ladders and the shares at risk (:func:`fee_analysis.our_readings`),
    as an 'Our note' admonition, one line per reading."""
    if readings.empty:
        return Prose("")
    lines = []
    for r in readings.itertuples(index=False):
        if r.reading == "included":
            price = models[r.pilot_id].get("price") or {}
            lines.append(f"- **{r.pilot}.** {(price.get('note') or '').strip()} We read the fee per client as "
                         f"including the {fmt_number(r.amount_eur)} € at every result tier, the shares included, "
                         "so it counts as fixed and is not at risk.")
        elif r.reading == "separate_fee":
            lines.append(f"- **{r.pilot}.** We read the fee for “{r.component}” (*{r.component_fi}*) as "
                         f"{_pct(r.share_of_top_result)} of the largest result amount, "
                         f"{fmt_number(r.amount_eur)} € per client assessed, and count it as fixed: without it "
                         f"{_pct(r.share_at_risk_without)} of the largest payment would be at risk, with it "
                         f"{_pct(r.share_at_risk)}.")
        elif r.reading == "timing":
            lines.append(f"- **{r.pilot}.** The ladders take every job as found {fmt_number(r.days)} days after the "
                         f"initial assessment, so a fixed-term job is paid at the tier “{r.tier}” "
                         f"({fmt_number(r.amount_eur)} €); one found more than {fmt_number(r.limit_days)} days after "
                         f"it earns “{r.later_tier}” ({fmt_number(r.later_amount_eur)} €).")
    return Prose(":::{admonition} Our note\n:class: ours\nReadings of ours that decide the tables above:\n\n"
                 + "\n".join(lines) + "\n:::")


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
    text = (f"**Whose rule it is.** Figure 8 prints remarks on the procurements in a column beside the pilots' "
            "boxes; in the text dump the remark that holds the rule names no pilot. "
            f"We give the rule to {rule['pilot']} {how}. The report itself does not say so.")
    text += _fixed_fees_against(models.get(rule["pilot_id"]) or {}, rule)
    alternative = rule.get("alternative_pilot_id")
    if alternative:
        model = models.get(alternative) or {}
        price = model.get("price") or {}
        text += f" The other pilot it could belong to is {rule['alternative_pilot']}"
        if price.get("low") is not None and price["low"] <= rule["full_points_price"] <= price.get("high", price["low"]):
            text += (f", whose providers {'each had their own' if price['low'] < price['high'] else 'had a'} "
                     f"results price per client, which {price.get('source', 'the report')} prints as "
                     f"{fmt_range(price['low'], price['high'])} € (line {price.get('ref_line', '–')}), "
                     f"a range that holds the rule's {fmt_number(rule['full_points_price'])} €")
        if (model.get("procurement") or {}).get("full_points_price_eur") is None:
            text += "; the report prints no price scoring for it"
        if not model.get("figure_8"):
            text += ", and it has no labelled box in Figure 8"
        text += "."
    return Prose(text + "\n\n" + _rule_reading(rule))


def _fixed_fees_against(model: dict, rule: dict) -> str:
    """What speaks against the attribution: the attributed pilot's results fees printed as fixed euro amounts,
    with no price per provider for a price-scoring rule to score ('' when that is not so)."""
    tiers = [c for c in model.get("components") or [] if c.get("kind") == "result"]
    if not tiers or model.get("price") or any(c.get("amount_eur") is None for c in tiers):
        return ""
    amounts = sorted({c["amount_eur"] for c in tiers}, reverse=True)
    lines = [c["ref_line"] for c in tiers if c.get("ref_line")]
    sources = sorted({c.get("source", "") for c in tiers})
    return (f" Against it: {' and '.join(sources)} prints {rule['pilot']}'s results fees as fixed amounts "
            f"({', '.join(fmt_number(a) for a in amounts)} €, lines {min(lines)}–{max(lines)}) with no price set "
            "per provider, which weakens the attribution.")


def _rule_reading(rule: dict) -> str:
    """How we read the rule's words and its top (ours; the report explains neither)."""
    full, top = fmt_number(rule["full_points_price"]), fmt_number(fee_analysis.max_price(rule))
    words = f" (*{rule['wording_fi']}*)" if rule.get("wording_fi") else ""
    return (f"**How we read it.** The box gives the full {fmt_number(rule['max_points'])} price points if a bidder "
            f"lowers the price {full} €{words}. We read this as lowering the price *to* {full} €; the words can also "
            f"mean lowering it *by* {full} €, and the report does not explain them. Nor does it print a maximum price "
            f"for the rule: we take {top} € ({full} € plus the {fmt_number(rule['variation'])} € price variation) "
            "as the buyer's maximum price, above which a bid is not admissible.")


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
                 f"price points as in the Figure 8 scoring rule, {_whose(rule)}, read as above, with the point the "
                 f"report says a bid at the buyer's maximum price earns. Bids run up to "
                 f"{fmt_number(fee_analysis.max_price(rule))} €, which we take as that maximum price."))


def _whose(rule: dict) -> str:
    """The rule's pilot, with the caveat where the attribution is ours."""
    if rule.get("attribution_inferred_from") is None:
        return f"of {rule['pilot']}"
    alternative = f"; it may be {rule['alternative_pilot']}'s" if rule.get("alternative_pilot") else ""
    return f"which we attribute to {rule['pilot']} (by its {rule['attribution_inferred_from']} only{alternative})"


def _weight_columns(wide: pd.DataFrame) -> list[str]:
    return [f"price weight {w:.0%}" for w in wide.columns]


def _points_text(v: float) -> str:
    return "not admissible (above the maximum price)" if pd.isna(v) else f"{fmt_number(v)} points"


def tender_table(grid: pd.DataFrame, lang: str = "en") -> Exhibit:
    """The quality lead a dearer bid needs (from :func:`fee_analysis.quality_needed_grid`)."""
    shown = grid.pivot(index="premium_eur", columns="price_weight", values="quality_points_needed")
    shown.columns = _weight_columns(shown)
    shown.index = [f"bid {fmt_number(p)} € above the full-points price" for p in shown.index]
    shown = shown.map(_points_text).reset_index(names="dearer bid")
    return Exhibit("fee-tender-quality-needed", "Quality advantage (points of 100) a dearer bid needs to win",
                   grid, shown=shown,
                   caption=("Computed from the scoring rule, under which a bid at the buyer's maximum price still "
                            "earns a point (chapter 3.4; which price is the maximum is our reading, see above); the "
                            "quality scale is an assumption (see the text)."))


def tender_winning_bids(grid: pd.DataFrame, rule: dict, lang: str = "en") -> Exhibit:
    """What a better provider can bid and still win (from :func:`fee_analysis.winning_bids_grid`)."""
    texts = [f"the maximum price, {fmt_number(v)} €" if capped else f"up to {fmt_number(v)} € per client"
             for v, capped in zip(grid["highest_winning_bid_eur"], grid["at_max_price"])]
    shown = grid.assign(text=texts).pivot(index="quality_lead_points", columns="price_weight", values="text")
    shown.columns = _weight_columns(shown)
    shown.index = [f"{fmt_number(lead)} points better in quality" for lead in shown.index]
    return Exhibit(
        "fee-tender-winning-bids", "What a better provider can bid and still win", grid,
        shown=shown.reset_index(names="quality lead"),
        caption=(f"Against a rival bidding the full-points price of {fmt_number(rule['full_points_price'])} €. "
                 f"Bids stop at {fmt_number(fee_analysis.max_price(rule))} €, which we take as the buyer's maximum "
                 f"price ({fmt_number(rule['full_points_price'])} € plus the {fmt_number(rule['variation'])} € price "
                 "variation; the report prints no maximum price for the rule). The same scoring rule as the "
                 f"figure, {_whose(rule)}, and the same assumptions."))
