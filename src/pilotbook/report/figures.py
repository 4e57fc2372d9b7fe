"""The book's figures, drawn with seaborn in the house style of :mod:`pilotbook.report.style`.

Each function takes tidy data and returns a matplotlib figure together with its
alt text, so the text a screen-reader hears is computed from the same numbers.
"""

from __future__ import annotations

import math
import textwrap

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import seaborn as sns

from pilotbook.report import style
from pilotbook.report.labels import label
from pilotbook.report.formatting import fmt_number


def wrap(text: str, width: int = 28) -> str:
    return "\n".join(textwrap.wrap(str(text), width)) or str(text)


def _pct_list(frame: pd.DataFrame, column: str) -> str:
    parts = [f"{p}: {fmt_number(v)} %" for p, v in zip(frame["pilot"], frame[column]) if not math.isnan(v)]
    return "; ".join(parts)


def fee_eligible_comparison(shares: pd.DataFrame, attainment: pd.DataFrame, lang: str = "en"):
    """Two panels: fee-eligible employment as % of starters and of finishers; starters vs target.

    Returns ``(figure, alt_text)``.
    """
    style.apply()
    order = (shares[shares["denominator"] == "finished"].sort_values("share_pct", ascending=False)["pilot"]
             .tolist())
    shares = shares.assign(pilot_label=shares["pilot"].map(wrap),
                           basis=shares["denominator"].map({"started": label("share_of_started", lang),
                                                            "finished": label("share_of_finished", lang)}))
    wrapped_order = [wrap(p) for p in order]
    height = 1.0 + 0.55 * len(order)
    fig, (left, right) = plt.subplots(1, 2, figsize=(style.FIG_WIDTH, max(height, 4.0)), sharey=True,
                                      gridspec_kw={"width_ratios": [3, 2]})
    sns.barplot(data=shares, y="pilot_label", x="share_pct", hue="basis", order=wrapped_order,
                palette=style.palette(2), ax=left, orient="h")
    left.set_xlabel(label("share_axis", lang))
    left.set_ylabel("")
    left.set_xlim(0, 100)
    left.legend(title=None, loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=2, borderaxespad=0.3)
    for container in left.containers:
        left.bar_label(container, fmt="%.0f", padding=2, fontsize=9)

    att = attainment.set_index("pilot").reindex(order).reset_index()
    att["pilot_label"] = att["pilot"].map(wrap)
    colour = style.palette(3)[2]
    sns.barplot(data=att, y="pilot_label", x="pct_of_target_mid", order=wrapped_order, color=colour,
                ax=right, orient="h")
    ranged = att[att["target_low"] != att["target_high"]]
    for r in ranged.itertuples(index=False):
        y = wrapped_order.index(r.pilot_label)
        right.plot([r.pct_of_target_high, r.pct_of_target_low], [y, y], color="black", lw=1.5)
    right.axvline(100, color="black", ls="--", lw=1)
    right.set_xlabel(label("target_pct_of_target", lang))
    right.set_ylabel("")
    right.set_xlim(0, max(130, float(np.nanmax(att["pct_of_target_low"])) + 15))
    for y, r in enumerate(att.itertuples(index=False)):
        if math.isnan(r.pct_of_target_mid):
            right.text(2, y, "no target printed", va="center", fontsize=9, style="italic")
        else:
            right.text(max(r.pct_of_target_mid, r.pct_of_target_low) + 3, y, f"{r.pct_of_target_mid:.0f}",
                       va="center", fontsize=9)
    fig.tight_layout()

    started = shares[shares["denominator"] == "started"]
    finished = shares[shares["denominator"] == "finished"]
    alt = ("Horizontal bar chart of fee-eligible employment by pilot. As a share of those who "
           f"finished: {_pct_list(finished, 'share_pct')}. As a share of those who started: "
           f"{_pct_list(started, 'share_pct')}. A second panel shows starters as a share of the "
           f"pilot's target (100 % dashed line): {_pct_list(att, 'pct_of_target_mid')}.")
    return fig, alt


def pilot_progress(frame: pd.DataFrame, pilot_name: str, lang: str = "en"):
    """Horizontal bars: target (midpoint, with its range), starters, finishers, fee-eligible.

    Returns ``(figure, alt_text)``.
    """
    style.apply()
    frame = frame.assign(label=frame["step"].map(lambda k: label(k, lang)))
    fig, ax = plt.subplots(figsize=(style.FIG_WIDTH_NARROW, 0.8 + 0.6 * max(len(frame), 1)))
    colours = style.palette(4)
    sns.barplot(data=frame, y="label", x="value", hue="label", palette=colours[: len(frame)],
                legend=False, ax=ax, orient="h")
    for i, r in enumerate(frame.itertuples(index=False)):
        if r.low != r.high:
            ax.plot([r.low, r.high], [i, i], color="black", lw=1.5)
        ax.text(r.high, i, "  " + (f"{fmt_number(r.low)}–{fmt_number(r.high)}" if r.low != r.high
                                    else fmt_number(r.value)), va="center", fontsize=10)
    ax.set_xlabel("")
    ax.set_ylabel("")
    ax.set_xlim(0, float(frame["high"].max()) * 1.18 if len(frame) else 1)
    fig.tight_layout()
    parts = [f"{r.label}: " + (f"{fmt_number(r.low)} to {fmt_number(r.high)}" if r.low != r.high else fmt_number(r.value))
             for r in frame.itertuples(index=False)]
    alt = f"Bar chart for {pilot_name}. " + "; ".join(parts) + "."
    return fig, alt


