"""Part I's thematic chapters cite the report's text through glued facts, and list what they cite.

Every fact a chapter's prose glues must appear in the chapter's table of the figures it cites (so
a reader can find the report line of every number), and every glued name must exist.
"""

from __future__ import annotations

import ast
import json
import re

import pytest

from pilotbook.io.catalog import Data
from pilotbook.paths import INSTALL_ROOT
from pilotbook.report.pages import themes

TEMPLATES = sorted((INSTALL_ROOT / "notebooks").glob("*.ipynb"))
FACTS = Data.load(INSTALL_ROOT / "data", ("facts",)).facts
GLUED_FACTS = themes.fact_glue(FACTS)


def _cells(path):
    return json.loads(path.read_text(encoding="utf-8"))["cells"]


def _cited_call(path):
    for cell in _cells(path):
        text = "".join(cell["source"])
        if cell["cell_type"] == "code" and "themes.cited_facts(" in text:
            call = ast.parse(text).body[0].value.args[0]  # show(themes.cited_facts(...))
            args = [ast.literal_eval(a) for a in call.args[1:]]
            kwargs = {k.arg: ast.literal_eval(k.value) for k in call.keywords}
            return args, kwargs
    return None


THEMED = [p for p in TEMPLATES if _cited_call(p)]


def test_the_thematic_chapters_list_what_they_cite():
    assert {p.stem for p in THEMED} >= {"procurement", "steering", "lessons", "fees", "satisfaction"}


@pytest.mark.parametrize("path", THEMED, ids=lambda p: p.stem)
def test_every_glued_fact_is_in_the_chapters_table_of_cited_figures(path):
    (chapter, title, sources), kwargs = _cited_call(path)
    table = themes.cited_facts(FACTS, chapter, title, sources, **kwargs)
    listed = set(table.shown["Name in the text"])
    prose = "\n".join("".join(c["source"]) for c in _cells(path) if c["cell_type"] == "markdown")
    cited = {re.sub(r"__l\d+$", "", k) for k in re.findall(r"\{glue:text\}`([^`]+)`", prose)
             if k in GLUED_FACTS}
    assert cited, f"{path.name} cites no fact"
    assert cited <= listed, f"{path.name} glues facts its table does not list: {sorted(cited - listed)}"


def test_a_quantity_the_report_gives_twice_is_glued_under_both_lines():
    # Conclusions 4 and 13 give the share of non-participants needing no service two ways.
    assert GLUED_FACTS["pct_non_participants_needing_no_service__l174"] == "about 67 %"
    assert GLUED_FACTS["pct_non_participants_needing_no_service__l350"] == "about 33 %"
    assert "pct_non_participants_needing_no_service" not in GLUED_FACTS


def test_years_are_glued_as_years():
    years = FACTS[FACTS["unit"] == "year"]
    assert not years.empty
    for pilot, quantity, value in zip(years["pilot_id"], years["quantity"], years["value"]):
        key = themes.fact_key(pilot, quantity)
        if key in GLUED_FACTS:
            assert GLUED_FACTS[key] == str(int(value))


def test_a_fact_this_data_lacks_is_shown_as_missing_not_dropped():
    fewer = FACTS[FACTS["pilot_id"] != "pirkanmaa-b2b"]
    glued = themes.fact_glue(fewer, FACTS)
    assert glued["pirkanmaa_b2b__requests_to_participate"] == themes.MISSING
    assert glued["price_weight_high"] == GLUED_FACTS["price_weight_high"]
    assert set(glued) == set(GLUED_FACTS)
