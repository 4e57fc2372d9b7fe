"""The two appendices generated from the contracts at every build.

* ``contracts.md`` — for every suite: its columns (type, unit, meaning, allowed
  values, all read from the suite) and its rules with their rationale, and the
  result of validating the data this build used; with a link to the GX Data Docs.
* ``inconsistencies.md`` — every place where the report disagrees with itself,
  as found by the warning-severity rules, with both values and both sources.

Both pages are MyST markdown written into ``book/_generated/`` by the build; their tables are
also published as data (``data/<id>.csv``) like every other exhibit.
"""

from __future__ import annotations

import shutil

from pathlib import Path

import pandas as pd

from pilotbook.io.catalog import load
from pilotbook.analysis.results import pilot_labels
from pilotbook.contracts.appendix import allowed_values, results_by_rule, rule_columns
from pilotbook.contracts.validate import ERROR, Finding, ValidationReport, load_suites
from pilotbook.errors import PipelineError
from pilotbook.report.labels import label
from pilotbook.report.edition import Edition
from pilotbook.report.exhibits import Exhibit, Publisher
from pilotbook.paths import Project

BUILD_KEY = "pilotbook build"  # the "notebook" that makes these exhibits (index.csv)
VALIDATION_RUN = "_validation"  # their folder among the runs' (Project.runs)
SEVERITY_WORD = {"critical": "error", "warning": "warning", "info": "info"}


def _cell(text) -> str:
    """A value safe inside a MyST pipe table."""
    text = "" if text is None else str(text)
    return text.replace("|", "\\|").replace("\n", " ")


def md_table(frame: pd.DataFrame) -> str:
    head = "| " + " | ".join(_cell(c) for c in frame.columns) + " |"
    rule = "| " + " | ".join("---" for _ in frame.columns) + " |"
    body = ["| " + " | ".join(_cell(v) for v in row) + " |" for row in frame.itertuples(index=False)]
    return "\n".join([head, rule, *body])


def _csv_link(depth_prefix: str, exhibit_id: str) -> str:
    return f'<p class="exhibit-links"><a href="{depth_prefix}data/{exhibit_id}.csv" download>Data (CSV)</a></p>'


def contracts_page(project: Project, report: ValidationReport, publisher: Publisher) -> str:
    prefix = "../../"  # book/_generated/contracts.html -> site root
    suites = sorted(load_suites(project.contracts), key=lambda s: (bool(s["meta"].get("view")), s["name"]))
    failures = results_by_rule(report)
    summary = pd.DataFrame([{
        "contract": s.suite, "dataset file": Path(s.file).name, "rules": s.evaluated,
        "errors": len(s.errors), "warnings": len(s.warnings), "result": s.status,
    } for s in report.suites])
    publisher.publish(Exhibit("contracts-validation", "Validation of this build's data against the contracts", summary))
    parts = [
        "# Data contracts",
        "",
        "Every dataset is checked against a *data contract* before anything is analysed: a Great "
        "Expectations suite stored as JSON in `data_contracts/`. This page is generated from those "
        "suites at every build. A rule of severity **error** stops the build; a **warning** is reported "
        "and the build goes on (warnings flag the report's own inconsistencies, listed in "
        "{doc}`inconsistencies`).",
        "",
        f'The full Great Expectations report of this validation is in the <a href="{prefix}data-docs/index.html">'
        "Data Docs</a> (they work offline: every file they load is served from this site).",
        "",
        "## Result of the validation of this build's data",
        "",
        f"Data folder: `{report.data_dir.name}/`.",
        "",
        md_table(summary),
        "",
        _csv_link(prefix, "contracts-validation"),
    ]
    for suite in suites:
        meta = suite.get("meta", {})
        name = suite["name"]
        parts += ["", f"## {meta.get('title', name)}", "", f"Suite `data_contracts/{Path(suite['_path']).name}` "
                  f"guards `{meta['dataset']}`" + (f", checked on its `{meta['view']}` view." if meta.get("view") else "."),
                  "", meta.get("about", "")]
        columns = meta.get("columns")
        if columns:
            col_frame = pd.DataFrame([{
                "column": c, "type": d.get("type", ""), "unit": d.get("unit", ""), "meaning": d.get("meaning", ""),
                "allowed values": allowed_values(suite["expectations"], c),
            } for c, d in columns.items()])
            cid = f"contract-{name.replace('.', '-')}-columns"
            publisher.publish(Exhibit(cid, f"Columns of {meta['dataset']}", col_frame))
            parts += ["", "### Columns", "", md_table(col_frame), "", _csv_link(prefix, cid)]
        rows = []
        for exp in suite["expectations"]:
            if exp["type"] == "expect_column_to_exist":
                continue
            finding = failures.get((name, exp.get("description", exp["type"])))
            result = "passed" if finding is None else (
                f"{finding.unexpected_count or 'some'} failing row(s)" if finding.unexpected_count is not None else "failed")
            rows.append({"rule": exp.get("description", exp["type"]), "severity": SEVERITY_WORD.get(exp.get("severity", "critical")),
                         "columns": rule_columns(exp), "rationale": exp.get("meta", {}).get("rationale", ""),
                         "expectation": exp["type"], "result": result})
        rule_frame = pd.DataFrame(rows)
        rid = f"contract-{name.replace('.', '-')}-rules"
        publisher.publish(Exhibit(rid, f"Rules of the {name} contract", rule_frame))
        rule_frame = rule_frame.drop(columns=["expectation"])  # in the CSV; too wide for a phone
        exists = [e["kwargs"]["column"] for e in suite["expectations"] if e["type"] == "expect_column_to_exist"]
        parts += ["", "### Rules", ""]
        if exists:
            parts += [f"Required columns: {', '.join(f'`{c}`' for c in exists)}.", ""]
        parts += [md_table(rule_frame), "", _csv_link(prefix, rid)]
    return "\n".join(parts) + "\n"


