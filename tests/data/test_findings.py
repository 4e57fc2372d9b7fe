"""The report's conclusions and recommendations as data (findings.csv), checked against the report.

These tests read the report's text dump independently: each row's first line must be the
heading of the conclusion or recommendation it restates.
"""

from __future__ import annotations

import re
import shutil

import pandas as pd
import pytest

from pilotbook.contracts.validate import validate, validate_registry
from pilotbook.paths import INSTALL_ROOT

FINDINGS = pd.read_csv(INSTALL_ROOT / "data" / "published" / "findings.csv", dtype=str, keep_default_na=False)
HEADING = {"C": "Johtopäätös", "R": "Suositus"}


def test_sixteen_conclusions_eight_recommendations_and_the_foreword():
    kinds = FINDINGS["kind"].value_counts().to_dict()
    assert kinds == {"conclusion": 16, "recommendation": 8, "foreword": 1}


@pytest.mark.parametrize("row", FINDINGS.to_dict("records"), ids=lambda r: r["id"])
def test_each_row_starts_at_its_heading_in_the_report(row, report_lines):
    first, last = int(row["line_from"]), int(row["line_to"])
    assert first <= last <= len(report_lines)
    text = report_lines[first - 1]
    if row["kind"] == "foreword":
        passage = " ".join(report_lines[first - 1:last])
        assert "keskeinen suositus" in passage
        return
    assert re.match(rf"\s*{HEADING[row['id'][0]]} {row['number']}\s*[.:]", text), (row["id"], text)
    assert row["id"][1:] == row["number"]


def test_rows_do_not_overlap(report_lines):
    spans = sorted((int(a), int(b), i) for a, b, i in zip(FINDINGS["line_from"], FINDINGS["line_to"], FINDINGS["id"]))
    for (a1, b1, i1), (a2, b2, i2) in zip(spans, spans[1:]):
        assert b1 < a2, f"{i1} ({a1}-{b1}) overlaps {i2} ({a2}-{b2})"


def _variant(tmp_path, edit) -> "Path":
    data = tmp_path / "data"
    shutil.copytree(INSTALL_ROOT / "data", data)
    frame = FINDINGS.copy()
    edit(frame)
    frame.to_csv(data / "published" / "findings.csv", index=False)
    return data


def test_the_contract_catches_typed_numbers_a_duplicate_and_a_bad_line(tmp_path):
    def edit(f):
        f.loc[0, "statement"] = "About 20 % started a business."
        f.loc[1, "id"] = f.loc[2, "id"]
        f.loc[3, "line_to"] = "99999"
    report = validate(_variant(tmp_path, edit), INSTALL_ROOT / "data_contracts")
    rules = {f.rule for f in report.errors} if hasattr(report, "errors") else {f.rule for f in report.findings if f.is_error}
    assert "statements carry no typed numbers" in rules
    assert "no finding is listed twice" in rules
    assert "line_to is a line of the report" in rules
    assert not report.ok


def test_the_registry_contract_names_evidence_the_build_did_not_make(tmp_path):
    ids = sorted({e for cell in FINDINGS["evidence"] for e in cell.split(";")})
    complete = validate_registry(INSTALL_ROOT / "data", INSTALL_ROOT / "data_contracts", ids)
    assert complete.ok and not complete.findings
    short = validate_registry(INSTALL_ROOT / "data", INSTALL_ROOT / "data_contracts", [i for i in ids if i != "ura-power"])
    assert short.findings, "a missing exhibit must be reported"
    samples = " ".join(s for f in short.findings for s in f.samples)
    assert "ura-power" in samples
