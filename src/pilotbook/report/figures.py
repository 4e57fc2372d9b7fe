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

from pilotbook.analysis import disclosure
from pilotbook.report import style
from pilotbook.report.labels import label
from pilotbook.report.formatting import fmt_number


def _wrap(text: str, width: int = 28) -> str:
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
    shares = shares.assign(pilot_label=shares["pilot"].map(_wrap),
                           basis=shares["denominator"].map({"started": label("share_of_started", lang),
                                                            "finished": label("share_of_finished", lang)}))
    wrapped_order = [_wrap(p) for p in order]
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
    att["pilot_label"] = att["pilot"].map(_wrap)
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
        ax.set_title(_wrap(labels[outcome], 18), fontsize=10)
        ax.set_xlim(0, top)
        ax.set_yticks(y, [_wrap(p, 20) for p in order])
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
           f"{fmt_number(full_points_price)} € and none from {fmt_number(full_points_price + variation)} €; "
           + "; ".join(drops) + ".")
    return fig, alt


# --------------------------------------------------------------------------- surveys (chapters 2.3-2.4)

LIKERT_NEUTRAL = "#d9d9d9"
CANT_SAY_COLOUR = "#8c8c8c"
SUPPRESSED_HATCH = "////"
STAMP_IN = 0.3  # inches kept free at the top of a survey figure for the SYNTHETIC stamp
SURVEY_WIDTH = 4.2  # inches: narrow, so that the type stays large when the figure is scaled to a phone


def synthetic_stamp(fig, lang: str = "en") -> None:
    """Mark a figure drawn from SYNTHETIC microdata (top right), so its SVG says so wherever it goes."""
    fig.text(0.995, 0.995, label("survey_synthetic", lang), ha="right", va="top", fontsize=9.5,
             fontweight="bold", color="#b03a2e")


def _canvas(width: float, height: float, left: float, right: float, top: float, bottom: float):
    """A figure of ``width`` x ``height`` inches with one axes inside the given margins (inches)."""
    fig = plt.figure(figsize=(width, height))
    ax = fig.add_axes([left / width, bottom / height, (width - left - right) / width, (height - top - bottom) / height])
    return fig, ax


