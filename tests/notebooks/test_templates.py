"""The notebook templates read as the analysis they are (DESIGN rule 1 and 2).

Every template: a ``parameters`` cell first; plumbing (imports, loading, glue) in ``remove-cell``
cells; every other code cell tagged ``hide-input`` (the reader can unfold it) and short, calling
package functions and ``show``; no ``def``/``class``; no pilot id, count or percentage typed in
code or prose: numbers reach the prose only through glue.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
import pytest

from pilotbook.paths import INSTALL_ROOT

TEMPLATES = sorted((INSTALL_ROOT / "notebooks").glob("*.ipynb"))
PILOT_IDS = pd.read_csv(INSTALL_ROOT / "data" / "published" / "pilots.csv", dtype=str)["pilot_id"].tolist()

REFERENCE = re.compile(r"(Figures?|chapters?|footnotes?|Tables?|Conclusions?|Recommendations?) \d+(\.\d+)?((,| and|–) ?\d+(\.\d+)?)*")
YEARS = re.compile(r"\b(19|20)\d\d(–(19|20)\d\d)?\b")  # years may stand as digits
NUMBER_WORDS = re.compile(r"\b(three|four|five|six|seven|eight|nine|ten|half|third|quarter|fifth|dozen|hundred)s?\b",
                          re.IGNORECASE)
MAX_ANALYSIS_LINES = 8


def cells(path: Path) -> list[dict]:
    return json.loads(path.read_text(encoding="utf-8"))["cells"]


def tags(cell: dict) -> list[str]:
    return cell.get("metadata", {}).get("tags", [])


def test_every_template_is_checked():
    assert len(TEMPLATES) >= 7


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: p.stem)
def test_parameters_first_and_outputs_stripped(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    assert nb["metadata"]["pilotbook"]["inputs"], "metadata.pilotbook.inputs names what the notebook reads"
    assert "parameters" in tags(nb["cells"][0])
    for cell in nb["cells"]:
        if cell["cell_type"] == "code":
            assert not cell.get("outputs") and cell.get("execution_count") is None, "outputs stripped"


EDITION_NOTE = "show(edition.note())"


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: p.stem)
def test_every_chapter_states_its_edition_under_its_first_heading(path):
    """DESIGN rule 11: the page says which numbers it shows (the report's, or another edition's)."""
    code = [c for c in cells(path) if c["cell_type"] == "code"]
    assert any("edition.use(data.edition)" in "".join(c["source"]) for c in code), f"{path.name}: edition not read"
    first_heading = next(i for i, c in enumerate(cells(path)) if c["cell_type"] == "markdown")
    assert "".join(cells(path)[first_heading + 1]["source"]) == EDITION_NOTE, path.name


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: p.stem)
def test_code_cells_are_plumbing_or_visible_analysis(path):
    analysis = 0
    for cell in cells(path):
        if cell["cell_type"] != "code":
            continue
        text = "".join(cell["source"])
        assert not re.search(r"^\s*(def|class|async def) ", text, re.MULTILINE), f"{path.name}: logic in a notebook:\n{text}"
        assert "IPython.display" not in text, f"{path.name}: display goes through show():\n{text}"
        cell_tags = tags(cell)
        if "parameters" in cell_tags or "remove-cell" in cell_tags:
            continue
        if text == EDITION_NOTE:  # not analysis: the line that says which numbers the page shows
            assert cell_tags == ["remove-input"], f"{path.name}: the edition's line shows without its code"
            continue
        assert "hide-input" in cell_tags, f"{path.name}: an analysis cell must be tagged hide-input:\n{text}"
        assert "remove-input" not in cell_tags, f"{path.name}: analysis code is hidden, not removed:\n{text}"
        lines = [l for l in text.splitlines() if l.strip() and not l.strip().startswith("#")]
        assert 1 <= len(lines) <= MAX_ANALYSIS_LINES, f"{path.name}: an analysis cell of {len(lines)} lines:\n{text}"
        assert "show(" in text, f"{path.name}: an analysis cell shows what it computed:\n{text}"
        analysis += 1
    assert analysis >= 1, f"{path.name}: no visible analysis cell"


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: p.stem)
def test_code_types_no_pilot_id_and_no_number_outside_the_parameters(path):
    for cell in cells(path):
        if cell["cell_type"] != "code" or "parameters" in tags(cell):
            continue
        text = "".join(cell["source"])
        named = [p for p in PILOT_IDS if re.search(r"['\"]" + re.escape(p) + r"['\"]", text)]
        assert not named, f"{path.name}: pilot ids typed into code: {named}"
        code = re.sub(r"(['\"]).*?\1", "", text)  # strings (exhibit ids, labels) aside
        assert not re.search(r"(?<![\w.])\d{2,}(?![\w])", code), f"{path.name}: a number typed into code:\n{text}"


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: p.stem)
def test_prose_types_no_numbers(path):
    for cell in cells(path):
        if cell["cell_type"] != "markdown":
            continue
        text = "".join(cell["source"])
        text = re.sub(r"(?m)^```.*$", "", text)  # fences (an admonition's prose stays)
        text = re.sub(r"(?m)^\([\w-]+\)=$", "", text)  # section labels
        prose = REFERENCE.sub("", re.sub(r"`[^`\n]*`", "", re.sub(r"\{glue:text\}`[^`\n]+`", "", text)))
        prose = YEARS.sub("", prose.replace("{{ page_title }}", ""))
        assert not re.search(r"\d", prose), f"{path.name}: a number typed into the prose: {prose[:300]!r}"
        words = NUMBER_WORDS.search(prose)
        assert not words, f"{path.name}: a number in words typed into the prose: {words.group(0)!r} in {prose[:300]!r}"


def _loads(path: Path) -> tuple[set[str], set[str]]:
    """What a template's code reads: every dataset it loads, and those it loads for its pilot only."""
    import ast

    names, own = set(), set()
    for cell in cells(path):
        if cell["cell_type"] != "code":
            continue
        for node in ast.walk(ast.parse("".join(cell["source"]))):
            if not isinstance(node, ast.Call):
                continue
            func = ast.unparse(node.func)
            keywords = {k.arg: k.value for k in node.keywords}
            if func == "Data.load":
                for value in [*node.args[1:2], keywords.get("names")]:
                    names |= set(ast.literal_eval(value)) if value is not None else set()
                own |= set(ast.literal_eval(keywords["own_rows"])) if "own_rows" in keywords else set()
            elif func == "fee_models":
                names.add("fee_models")
                if len(node.args) > 1 or "pilot_id" in keywords:
                    own.add("fee_models")
    return names | own, own


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: p.name)
def test_the_metadata_names_exactly_what_the_code_reads(path):
    """The build decides what to re-execute from metadata.pilotbook (inputs, own_rows): a dataset the
    code reads but the metadata leaves out would leave the chapter stale when it changes."""
    meta = json.loads(path.read_text(encoding="utf-8"))["metadata"]["pilotbook"]
    read, own = _loads(path)
    assert read == set(meta["inputs"])
    assert own == set(meta.get("own_rows", []))


def test_the_readme_says_what_reads_what():
    readme = (INSTALL_ROOT / "README.md").read_text(encoding="utf-8")
    for path in TEMPLATES:
        meta = json.loads(path.read_text(encoding="utf-8"))["metadata"]["pilotbook"]
        own = meta.get("own_rows", [])
        runs = "once per pilot" if meta.get("run_per") else "once, after the others" if meta.get("reads_exhibits") else "once"
        quote = lambda names: ", ".join(f"`{n}`" for n in names) or "–"  # noqa: E731
        row = f"| `{path.name}` | {runs} | {quote([n for n in meta['inputs'] if n not in own])} | {quote(own)} |"
        assert row in readme, f"README's 'What reads what' table lacks or misstates: {row}"
