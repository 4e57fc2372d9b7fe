"""The survey figures (chapters 2.3-2.4): count bars, stacked shares by group, diverging Likert
bars with "can't say" apart, and means with intervals — drawn with seaborn/matplotlib in the house
style of :mod:`pilotbook.report.style`, each stamped SYNTHETIC, each returning ``(figure, alt text)``.
"""

from __future__ import annotations

import math

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import seaborn as sns

from pilotbook.analysis import disclosure
from pilotbook.report import style
from pilotbook.report.figures import fits, synthetic_stamp, wrap
from pilotbook.report.formatting import fmt_number
from pilotbook.report.labels import label


LIKERT_NEUTRAL = "#d9d9d9"
CANT_SAY_COLOUR = "#8c8c8c"
SUPPRESSED_HATCH = "////"
STAMP_IN = 0.3  # inches kept free at the top of a survey figure for the SYNTHETIC stamp
SURVEY_WIDTH = 4.2  # inches: narrow, so that the type stays large when the figure is scaled to a phone


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
    labels = [wrap(t, 24) for t in frame["label"]]
    lines = sum(t.count("\n") + 1 for t in labels)
    height = STAMP_IN + 0.75 + max(0.5 * len(frame), 0.19 * lines + 0.25 * len(frame))
    fig, ax = _canvas(SURVEY_WIDTH, height, 1.75, 0.1, STAMP_IN, 0.65)
    y = np.arange(len(frame))
    ax.barh(y, frame["share"].fillna(0), color=style.palette(1)[0], height=0.7)
    top = float(frame["share"].max()) if frame["share"].notna().any() else 100
    for i, r in frame.iterrows():
        text = label("survey_suppressed", lang, min_cell=disclosure.min_cell()) if pd.isna(r["count"]) else f"{r['share']:.0f} % (N={fmt_number(r['count'])})"
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
    entries = [wrap(c, 36) for c in cats] + [label("survey_suppressed_cells", lang, min_cell=disclosure.min_cell())]
    legend_in = 0.2 * sum(e.count("\n") + 1 for e in entries) + 0.1 * len(entries) + 0.2
    bars_in = 0.62 * len(groups)
    height = STAMP_IN + bars_in + 0.55 + legend_in
    fig, ax = _canvas(SURVEY_WIDTH, height, 1.3, 0.1, STAMP_IN, 0.55 + legend_in)
    ax.set_xlim(0, 100)
    alt_parts = []
    for i, g in enumerate(groups):
        part = frame[frame["group_label"] == g]
        n = part["n"].iloc[0]
        if part["suppressed"].all():
            ax.text(1, i, label("survey_suppressed", lang, min_cell=disclosure.min_cell()), va="center", fontsize=9.5, style="italic")
            alt_parts.append(f"{g}: suppressed")
            continue
        left, shown = 0.0, []
        for _, r in part.iterrows():
            if pd.isna(r["share"]) or r["share"] == 0:
                continue
            ax.barh(i, r["share"], left=left, color=colours[r["label"]], edgecolor="white", linewidth=0.6, height=0.7)
            if fits(ax, f"{r['share']:.0f}", 10, r["share"], room_in=0.05):
                ax.text(left + r["share"] / 2, i, f"{r['share']:.0f}", ha="center", va="center", fontsize=10)
            left += r["share"]
            shown.append(f"{r['label']} {_pct(r['share'])}")
        if left < 99.95:
            ax.barh(i, 100 - left, left=left, color="white", edgecolor="grey", hatch=SUPPRESSED_HATCH, linewidth=0.6,
                    height=0.7)
            shown.append(f"suppressed categories together {_pct(100 - left)}")
        alt_parts.append(f"{g} (N = {fmt_number(n)}): " + ", ".join(shown))
    ax.set_yticks(range(len(groups)), [f"{wrap(g, 14)}\nN={fmt_number(frame[frame['group_label'] == g]['n'].iloc[0])}"
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
    titles = [wrap(f"{b} (N={fmt_number(frame.loc[frame['bar_label'] == b, 'n'].iloc[0])})", label_width) for b in bars]
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
    ax.set_xlim(-100, 100)
    mid = len(points) // 2 if len(points) % 2 else None
    alt_parts = []
    for i, (b, title) in enumerate(zip(bars, titles)):
        part = frame[frame["bar_label"] == b].set_index("code")
        n = part["n"].iloc[0]
        ax.text(-100, y_bar[i] - 0.2, title, va="bottom", ha="left", fontsize=10, zorder=3,
                bbox={"facecolor": "white", "edgecolor": "none", "pad": 0.6})  # the grid and zero line pass behind it
        if part["suppressed"].any():
            ax.text(-98, y_bar[i], label("survey_bar_suppressed", lang, min_cell=disclosure.min_cell()), va="center", fontsize=9.5, style="italic")
            alt_parts.append(f"{b} (N = {fmt_number(n)}): suppressed")
            continue
        shares = [float(part.at[c, "share"]) for c in points]
        lower = sum(shares[:mid]) + shares[mid] / 2 if mid is not None else sum(shares[: len(points) // 2])
        left = -lower
        for share, colour in zip(shares, colours):
            ax.barh(y_bar[i], share, left=left, height=0.3, color=colour, edgecolor="white", linewidth=0.5)
            if fits(ax, f"{share:.0f}", 9, share, room_in=0.05):  # a number only where it has room
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
    ax.axvline(0, color="black", lw=0.8, zorder=0.9)  # behind the bars: the neutral segment straddles it
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
    titles = [wrap(f"{r['label']} (N={fmt_number(r['n'])})", 46) for _, r in frame.iterrows()]
    rows_in = [0.2 * (t.count("\n") + 1) + 0.45 for t in titles]
    height = STAMP_IN + sum(rows_in) + 0.6
    fig, ax = _canvas(SURVEY_WIDTH, height, 0.1, 0.1, STAMP_IN, 0.6)
    colour = style.palette(1)[0]
    cursor = 0.0
    for (i, r), title, h in zip(frame.iterrows(), titles, rows_in):
        y = cursor + h - 0.22
        ax.text(scale[0], y - 0.2, title, va="bottom", fontsize=10)
        if pd.isna(r["mean"]):
            ax.text(scale[0] + 0.05, y, label("survey_suppressed", lang, min_cell=disclosure.min_cell()), va="center", fontsize=9.5, style="italic")
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
