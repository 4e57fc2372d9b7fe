"""Which notebooks run, and when the content hash says they must run again."""


import json

import pandas as pd

from pilotbook.pipeline.cache import package_hash, run_hash
from pilotbook.paths import Project
from pilotbook.pipeline.plan import Run, make_plan

from conftest import copy_project


def test_plan_has_one_pilot_run_per_row_plus_the_other_templates(root, pilots):
    runs = make_plan(Project(root), root / "data")
    pilot_runs = [r for r in runs if r.template.name == "pilot.ipynb"]
    assert len(pilot_runs) == len(pilots)
    assert {r.parameters["pilot_id"] for r in pilot_runs} == set(pilots["pilot_id"])
    assert any(r.output == "results.ipynb" for r in runs)
    # chapters are ordered by the report's order, zero-padded so the toc glob sorts them
    first = min(pilot_runs, key=lambda r: r.output)
    assert first.parameters["pilot_id"] == pilots.sort_values("order")["pilot_id"].iloc[0]


def test_pilot_ids_stay_strings_even_when_numeric(tmp_path):
    project = copy_project(tmp_path, ["hame-50plus"])
    path = project.default_data / "published" / "pilots.csv"
    text = path.read_text().replace("hame-50plus", "007")
    path.write_text(text)
    runs = make_plan(project, project.default_data)
    assert any(r.parameters.get("pilot_id") == "007" for r in runs)


def test_hash_changes_only_for_runs_that_read_the_changed_file(tmp_path):
    project = copy_project(tmp_path, ["hame-50plus", "uusimaa-ict"])
    data = project.default_data
    pkg = package_hash()
    template = project.templates / "results.ipynb"
    reads_outcomes = Run(template, "a.ipynb", {"data_dir": "data"}, ("pilots", "outcomes"))
    reads_pilots_only = Run(template, "b.ipynb", {"data_dir": "data"}, ("pilots",))
    before = {r.output: run_hash(project, r, data, pkg) for r in (reads_outcomes, reads_pilots_only)}
    path = data / "published" / "outcomes.csv"
    path.write_text(path.read_text().replace("hame-50plus,started,216", "hame-50plus,started,217"))
    after = {r.output: run_hash(project, r, data, pkg) for r in (reads_outcomes, reads_pilots_only)}
    assert before["a.ipynb"] != after["a.ipynb"]
    assert before["b.ipynb"] == after["b.ipynb"]


def test_hash_covers_template_parameters_and_package(tmp_path):
    project = copy_project(tmp_path, ["hame-50plus"])
    data = project.default_data
    run = Run(project.templates / "pilot.ipynb", "p.ipynb", {"pilot_id": "hame-50plus"}, ("pilots",))
    base = run_hash(project, run, data, package_hash())
    assert run_hash(project, run, data, "other-package") != base
    other = Run(run.template, run.output, {"pilot_id": "uusimaa-ict"}, run.inputs)
    assert run_hash(project, other, data, package_hash()) != base
    run.template.write_text(run.template.read_text().replace("The pilot in brief", "In brief"))
    assert run_hash(project, run, data, package_hash()) != base


def test_a_run_is_fresh_only_when_its_notebook_and_its_exhibits_record_the_same_hash(tmp_path):
    """An interrupted build may leave one of them from other inputs: then the run executes again."""
    from pilotbook.pipeline.execute import RUN_META, is_fresh
    from pilotbook.report.exhibits import seal

    project = Project(tmp_path)
    run = Run(tmp_path / "t.ipynb", "x.ipynb", {})
    notebook = project.generated / "x.ipynb"
    assert not is_fresh(project, run, "h1")  # nothing there
    notebook.parent.mkdir(parents=True)
    notebook.write_text(json.dumps({"cells": [], "metadata": {RUN_META: {"hash": "h1"}}}))
    assert not is_fresh(project, run, "h1")  # no exhibits' folder
    seal(project.runs / "x", "h1")
    assert is_fresh(project, run, "h1")
    assert not is_fresh(project, run, "h2")
    seal(project.runs / "x", "h2")  # exhibits from other inputs than the notebook's
    assert not is_fresh(project, run, "h1") and not is_fresh(project, run, "h2")


def test_the_summary_runs_after_the_exhibits_it_links_to(root):
    runs = make_plan(Project(root), root / "data")
    readers = [r.output for r in runs if r.reads_exhibits]
    assert readers == ["summary.ipynb"]
    assert not any(r.reads_exhibits for r in runs if r.template.name == "pilot.ipynb")


