"""The house style of every figure: one place, so all figures look alike.

Colour-blind-safe palette (seaborn ``colorblind``), SVG output that is byte-identical from run to
run, and type drawn for the narrow column: a figure is shown as an ``<img>`` scaled down to the
content column, which on a phone (a 390 px viewport, sphinx-book-theme) is about 342 px wide, so
figures are drawn narrow (:data:`FIG_WIDTH`) and taller rather than wide and shrunk, with no type
under :data:`MIN_FONT_PT`.  :func:`smallest_text_px` measures the promise on the SVG itself.
"""

from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ET

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import seaborn as sns  # noqa: E402

PALETTE = "colorblind"
PHONE_COLUMN_PX = 340  # the content column at a 390 px viewport (measured 342 px; a little margin)
MIN_TEXT_PX = 9.0  # no text of a figure is rendered smaller than this in that column
FIG_WIDTH = 4.4  # inches (317 pt): 9 pt type stays at about 9.7 px when scaled to PHONE_COLUMN_PX
FIG_WIDTH_NARROW = FIG_WIDTH  # kept for callers: every figure is drawn for the narrow column now
MIN_FONT_PT = 9.0  # the smallest type any figure uses
SMALL_FONT_PT = 9.5  # bar labels, annotations, legends
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
        "axes.titlesize": 11,
        "axes.labelsize": 10,
        "xtick.labelsize": 10,
        "ytick.labelsize": 10,
        "legend.fontsize": SMALL_FONT_PT,
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


# --------------------------------------------------------------------------- legibility, measured

_SVG = "{http://www.w3.org/2000/svg}"
_FONT_SIZE = re.compile(r"font-size:\s*([0-9.]+)px")
_PT = re.compile(r"^([0-9.]+)pt$")


def text_sizes_px(svg: str, column_px: float = PHONE_COLUMN_PX) -> list[tuple[float, str]]:
    """Every text of an SVG figure with the size it is rendered at in a column ``column_px`` wide.

    The page shows the SVG as an ``<img>`` with ``max-width: 100%``: at its natural width (the SVG's
    ``width`` in pt, × 4/3 px) when that fits, else scaled down to the column.  A text's
    ``font-size`` is in viewBox units, so it is rendered at ``font-size × shown width / viewBox
    width``.  Returns ``(px, text)`` pairs; raises ``ValueError`` for what it cannot measure (a text
    with no font size, a scaled text, a size not in pt), so a figure is never passed unmeasured.
    """
    root = ET.fromstring(svg.encode("utf-8"))
    width = _PT.match(root.get("width", ""))
    if not width:
        raise ValueError(f"SVG width {root.get('width')!r} is not in pt")
    view_width = float(root.get("viewBox").split()[2])
    shown = min(column_px, float(width.group(1)) * 4 / 3)
    scale = shown / view_width
    parents = {child: parent for parent in root.iter() for child in parent}
    sizes = []
    for text in root.iter(f"{_SVG}text"):
        node = text
        while node is not None:
            if re.search(r"scale|matrix", node.get("transform", "")):
                raise ValueError(f"text {''.join(text.itertext())!r} is drawn with a scaling transform")
            node = parents.get(node)
        size = _FONT_SIZE.search(text.get("style", ""))
        if not size:
            raise ValueError(f"text {''.join(text.itertext())!r} has no font-size in px")
        sizes.append((float(size.group(1)) * scale, "".join(text.itertext())))
    return sizes


def smallest_text_px(svg: str, column_px: float = PHONE_COLUMN_PX) -> float:
    """The size of the smallest text of an SVG figure shown in a column ``column_px`` wide (inf if none)."""
    return min((px for px, _ in text_sizes_px(svg, column_px)), default=float("inf"))
