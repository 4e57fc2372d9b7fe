"""The whole build in a disposable copy of the project: papermill, cache, jupyter-book, publish.

A small plan keeps it quick (``small_plan.py``).  The summary, which runs after the others and links
to every chapter, is checked on the real build by the site tests (every finding links to an exhibit
that exists, which a summary run before the others would miss on a first build).  The tests run in
order and share one project copy, because each step (a cached rebuild, a changed file) needs the
site published by the step before.  The last steps check that the site agrees with itself after any
sequence of builds, interruptions (Ctrl-C within seconds, nothing left behind) and notebooks run
alone: a build publishes exactly the exhibits its own plan produced, from its own inputs.  The failures are in ``test_pipeline_failures.py``, with a
project of their own, so that the two run side by side.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import psutil
import pytest
import yaml

from pilotbook.pipeline.build import build, run_validation, validation_key
from pilotbook.pipeline.cache import package_hash, tree_hash
from pilotbook.pipeline.execute import KERNEL_DIR_PREFIX

import agreement
from conftest import ROOT, keep_pilots

from small_plan import PILOT_RUNS, PILOTS, book_runs, site_fingerprint
from small_plan import first_build, project  # noqa: F401 (fixtures: each module builds a project of its own)

pytestmark = pytest.mark.slow
PILOTBOOK = Path(sys.executable).with_name("pilotbook")
INTERRUPT_LIMIT = 5.0  # seconds from Ctrl-C to the build's exit




def test_first_build_publishes_index_part_one_and_one_page_per_pilot(project, first_build):
    result, lines = first_build
    site = project.site
    assert (site / "index.html").is_file()
    assert (site / "book" / "intro.html").is_file()
    assert (site / "book" / "_generated" / "results.html").is_file()
    pages = sorted(p.name for p in (site / "book" / "_generated" / "pilots").glob("*.html"))
    assert pages == ["03-uusimaa-ict.html", "04-uusimaa-hospitality.html", "06-hame-50plus.html"]
    assert book_runs(project) == ["results"]
    assert sorted(result.executed) == sorted(book_runs(project) + PILOT_RUNS)
    n = len(result.executed)
    assert any("1/4 validate" in l for l in lines) and any(f"[{n}/{n}]" in l for l in lines)



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
from pilotbook.pipeline.build import build, run_validation, validation_key
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



def test_changed_data_reexecutes_only_the_notebooks_that_read_it(project, first_build, tmp_path_factory):
    """The changed data are a copy outside the project (read through the link _build/data): no path of
    the machine reaches the published site.  The later tests build from the project's data again."""
    elsewhere = tmp_path_factory.mktemp("elsewhere") / "data"
    shutil.copytree(project.default_data, elsewhere)
    path = elsewhere / "published" / "outcomes.csv"
    # a note is not validated against anything, so the data stay valid
    path.write_text(path.read_text().replace("hame-50plus,started,216,persons,,Table 4,2252,",
                                             "hame-50plus,started,216,persons,,Table 4,2252,re-checked"))
    result = build(project, elsewhere, jobs=2, log=lambda *_: None)
    # results.ipynb reads all of outcomes.csv; of the pilot chapters only Häme's reads Häme's rows
    assert book_runs(project, "outcomes") == ["results"]
    assert sorted(result.executed) == ["pilots/06-hame-50plus", "results"]
    assert sorted(result.skipped) == sorted(r for r in PILOT_RUNS if r != "pilots/06-hame-50plus")
    assert result.rendered
    assert "re-checked" in (project.site / "book" / "_generated" / "pilots" / "06-hame-50plus.html").read_text()
    machine = [str(elsewhere.parent), str(project.root), str(Path.home())]
    leaks = [p for p in project.site.rglob("*") if p.is_file() and p.suffix in (".html", ".ipynb", ".csv", ".txt", ".md")
             and any(m in p.read_text(encoding="utf-8", errors="replace") for m in machine)]
    assert leaks == [], leaks[:5]


WORKED_EXAMPLE = ROOT / "examples" / "follow-up"
CHANGED, REMOVED, ADDED = "hame-50plus", "uusimaa-hospitality", "example-new-pilot"  # as its README says
FOLLOW_UP_PILOTS = [p for p in PILOTS if p != REMOVED]


