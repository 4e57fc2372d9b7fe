"""The statements catalog (data/published/statements.csv): every row cites the report where the
report says it, the contract stops a broken row, and the verdicts publish nothing but verdicts."""

from __future__ import annotations

import re
import sys
import types

import pandas as pd
import pytest

from pilotbook.analysis import statements
from pilotbook.contracts.validate import validate
from pilotbook.io.catalog import load
from pilotbook.report.pages import statements as page


@pytest.fixture(scope="module")
def catalog(root):
    return load("statements", root / "data")


def _passages(lines: list[str], first: int, last: int) -> tuple[str, ...]:
    """The cited lines as one text, in the two ways a word broken at a line end can be joined:
    without its hyphen ("työllisty-" + "neet") and with it ("korkea-" + "asteen")."""
    text = "\n".join(lines[first - 1:last])
    joined = (re.sub(r"(\w)-[ \t]*\n[ \t]*(\w)", r"\1\2", text), re.sub(r"(\w-)[ \t]*\n[ \t]*(\w)", r"\1\2", text))
    return tuple(re.sub(r"\s+", " ", t) for t in joined)


def _misplaced(catalog: pd.DataFrame, lines: list[str]) -> list[str]:
    return [r.id for r in catalog.itertuples(index=False)
            if not any(r.locator in p for p in _passages(lines, r.line_from, r.line_to))]


def test_every_locator_is_on_its_cited_lines(catalog, report_lines):
    assert len(catalog) >= 25
    assert _misplaced(catalog, report_lines) == []


def test_a_citation_that_points_elsewhere_is_caught(catalog, report_lines):
    moved = catalog.assign(line_from=catalog["line_from"] + 40, line_to=catalog["line_to"] + 40)
    assert set(_misplaced(moved, report_lines)) == set(catalog["id"])


def test_register_rows_cite_chapter_4_2_and_are_in_our_own_words(catalog, report_lines):
    ura = catalog[catalog["id"].str.startswith("ura-")]
    assert len(ura) >= 25 and (ura["dataset"] == "ura_extract").all() and (ura["chapter"] == "4.2").all()
    start = next(i for i, line in enumerate(report_lines, 1) if "4.2 Tuloksellisuus tilastollisesti" in line)
    assert (ura["line_from"] >= start).all()
    for r in ura.itertuples(index=False):
        assert not re.search(r"[äöÄÖ]", r.statement), r.id  # English, not the report's Finnish
        assert r.locator not in r.statement, r.id


def test_the_shipped_catalog_passes_its_contract_and_a_broken_one_does_not(data_copy, root):
    path = data_copy / "published" / "statements.csv"
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    bad = frame.iloc[:8].copy()
    bad["id"] = ["ura-01", "ura-x1", "ura-90", "ura-91", "ura-92", "ura-93", "ura-94", "ura-95"]
    bad.loc[bad.index[2], "chapter"] = "5.1"
    bad.loc[bad.index[3], "line_from"] = "5000"
    bad.loc[bad.index[4], ["line_from", "line_to"]] = ["1900", "1850"]
    bad.loc[bad.index[5], "dataset"] = "placements"
    bad.loc[bad.index[6], "pilot_id"] = "atlantis"
    bad.loc[bad.index[7], "rule"] = ""
    pd.concat([frame, bad]).to_csv(path, index=False, lineterminator="\n")
    report = validate(data_copy, root / "data_contracts")
    errors = [f for f in report.findings if f.is_error and f.suite == "statements"]
    rules = " | ".join(f.rule for f in errors)
    for expected in ("no statement id is used twice", "ids are ura-NN or survey-NN", "chapter is 4.2",
                     "line_from is a line of the report", "line_to is not before line_from",
                     "dataset is ura_extract", "pilot_id, when given, names a pilot", "every statement has a rule"):
        assert expected in rules, (expected, report.render())
    shipped = validate(root / "data", root / "data_contracts")
    assert not [f for f in shipped.findings if f.suite == "statements"], shipped.render()


# --------------------------------------------------------------------------- evaluation and the verdicts


def _catalog(rows):
    columns = ["id", "chapter", "pilot_id", "line_from", "line_to", "locator", "statement", "dataset", "rule",
               "conflict"]
    return pd.DataFrame(rows, columns=columns)