def _details(row: dict) -> str:
    skip = {"pilot_id", "csv_lines", "metric", "source", "values", "line", "n_values"}
    return ", ".join(f"{k} = {v:g}" if isinstance(v, float) else f"{k} = {v}" for k, v in row.items()
                     if k not in skip and v is not None and not k.startswith("gap_"))


def _quantity(row: dict, finding: Finding) -> str:
    if row.get("metric"):
        return label(row["metric"])
    if row.get("status"):
        return " ".join(str(row[k]) for k in ("cohort", "group", "status") if row.get(k)).replace("_", " ")
    return finding.suite.split(".")[0].replace("_", " ")


def inconsistency_rows(report: ValidationReport, pilot_names: dict[str, str]) -> pd.DataFrame:
    rows = []
    for f in report.findings:
        if f.severity == ERROR or not f.report_inconsistency:
            continue
        for r in f.rows:
            pid = r.get("pilot_id") or ""
            rows.append({
                "pilot_id": pid,
                "pilot": pilot_names.get(pid, pid),
                "quantity": _quantity(r, f),
                "what is printed": r.get("values") or (f"{r['source']}: " if r.get("source") else "") + _details(r),
                "rule": f.rule.split(" (checked on")[0],
                "rationale": f.rationale,
                "dataset": Path(f.file).name,
                "file lines": r.get("csv_lines", r.get("line", "")),
            })
    return pd.DataFrame(rows, columns=["pilot_id", "pilot", "quantity", "what is printed", "rule",
                                       "rationale", "dataset", "file lines"])


def inconsistencies_page(report: ValidationReport, publisher: Publisher, pilot_names: dict[str, str],
                         edition: Edition) -> str:
    """The warnings of the report's own inconsistencies; with another edition's data, that edition's."""
    frame = inconsistency_rows(report, pilot_names)
    title = f"Where {edition.name} disagrees with itself"
    publisher.publish(Exhibit("report-inconsistencies", title[0].upper() + title[1:], frame))
    lead = ("The report sometimes prints" if edition.report_edition
           else f"These data ({edition.title}, not the report's numbers) sometimes give")
    parts = [
        f"# {title[0].upper()}{title[1:]}",
        "",
        f"{lead} one quantity twice with different values, or a share that does not "
        "follow from the counts beside it. We keep every printed value with its source and let the "
        "warning-severity rules of the data contracts that look for such disagreements find them. This "
        f"page lists every one they found in this build's data ({len(frame)} in all), grouped by the rule "
        "that found it. Each value is given with the table or chapter it cites and its line"
        + (" of the report's text dump. Some differences have a plain explanation (an earlier snapshot "
           "quoted in a pilot chapter, or a count of persons beside a count of employments); the notes in "
           "each pilot's chapter say so where the report does." if edition.report_edition else "."),
        "",
    ]
    if frame.empty:
        return "\n".join(parts + ["No warning-severity rule failed for this data.", ""])
    for rule, group in frame.groupby("rule", sort=False):
        parts += [f"## {rule[0].upper()}{rule[1:]}", "", f"*{group['rationale'].iloc[0]}* "
                  f"(dataset `{group['dataset'].iloc[0]}`)", ""]
        for r in group.itertuples(index=False):
            who = f"**{r.pilot}**, " if r.pilot else ""
            parts.append(f"- {who}{r.quantity}: {r._3}")
        parts.append("")
    parts.append(_csv_link("../../", "report-inconsistencies"))
    return "\n".join(parts) + "\n"


def _edition(data_dir: Path) -> Edition:
    """The data folder's edition (validated before the appendices are written)."""
    return Edition.from_frame(load("edition", data_dir))


def pilot_names(data_dir: Path) -> dict[str, str]:
    try:
        pilots = load("pilots", data_dir)
    except PipelineError:
        return {}
    return pilot_labels(pilots, full=True)


def write_appendices(project: Project, report: ValidationReport) -> None:
    folder = project.runs / VALIDATION_RUN
    shutil.rmtree(folder, ignore_errors=True)
    publisher = Publisher(BUILD_KEY, project=project, folder=folder)
    project.generated.mkdir(parents=True, exist_ok=True)
    pages = {
        "contracts.md": contracts_page(project, report, publisher),
        "inconsistencies.md": inconsistencies_page(report, publisher, pilot_names(report.data_dir),
                                                   _edition(report.data_dir)),
    }
    for name, text in pages.items():
        path = project.generated / name
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
