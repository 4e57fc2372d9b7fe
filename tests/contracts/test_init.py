"""`pilotbook init DIR`: a blank data folder made from the contracts, for a researcher to fill."""

from __future__ import annotations

import csv

from pilotbook import cli
from pilotbook.io.catalog import DATASETS
from pilotbook.paths import INSTALL_ROOT


def header(path) -> list[str]:
    with open(path, encoding="utf-8", newline="") as handle:
        return next(csv.reader(handle))


def test_init_writes_every_file_with_the_header_the_shipped_data_have(tmp_path, capsys):
    folder = tmp_path / "followup"
    assert cli.main(["init", str(folder)]) == 0
    assert "pilotbook validate --data" in capsys.readouterr().out
    readme = (folder / "README.md").read_text(encoding="utf-8")
    for name, ds in DATASETS.items():
        made, shipped = ds.path(folder), ds.path(INSTALL_ROOT / "data")
        assert made.is_file(), name
        assert f"`{ds.relpath}`" in readme
        if made.suffix == ".csv":
            assert header(made) == header(shipped), name  # the shipped data pass the contracts
            assert made.read_text(encoding="utf-8").count("\n") == 1, "a header and no rows"
            for column in header(shipped):
                assert f"| `{column}` |" in readme, (name, column)
    assert "one of placement, job_search, business" in readme  # allowed values come from the contracts


def test_validate_says_what_a_blank_folder_still_lacks(tmp_path, capsys):
    folder = tmp_path / "followup"
    cli.main(["init", str(folder)])
    capsys.readouterr()
    assert cli.main(["validate", "--data", str(folder)]) == 3
    out = capsys.readouterr().out
    for name in ("pilots.csv", "outcomes.csv", "placements.csv"):
        assert f"{name}: the file has a header but no data rows" in out


def test_init_never_writes_over_a_folder_with_files(tmp_path, capsys):
    (tmp_path / "mine.csv").write_text("x\n1\n")
    assert cli.main(["init", str(tmp_path)]) == 2
    assert "exists and is not empty" in capsys.readouterr().err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mine.csv"]