def test_the_worked_example_builds_over_the_report_and_every_exhibit_agrees_with_its_page(project, first_build):
    """The repository's worked follow-up (``examples/follow-up``: another edition, Häme's results
    changed, Uusimaa hospitality removed, an invented pilot added), cut to the small plan's pilots and
    built over the report's site: the changed chapter and the chapters that read every pilot run again,
    the removed pilot leaves nothing behind, the new one gets a chapter with no code change, every
    exhibit's CSV holds what its page shows, and no page calls the follow-up's numbers the report's.
    The data stay: the later tests build on the site they leave."""
    shutil.rmtree(project.default_data)
    shutil.copytree(WORKED_EXAMPLE, project.default_data)
    keep_pilots(project.default_data, FOLLOW_UP_PILOTS + [ADDED])
    result = build(project, jobs=2, log=lambda *_: None)
    new_run = f"pilots/14-{ADDED}"
    assert f"pilots/06-{CHANGED}" in result.executed and new_run in result.executed and "results" in result.executed
    assert not [r for r in result.executed if REMOVED in r]
    index = assert_site_agrees_with_itself(project.site)
    assert agreement.disagreements(project.site) == []
    # the removed pilot: no page, no exhibit, no figure (its register figure among them), no notebook
    assert not [p for p in project.site.rglob("*") if REMOVED in p.name]
    assert not [p for p in project.generated.rglob("*") if REMOVED in p.name]
    assert not index["id"].str.contains(REMOVED).any() and "report-figure-13" not in set(index["id"])
    # the changed pilot: its page and its data show the follow-up's numbers
    table = pd.read_csv(project.site / "data" / "report-table-4.csv").set_index("pilot_id")
    assert (table.loc[CHANGED, "started"], table.loc[CHANGED, "fee_eligible"]) == (248, 71)
    assert set(table.index) == set(FOLLOW_UP_PILOTS + [ADDED])
    pages = project.site / "book" / "_generated" / "pilots"
    assert ">248<" in (pages / f"06-{CHANGED}.html").read_text() and ">216<" not in (pages / f"06-{CHANGED}.html").read_text()
    # the new pilot: a chapter from data rows, its story sourced as not the report's
    page = (pages / f"14-{ADDED}.html").read_text()
    assert "An invented pilot (worked example)" in page and "(not the report)" in page
    assert "summary of the report" not in page
    title = yaml.safe_load((WORKED_EXAMPLE / "edition.yaml").read_text(encoding="utf-8"))["title"]
    for html in [project.site / "book" / "_generated" / "results.html", *pages.glob("*.html")]:
        text = html.read_text()
        assert title in text and "June 2019" in text, html.name
        text = text.replace("not printed in the report", "")  # how a value with no line is cited
        # what the pages themselves say of a value's source and date (notes inside the data are the data's)
        for claim in ("Reproduces Table", "printed in the report", "Table 4 of the report", "By September 2017",
                      "results by September 2017"):
            assert claim not in text, f"{html.name} attributes the follow-up's numbers to the report: {claim!r}"


# --- the site agrees with itself after interrupted, other-data and standalone runs ---


@pytest.fixture(scope="module")
def reference_site(project, first_build):
    """The site as it stands when the first test asking for it starts (in step with its inputs): what
    the sequences of interrupted, other-data and standalone runs must leave unchanged."""
    return site_fingerprint(project)


def other_data(project, name: str) -> Path:
    """A valid data folder that differs from the project's in Häme's target (Table 4)."""
    other = project.root / name
    shutil.rmtree(other, ignore_errors=True)
    shutil.copytree(project.default_data, other)
    path = other / "published" / "outcomes.csv"
    text = path.read_text(encoding="utf-8")
    assert "hame-50plus,target,200,persons,,Table 4," in text
    path.write_text(text.replace("hame-50plus,target,200,persons,,Table 4,", "hame-50plus,target,207,persons,,Table 4,"),
                    encoding="utf-8")
    return other


def assert_site_agrees_with_itself(site: Path) -> pd.DataFrame:
    """Every exhibit file on disk is in the registry and every registry entry is on disk; every data
    link of every page points at a registered file; every exhibit shown on a page is registered."""
    index = pd.read_csv(site / "data" / "index.csv")
    on_disk = {p.relative_to(site).as_posix() for p in (site / "data").glob("*.csv")} - {"data/index.csv"}
    assert on_disk == set(index["path"]), on_disk ^ set(index["path"])
    figures = {p.stem for p in (site / "figures").glob("*.svg")}
    assert figures == set(index.loc[index["kind"] == "figure", "id"])
    shown = set()
    for page in site.joinpath("book").rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        for href in re.findall(r'href="([^"]+\.csv)" download', html):
            assert (page.parent / href).resolve().relative_to(site.resolve()).as_posix() in set(index["path"]), (page, href)
        shown |= set(re.findall(r'<figure class="exhibit" id="exhibit-([^"]+)"', html))
    assert shown <= set(index["id"]), shown - set(index["id"])
    return index