@pytest.fixture
def toy_evaluator(monkeypatch):
    """An evaluator module for a made-up dataset whose rules are 'yes' or 'no'."""
    module = types.ModuleType("toy_statements")
    module.check = lambda rule, frame, pilot_id, context: rule == "yes"
    monkeypatch.setitem(sys.modules, "toy_statements", module)
    monkeypatch.setitem(statements.EVALUATORS, "toy", "toy_statements")
    monkeypatch.setitem(statements.EVALUATORS, "missing", "pilotbook.analysis.no_such_statements")


def test_verdicts_follow_the_rule_and_the_conflict(toy_evaluator):
    cat = _catalog([
        ["ura-01", "4.2", "", 1, 1, "x", "holds", "toy", "yes", ""],
        ["ura-02", "4.2", "", 1, 1, "x", "fails", "toy", "no", ""],
        ["ura-03", "4.2", "", 1, 1, "x", "impossible", "toy", "no", "Figure 9 prints 8 %"],
        ["ura-04", "4.2", "", 1, 1, "x", "holds despite", "toy", "yes", "a reason"],
        ["survey-01", "2.3", "", 1, 1, "x", "no evaluator", "missing", "yes", ""],
        ["survey-02", "2.3", "", 1, 1, "x", "no data", "toy", "yes", ""],
    ])
    frames = {"toy": pd.DataFrame({"a": [1]})}
    out = statements.evaluate(cat.iloc[:5], frames, {})
    assert out["verdict"].tolist() == ["holds", "does not hold", "cannot hold, because Figure 9 prints 8 %",
                                       "holds", "not evaluated"]
    assert out["holds"].isna().tolist() == [False, False, False, False, True]
    assert statements.evaluate(cat.iloc[5:], {}, {})["verdict"].tolist() == ["not evaluated"]
    with pytest.raises(ValueError, match="no evaluator"):
        statements.evaluate(cat.assign(dataset="nothing"), frames, {})


def test_the_verdict_table_publishes_verdicts_and_citations_only(toy_evaluator, pilots):
    cat = _catalog([["ura-01", "4.2", "hame-50plus", 1876, 1877, "x", "Few are employed.", "toy", "yes", ""],
                    ["ura-02", "4.2", "", 1726, 1726, "x", "Groups differ.", "toy", "no", "a reason"]])
    verdicts = statements.evaluate(cat, {"toy": pd.DataFrame({"a": [1]})}, {})
    exhibit = page.verdicts_table(verdicts, pilots)
    assert exhibit.id == "statements-verdicts"
    assert list(exhibit.data.columns) == ["id", "chapter", "pilot_id", "line_from", "line_to", "statement", "rule",
                                          "verdict"]
    assert exhibit.shown["Our rule (its thresholds are our reading)"].tolist() == ["yes", "no"]
    assert exhibit.shown["Report lines"].tolist() == ["1876–1877", "1726"]
    assert exhibit.shown["Verdict"].tolist() == ["holds", "cannot hold, because a reason"]
    assert page.verdicts_summary(verdicts).markdown.startswith("Of the 2 statements, 1 hold")


def test_a_statement_about_a_pilot_the_data_lack_is_not_evaluated_and_says_which(toy_evaluator):
    """A follow-up that drops a pilot cannot check what the report says of it: the statement is not
    evaluated (never 'does not hold'), naming the pilot, whether it is the statement's own pilot or one
    its rule names."""
    cat = _catalog([
        ["ura-01", "4.2", "", 1, 1, "x", "S", "toy", "all(p for p in ('uusimaa-ict', 'gone-pilot'))", ""],
        ["ura-02", "4.2", "gone-pilot", 1, 1, "x", "S", "toy", "no", ""],
        ["ura-03", "4.2", "uusimaa-ict", 1, 1, "x", "S", "toy", "no", ""],
    ])
    frames = {"toy": pd.DataFrame({"pilot_id": ["uusimaa-ict"]})}
    out = statements.evaluate(cat, frames, {})
    assert out["verdict"].tolist() == ["not evaluated: the data have no rows of gone-pilot",
                                       "not evaluated: the data have no rows of gone-pilot", "does not hold"]
    from pilotbook.report.pages.statements import verdicts_summary
    assert "2 could not be evaluated because they are about a pilot the data do not have" in \
        verdicts_summary(out).markdown
