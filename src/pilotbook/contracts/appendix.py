"""What the contract appendices say about each suite, as data: the values a column allows, the
columns a rule reads, and each rule's result in a validation.  The pages themselves are
written by :mod:`pilotbook.report.pages.appendices`."""

from __future__ import annotations

from pilotbook.contracts.validate import Finding, ValidationReport


def allowed_values(expectations: list[dict], column: str) -> str:
    """What the suite allows in a column, in words, from its expectations."""
    words = []
    for exp in expectations:
        kw = exp.get("kwargs", {})
        if kw.get("column") != column or kw.get("row_condition"):
            continue
        t = exp["type"]
        if t == "expect_column_values_to_be_in_set":
            vs = kw["value_set"]
            words.append("a pilot_id of pilots.csv" if isinstance(vs, dict) else "one of " + ", ".join(map(str, vs)))
        elif t == "expect_column_values_to_be_between":
            lo, hi = kw.get("min_value"), kw.get("max_value")
            words.append(f"{lo}–{hi}" if lo is not None and hi is not None else (f"≥ {lo}" if lo is not None else f"≤ {hi}"))
        elif t == "expect_column_values_to_match_regex":
            words.append(f"matches `{kw['regex']}`")
        elif t == "expect_column_values_to_not_be_null":
            words.append("required")
        elif t == "expect_column_values_to_be_unique":
            words.append("unique")
    return "; ".join(dict.fromkeys(words)) or "any"


def rule_columns(exp: dict) -> str:
    kw = exp.get("kwargs", {})
    cols = [kw[k] for k in ("column", "column_A", "column_B") if k in kw] + list(kw.get("column_list", []))
    return ", ".join(cols) or "(table)"


def results_by_rule(report: ValidationReport) -> dict[tuple[str, str], Finding]:
    return {(f.suite, f.rule.split(" (checked on")[0]): f for f in report.findings}