def fee_comparison(frame: pd.DataFrame, lang: str = "en"):
    """Figure 8 redrawn: per pilot, euros paid for each outcome, fixed part and results part stacked.

    One panel per outcome, pilots in the same order in every panel; a black line spans the
    payment at the lowest and highest price where the provider's bid sets the amounts.
    Returns ``(figure, alt_text)``.
    """
    style.apply()
    outcomes = list(dict.fromkeys(frame["outcome"]))
    labels = dict(zip(frame["outcome"], frame["outcome_label"]))
    perm = frame[frame["outcome"] == "permanent"].sort_values("total_eur")
    order = perm["pilot"].tolist()
    fixed_colour, result_colour = style.palette(2)
    fig, axes = plt.subplots(1, len(outcomes), figsize=(style.FIG_WIDTH + 1.5, 1.4 + 0.45 * len(order)),
                             sharey=True, sharex=True)
    top = float(frame["total_high_eur"].max()) * 1.1
    for ax, outcome in zip(np.atleast_1d(axes), outcomes):
        part = frame[frame["outcome"] == outcome].set_index("pilot").reindex(order)
        y = np.arange(len(order))
        ax.barh(y, part["fixed_eur"], color=fixed_colour, label="Paid regardless of results")
        ax.barh(y, part["results_eur"], left=part["fixed_eur"], color=result_colour, label="Paid for the result")
        for i, r in enumerate(part.itertuples()):
            if r.total_low_eur != r.total_high_eur:
                ax.plot([r.total_low_eur, r.total_high_eur], [i, i], color="black", lw=1.3)
            if not r.complete:
                ax.text(r.total_eur + top * 0.02, i, "?", va="center", fontsize=10, fontweight="bold")
        ax.set_title(wrap(labels[outcome], 18), fontsize=10)
        ax.set_xlim(0, top)
        ax.set_yticks(y, [wrap(p, 20) for p in order])
        ax.tick_params(axis="x", labelsize=8)
        ax.set_xlabel("€ per client", fontsize=9)
        ax.invert_yaxis()
    handles, legend_labels = np.atleast_1d(axes)[0].get_legend_handles_labels()
    fig.legend(handles, legend_labels, loc="lower center", ncol=2, bbox_to_anchor=(0.5, 1.0))
    fig.tight_layout()
    parts = []
    for pilot in order:
        rows = frame[frame["pilot"] == pilot].set_index("outcome")
        parts.append(f"{pilot}: " + ", ".join(
            f"{labels[o].split(':')[0].lower()} {fmt_number(rows.at[o, 'total_eur'])} €" for o in outcomes))
    alt = ("Bar charts, one per outcome, of what each pilot's fee model paid a provider per client, split into "
           "the part paid regardless of results and the part paid for the result. " + "; ".join(parts) + ".")
    return fig, alt


def tender(curves: pd.DataFrame, full_points_price: float, variation: float, lang: str = "en"):
    """Score of a bid under different price weights (one quality level). Returns ``(figure, alt)``."""
    style.apply()
    fig, ax = plt.subplots(figsize=(style.FIG_WIDTH_NARROW + 1, 3.6))
    curves = curves.assign(weight=curves["price_weight"].map(lambda w: f"price weight {w:.0%}"))
    sns.lineplot(data=curves, x="bid_eur", y="score", hue="weight", palette=style.palette(curves["weight"].nunique()),
                 ax=ax, lw=2)
    ax.axvline(full_points_price, color="grey", ls=":", lw=1)
    ax.axvline(full_points_price + variation, color="grey", ls=":", lw=1)
    ax.set_xlabel("Bid per client (€)")
    ax.set_ylabel("Tender score (of 100)")
    ax.legend(title=None)
    fig.tight_layout()
    drops = []
    for w, g in curves.groupby("price_weight"):
        drops.append(f"at a price weight of {w:.0%} the score falls from {g['score'].max():.0f} to {g['score'].min():.0f}")
    alt = (f"Line chart of a tender score against the bid per client. Price earns full points up to "
           f"{fmt_number(full_points_price)} € and falls to its lowest score at the maximum price, "
           f"{fmt_number(full_points_price + variation)} €; "
           + "; ".join(drops) + ".")
    return fig, alt


