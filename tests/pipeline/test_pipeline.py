"""The whole build in a disposable copy of the project: papermill, cache, jupyter-book, publish.

Two pilots keep it quick.  The tests run in order and share one project copy,
because each step (a cached rebuild, a failure that must leave the site alone)
needs the site published by the step before.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
import yaml

from pilotbook.pipeline.build import build
from pilotbook.pipeline.cache import tree_hash
from pilotbook.errors import ContractError, NotebookError

from conftest import copy_project

PILOTS = ["hame-50plus", "uusimaa-ict"]
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    return copy_project(tmp_path_factory.mktemp("project"), PILOTS)


@pytest.fixture(scope="module")
def first_build(project):
    lines: list[str] = []
    result = build(project, jobs=2, log=lines.append)
    return result, lines


def site_fingerprint(project) -> str:
    return tree_hash([project.site], project.root)


PILOT_RUNS = sorted(f"pilots/{p}" for p in ("03-uusimaa-ict", "06-hame-50plus"))


def book_runs(project, reading: str | None = None) -> list[str]:
    """The runs of the templates that run once (not per pilot), optionally only those that read a dataset:
    read from the templates' metadata, so a new chapter needs no change here."""
    from pilotbook.pipeline.plan import template_spec

    specs = {p.stem: template_spec(p) for p in project.templates.glob("*.ipynb")}
    return sorted(name for name, spec in specs.items()
                  if spec.get("run_per") is None and (reading is None or reading in spec.get("inputs", ())))


def test_first_build_publishes_index_part_one_and_one_page_per_pilot(project, first_build):
    result, lines = first_build
    site = project.site
    assert (site / "index.html").is_file()
    assert (site / "book" / "intro.html").is_file()
    assert (site / "book" / "_generated" / "results.html").is_file()
    pages = sorted(p.name for p in (site / "book" / "_generated" / "pilots").glob("*.html"))
    assert pages == ["03-uusimaa-ict.html", "06-hame-50plus.html"]
    assert {"fees", "results"} <= set(book_runs(project))
    assert sorted(result.executed) == sorted(book_runs(project) + PILOT_RUNS)
    n = len(result.executed) - 1  # the summary runs alone, after the exhibits it links to
    assert any("1/4 validate" in l for l in lines) and any(f"[{n}/{n}]" in l for l in lines)
    last_of_the_rest = max(i for i, l in enumerate(lines) if f"[{n}/{n}]" in l)
    summary = [i for i, l in enumerate(lines) if "ok     summary" in l]
    assert summary and summary[0] > last_of_the_rest


def test_pilot_page_is_titled_from_the_data_and_shows_its_numbers(project, first_build):
    html = (project.site / "book" / "_generated" / "pilots" / "06-hame-50plus.html").read_text()
    assert "<title>Häme: Takaisin töihin" in html
    assert ">216<" in html and "Data (CSV)" in html  # Table 4 starters, and the data link
    # the title is in the navigation of other pages too (not only on the page itself)
    intro = (project.site / "book" / "intro.html").read_text()
    assert "Häme: Takaisin töihin" in intro


def test_every_exhibit_is_published_as_data_and_indexed(project, first_build):
    index = pd.read_csv(project.site / "data" / "index.csv")
    assert list(index.columns) == ["id", "title", "kind", "notebook", "report_reference", "path"]
    assert {"report-table-4", "report-table-5", "report-table-6", "fee-eligible-shares"} <= set(index["id"])
    for rel in index["path"]:
        assert (project.site / rel).is_file(), rel
    t4 = pd.read_csv(project.site / "data" / "report-table-4.csv")
    assert set(t4["pilot_id"]) == set(PILOTS)
    row = t4.set_index("pilot_id").loc["uusimaa-ict"]
    assert (row["started"], row["finished"], row["fee_eligible"]) == (568, 426, 226)
    # the CSV link under a pilot's table resolves to the file from the page's folder
    page = project.site / "book" / "_generated" / "pilots" / "03-uusimaa-ict.html"
    href = "../../../data/pilot-uusimaa-ict-results.csv"
    assert href in page.read_text()
    assert (page.parent / href).resolve().is_file()


def test_rebuild_with_nothing_changed_executes_nothing_and_renders_nothing(project, first_build):
    before = site_fingerprint(project)
    result = build(project, jobs=2, log=lambda *_: None)
    assert result.executed == []
    assert len(result.skipped) == len(book_runs(project)) + len(PILOT_RUNS)
    assert result.rendered is False
    assert site_fingerprint(project) == before
    assert result.seconds["total"] < first_build[0].seconds["total"]


NO_OP_BUILD = """
import sys
from pathlib import Path
from pilotbook.paths import Project
from pilotbook.pipeline.build import build
result = build(Project(Path(sys.argv[1])), jobs=1, log=lambda *a: None)
print(result.validation_cached, "great_expectations" in sys.modules, len(result.executed), result.rendered)
"""