def test_registry_hash_sees_the_other_runs_records_not_the_readers_own():
    import pandas as pd

    from pilotbook.pipeline.build import registry_hash

    index = pd.DataFrame({"id": ["report-table-4", "report-findings"], "title": ["Table 4", "Findings"],
                          "kind": ["table", "table"], "notebook": ["results.ipynb", "summary.ipynb"],
                          "report_reference": ["Table 4", ""], "path": ["data/a.csv", "data/b.csv"]})
    base = registry_hash(index, {"summary.ipynb"})
    own = index.copy()
    own.loc[1, "title"] = "Findings, renamed"
    assert registry_hash(own, {"summary.ipynb"}) == base
    other = index.copy()
    other.loc[0, "title"] = "Table 4, renamed"
    assert registry_hash(other, {"summary.ipynb"}) != base


def test_a_template_that_reads_exhibits_cannot_run_per_pilot(tmp_path):
    import json

    import pytest

    from pilotbook.errors import TemplateError
    from pilotbook.pipeline.plan import template_spec

    path = tmp_path / "x.ipynb"
    path.write_text(json.dumps({"cells": [], "metadata": {"pilotbook": {
        "inputs": ["pilots"], "run_per": "pilot", "output": "p/{pilot_id}", "reads_exhibits": True}}}))
    with pytest.raises(TemplateError, match="cannot also read the exhibit registry"):
        template_spec(path)
    path.write_text(json.dumps({"cells": [], "metadata": {"pilotbook": {"inputs": ["pilots"], "reads_exhibits": "yes"}}}))
    with pytest.raises(TemplateError, match="true or false"):
        template_spec(path)


def test_one_pilots_changed_rows_change_only_its_own_run_and_the_runs_that_read_every_pilot(tmp_path):
    """Row-level dependencies: a run per pilot hashes only its pilot's rows (and rows of no pilot) of the
    datasets its template names in ``own_rows``; the other runs that read the file hash all of it."""
    project = copy_project(tmp_path, ["hame-50plus", "uusimaa-ict"])
    data, pkg = project.default_data, package_hash()
    runs = make_plan(project, data)
    before = {r.output: run_hash(project, r, data, pkg) for r in runs}
    path = data / "published" / "outcomes.csv"
    path.write_text(path.read_text().replace("hame-50plus,started,216", "hame-50plus,started,217"))
    changed = {r.output for r in runs if run_hash(project, r, data, pkg) != before[r.output]}
    readers = {r.output for r in runs if r.run_per_pilot is False and "outcomes" in r.inputs}
    assert readers and "pilots/06-hame-50plus.ipynb" in changed
    assert changed == readers | {"pilots/06-hame-50plus.ipynb"}  # not uusimaa-ict's chapter


def test_a_row_of_no_pilot_reaches_every_pilots_run(tmp_path):
    project = copy_project(tmp_path, ["hame-50plus", "uusimaa-ict"])
    data, pkg = project.default_data, package_hash()
    runs = [r for r in make_plan(project, data) if r.own_rows]
    before = [run_hash(project, r, data, pkg) for r in runs]
    path = data / "published" / "facts.csv"
    lines = path.read_text().splitlines()
    shared = next(i for i, line in enumerate(lines[1:], 1) if line.split(",")[1] == "")
    lines[shared] = lines[shared] + " "  # any edit of a row that belongs to no pilot
    path.write_text("\n".join(lines) + "\n")
    assert all(run_hash(project, r, data, pkg) != b for r, b in zip(runs, before))


def test_the_site_is_assembled_from_the_planned_runs_only_and_refuses_one_id_twice(tmp_path):
    import pytest

    from pilotbook.errors import NotebookError
    from pilotbook.report.exhibits import Exhibit, Publisher, assemble_site

    project = Project(tmp_path)
    table = pd.DataFrame({"a": [1]})
    for name, exhibit in (("one", "x"), ("two", "y"), ("gone", "z")):
        Publisher(f"{name}.ipynb", project=project, folder=project.runs / name).publish(Exhibit(exhibit, "T", table))
    (project.site_extra / "data").mkdir(parents=True)
    (project.site_extra / "data" / "left-over.csv").write_text("a\n1\n")  # what an earlier build left
    index = assemble_site(project, [project.runs / "one", project.runs / "two"])
    assert list(index["id"]) == ["x", "y"]
    assert sorted(p.name for p in (project.site_extra / "data").iterdir()) == ["index.csv", "x.csv", "y.csv"]
    Publisher("three.ipynb", project=project, folder=project.runs / "three").publish(Exhibit("x", "T", table))
    with pytest.raises(NotebookError, match="same exhibit id.*x \\(one.ipynb\\); x \\(three.ipynb\\)"):
        assemble_site(project, [project.runs / "one", project.runs / "three"])