def synthetic_stamp(fig, lang: str = "en") -> None:
    """Mark a figure drawn from SYNTHETIC microdata (top right), so its SVG says so wherever it goes."""
    fig.text(0.995, 0.995, label("survey_synthetic", lang), ha="right", va="top", fontsize=9.5,
             fontweight="bold", color="#b03a2e")


WITHHELD_HATCH = "////"
WITHHELD_LABEL = "withheld (disclosure control)"


def status_bars(table: pd.DataFrame, statuses: list[str], status_labels: dict[str, str],
                group_labels: dict[str, str], title: str, min_n: int, lang: str = "en"):
    """Stacked 100 % bars of the five statuses by group, participants beside refusers.

    ``table`` has one row per (dimension, group, cohort, status) with share and n.  A group with no
    published share is not drawn and says so; the withheld shares of a drawn group (disclosure
    control) are drawn together as one hatched segment at the end of its bar.  Returns
    ``(figure, alt_text)``.
    """
    style.apply()
    bars = table.drop_duplicates(["dimension", "group", "cohort"])[["dimension", "group", "cohort", "n"]]
    order = [(d, g) for d, g in dict.fromkeys(zip(bars["dimension"], bars["group"]))]
    cohorts = [c for c in ("participant", "refuser") if c in set(bars["cohort"])]
    colours = dict(zip(statuses, sns.color_palette(style.PALETTE, len(statuses))))
    rows = [(d, g, c) for d, g in order for c in cohorts]
    compact = len(rows) <= 4  # a pilot chapter's small figure: narrower, so its type stays legible on a phone
    width = style.FIG_WIDTH_NARROW if compact else style.FIG_WIDTH
    fig, ax = plt.subplots(figsize=(width, (1.9 if compact else 1.0) + 0.32 * len(rows) + 0.25 * len(order)))
    y_positions, labels, y = [], [], 0.0
    cohort_name = {"participant": "participants", "refuser": "refusers"}
    alt_parts, legend_done = [], set()
    for d, g in order:
        for c in cohorts:
            part = table[(table["dimension"] == d) & (table["group"] == g) & (table["cohort"] == c)]
            size = part["n"].iloc[0] if len(part) else np.nan
            n = 0 if np.isnan(size) else int(size)
            label = (f"{group_labels.get(g, g)}, {cohort_name[c]} (N={fmt_number(float(n))})" if n >= min_n
                     else f"{group_labels.get(g, g)}, {cohort_name[c]}")
            left = 0.0
            if part["share"].isna().all():
                ax.text(1, y, f"not shown: fewer than {min_n} persons, or withheld to protect a small group",
                        va="center", fontsize=8, style="italic")
                alt_parts.append(f"{label}: not shown")
            else:
                shares = part.set_index("status")["share"].reindex(statuses)
                for s in statuses:
                    if np.isnan(shares[s]):
                        continue
                    ax.barh(y, shares[s], left=left, color=colours[s], height=0.8,
                            label=status_labels[s] if s not in legend_done else None)
                    legend_done.add(s)
                    if shares[s] >= 6:
                        ax.text(left + shares[s] / 2, y, f"{shares[s]:.0f}", ha="center", va="center", fontsize=8,
                                color="white" if s in ("employed", "unemployed") else "black")
                    left += shares[s]
                if left < 99.95:
                    ax.barh(y, 100 - left, left=left, color="white", edgecolor="grey", hatch=WITHHELD_HATCH,
                            height=0.8, linewidth=0.6, label=WITHHELD_LABEL if WITHHELD_LABEL not in legend_done else None)
                    legend_done.add(WITHHELD_LABEL)
                alt_parts.append(f"{label}: " + ", ".join(
                    f"{status_labels[s].lower()} {shares[s]:.0f} %" if not np.isnan(shares[s])
                    else f"{status_labels[s].lower()} withheld" for s in statuses))
            y_positions.append(y)
            labels.append(label)
            y += 1
        y += 0.6
    ax.set_yticks(y_positions, labels, fontsize=8)
    ax.invert_yaxis()
    ax.set_xlim(0, 100)
    ax.set_xlabel("% of the group")
    if not compact:  # a small figure's caption names it; a title would collide with the legend
        ax.set_title(title, fontsize=11)
    handles = dict(zip(*reversed(ax.get_legend_handles_labels())))
    names = [n for n in [*(status_labels[s] for s in statuses), WITHHELD_LABEL] if n in handles]
    ax.legend([handles[n] for n in names], names, loc="lower center", bbox_to_anchor=(0.4, 1.02),
              ncol=2 if compact else 3, fontsize=8)
    fig.tight_layout()
    alt = f"Stacked bar chart, {title}. " + "; ".join(alt_parts) + "."
    return fig, alt
