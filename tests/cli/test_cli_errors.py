"""Every expected failure reaches the user as a message and an exit code, never a traceback
(unless --debug asks for one)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from conftest import copy_project

PILOTBOOK = [sys.executable, "-m", "pilotbook.cli"]


def run(args, cwd, env=None):
    return subprocess.run(PILOTBOOK + args, cwd=cwd, capture_output=True, text=True,
                          env={**os.environ, **(env or {})}, timeout=600)


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    return copy_project(tmp_path_factory.mktemp("cli"), ["hame-50plus", "uusimaa-ict"])


def assert_clean_failure(proc, code: int, *words: str):
    assert proc.returncode == code, (proc.returncode, proc.stderr[-2000:])
    assert "Traceback" not in proc.stderr, proc.stderr[-2000:]
    for word in words:
        assert word in proc.stderr, (word, proc.stderr[-2000:])


def test_a_malformed_suite_is_named_with_its_line(project):
    suite = project.contracts / "pilots.json"
    saved = suite.read_text(encoding="utf-8")
    try:
        suite.write_text(saved.replace('"expectations"', '"expectations" oops', 1), encoding="utf-8")
        proc = run(["validate"], project.root)
        assert_clean_failure(proc, 2, "pilots.json", "not valid JSON at line")
        debug = run(["--debug", "validate"], project.root)
        assert debug.returncode != 0 and "Traceback" in debug.stderr
    finally:
        suite.write_text(saved, encoding="utf-8")


def test_a_suite_for_an_unknown_dataset_is_refused(project):
    bad = project.contracts / "zz_unknown.json"
    bad.write_text(json.dumps({"name": "zz", "expectations": [], "meta": {"dataset": "nope"}}), encoding="utf-8")
    try:
        assert_clean_failure(run(["validate"], project.root), 2, "zz_unknown.json", "meta.dataset")
    finally:
        bad.unlink()


def test_bad_template_metadata_is_named(project):
    template = project.templates / "results.ipynb"
    saved = template.read_text(encoding="utf-8")
    nb = json.loads(saved)
    nb["metadata"]["pilotbook"]["inputs"] = ["pilots", "no_such_dataset"]
    try:
        template.write_text(json.dumps(nb), encoding="utf-8")
        assert_clean_failure(run(["build", "--jobs", "1"], project.root), 2, "results.ipynb", "no_such_dataset")
        del nb["metadata"]["pilotbook"]
        template.write_text(json.dumps(nb), encoding="utf-8")
        assert_clean_failure(run(["build", "--jobs", "1"], project.root), 2, "results.ipynb", "'pilotbook' section")
    finally:
        template.write_text(saved, encoding="utf-8")
    assert not project.site.exists(), "a failed build publishes nothing"


@pytest.mark.parametrize("args, words", [
    (["build", "--min-cell", "0"], ["min_cell", "out of range"]),
    (["build", "--set", "no_such=1"], ["unknown setting 'no_such'"]),
    (["build", "--set", "register.power=high"], ["power", "must be float"]),
    (["build", "--set", "min_cell"], ["key=value"]),
])
def test_bad_settings_on_the_command_line(project, args, words):
    assert_clean_failure(run(args, project.root), 2, *words)


def test_a_broken_settings_file_is_named(project):
    path = project.root / "pilotbook.toml"
    saved = path.read_text(encoding="utf-8")
    try:
        path.write_text(saved.replace("min_cell = 10", "min_cell = ten"), encoding="utf-8")
        assert_clean_failure(run(["validate"], project.root), 2, "pilotbook.toml", "not valid TOML")
    finally:
        path.write_text(saved, encoding="utf-8")
