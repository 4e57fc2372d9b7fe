"""One pilot's rows (io/own_rows.py): what a chapter run per pilot reads, cut out before parsing."""

from __future__ import annotations

import pandas as pd

from pilotbook.io import own_rows
from pilotbook.io.catalog import Data, fee_models, load

TABLE = """pilot_id,metric,value,note
a,started,10,
b,started,20,
,programme,7,"shared, by every pilot"
a,finished,5,
"""


def test_a_pilot_reads_its_rows_and_the_rows_of_no_pilot_in_file_order():
    cut = pd.read_csv(pd.io.common.StringIO(own_rows.csv_text(TABLE, "a")), keep_default_na=False)
    assert cut["metric"].tolist() == ["started", "programme", "finished"]
    assert own_rows.csv_text("x,y\n1,2\n", "a") == "x,y\n1,2\n"  # no pilot_id column: the whole table


def test_another_pilots_row_changes_neither_the_digest_nor_the_types_read(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text(TABLE)
    before = own_rows.digest(path, "a"), own_rows.digest(path, "b")
    frame_before = load_table(path, "a")
    path.write_text(TABLE.replace("b,started,20,", "b,started,,"))  # b's value blank: a float column if read whole
    assert own_rows.digest(path, "a") == before[0]
    assert own_rows.digest(path, "b") != before[1]
    pd.testing.assert_frame_equal(load_table(path, "a"), frame_before)
    path.write_text(TABLE.replace("a,finished,5,", "a,finished,6,"))
    assert own_rows.digest(path, "a") != before[0]


def load_table(path, pilot_id):
    from pilotbook.io.readers import read_csv

    return read_csv(path, ("pilot_id",), pilot_id)


def test_a_pilot_without_rows_of_its_own_reads_an_empty_table_not_an_error(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text(TABLE)
    frame = load_table(path, "c")
    assert frame["metric"].tolist() == ["programme"]


def test_yaml_lists_of_pilot_entries_are_cut_and_everything_else_kept(root):
    models = fee_models(root / "data", "hame-50plus")
    assert list(models) == ["hame-50plus"]
    assert models["hame-50plus"] == fee_models(root / "data")["hame-50plus"]
    doc = {"version": 1, "models": [{"pilot_id": "a", "x": 1}, {"pilot_id": "b", "x": 2}], "notes": ["n"]}
    assert own_rows.yaml_doc(doc, "b") == {"version": 1, "models": [{"pilot_id": "b", "x": 2}], "notes": ["n"]}


def test_data_load_reads_own_rows_only_for_the_datasets_named(root):
    data = Data.load(root / "data", ("pilots",), pilot_id="hame-50plus", own_rows=("outcomes", "pilot_texts"))
    assert set(data.outcomes["pilot_id"].dropna()) == {"hame-50plus"}
    assert set(data.pilot_texts["pilot_id"]) == {"hame-50plus"}
    assert len(data.pilots) == len(load("pilots", root / "data"))  # read whole
