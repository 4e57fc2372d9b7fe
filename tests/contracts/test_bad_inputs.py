"""The corpus of corrupted data (tests/contracts/bad_inputs/): each variant is refused by
`pilotbook validate` with its own message, a non-zero exit and no traceback; and `pilotbook build`,
which stops on the same validation report, refuses one variant of each kind (a file that cannot be
read, a missing file, a broken rule) and leaves the published site exactly as it was.

All variants are validated in one process: GX runs again only on the suites whose input differs
from the shipped data's (``contracts/validate.py`` keeps the results of this process by content)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from pilotbook import cli
from pilotbook.pipeline.cache import tree_hash

from conftest import copy_project

pytestmark = pytest.mark.slow  # 30 variants and three builds: `make test` runs them, `make test-fast` does not
CORPUS = Path(__file__).parent / "bad_inputs"
VARIANTS = sorted(p.name for p in CORPUS.iterdir() if p.is_dir())


def test_the_corpus_has_at_least_fifteen_variants():
    assert len(VARIANTS) >= 15


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    """A project copy with a 'published' site to protect (validation fails before any build)."""
    project = copy_project(tmp_path_factory.mktemp("bad"))
    site = project.site
    (site / "book").mkdir(parents=True)
    (site / "index.html").write_text("<html>the last good site</html>")
    (site / "book" / "intro.html").write_text("<html>intro</html>")
    return project


def lay_variant(project, name: str) -> Path:
    data = project.root / f"data-{name}"
    shutil.rmtree(data, ignore_errors=True)
    shutil.copytree(project.default_data, data)
    variant = CORPUS / name
    removes = variant / "REMOVES"
    if removes.is_file():
        for rel in removes.read_text().split():
            (data / rel).unlink()
    for f in (variant / "published").glob("*"):
        shutil.copy2(f, data / "published" / f.name)
    for f in variant.glob("*.yaml"):  # a file at the data folder's top (edition.yaml)
        shutil.copy2(f, data / f.name)
    return data


def run(capsys, monkeypatch, project, *args) -> tuple[int, str]:
    monkeypatch.chdir(project.root)
    code = cli.main(list(args))
    out = capsys.readouterr()
    return code, out.out + out.err


def test_shipped_data_is_accepted(project, capsys, monkeypatch):
    code, output = run(capsys, monkeypatch, project, "validate")
    assert code == 0, output
    for name in VARIANTS:
        expected = (CORPUS / name / "expected.txt").read_text().strip()
        assert expected not in output, f"'{expected}' is not specific to {name}: the clean data says it too"


@pytest.mark.parametrize("name", VARIANTS)
def test_variant_is_refused_by_validate(name, project, capsys, monkeypatch):
    expected = (CORPUS / name / "expected.txt").read_text().strip()
    data = lay_variant(project, name)
    code, output = run(capsys, monkeypatch, project, "validate", "--data", str(data))
    assert code == 3 and "FAILED" in output, output  # the exit code of a contract failure
    assert expected in output, output
    assert "Traceback" not in output
    assert str(data) in output, "the message names the file"


# One variant of each kind of refusal: unreadable (encoding), absent, and readable but breaking a rule.
BUILT = ("06-latin1-encoding", "16-missing-file", "12-negative-count")


def test_each_kind_of_refusal_is_in_the_corpus():
    assert set(BUILT) <= set(VARIANTS)


@pytest.mark.parametrize("name", BUILT)
def test_variant_is_refused_by_build_and_the_site_is_untouched(name, project, capsys, monkeypatch):
    expected = (CORPUS / name / "expected.txt").read_text().strip()
    data = lay_variant(project, name)
    before = tree_hash([project.site], project.root)
    code, output = run(capsys, monkeypatch, project, "build", "--data", str(data), "--jobs", "1")
    assert code != 0, output
    assert expected in output, output
    assert "Traceback" not in output and "FAILED" in output
    assert tree_hash([project.site], project.root) == before, "the published site changed"
    assert not (project.generated / "results.ipynb").exists(), "a notebook ran despite bad data"
