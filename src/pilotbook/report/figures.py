"""The book's figures, drawn with seaborn in the house style of :mod:`pilotbook.report.style`.

Each function takes tidy data and returns a matplotlib figure together with its
alt text, so the text a screen-reader hears is computed from the same numbers.
"""

from __future__ import annotations

import math
import textwrap

import matplotlib
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


def text_width_in(fig, text: str, fontsize: float, **kw) -> float:
    """How wide ``text`` is drawn at ``fontsize`` on ``fig`` (inches), measured by the renderer."""
    probe = fig.text(0, 0, text, fontsize=fontsize, **kw)
    width = probe.get_window_extent(fig.canvas.get_renderer()).width / fig.dpi
    probe.remove()
    return width


def fits(ax, text: str, fontsize: float, span: float, room_in: float = 0.08) -> bool:
    """Whether ``text`` fits inside a bar segment ``span`` x-units long (with ``room_in`` to spare).
    Call it once the axes have their final place and limits."""
    fig = ax.figure
    axes_in = ax.get_position().width * fig.get_figwidth()
    low, high = ax.get_xlim()
    return span / abs(high - low) * axes_in >= text_width_in(fig, text, fontsize) + room_in


def _points_per_unit(ax) -> float:
    """Points per x-unit of an axes in its final place."""
    low, high = ax.get_xlim()
    return ax.get_position().width * ax.figure.get_figwidth() * 72 / abs(high - low)


def fee_eligible_comparison(shares: pd.DataFrame, attainment: pd.DataFrame, lang: str = "en"):
    """Two panels, one above the other (drawn for the narrow column): fee-eligible employment as %
    of starters and of finishers; starters against the target.

    Returns ``(figure, alt_text)``.
    """
    style.apply()
    order = (shares[shares["denominator"] == "finished"].sort_values("share_pct", ascending=False)["pilot"]
             .tolist())
    shares = shares.assign(pilot_label=shares["pilot"].map(lambda p: wrap(p, 16)),
                           basis=shares["denominator"].map({"started": label("share_of_started", lang),
                                                            "finished": label("share_of_finished", lang)}))
    wrapped_order = [wrap(p, 16) for p in order]
    n = max(len(order), 1)
    top_in, bottom_in, legend_in, axis_in, gap_in = 0.62 * n, 0.42 * n, 0.35, 0.55, 0.25
    height = legend_in + top_in + axis_in + gap_in + bottom_in + axis_in
    fig = plt.figure(figsize=(style.FIG_WIDTH, height))
    left_in = max(text_width_in(fig, line, 10) for p in wrapped_order for line in p.split("\n")) + 0.2
    width_frac = (style.FIG_WIDTH - left_in - 0.15) / style.FIG_WIDTH
    left = fig.add_axes([left_in / style.FIG_WIDTH, (2 * axis_in + gap_in + bottom_in) / height, width_frac,
                         top_in / height])
    right = fig.add_axes([left_in / style.FIG_WIDTH, axis_in / height, width_frac, bottom_in / height])
    sns.barplot(data=shares, y="pilot_label", x="share_pct", hue="basis", order=wrapped_order,
                palette=style.palette(2), ax=left, orient="h")
    left.set_xlabel(label("share_axis", lang))
    left.set_ylabel("")
    left.set_xlim(0, 100)
    left.set_xticks([0, 25, 50, 75, 100])
    handles, names = left.get_legend_handles_labels()
    left.get_legend().remove()
    fig.legend(handles, names, loc="upper center", bbox_to_anchor=(0.5, 1.0), ncol=2, title=None,
               handlelength=1.2, columnspacing=1.0)

    att = attainment.set_index("pilot").reindex(order).reset_index()
    att["pilot_label"] = att["pilot"].map(lambda p: wrap(p, 16))
    colour = style.palette(3)[2]
    sns.barplot(data=att, y="pilot_label", x="pct_of_target_mid", order=wrapped_order, color=colour,
                ax=right, orient="h")
    ranged = att[att["target_low"] != att["target_high"]]
    for r in ranged.itertuples(index=False):
        y = wrapped_order.index(r.pilot_label)
        right.plot([r.pct_of_target_high, r.pct_of_target_low], [y, y], color="black", lw=1.5)
    right.set_xlabel(label("target_pct_of_target", lang))
    right.set_ylabel("")
    right.set_xlim(0, max(130, float(np.nanmax(att["pct_of_target_low"])) + 25))
    for container in left.containers:
        left.bar_label(container, fmt="%.0f", padding=2, fontsize=style.SMALL_FONT_PT)
    # the 100 % line runs under the bars and the labels, so no number is struck through
    right.axvline(100, color="black", ls="--", lw=1, zorder=0.9)
    per_point = 1 / _points_per_unit(right)
    for y, r in enumerate(att.itertuples(index=False)):
        if math.isnan(r.pct_of_target_mid):
            right.text(2, y, "no target printed", va="center", fontsize=style.SMALL_FONT_PT, style="italic")
            continue
        text = f"{r.pct_of_target_mid:.0f}"
        x = max(r.pct_of_target_mid, r.pct_of_target_low) + 3 * per_point
        width = text_width_in(fig, text, style.SMALL_FONT_PT) * 72 * per_point
        if x < 100 + 2 * per_point and x + width > 100 - 2 * per_point:  # it would sit on the 100 % line
            x = 100 + 3 * per_point
        right.text(x, y, text, va="center", fontsize=style.SMALL_FONT_PT)

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
    fig, ax = plt.subplots(figsize=(style.FIG_WIDTH, 0.8 + 0.6 * max(len(frame), 1)))
    colours = style.palette(4)
    sns.barplot(data=frame, y="label", x="value", hue="label", palette=colours[: len(frame)],
                legend=False, ax=ax, orient="h")
    texts = [f"{fmt_number(r.low)}–{fmt_number(r.high)}" if r.low != r.high else fmt_number(r.value)
             for r in frame.itertuples(index=False)]
    for i, r in enumerate(frame.itertuples(index=False)):
        if r.low != r.high:
            ax.plot([r.low, r.high], [i, i], color="black", lw=1.5)
    ax.set_xlabel("")
    ax.set_ylabel("")
    top = float(frame["high"].max()) if len(frame) else 1.0
    ax.set_xlim(0, top * 1.05 or 1)
    fig.tight_layout()
    # room on the right for the widest value label, so nothing leaves the figure
    widest = max((text_width_in(fig, t, 10) for t in texts), default=0.0)
    axes_in = ax.get_position().width * fig.get_figwidth()
    ax.set_xlim(0, (top or 1.0) / max(1 - (widest + 0.15) / axes_in, 0.3))
    for i, (r, text) in enumerate(zip(frame.itertuples(index=False), texts)):
        ax.annotate(text, (r.high, i), xytext=(4, 0), textcoords="offset points", va="center", fontsize=10)
    parts = [f"{r.label}: " + (f"{fmt_number(r.low)} to {fmt_number(r.high)}" if r.low != r.high else fmt_number(r.value))
             for r in frame.itertuples(index=False)]
    alt = f"Bar chart for {pilot_name}. " + "; ".join(parts) + "."
    return fig, alt


