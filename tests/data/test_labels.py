"""Each value of outcomes.csv carries the report's own label (issue 11, item 2).

A count under a table heading "palkkioon oikeuttavia" is fee-eligible; a count the text gives
for everyone employed ("työllistyneitä", "työllistymisiä", "työsuhteita") is not. These tests read
the report's text dump, independently of the pipeline.
"""

import re

import pandas as pd
import pytest

FEE_METRICS = ("fee_eligible", "pct_fee_eligible_of_started", "pct_fee_eligible_of_finished")
FEE_WORD = re.compile(r"palkkio(on|n)?\s+oikeu", re.IGNORECASE)


def _window(report_lines: list[str], line: int, before: int, after: int) -> str:
    """The dump from ``before`` lines above to ``after`` lines below ``line`` (words wrap), hyphens joined."""
    text = "\n".join(report_lines[max(line - 1 - before, 0): line + after])
    return re.sub(r"-\s*\n", "", text).replace("\n", " ")


@pytest.mark.parametrize("table", [4, 5])
def test_the_count_column_of_tables_4_and_5_is_headed_fee_eligible(report_lines, table):
    start = next(i for i, line in enumerate(report_lines) if line.startswith(f" Taulukko {table}.")
                 or line.startswith(f"Taulukko {table}."))
    heading = " ".join(" ".join(report_lines[start: start + 25]).split())
    assert "Rekrytointeja (palkkioon oikeuttavia)" in heading, heading
    assert heading.count("(palkkioon oikeuttavia") == 3, heading  # the count and its two shares


def test_a_fee_eligible_value_comes_only_from_a_fee_eligible_column_or_a_passage_that_says_so(outcomes, report_lines):
    """Tables 4-5 (their column and remarks) or a passage naming the fee ("palkkioon oikeutettuja")."""
    rows = outcomes[outcomes["metric"].isin(FEE_METRICS)]
    assert len(rows) >= 30
    wrong = []
    for r in rows.itertuples(index=False):
        if re.match(r"Table [45]\b", r.source):
            continue
        if not FEE_WORD.search(_window(report_lines, int(r.ref_line), 2, 1)):
            wrong.append(f"{r.pilot_id} {r.metric}={r.value:g} ({r.source}, line {r.ref_line}): the passage does not "
                         f"say fee-eligible: {_window(report_lines, int(r.ref_line), 2, 1)!r}")
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("metric, words", [
    ("employed", r"työllisty(neitä|neiden|nyt)"),
    ("employments", r"työllistymisiä|työllistymistulos|työsuhteita"),
    ("pct_employed_of_started", r"työllistymisprosentti|työllisty(neitä|ivät)|työllistymisiä"),
    ("pct_employed_of_finished", r"työllistymisprosentti|työllisty(neitä|ivät)|työllistymisiä"),
])
def test_an_employment_count_carries_the_reports_word_for_it(outcomes, report_lines, metric, words):
    rows = outcomes[outcomes["metric"] == metric]
    assert len(rows) >= 2
    wrong = [f"{r.pilot_id} {metric}={r.value:g} ({r.source}, line {r.ref_line})" for r in rows.itertuples(index=False)
             if not re.search(words, _window(report_lines, int(r.ref_line), 1, 0), re.IGNORECASE)]
    assert not wrong, wrong


def test_the_text_values_that_were_read_as_fee_eligible_carry_the_texts_label(outcomes):
    """The counts and shares the text gives for everyone employed (issue 11)."""
    def metric(pilot_id, source, line, value):
        rows = outcomes[(outcomes["pilot_id"] == pilot_id) & (outcomes["source"] == source)
                        & (outcomes["ref_line"] == line) & (outcomes["value"] == value)]
        assert len(rows) >= 1, (pilot_id, source, line, value)
        return set(rows["metric"])

    assert metric("keski-suomi-construction", "chapter 4", 1788, 95) == {"employed"}
    assert metric("keski-suomi-construction", "chapter 4", 1793, 48) == {"pct_employed_of_started"}
    assert metric("keski-suomi-construction", "chapter 4", 1793, 90) == {"pct_employed_of_finished"}
    assert metric("keski-suomi-construction", "chapter 6", 2786, 95) == {"employed"}
    assert metric("uusimaa-ict", "chapter 4", 1926, 226) == {"employed"}
    assert metric("uusimaa-ict", "chapter 7", 2951, 226) == {"employed"}
    assert metric("uusimaa-ict", "Table 3", 1960, 53) == {"pct_employed_or_entrepreneur_of_finished"}
    assert metric("pirkanmaa-b2b", "chapter 4", 2188, 204) == {"employments"}
    assert metric("pirkanmaa-b2b", "chapter 4", 2189, 28) == {"pct_employed_of_started"}
    assert metric("hame-50plus", "chapter 4", 1861, 42) == {"employments"}
    assert metric("hame-50plus", "chapter 10", 3260, 31) == {"employments"}
    assert metric("lappi-services", "chapter 4", 1892, 5) == {"employed"}
    assert metric("lappi-services", "chapter 5", 2671, 5) == {"employed"}
    # the tables keep their column's label
    for pilot_id, value in (("keski-suomi-construction", 48), ("uusimaa-ict", 226), ("pirkanmaa-b2b", 204),
                            ("hame-50plus", 42), ("lappi-services", 5)):
        table = outcomes[(outcomes["pilot_id"] == pilot_id) & (outcomes["source"] == "Table 4")
                         & (outcomes["metric"] == "fee_eligible")]
        assert list(table["value"]) == [value], pilot_id


def test_a_value_dated_to_the_evaluation_is_dated_so_in_the_report(outcomes, report_lines):
    """qualifier at_evaluation: the report says 'arvioinnin toteutushetkellä' / 'arviointihetkellä' for it."""
    rows = outcomes[outcomes["qualifier"] == "at_evaluation"]
    assert {"hame-50plus", "pirkanmaa-b2b"} <= set(rows["pilot_id"])
    assert not rows.empty
    for r in rows.itertuples(index=False):
        window = _window(report_lines, int(r.ref_line), 15, 0).lower()
        assert "arvioinnin toteutushetk" in window or "arviointihetk" in window, (r.pilot_id, r.metric, r.ref_line)


def test_every_outcome_metric_has_a_label_in_english_and_finnish(outcomes):
    from pilotbook.report.labels import _table

    labels = _table()
    missing = sorted(set(outcomes["metric"]) - set(labels.index))
    assert not missing, f"add to src/pilotbook/report/labels.csv: {missing}"
    for metric in set(outcomes["metric"]):
        assert labels.at[metric, "en"].strip() and labels.at[metric, "fi"].strip(), metric


def test_the_finnish_labels_of_the_employment_counts_are_the_reports_words():
    from pilotbook.report.labels import label

    assert label("fee_eligible", "fi") == "Rekrytointeja (palkkioon oikeuttavia)"
    assert label("employed", "fi") == "Työllistyneitä"
    assert label("employments", "fi") == "Työllistymisiä"
    assert pd.Series([label(m) for m in ("fee_eligible", "employed", "employments")]).is_unique
