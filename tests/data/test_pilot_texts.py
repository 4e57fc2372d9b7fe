"""The pilots' stories (data/published/pilot_texts.yaml) are ours in words but the report's in fact:
every number in a text is printed on the lines the section cites; nothing is quoted; every pilot
has its three sections, and a missing one stops the build naming the pilot and the section."""

from __future__ import annotations

import re

import pytest
import yaml

from pilotbook.io.catalog import load
from pilotbook.io.pilot_texts import SECTIONS, line_ranges

from conftest import ROOT

TEXTS = load("pilot_texts", ROOT / "data")
PILOTS = load("pilots", ROOT / "data")


def digits(text: str) -> list[str]:
    """Digit groups as the report prints them ('2 811' and '2811' are one number)."""
    return re.findall(r"\d+(?:[.,]\d+)?", re.sub(r"(?<=\d)[\s\u202f\u00a0](?=\d{3}\b)", "", text))


def test_every_pilot_has_its_three_sections():
    have = set(zip(TEXTS["pilot_id"], TEXTS["section"]))
    missing = [(p, s) for p in PILOTS["pilot_id"] for s in SECTIONS if (p, s) not in have]
    assert not missing, missing


@pytest.mark.parametrize("row", list(TEXTS.itertuples(index=False)), ids=lambda r: f"{r.pilot_id}-{r.section}")
def test_every_number_is_printed_on_the_cited_lines(row, report_lines):
    ranges = line_ranges(row.ref_lines.split("; "), row.pilot_id)
    cited = " ".join(report_lines[i - 1] for a, b in ranges for i in range(a, b + 1))
    printed = set(digits(cited))
    for number in digits(row.text):
        variants = {number, number.replace(".", ","), number.replace(",", ".")}
        assert variants & printed, f"{row.pilot_id}/{row.section}: {number} is not on lines {row.ref_lines}"


@pytest.mark.parametrize("row", list(TEXTS.itertuples(index=False)), ids=lambda r: f"{r.pilot_id}-{r.section}")
def test_texts_quote_nothing_and_stay_summaries(row):
    assert not re.search(r"[”“\"]", row.text), "no quotations: the texts are ours"
    assert (8 if row.section == "table_remark" else 40) <= row.words <= 400
    assert row.last_line - row.first_line >= 0


def test_a_missing_section_stops_validation_naming_pilot_and_section(data_copy, root):
    from pilotbook.contracts.validate import validate

    path = data_copy / "published" / "pilot_texts.yaml"
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    victim = doc["pilots"][0]
    del victim["sections"]["how_clients_came_to_it"]
    path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
    report = validate(data_copy, root / "data_contracts")
    assert not report.ok
    text = report.render()
    assert victim["pilot_id"] in text and "how_clients_came_to_it" in text, text[-2000:]


def test_the_checker_finds_a_number_not_on_the_cited_lines(report_lines):
    """The number test can fail: a year that is not on the cited line is caught."""
    line = report_lines[2609 - 1]
    assert "1999" not in line and "1999" in digits("It began in 1999.")
    assert not ({"1999"} & set(digits(line)))
