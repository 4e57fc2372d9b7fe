"""Builds that must fail cleanly, and a setting that reaches every exhibit, in a disposable copy of
the project built from the small plan (``small_plan.py``): a broken contract or notebook leaves the
published site exactly as it was; the command line reports without a traceback; a higher disclosure
threshold re-executes every notebook.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from pilotbook.errors import ContractError, NotebookError
from pilotbook.pipeline.build import build

from small_plan import site_fingerprint, small_cells
from small_plan import first_build, project  # noqa: F401 (fixtures: each module builds a project of its own)

pytestmark = pytest.mark.slow





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
    finally:
        path.write_text(original)



def test_a_higher_disclosure_threshold_reaches_every_exhibit(project, first_build, monkeypatch):
    """A build with the threshold at 20 (what `pilotbook build --min-cell 20` sets; the command line's
    settings are tested in tests/cli) re-executes the notebooks (the setting is in their cache key) and
    publishes no group and no count under 20 — where the default build did publish some."""
    from pilotbook import settings

    at_ten, checked = small_cells(project.site, 20)
    assert checked >= 2 and at_ten, "the default build publishes groups of 10-19: the test could not fail"
    assert small_cells(project.site, 10)[0] == []
    # settings.override writes os.environ itself: setenv first, so that monkeypatch puts the variable
    # back as it was (absent) and the next module built in this worker gets the settings file's values
    monkeypatch.setenv(settings.ENV, "{}")
    settings.override({"min_cell": 20})  # through the environment, which the kernels inherit
    result = build(project, jobs=2, log=lambda *_: None)
    assert result.skipped == [], "a new threshold must re-execute every notebook"
    found, checked = small_cells(project.site, 20)
    assert checked >= 2 and found == [], found