def _likert_colours(n_points: int) -> list:
    colours = sns.color_palette("PuOr_r", n_points)
    if n_points % 2:
        colours[n_points // 2] = LIKERT_NEUTRAL
    return colours


def _pct(v) -> str:
    return f"{fmt_number(v)} %"


def count_bars(frame: pd.DataFrame, what: str, lang: str = "en"):
    """Horizontal bars of answers per category, each labelled with its N and share.

    ``frame``: label, count, share, n (answers to the question); masked counts are NaN.
    Returns ``(figure, alt_text)``.
    """
    style.apply()
    frame = frame.reset_index(drop=True)
    labels = [_wrap(t, 24) for t in frame["label"]]
    lines = sum(t.count("\n") + 1 for t in labels)
    height = STAMP_IN + 0.75 + max(0.5 * len(frame), 0.19 * lines + 0.25 * len(frame))
    fig, ax = _canvas(SURVEY_WIDTH, height, 1.75, 0.1, STAMP_IN, 0.65)
    y = np.arange(len(frame))
    ax.barh(y, frame["share"].fillna(0), color=style.palette(1)[0], height=0.7)
    top = float(frame["share"].max()) if frame["share"].notna().any() else 100
    for i, r in frame.iterrows():
        text = label("survey_suppressed", lang) if pd.isna(r["count"]) else f"{r['share']:.0f} % (N={fmt_number(r['count'])})"
        ax.text((0 if pd.isna(r["share"]) else r["share"]) + top * 0.02, i, text, va="center", fontsize=10)
    ax.set_yticks(y, labels, fontsize=10)
    ax.invert_yaxis()
    ax.set_xlim(0, top * 1.6)
    ax.set_xlabel(label("survey_share_axis", lang) + f", N = {fmt_number(frame['n'].iloc[0])}", fontsize=10)
    ax.grid(axis="y", visible=False)
    synthetic_stamp(fig, lang)
    parts = [f"{r['label']}: " + ("suppressed" if pd.isna(r["count"]) else f"{fmt_number(r['count'])} ({_pct(r['share'])})")
             for _, r in frame.iterrows()]
    alt = (f"Horizontal bar chart of {what}, computed from SYNTHETIC answers that reproduce the report's counts; "
           f"N = {fmt_number(frame['n'].iloc[0])}. " + "; ".join(parts) + ".")
    return fig, alt


def stacked_shares(frame: pd.DataFrame, what: str, lang: str = "en"):
    """One 100 % bar per group (e.g. TE office): shares of each category, suppressed cells pooled
    into one hatched segment at the end of the bar.

    ``frame``: group_label, n, label (category), share (NaN = masked), suppressed (whole group).
    Returns ``(figure, alt_text)``.
    """
    style.apply()
    groups = list(dict.fromkeys(frame["group_label"]))
    cats = list(dict.fromkeys(frame["label"]))
    colours = dict(zip(cats, style.palette(len(cats))))
    entries = [_wrap(c, 36) for c in cats] + [label("survey_suppressed_cells", lang)]
    legend_in = 0.2 * sum(e.count("\n") + 1 for e in entries) + 0.1 * len(entries) + 0.2
    bars_in = 0.62 * len(groups)
    height = STAMP_IN + bars_in + 0.55 + legend_in
    fig, ax = _canvas(SURVEY_WIDTH, height, 1.3, 0.1, STAMP_IN, 0.55 + legend_in)
    alt_parts = []
    for i, g in enumerate(groups):
        part = frame[frame["group_label"] == g]
        n = part["n"].iloc[0]
        if part["suppressed"].all():
            ax.text(1, i, label("survey_suppressed", lang), va="center", fontsize=9.5, style="italic")
            alt_parts.append(f"{g}: suppressed")
            continue
        left, shown = 0.0, []
        for _, r in part.iterrows():
            if pd.isna(r["share"]) or r["share"] == 0:
                continue
            ax.barh(i, r["share"], left=left, color=colours[r["label"]], edgecolor="white", linewidth=0.6, height=0.7)
            if r["share"] >= 9:
                ax.text(left + r["share"] / 2, i, f"{r['share']:.0f}", ha="center", va="center", fontsize=10)
            left += r["share"]
            shown.append(f"{r['label']} {_pct(r['share'])}")
        if left < 99.95:
            ax.barh(i, 100 - left, left=left, color="white", edgecolor="grey", hatch=SUPPRESSED_HATCH, linewidth=0.6,
                    height=0.7)
            shown.append(f"suppressed categories together {_pct(100 - left)}")
        alt_parts.append(f"{g} (N = {fmt_number(n)}): " + ", ".join(shown))
    ax.set_yticks(range(len(groups)), [f"{_wrap(g, 14)}\nN={fmt_number(frame[frame['group_label'] == g]['n'].iloc[0])}"
                                       for g in groups], fontsize=10)
    ax.invert_yaxis()
    ax.set_xlim(0, 100)
    ax.set_xlabel(label("survey_share_axis", lang), fontsize=10)
    ax.grid(axis="y", visible=False)
    handles = [plt.Rectangle((0, 0), 1, 1, color=colours[c]) for c in cats]
    handles.append(plt.Rectangle((0, 0), 1, 1, facecolor="white", edgecolor="grey", hatch=SUPPRESSED_HATCH))
    fig.legend(handles, entries, loc="upper left", bbox_to_anchor=(0.02, (legend_in + 0.05) / height), ncol=1,
               fontsize=10, handlelength=1.4)
    synthetic_stamp(fig, lang)
    alt = (f"Stacked bar chart of {what}, one bar per group, from SYNTHETIC answers; cells of fewer than "
           f"{disclosure.min_cell()} answers are pooled into a hatched 'suppressed' segment. " + "; ".join(alt_parts) + ".")
    return fig, alt


def likert_diverging(frame: pd.DataFrame, what: str, lang: str = "en", label_width: int = 38):
    """Diverging stacked bars for Likert items, "can't say" apart in its own panel, N on every bar.

    ``frame`` is :func:`pilotbook.analysis.survey.likert` output with a ``bar_label`` column (one bar per
    distinct bar_label, in order).  Disagreement runs left of zero, agreement right, the middle
    point straddles zero.  Returns ``(figure, alt_text)``.
    """
    style.apply()
    bars = list(dict.fromkeys(frame["bar_label"]))
    points = list(dict.fromkeys(frame.loc[~frame["cant_say"], "code"]))
    point_labels = [frame.loc[frame["code"] == c, "code_label"].iloc[0] for c in points]
    colours = _likert_colours(len(points))
    cs_label = label("survey_cant_say", lang)
    titles = [_wrap(f"{b} (N={fmt_number(frame.loc[frame['bar_label'] == b, 'n'].iloc[0])})", label_width) for b in bars]
    rows_in = [0.2 * (t.count("\n") + 1) + 0.42 for t in titles]
    legend_in = 0.8
    width, height = SURVEY_WIDTH, STAMP_IN + legend_in + sum(rows_in) + 0.6
    fig = plt.figure(figsize=(width, height))
    plot_h = sum(rows_in) / height
    bottom = 0.6 / height
    ax = fig.add_axes([0.03, bottom, 0.72, plot_h])
    axc = fig.add_axes([0.82, bottom, 0.15, plot_h])
    # y positions in inches from the top, each bar under its label
    y_bar, cursor = [], 0.0
    for t, h in zip(titles, rows_in):
        y_bar.append(cursor + h - 0.24)
        cursor += h
    mid = len(points) // 2 if len(points) % 2 else None
    alt_parts = []
    for i, (b, title) in enumerate(zip(bars, titles)):
        part = frame[frame["bar_label"] == b].set_index("code")
        n = part["n"].iloc[0]
        ax.text(-100, y_bar[i] - 0.2, title, va="bottom", ha="left", fontsize=10)
        if part["suppressed"].any():
            ax.text(-98, y_bar[i], label("survey_bar_suppressed", lang), va="center", fontsize=9.5, style="italic")
            alt_parts.append(f"{b} (N = {fmt_number(n)}): suppressed")
            continue
        shares = [float(part.at[c, "share"]) for c in points]
        lower = sum(shares[:mid]) + shares[mid] / 2 if mid is not None else sum(shares[: len(points) // 2])
        left = -lower
        for share, colour in zip(shares, colours):
            ax.barh(y_bar[i], share, left=left, height=0.3, color=colour, edgecolor="white", linewidth=0.5)
            if share >= 8:
                ax.text(left + share / 2, y_bar[i], f"{share:.0f}", ha="center", va="center", fontsize=9)
            left += share
        cs = part.loc[part["cant_say"], "share"]
        cs_share = float(cs.iloc[0]) if len(cs) else 0.0
        axc.barh(y_bar[i], cs_share, height=0.3, color=CANT_SAY_COLOUR)
        axc.text(cs_share + 2, y_bar[i], f"{cs_share:.0f}", va="center", fontsize=9)
        alt_parts.append(f"{b} (N = {fmt_number(n)}): " + ", ".join(
            f"{pl.lower()} {_pct(s)}" for pl, s in zip(point_labels, shares)) + f", can't say {_pct(cs_share)} "
            f"(agree {_pct(sum(shares[-2:]))}, disagree {_pct(sum(shares[:2]))})")
    for a in (ax, axc):
        a.set_ylim(sum(rows_in), 0)
        a.set_yticks([])
        a.grid(axis="y", visible=False)
    ax.axvline(0, color="black", lw=0.8)
    ax.set_xlim(-100, 100)
    ax.set_xticks([-100, -50, 0, 50, 100], ["100", "50", "0", "50", "100"], fontsize=9.5)
    ax.set_xlabel(label("survey_share_axis", lang), fontsize=10)
    top_cs = float(frame.loc[frame["cant_say"], "share"].max(skipna=True)) if frame["cant_say"].any() else 0.0
    axc.set_xlim(0, max(40.0, (0 if math.isnan(top_cs) else top_cs) + 15))
    axc.set_xticks([0, 40], ["0", "40"], fontsize=9.5)
    axc.set_xlabel(cs_label, fontsize=10)
    handles = [plt.Rectangle((0, 0), 1, 1, color=c) for c in colours] + [plt.Rectangle((0, 0), 1, 1, color=CANT_SAY_COLOUR)]
    fig.legend(handles, point_labels + [cs_label], loc="upper left", ncol=2, fontsize=9,
               bbox_to_anchor=(0.0, 1 - STAMP_IN / height), handlelength=1.1, columnspacing=0.8, handletextpad=0.4)
    synthetic_stamp(fig, lang)
    alt = (f"Diverging stacked bar chart of {what}, from SYNTHETIC answers. Disagreement is drawn left of zero "
           "and agreement right of it; a separate panel shows the share who could not say. " + "; ".join(alt_parts) + ".")
    return fig, alt


def means_with_intervals(frame: pd.DataFrame, what: str, scale: tuple[float, float], lang: str = "en"):
    """Dots for means with 95 % intervals (one row per item), N in each label.

    ``frame``: label, n, mean, ci_low, ci_high (NaN when suppressed).  Returns ``(figure, alt)``.
    """
    style.apply()
    frame = frame.reset_index(drop=True)
    titles = [_wrap(f"{r['label']} (N={fmt_number(r['n'])})", 46) for _, r in frame.iterrows()]
    rows_in = [0.2 * (t.count("\n") + 1) + 0.45 for t in titles]
    height = STAMP_IN + sum(rows_in) + 0.6
    fig, ax = _canvas(SURVEY_WIDTH, height, 0.1, 0.1, STAMP_IN, 0.6)
    colour = style.palette(1)[0]
    cursor = 0.0
    for (i, r), title, h in zip(frame.iterrows(), titles, rows_in):
        y = cursor + h - 0.22
        ax.text(scale[0], y - 0.2, title, va="bottom", fontsize=10)
        if pd.isna(r["mean"]):
            ax.text(scale[0] + 0.05, y, label("survey_suppressed", lang), va="center", fontsize=9.5, style="italic")
        else:
            ax.errorbar(r["mean"], y, xerr=[[r["mean"] - r["ci_low"]], [r["ci_high"] - r["mean"]]], fmt="o",
                        color=colour, capsize=4, markersize=7, lw=1.8)
            mean_text = f"{r['mean']:.1f}"
            ax.text(r["ci_high"] + (scale[1] - scale[0]) * 0.03, y, mean_text.replace(".", ",") if lang == "fi" else mean_text,
                    va="center", fontsize=10.5, fontweight="bold")
        cursor += h
    ax.set_xlim(scale[0], scale[1])
    ax.set_ylim(sum(rows_in), 0)
    ax.set_yticks([])
    ax.set_xticks(np.arange(scale[0], scale[1] + 1))
    ax.set_xlabel(label("survey_mean_axis", lang), fontsize=10)
    ax.grid(axis="y", visible=False)
    synthetic_stamp(fig, lang)
    parts = [f"{r['label']}: " + ("suppressed" if pd.isna(r["mean"]) else
             f"mean {r['mean']:.2f}, 95 % interval {r['ci_low']:.2f} to {r['ci_high']:.2f}, N = {fmt_number(r['n'])}")
             for _, r in frame.iterrows()]
    alt = (f"Dot chart of {what} on a scale of {scale[0]:g} to {scale[1]:g}, from SYNTHETIC answers that reproduce "
           "the report's means, with 95 % confidence intervals. " + "; ".join(parts) + ".")
    return fig, alt


def status_bars(table: pd.DataFrame, statuses: list[str], status_labels: dict[str, str],
                group_labels: dict[str, str], title: str, min_n: int, lang: str = "en"):
    """Stacked 100 % bars of the five statuses by group, participants beside refusers.

    ``table`` has one row per (dimension, group, cohort, status) with share and n.  Groups
    under ``min_n`` persons are not drawn (disclosure control) and say so.  Returns
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
    alt_parts = []
    for d, g in order:
        for c in cohorts:
            part = table[(table["dimension"] == d) & (table["group"] == g) & (table["cohort"] == c)]
            n = int(part["n"].iloc[0]) if len(part) and not np.isnan(part["n"].iloc[0]) else 0
            label = (f"{group_labels.get(g, g)}, {cohort_name[c]} (N={fmt_number(float(n))})" if n >= min_n
                     else f"{group_labels.get(g, g)}, {cohort_name[c]}")
            left = 0.0
            if n < min_n or part["share"].isna().all():
                ax.text(1, y, f"fewer than {min_n} persons: not shown", va="center", fontsize=8, style="italic")
            else:
                shares = part.set_index("status")["share"].reindex(statuses).fillna(0)
                for s in statuses:
                    ax.barh(y, shares[s], left=left, color=colours[s], height=0.8,
                            label=status_labels[s] if (d, g, c) == rows[0] else None)
                    if shares[s] >= 6:
                        ax.text(left + shares[s] / 2, y, f"{shares[s]:.0f}", ha="center", va="center", fontsize=8,
                                color="white" if s in ("employed", "unemployed") else "black")
                    left += shares[s]
                alt_parts.append(f"{label}: " + ", ".join(f"{status_labels[s].lower()} {shares[s]:.0f} %"
                                                          for s in statuses))
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
    ax.legend(loc="lower center", bbox_to_anchor=(0.4, 1.02), ncol=2 if compact else 3, fontsize=8)
    fig.tight_layout()
    alt = f"Stacked bar chart, {title}. " + "; ".join(alt_parts) + "."
    return fig, alt
