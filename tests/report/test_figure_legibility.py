"""Every figure of the book stays legible at phone width (issue 14), measured without a browser.

The figures are drawn from the shipped data through the templates' own code: each template's code
cells run in this process, as papermill would run them, with a publisher that keeps the exhibits
instead of writing them; every figure is then measured as the page shows it, an ``<img>`` scaled to
a phone's content column (:data:`pilotbook.report.style.PHONE_COLUMN_PX`), and no text of it may be
rendered under :data:`~pilotbook.report.style.MIN_TEXT_PX`.  The same measure is applied to the
figures a build published in ``tests/site/test_print_and_figures.py``.
"""

from __future__ import annotations

import json

import matplotlib.pyplot as plt
import pandas as pd
import pytest

from pilotbook.paths import INSTALL_ROOT
from pilotbook.report import exhibits, style

TEMPLATES = sorted((INSTALL_ROOT / "notebooks").glob("*.ipynb"))
PILOT_IDS = pd.read_csv(INSTALL_ROOT / "data" / "published" / "pilots.csv", dtype=str)["pilot_id"].tolist()


def _runs():
    for path in TEMPLATES:
        meta = json.loads(path.read_text(encoding="utf-8"))["metadata"]["pilotbook"]
        if meta.get("reads_exhibits"):  # draws no figure: it links the others' exhibits
            continue
        if meta.get("run_per") == "pilot":
            yield from (pytest.param(path, {"pilot_id": p}, id=f"{path.stem}-{p}") for p in PILOT_IDS)
        else:
            yield pytest.param(path, {}, id=path.stem)


RUNS = list(_runs())


class _Keep:
    """Stands in for :class:`~pilotbook.report.exhibits.Publisher`: keeps the figures, writes nothing."""

    figures: dict[str, str] = {}

    def __init__(self, *args, **kwargs):
        pass

    def show(self, *items):
        for item in items:
            if isinstance(item, (list, tuple)):
                self.show(*item)
            elif isinstance(item, exhibits.Exhibit) and item.kind == "figure":
                _Keep.figures[item.id] = item.svg


def draw(path, parameters: dict, monkeypatch) -> dict[str, str]:
    """Run a template's code cells with ``parameters`` on the shipped data; its figures as SVG by id."""
    import myst_nb

    monkeypatch.setattr(myst_nb, "glue", lambda *a, **k: None)
    monkeypatch.setattr(exhibits, "Publisher", _Keep)
    _Keep.figures = {}
    namespace = {"__name__": "__notebook__"}
    cells = [c for c in json.loads(path.read_text(encoding="utf-8"))["cells"] if c["cell_type"] == "code"]
    for i, cell in enumerate(cells):
        exec(compile("".join(cell["source"]), f"{path.name}, code cell {i + 1}", "exec"), namespace)
        if i == 0:  # the parameters cell: papermill injects the build's values after it
            namespace.update(parameters, data_dir=str(INSTALL_ROOT / "data"))
    plt.close("all")
    return dict(_Keep.figures)


def too_small(svg: str) -> list[str]:
    return sorted({f"{px:.1f} px: {text!r}" for px, text in style.text_sizes_px(svg) if px < style.MIN_TEXT_PX})


@pytest.mark.parametrize("path, parameters", RUNS)
def test_every_figure_is_legible_in_a_phones_column(path, parameters, nothing_written, monkeypatch):
    drawn = draw(path, parameters, monkeypatch)
    failures = {fid: too_small(svg) for fid, svg in drawn.items()}
    failures = {fid: texts for fid, texts in failures.items() if texts}
    assert not failures, (f"text under {style.MIN_TEXT_PX:g} px when shown in a {style.PHONE_COLUMN_PX} px column: "
                          + json.dumps(failures, indent=1, ensure_ascii=False))


def test_the_runs_draw_the_figures_of_every_kind(monkeypatch, nothing_written):
    """The check above sees figures at all: the register, survey and fee chapters draw theirs."""
    by_stem = {p.values[0].stem: p.values[0] for p in RUNS}
    assert {"report-figure-8", "fee-tender-illustration"} <= set(draw(by_stem["fees"], {}, monkeypatch))
    assert {"report-figure-10", "report-figure-14"} <= set(draw(by_stem["ura"], {}, monkeypatch))


# --------------------------------------------------------------------------- the measure itself


def _svg(width_in: float, fontsize: float) -> str:
    style.apply()
    fig = plt.figure(figsize=(width_in, 1))
    fig.add_artist(plt.Line2D([0, 1], [0.2, 0.2]))  # spans the figure, so the saved SVG keeps its width
    fig.text(0.1, 0.5, "label", fontsize=fontsize)
    try:
        return style.figure_svg(fig)
    finally:
        plt.close(fig)


def test_the_measure_scales_a_wide_figure_down_to_the_column():
    wide = _svg(7.0, 10)  # the old house width, saved with 0.1 in of padding each side (518.4 pt)
    assert style.smallest_text_px(wide, 340) == pytest.approx(10 * 340 / 518.4, rel=1e-3)  # 6.6 px
    assert style.smallest_text_px(wide, 800) == pytest.approx(10 * 4 / 3)  # a column wider than the figure: natural size
    assert style.smallest_text_px(_svg(style.FIG_WIDTH, style.MIN_FONT_PT)) >= style.MIN_TEXT_PX


def test_a_small_figure_is_shown_at_its_natural_size():
    narrow = _svg(2.0, 9)  # about 190 px wide: not scaled, 9 pt is 12 px
    assert style.smallest_text_px(narrow) == pytest.approx(12.0)


def test_a_text_that_cannot_be_measured_fails():
    svg = _svg(3.0, 9).replace("font-size: 9px", "font-size: 1em")
    with pytest.raises(ValueError, match="no font-size"):
        style.smallest_text_px(svg)
