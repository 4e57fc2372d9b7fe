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
from pilotbook.report.formatting import fee_components_display, fmt_number

FIGURE_8_CAPTION = (
    "Computed by the fee engine from data/published/fee_models.yaml. Where providers bid a "
    "price within a range, bars use the midpoint and the black line spans the range. "
    "'?' marks a model whose amounts the report does not fully print.")
COSTS_CAPTION = (
    "SYNTHETIC: the clients are generated from the report's counts (data/example/placements.csv), "
    "then priced one by one by the fee engine at the midpoint of each price range. The engine "
    "pays only for jobs that meet the model's conditions, so its count can fall short of the "
    "report's where the generated kinds of contract (e.g. jobs under three months) do not qualify.")


def glue_values(models: dict[str, dict]) -> dict[str, str]:
    """The numbers the chapter's prose cites: how many models, priced, partly printed, not printed."""
    counts = fee_analysis.status_counts(models)
    return {"n_models": str(counts["models"]), "n_priced": str(counts["priced"]),
            "n_unknown": str(counts["unknown"]), "n_partly": str(counts["partly_known"])}


def figure_8(comparison: pd.DataFrame, lang: str = "en") -> Exhibit:
    """The report's Figure 8 redrawn from :func:`fee_analysis.comparison`."""
    return Exhibit.figure("report-figure-8", "What each pilot's fee model paid per client, by outcome",
                          figures.fee_comparison(comparison, lang), comparison,
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


def ladders(ladder_frame: pd.DataFrame, lang: str = "en") -> Exhibit:
    """Payment ladders (from :func:`fee_analysis.ladders`): one row per pilot, one column per outcome."""
    frame = ladder_frame
    cells = frame.assign(cell=[f"{fmt_number(t)} €" + ("" if ok else " + ?")
                               for t, ok in zip(frame["total_eur"], frame["complete"])])
    wide = cells.pivot(index="pilot", columns="outcome", values="cell")
    wide = wide.reindex(index=list(dict.fromkeys(frame["pilot"])), columns=list(dict.fromkeys(frame["outcome"])))
    wide.columns.name = None
    shown = wide.reset_index().rename(columns={"pilot": "Pilot"})
    return Exhibit(
        "fee-ladders", "Payment ladders: what one client earned the provider, by outcome", frame, shown=shown,
        caption=("At the midpoint of any price range. Sums of all fixed and results parts due; '+ ?' marks "
                 "a part whose amount the report does not print."))


def _share_text(v: float) -> str:
    return "amounts not printed" if v != v else f"{fmt_number(100 * v)} %"


def at_risk(risk: pd.DataFrame, lang: str = "en") -> Exhibit:
    """The share of the top payment that depends on the result (from :func:`fee_analysis.at_risk`),
    largest first."""
    frame = risk.sort_values("share_at_risk", ascending=False)
    shown = pd.DataFrame({"Pilot": frame["pilot"],
                          "Share of the largest payment that depends on the result":
                              frame["share_at_risk"].map(_share_text)})
    return Exhibit("fee-share-at-risk", "How much of the top payment was at risk", frame, shown=shown)


def _euro(v: float) -> str:
    return f"{fmt_number(v)} €"


def costs(cost: pd.DataFrame, lang: str = "en") -> Exhibit:
    """Cost per starter and per paid employment of the SYNTHETIC clients (from
    :func:`fee_analysis.cost_per_outcome`); labelled SYNTHETIC in its title and caption."""
    shown = pd.DataFrame({
        "Pilot": cost["pilot"], "Starters": cost["starters"].map(fmt_number),
        "Fee-eligible in the report": cost["employments_reported_fee_eligible"].map(fmt_number),
        "Paid for by the engine": [(fmt_number(v) if pd.notna(v) else f"<{disclosure.min_cell()}")
                                   + ("" if ok else " (results not printed)")
                                   for v, ok in zip(cost["employments_paid"], cost["complete"])],
        "Total cost": cost["total_cost_eur"].map(_euro),
        "Per starter": cost["cost_per_starter_eur"].map(_euro),
        "Per paid employment": cost["cost_per_paid_employment_eur"].map(_euro),
    })
    return Exhibit("fee-cost-per-employment",
                   "Expected cost per starter and per paid employment (SYNTHETIC clients)", cost, shown=shown,
                   caption=COSTS_CAPTION + (f" Where fewer than {disclosure.min_cell()} clients earned a result "
                                            "payment, their count is suppressed with every figure that "
                                            "would give it back." if cost.get("suppressed", pd.Series(False)).any() else ""))


def tender_figure(curves: pd.DataFrame, rule: dict, quality: float, lang: str = "en") -> Exhibit:
    """The score of a bid under each price weight (from :func:`fee_analysis.tender_illustration`)."""
    drawn = figures.tender(curves, rule["full_points_price"], rule["variation"], lang)
    return Exhibit.figure(
        "fee-tender-illustration", "How the weight of price turns a higher bid into a lost tender", drawn, curves,
        caption=(f"Illustration, not data: one bidder with a quality score of {fmt_number(100 * quality)} of 100; "
                 f"price points as in the {rule['pilot']} scoring rule."))


def _weight_columns(wide: pd.DataFrame) -> list[str]:
    return [f"price weight {w:.0%}" for w in wide.columns]


def tender_table(grid: pd.DataFrame, lang: str = "en") -> Exhibit:
    """The quality lead a dearer bid needs (from :func:`fee_analysis.quality_needed_grid`)."""
    shown = grid.pivot(index="premium_eur", columns="price_weight", values="quality_points_needed")
    shown.columns = _weight_columns(shown)
    shown.index = [f"bid {fmt_number(p)} € above the full-points price" for p in shown.index]
    shown = shown.map(lambda v: f"{fmt_number(v)} points").reset_index(names="")
    return Exhibit("fee-tender-quality-needed", "Quality advantage (points of 100) a dearer bid needs to win",
                   grid, shown=shown,
                   caption="Computed from the scoring rule; the quality scale is an assumption (see the text).")


def _bid_text(v: float) -> str:
    return "any bid" if v == float("inf") else f"up to {fmt_number(v)} € per client"


def tender_winning_bids(grid: pd.DataFrame, rule: dict, lang: str = "en") -> Exhibit:
    """What a better provider can bid and still win (from :func:`fee_analysis.winning_bids_grid`)."""
    shown = grid.pivot(index="quality_lead_points", columns="price_weight", values="highest_winning_bid_eur")
    shown.columns = _weight_columns(shown)
    shown.index = [f"{fmt_number(lead)} points better in quality" for lead in shown.index]
    shown = shown.map(_bid_text)
    return Exhibit(
        "fee-tender-winning-bids", "What a better provider can bid and still win", grid,
        shown=shown.reset_index(names=""),
        caption=(f"Against a rival bidding the full-points price of {fmt_number(rule['full_points_price'])} €; "
                 "the same scoring rule and assumptions as the figure."))