def test_a_no_op_build_skips_validation_and_imports_no_gx(project, first_build):
    """Validation is cached like execution: the same data, contracts and code are not validated again,
    so a build with nothing changed never imports Great Expectations (a fresh process shows it)."""
    assert first_build[0].validation_cached is False and first_build[0].report is not None
    out = subprocess.run([sys.executable, "-c", NO_OP_BUILD, str(project.root)], capture_output=True, text=True,
                         env={**os.environ, "GX_ANALYTICS_ENABLED": "False"}, check=True)
    assert out.stdout.split() == ["True", "False", "0", "False"], out.stderr


def test_changed_data_reexecutes_only_the_notebooks_that_read_it(project, first_build):
    path = project.default_data / "published" / "outcomes.csv"
    original = path.read_text()
    # a note is not validated against anything, so the data stay valid
    path.write_text(original.replace("hame-50plus,started,216,persons,,Table 4,2252,",
                                     "hame-50plus,started,216,persons,,Table 4,2252,re-checked"))
    try:
        result = build(project, jobs=2, log=lambda *_: None)
        # results.ipynb reads all of outcomes.csv (so may other chapters); fees.ipynb does not; of the
        # pilot chapters only Häme's reads Häme's rows
        assert "results" in book_runs(project, "outcomes") and "fees" not in book_runs(project, "outcomes")
        assert sorted(result.executed) == sorted(book_runs(project, "outcomes") + ["pilots/06-hame-50plus"])
        assert "fees" in result.skipped
        assert result.rendered
        assert "re-checked" in (project.site / "book" / "_generated" / "pilots" / "06-hame-50plus.html").read_text()
    finally:
        path.write_text(original)
    build(project, jobs=2, log=lambda *_: None)


def test_changed_pilot_names_reach_every_page_that_shows_them(project, first_build):
    path = project.default_data / "published" / "pilots.csv"
    original = path.read_text()
    path.write_text(original.replace("Takaisin töihin – placement", "Takaisin töihin – re-placement"))
    try:
        result = build(project, jobs=2, log=lambda *_: None)
        assert sorted(result.executed) == sorted(book_runs(project, "pilots") + PILOT_RUNS)
        assert "re-placement" in (project.site / "book" / "_generated" / "pilots" / "06-hame-50plus.html").read_text()
    finally:
        path.write_text(original)
    build(project, jobs=2, log=lambda *_: None)


def test_executed_outputs_are_byte_identical_when_forced_to_rerun(project, first_build):
    """Two builds of the same inputs give the same bytes: the executed notebooks, the exhibits, and the
    whole published site, Data Docs included (GX's run times and random ids are taken out)."""
    generated = [project.generated / "pilots", project.site_extra]
    before, site_before = tree_hash(generated, project.root), site_fingerprint(project)
    result = build(project, jobs=2, force=True, log=lambda *_: None)
    assert len(result.executed) == len(book_runs(project)) + len(PILOT_RUNS)
    assert result.report is not None and result.rendered  # validated, executed and rendered again
    assert tree_hash(generated, project.root) == before
    assert site_fingerprint(project) == site_before
    docs = project.site / "data-docs"
    assert not [p for p in docs.rglob("*") if re.search(r"\d{8}T\d{6}", p.name)]


def test_contract_failure_stops_before_executing_and_leaves_the_site(project, first_build):
    before = site_fingerprint(project)
    path = project.default_data / "published" / "outcomes.csv"
    original = path.read_text()
    path.write_text(original.replace("hame-50plus,finished,90,", "hame-50plus,finished,300,"))
    try:
        with pytest.raises(ContractError) as err:
            build(project, jobs=2, log=lambda *_: None)
        message = str(err.value)
        assert "outcomes.csv" in message
        assert "finished must not exceed started" in message
        assert "column value (rows with metric 'finished' and 'started')" in message
        assert "finished=300" in message
        assert site_fingerprint(project) == before
    finally:
        path.write_text(original)
    # the failed validation left no record behind: the restored data are validated again, not trusted
    again = build(project, jobs=2, log=lambda *_: None)
    assert again.validation_cached is False and again.report.ok and again.executed == []


def test_failing_notebook_is_named_with_its_cell_and_the_site_is_untouched(project, first_build):
    before = site_fingerprint(project)
    template = project.templates / "pilot.ipynb"
    original = template.read_text()
    nb = json.loads(original)
    cell = next(c for c in nb["cells"] if "page.facts(" in "".join(c["source"]))
    cell["source"] = ["raise RuntimeError('deliberate failure for the test')"]
    template.write_text(json.dumps(nb))
    try:
        with pytest.raises(NotebookError) as err:
            build(project, jobs=2, log=lambda *_: None)
        message = str(err.value)
        assert "pilots/06-hame-50plus" in message and "failed in cell" in message
        assert "RuntimeError: deliberate failure for the test" in message
        kept = project.failed / "pilots" / "06-hame-50plus.ipynb"
        assert kept.is_file() and "deliberate failure" in kept.read_text()
        assert site_fingerprint(project) == before
        # the good copy of the chapter stays in the book, not the failed one
        good = (project.generated / "pilots" / "06-hame-50plus.ipynb").read_text()
        assert "deliberate failure" not in good
    finally:
        template.write_text(original)


