"""A template runs alone with plain papermill, as the README says."""

import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from conftest import copy_project


pytestmark = pytest.mark.slow


def test_pilot_template_runs_alone_with_the_papermill_cli(tmp_path):
    project = copy_project(tmp_path, ["hame-50plus", "uusimaa-ict"])
    out = tmp_path / "hame.ipynb"
    papermill = Path(sys.executable).with_name("papermill")
    proc = subprocess.run(
        [str(papermill), "notebooks/pilot.ipynb", str(out), "-r", "pilot_id", "hame-50plus", "-p", "data_dir", "data",
         "--kernel", "python3", "--no-progress-bar"],
        cwd=project.root, capture_output=True, text=True,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    nb = nbformat.read(out, as_version=4)
    text = "".join(str(o.get("data", {})) for c in nb.cells for o in c.get("outputs", []))
    assert "Takaisin töihin" in text and "216" in text
    # it wrote its exhibits into the project it was run from, where the build never reads
    standalone = list(project.standalone.rglob("pilot-hame-50plus-results.csv"))
    assert len(standalone) == 1 and "site" in standalone[0].parts
    assert not project.site_extra.exists() and not project.runs.exists()


def test_template_defaults_run_without_any_parameter(tmp_path):
    project = copy_project(tmp_path)
    out = tmp_path / "results.ipynb"
    papermill = Path(sys.executable).with_name("papermill")
    proc = subprocess.run([str(papermill), "notebooks/results.ipynb", str(out), "--kernel", "python3",
                           "--no-progress-bar"], cwd=project.root, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr[-2000:]
