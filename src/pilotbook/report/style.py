"""The house style of every figure: one place, so all figures look alike.

Colour-blind-safe palette (seaborn ``colorblind``), type readable at phone width,
SVG output that is byte-identical from run to run.
"""

from __future__ import annotations

import io

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import seaborn as sns  # noqa: E402

PALETTE = "colorblind"
FIG_WIDTH = 7.0  # inches; scaled to the column, stays legible down to ~360 px
FIG_WIDTH_NARROW = 5.0  # single-panel figures: larger type once scaled to a phone
SVG_SALT = "pilotbook"


def apply() -> None:
    """Set seaborn's theme and matplotlib's determinism switches."""
    sns.set_theme(context="notebook", style="whitegrid", palette=PALETTE, font_scale=1.0)
    matplotlib.rcParams.update({
        "svg.hashsalt": SVG_SALT,
        "svg.fonttype": "none",  # text stays text: searchable, accessible, smaller
        "font.family": "DejaVu Sans",
        "figure.dpi": 100,
        "axes.titleweight": "bold",
        "axes.titlesize": 12,
        "axes.labelsize": 11,
        "xtick.labelsize": 10,
        "ytick.labelsize": 10,
        "legend.fontsize": 10,
        "legend.frameon": False,
    })


def palette(n: int) -> list:
    return sns.color_palette(PALETTE, n)


def figure_svg(fig) -> str:
    """The figure as SVG text with no date or tool version stamps."""
    buffer = io.StringIO()
    fig.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None, "Creator": None})
    return buffer.getvalue()


apply()


def close(fig) -> None:
    plt.close(fig)