def test_new_pilot_row_yields_a_new_chapter_with_no_code_change(project, first_build):
    pilots = project.default_data / "published" / "pilots.csv"
    frame = pd.read_csv(pilots, dtype=str, keep_default_na=False)
    new = frame.iloc[0].copy()
    new.update({"pilot_id": "testland-pilot", "order": "14", "region": "Testland",
                "name_en": "A pilot added as a data row", "name_fi": "Lisätty pilotti"})
    if "ura_figure" in new:  # a report figure belongs to one pilot: the new pilot has none
        new["ura_figure"] = ""
    pd.concat([frame, new.to_frame().T]).to_csv(pilots, index=False, lineterminator="\n")
    # a new pilot brings its own story (the contract requires the three sections)
    texts_path = project.default_data / "published" / "pilot_texts.yaml"
    texts = yaml.safe_load(texts_path.read_text(encoding="utf-8"))
    words = "A section written for a pilot added as a data row, long enough for its contract. " * 6
    texts["pilots"].append({"pilot_id": "testland-pilot", "sections": {
        name: {"ref_lines": ["2609-2620"], "text": words}
        for name in ("the_service", "how_clients_came_to_it", "what_the_evaluators_concluded")}})
    texts_path.write_text(yaml.safe_dump(texts, allow_unicode=True, sort_keys=False), encoding="utf-8")
    result = build(project, jobs=2, log=lambda *_: None)
    assert "pilots/14-testland-pilot" in result.executed
    page = project.site / "book" / "_generated" / "pilots" / "14-testland-pilot.html"
    assert page.is_file()
    assert "Testland: A pilot added as a data row" in page.read_text()
    assert "14-testland-pilot.html" in (project.site / "book" / "intro.html").read_text()


def test_cli_reports_a_contract_failure_without_a_traceback(project, first_build):
    path = project.default_data / "published" / "outcomes.csv"
    original = path.read_text()
    path.write_text(original.replace("uusimaa-ict,finished,426,persons,,Table 4,", "uusimaa-ict,finished,999,persons,,Table 4,"))
    try:
        exe = Path(sys.executable).with_name("pilotbook")
        proc = subprocess.run([str(exe), "build", "--jobs", "1"], cwd=project.root, capture_output=True,
                              text=True, env=dict(os.environ))
        assert proc.returncode == 3
        assert "Traceback" not in proc.stderr + proc.stdout
        assert "finished must not exceed started" in proc.stderr
        validate = subprocess.run([str(exe), "validate"], cwd=project.root, capture_output=True, text=True)
        assert validate.returncode == 3 and "FAILED" in validate.stdout
    finally:
        path.write_text(original)


def small_cells(site: Path, threshold: int) -> tuple[list[str], int]:
    """Published statistics over fewer than ``threshold`` persons, and counts of 1..threshold-1,
    in every exhibit made from microdata (those with a group size column), and how many such
    exhibits there were."""
    found, checked = [], 0
    for path in sorted((site / "data").glob("*.csv")):
        frame = pd.read_csv(path)
        sizes = [c for c in ("n", "n_p", "n_r") if c in frame.columns]
        if not sizes:
            continue
        checked += 1
        stats = [c for c in ("share", "mean", "share_p", "share_r", "difference", "ci_low", "ci_high")
                 if c in frame.columns]
        for size in sizes:
            small = frame[size].notna() & (frame[size] < threshold)
            for stat in stats:
                if frame.loc[small, stat].notna().any():
                    found.append(f"{path.name}: {stat} over {size} < {threshold}")
        for count in [c for c in ("count", *sizes) if c in frame.columns]:
            values = pd.to_numeric(frame[count], errors="coerce")
            if ((values > 0) & (values < threshold)).any():
                found.append(f"{path.name}: {count} between 1 and {threshold - 1}")
    return found, checked


def test_a_higher_disclosure_threshold_reaches_every_exhibit(project, first_build):
    """`pilotbook build --min-cell 20` re-executes the notebooks (the setting is in their cache key)
    and publishes no group and no count under 20 — where the default build did publish some."""
    at_ten, checked = small_cells(project.site, 20)
    assert checked >= 8 and at_ten, "the default build publishes groups of 10-19: the test could not fail"
    assert small_cells(project.site, 10)[0] == []
    exe = Path(sys.executable).with_name("pilotbook")
    proc = subprocess.run([str(exe), "build", "--jobs", "2", "--min-cell", "20"], cwd=project.root,
                          capture_output=True, text=True, env=dict(os.environ))
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "0 unchanged" in proc.stdout, "a new threshold must re-execute every notebook"
    found, checked = small_cells(project.site, 20)
    assert checked >= 8 and found == [], found
    survey = (project.site / "book" / "_generated" / "survey.html").read_text(encoding="utf-8")
    assert "fewer than 20" in re.sub(r"<[^>]+>", "", survey)