def fee_comparison(frame: pd.DataFrame, lang: str = "en"):
    """Figure 8 redrawn: per pilot, euros paid for each outcome, fixed part and results part stacked.

    One panel per outcome, two panels a row (drawn for the narrow column: the pilots' names once, at
    the left, few ticks), pilots in the same order in every panel; a black line spans the payment at the
    lowest and highest price where the provider's bid sets the amounts.  Returns ``(figure, alt_text)``.
    """
    style.apply()
    outcomes = list(dict.fromkeys(frame["outcome"]))
    labels = dict(zip(frame["outcome"], frame["outcome_label"]))
    perm = frame[frame["outcome"] == "permanent"].sort_values("total_eur")
    order = perm["pilot"].tolist()
    fixed_colour, result_colour = style.palette(2)
    pilot_labels = [wrap(p, 18) for p in order]
    titles = [wrap(labels[o], 20) for o in outcomes]
    columns = 2 if len(outcomes) > 1 else 1
    rows = math.ceil(len(outcomes) / columns)
    rows_in = sum(0.16 * (t.count("\n") + 1) + 0.1 for t in pilot_labels)
    title_in = 0.18 * max(t.count("\n") + 1 for t in titles)
    panel_in = rows_in + title_in + 0.45  # bars, the panel's title and its tick labels
    fig, axes = plt.subplots(rows, columns, figsize=(style.FIG_WIDTH, 0.5 + panel_in * rows),
                             sharex=True, sharey=True, squeeze=False)
    for ax in axes.flat[len(outcomes):]:
        ax.remove()
    axes = axes.flat[: len(outcomes)]
    top = float(frame["total_high_eur"].max()) * 1.1
    step = 500 if top <= 2000 else 1000  # a grid line every step, a number on every second one
    ticks = np.arange(0, top, step)
    tick_labels = [fmt_number(t) if i % 2 == 0 else "" for i, t in enumerate(ticks)]
    for ax, outcome, title in zip(axes, outcomes, titles):
        part = frame[frame["outcome"] == outcome].set_index("pilot").reindex(order)
        y = np.arange(len(order))
        ax.barh(y, part["fixed_eur"], color=fixed_colour, label="Paid regardless of results")
        ax.barh(y, part["results_eur"], left=part["fixed_eur"], color=result_colour, label="Paid for the result")
        for i, r in enumerate(part.itertuples()):
            if r.total_low_eur != r.total_high_eur:
                ax.plot([r.total_low_eur, r.total_high_eur], [i, i], color="black", lw=1.3)
            if not r.complete:
                ax.text(r.total_eur + top * 0.03, i, "?", va="center", fontsize=10, fontweight="bold")
        ax.set_title(title, fontsize=10, loc="left")
        ax.set_xlim(0, top)
        ax.set_xticks(ticks, tick_labels)
        ax.set_yticks(y, pilot_labels, fontsize=style.SMALL_FONT_PT)
        ax.tick_params(axis="x", labelbottom=True)
    for ax in axes[-columns:]:
        ax.set_xlabel("€ per client")
    handles, legend_labels = axes[0].get_legend_handles_labels()
    fig.legend(handles, legend_labels, loc="upper center", ncol=2, bbox_to_anchor=(0.5, 1.0))
    fig.tight_layout(rect=(0, 0, 1, 1 - 0.4 / fig.get_figheight()), h_pad=1.0)
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
    fig, ax = plt.subplots(figsize=(style.FIG_WIDTH, 3.4))
    curves = curves.assign(weight=curves["price_weight"].map(lambda w: f"price weight {w:.0%}"))
    sns.lineplot(data=curves, x="bid_eur", y="score", hue="weight", palette=style.palette(curves["weight"].nunique()),
                 ax=ax, lw=2)
    ax.axvline(full_points_price, color="grey", ls=":", lw=1)
    ax.axvline(full_points_price + variation, color="grey", ls=":", lw=1)
    ax.set_xlabel("Bid per client (€)")
    ax.set_ylabel("Tender score (of 100)")
    ax.legend(title=None, loc="lower left")
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

    ``table`` has one row per (dimension, group, cohort, status) with share and n.  Drawn for the
    narrow column: each group's name is a heading of its own above its two bars, so the labels
    beside the bars stay short.  A group with no published share is not drawn and says so; the
    withheld shares of a drawn group (disclosure control) are drawn together as one hatched
    segment at the end of its bar.  Returns ``(figure, alt_text)``.
    """
    style.apply()
    bars = table.drop_duplicates(["dimension", "group", "cohort"])[["dimension", "group", "cohort", "n"]]
    order = [(d, g) for d, g in dict.fromkeys(zip(bars["dimension"], bars["group"]))]
    cohorts = [c for c in ("participant", "refuser") if c in set(bars["cohort"])]
    colours = dict(zip(statuses, sns.color_palette(style.PALETTE, len(statuses))))
    # each group's name heads its participants' and refusers' bars; one cohort: the name labels its bar;
    # one group (a pilot chapter's "All"): the cohort labels each bar
    headings = len(order) > 1 and len(cohorts) > 1
    cohort_name = {"participant": "participants", "refuser": "refusers"}
    font, bar_font = style.SMALL_FONT_PT, style.MIN_FONT_PT

    # what each row says, before anything is placed (y is in inches from the top of the axes)
    rows, alt_parts = [], []
    for d, g in order:
        if headings:
            rows.append(("heading", group_labels.get(g, g), None, 0.27))
        for c in cohorts:
            part = table[(table["dimension"] == d) & (table["group"] == g) & (table["cohort"] == c)]
            size = part["n"].iloc[0] if len(part) else np.nan
            n = 0 if np.isnan(size) else int(size)
            name = (cohort_name[c] if headings else cohort_name[c].capitalize() if len(order) == 1
                    else group_labels.get(g, g))
            tick = wrap(f"{name} (N={fmt_number(float(n))})" if n >= min_n else name, 22)
            lines = tick.count("\n")
            alt_label = (f"{group_labels.get(g, g)}, {cohort_name[c]} (N={fmt_number(float(n))})" if n >= min_n
                         else f"{group_labels.get(g, g)}, {cohort_name[c]}")
            if part["share"].isna().all():
                note = ("withheld to protect small counts" if n >= min_n else
                        f"not shown: fewer than {min_n} persons,\nor withheld to protect a small group")
                rows.append(("note", tick, note, 0.26 + 0.15 * max(note.count("\n"), lines)))
                alt_parts.append(f"{alt_label}: not shown")
            else:
                shares = part.set_index("status")["share"].reindex(statuses)
                rows.append(("bar", tick, shares, 0.3 + 0.15 * lines))
                alt_parts.append(f"{alt_label}: " + ", ".join(
                    f"{status_labels[s].lower()} {shares[s]:.0f} %" if not np.isnan(shares[s])
                    else f"{status_labels[s].lower()} withheld" for s in statuses))
        rows.append(("gap", "", None, 0.12))
    rows.pop()

    legend_names = [status_labels[s] for s in statuses] + [WITHHELD_LABEL]
    legend_entries = [wrap(n, 24) for n in legend_names]
    legend_lines = [max(a.count("\n"), b.count("\n")) + 1
                    for a, b in zip(legend_entries[::2], legend_entries[1::2] + [""])]
    legend_in = 0.2 * sum(legend_lines) + 0.08 * len(legend_lines) + 0.1
    title_text = ""
    if len(order) > 1:  # a pilot chapter's small figure has its caption for a title
        title_text = title.replace(" (", "\n(", 1) if len(title) > 40 else title
        if cohorts == ["participant"]:
            title_text += "\nParticipants only: no comparison group in the data"
    title_in = 0.2 * (title_text.count("\n") + 1) + 0.1 if title_text else 0.0
    plot_in = sum(h for *_, h in rows)
    width, bottom_in = style.FIG_WIDTH, 0.55
    height = title_in + legend_in + plot_in + bottom_in + 0.1
    fig = plt.figure(figsize=(width, height))
    ticks = [t for kind, t, _, _ in rows if kind in ("bar", "note")]
    left_in = max(text_width_in(fig, t, font) for t in ticks) + 0.15
    ax = fig.add_axes([left_in / width, bottom_in / height, (width - left_in - 0.1) / width, plot_in / height])
    ax.set_xlim(0, 100)
    ax.set_ylim(plot_in, 0)
    to_left_edge = matplotlib.transforms.blended_transform_factory(fig.transFigure, ax.transData)

    y_ticks, y_labels, cursor, legend_done = [], [], 0.0, set()
    for kind, text, what, h in rows:
        y = cursor + h / 2
        cursor += h
        if kind == "heading":
            ax.text(0.1 / width, y + 0.02, text, transform=to_left_edge, va="center", ha="left",
                    fontsize=font, fontweight="bold", zorder=3, clip_on=False,
                    bbox={"facecolor": "white", "edgecolor": "none", "pad": 0.5})  # over the axes' edge
        elif kind == "note":
            y_ticks.append(y), y_labels.append(text)
            ax.text(1, y, what, va="center", fontsize=bar_font, style="italic", linespacing=1.1)
        elif kind == "bar":
            y_ticks.append(y), y_labels.append(text)
            left = 0.0
            for s in statuses:
                share = what[s]
                if np.isnan(share):
                    continue
                ax.barh(y, share, left=left, color=colours[s], height=0.24,
                        label=status_labels[s] if s not in legend_done else None)
                legend_done.add(s)
                if fits(ax, f"{share:.0f}", bar_font, share, room_in=0.06):
                    ax.text(left + share / 2, y, f"{share:.0f}", ha="center", va="center", fontsize=bar_font,
                            color="white" if s in ("employed", "unemployed") else "black")
                left += share
            if left < 99.95:
                ax.barh(y, 100 - left, left=left, color="white", edgecolor="grey", hatch=WITHHELD_HATCH,
                        height=0.24, linewidth=0.6,
                        label=WITHHELD_LABEL if WITHHELD_LABEL not in legend_done else None)
                legend_done.add(WITHHELD_LABEL)
    ax.set_yticks(y_ticks, y_labels, fontsize=font)
    ax.tick_params(axis="y", length=0)
    ax.grid(axis="y", visible=False)
    ax.set_xticks([0, 20, 40, 60, 80, 100])
    ax.set_xlabel("% of the group", fontsize=10)
    # the legend sits on the axes and the title on the legend; what the estimates left over at the
    # top of the figure is cropped when it is saved
    handles = dict(zip(*reversed(ax.get_legend_handles_labels())))
    shown = [(n, e) for n, e in zip(legend_names, legend_entries) if n in handles]
    axes_top = (bottom_in + plot_in + 0.05) / height
    legend = fig.legend([handles[n] for n, _ in shown], [e for _, e in shown], loc="lower left", ncol=2,
                        bbox_to_anchor=(0.0, axes_top), fontsize=font, handlelength=1.2, columnspacing=0.8,
                        handletextpad=0.4, borderaxespad=0.0)
    if title_text:
        legend_in_drawn = legend.get_window_extent(fig.canvas.get_renderer()).height / fig.dpi
        fig.text(0.1 / width, axes_top + (legend_in_drawn + 0.1) / height, title_text, ha="left", va="bottom",
                 fontsize=10.5, fontweight="bold")
    alt = f"Stacked bar chart, {title}. " + "; ".join(alt_parts) + "."
    return fig, alt