def test_a_notebook_run_alone_never_reaches_the_site(project, first_build, reference_site):
    other = other_data(project, "data-alone")
    papermill = Path(sys.executable).with_name("papermill")
    proc = subprocess.run([str(papermill), "notebooks/results.ipynb", str(project.root / "alone.ipynb"),
                           "-p", "data_dir", str(other), "--kernel", "python3", "--no-progress-bar"],
                          cwd=project.root, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert list(project.standalone.rglob("report-table-4.csv")), "the run published its exhibits somewhere"
    result = build(project, jobs=2, log=lambda *_: None)
    assert result.executed == [] and not result.rendered
    assert site_fingerprint(project) == reference_site
    assert_site_agrees_with_itself(project.site)


def test_ctrl_c_stops_a_build_within_seconds_and_leaves_nothing_behind(project, first_build, reference_site):
    other = other_data(project, "data-other")
    # Validated here first, where Great Expectations is loaded already: the command's build finds the
    # validation cached (as a build of data validated before does) and is executing within a second.
    run_validation(project, other, log=lambda *_: None,
                   key=validation_key(project, other, package_hash()))
    proc = subprocess.Popen([str(PILOTBOOK), "build", "--data", str(other), "--jobs", "2"], cwd=project.root,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True,
                            env={**os.environ, "GX_ANALYTICS_ENABLED": "False"})
    for line in proc.stdout:  # wait until one run has finished with the other data
        if "] ok " in line:
            break
    family = [proc.pid] + [c.pid for c in psutil.Process(proc.pid).children(recursive=True)]
    assert len(family) > 2, "workers and kernels were running"
    started = time.perf_counter()
    os.killpg(proc.pid, signal.SIGINT)  # what a terminal's Ctrl-C does
    output = proc.stdout.read()
    proc.wait(timeout=30)
    elapsed = time.perf_counter() - started
    assert elapsed < INTERRUPT_LIMIT, f"the build took {elapsed:.1f} s to stop"
    assert proc.returncode == 130 and "interrupted" in output and "Traceback" not in output
    alive = [p for p in family if psutil.pid_exists(p) and psutil.Process(p).status() != psutil.STATUS_ZOMBIE]
    assert alive == [], "a worker or kernel outlived the build"
    assert not (project.build_dir / ".running").exists() and not project.staging.exists()
    tmp = Path(os.environ.get("TMPDIR", "/tmp"))
    assert not [d for d in tmp.glob(f"{KERNEL_DIR_PREFIX}*") if int(d.name[len(KERNEL_DIR_PREFIX):].split("-")[0]) in family]
    assert site_fingerprint(project) == reference_site, "an interrupted build changed the published site"


def test_the_build_after_an_interrupted_one_publishes_only_its_own_inputs(project, first_build, reference_site):
    """The interrupted build of other data put one run in place; the next build of the project's data
    executes it again, and the site is the first build's, byte for byte."""
    (project.build_dir / ".running" / "left-over").mkdir(parents=True)  # as a killed build leaves it
    result = build(project, jobs=2, log=lambda *_: None)
    assert result.executed, "a run made from the other data was taken for fresh"
    assert site_fingerprint(project) == reference_site
    table = pd.read_csv(project.site / "data" / "report-table-4.csv").set_index("pilot_id")
    assert table.loc["hame-50plus", "target_low"] == 200
    assert not (project.build_dir / ".running").exists()
    assert_site_agrees_with_itself(project.site)


def test_the_data_are_known_by_their_content_not_their_place(project, first_build, tmp_path_factory):
    """A byte-identical copy of the data at another path validates and executes nothing."""
    elsewhere = tmp_path_factory.mktemp("copy") / "data"
    shutil.copytree(project.default_data, elsewhere)
    before = site_fingerprint(project)
    result = build(project, elsewhere, jobs=2, log=lambda *_: None)
    assert result.executed == [] and result.validation_cached and not result.rendered
    assert site_fingerprint(project) == before
