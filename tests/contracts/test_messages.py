"""What the refusal of bad input says: the file, the line, the column, the value and what to do, with
the root cause first (issue: bad inputs the contracts let through or misdiagnosed).

The corpus (``bad_inputs/``, ``test_bad_inputs.py``) checks one fragment per variant; these tests check
what a fragment cannot: the order of the report, what is accepted, and refusals that are not a broken
contract (a missing data folder)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from pilotbook import cli
from pilotbook.contracts.validate import validate
from pilotbook.errors import DataFileError
from pilotbook.io.fee_models import load_models
from pilotbook.io.readers import read_csv
from pilotbook.paths import INSTALL_ROOT

CORPUS = Path(__file__).parent / "bad_inputs"


def lay(data: Path, variant: str) -> Path:
    """The corpus variant's files over a copy of the shipped data."""
    for f in (CORPUS / variant / "published").glob("*"):
        shutil.copy2(f, data / "published" / f.name)
    return data


def edit(path: Path, old: str, new: str) -> None:
    body = path.read_text(encoding="utf-8")
    assert old in body, f"{old!r} not in {path.name}"
    path.write_text(body.replace(old, new, 1), encoding="utf-8")


# --------------------------------------------------------------------------- reading (no GX)


@pytest.mark.parametrize("cell, says", [
    ('"2,811"', "column 'value', line 3: '2,811' has a thousands separator (','): write 2811,"),
    ('"1,234,567"', "column 'value', line 3: '1,234,567' has a thousands separator (','): write 1234567,"),
    ("2 811", "column 'value', line 3: '2 811' has a thousands separator (a space): write 2811,"),
    ("2\u00a0811", "column 'value', line 3: '2\\xa0811' has a thousands separator (a no-break space, U+00A0): write 2811,"),
    ("2\u202f811", "column 'value', line 3: '2\\u202f811' has a thousands separator (a narrow no-break space, U+202F): "
                   "write 2811,"),
    ('"19,5"', "column 'value', line 3: '19,5' uses a decimal comma"),
])
def test_a_number_with_a_separator_is_named_with_file_line_column_and_value(tmp_path, cell, says):
    path = tmp_path / "outcomes.csv"
    path.write_text(f"pilot_id,value\na,12\nb,{cell}\nc,7\n", encoding="utf-8")
    with pytest.raises(DataFileError) as err:
        read_csv(path, ("pilot_id",))
    assert str(err.value).startswith(f"{path}: {says}"), str(err.value)


def test_a_thousands_separator_is_not_taken_for_a_decimal_comma(tmp_path):
    path = tmp_path / "outcomes.csv"
    path.write_text('pilot_id,value\na,"2,811"\n', encoding="utf-8")
    with pytest.raises(DataFileError) as err:
        read_csv(path, ("pilot_id",))
    assert "decimal comma" not in str(err.value) and "2.811" not in str(err.value)


def test_an_unquoted_thousands_separator_is_named(tmp_path):
    path = tmp_path / "outcomes.csv"
    path.write_text("pilot_id,value,unit\na,2,811,persons\n", encoding="utf-8")
    with pytest.raises(DataFileError) as err:
        read_csv(path, ("pilot_id",))
    assert "line 2 has 4 fields but the header has 3. '2,811' splits a number in two: write 2811" in str(err.value)


def test_spaces_around_the_header_commas_are_shown_and_the_fix_said(tmp_path):
    path = tmp_path / "pilots.csv"
    path.write_text("pilot_id, region ,order\na,Lappi,1\n", encoding="utf-8")
    with pytest.raises(DataFileError) as err:
        read_csv(path, ("pilot_id",))
    assert str(err.value) == (f"{path}: line 1, the header: column name(s) with spaces around them: "
                              "' region ' (should be 'region'). Remove the spaces around the commas in the header.")


def test_a_fee_model_given_twice_names_both_lines(tmp_path, root):
    path = tmp_path / "fee_models.yaml"
    body = (root / "data" / "published" / "fee_models.yaml").read_text(encoding="utf-8")
    path.write_text(body.replace("  - pilot_id: uusimaa-ict\n", "  - pilot_id: lappi-services\n", 1), encoding="utf-8")
    first, second = (n for n, line in enumerate(path.read_text().splitlines(), start=1)
                     if line == "  - pilot_id: lappi-services")
    with pytest.raises(DataFileError) as err:
        load_models(path)
    assert f"lines {first} and {second}: pilot lappi-services has two fee models" in str(err.value)


# --------------------------------------------------------------------------- validation


def test_a_missing_data_folder_is_reported_once(tmp_path, capsys):
    folder = tmp_path / "no" / "such" / "dir"
    code = cli.main(["validate", "--data", str(folder)])
    out = capsys.readouterr()
    text = out.out + out.err
    assert code == 2, text
    assert text.count(f"data folder {folder} does not exist.") == 1, text
    assert "file not found" not in text and "Traceback" not in text


def test_a_folder_without_any_data_file_is_reported_once(tmp_path, capsys):
    (tmp_path / "published").mkdir()
    code = cli.main(["validate", "--data", str(tmp_path)])
    out = capsys.readouterr()
    text = out.out + out.err
    assert code == 2, text
    assert f"data folder {tmp_path} holds none of the" in text and "file not found" not in text
    assert "Traceback" not in text


@pytest.mark.parametrize("value, accepted", [
    ("2016-09", True),  # the month, as the report dates the pilots
    ("2016-09-01", True),  # an ISO day: the chapter prints it as written
    ("09/2016", False), ("2016-9", False), ("1.9.2016", False), ("2016-13", False),
    ("2016-09-01T08:00", False),  # an operating period has no time of day
])
def test_pilot_dates_are_iso(data_copy, root, value, accepted):
    edit(data_copy / "published" / "pilots.csv", ",2016-09,2017-12,", f",{value},2017-12,")
    report = validate(data_copy, root / "data_contracts")
    on_date = [f for f in report.findings if f.columns == ["started_on"]]
    assert report.ok is accepted and bool(on_date) is not accepted, report.render()
    if not accepted:
        assert any(f"line 3: pilot_id='keski-suomi-construction', started_on={value!r}" in s
                   for s in on_date[0].samples), report.render()
        assert "YYYY-MM" in on_date[0].rule


def test_a_malformed_pilot_id_is_reported_first_and_once(data_copy, root):
    report = validate(lay(data_copy, "29-malformed-pilot-id"), root / "data_contracts")
    text = report.render()
    assert not report.ok
    errors = text[text.index("error(s) - the data break their contract"):]
    follow = errors.index("follow from the error(s) in pilots.csv above")
    before = errors[:errors.rfind("\n", 0, follow)]
    roots = [line for line in before.splitlines() if line.startswith("ERROR")]
    assert len(roots) == 1 and roots[0].split()[1].endswith("pilots.csv"), text
    assert text.count("line 7: pilot_id='Hame 50+'") == 1, text
    # every file that names the pilot is in the follow-on entry, none as an error of its own
    for name in ("contract_types.csv", "facts.csv", "outcomes.csv", "fee_models.yaml", "ura_extract.csv"):
        assert name not in before and f"\n    {name}: " in errors[follow:], text
    assert "1 error(s) - the data break their contract" in text


def test_an_implausible_count_is_an_error_and_the_warnings_it_causes_say_so(data_copy, root):
    report = validate(lay(data_copy, "21-implausible-count"), root / "data_contracts")
    assert not report.ok
    errors = [f for f in report.findings if f.is_error]
    assert [f.rule for f in errors] == ["a count of persons, jobs or firms in one pilot is at most 100 000"]
    assert errors[0].samples == ["line 112: pilot_id='pirkanmaa-b2b', metric='started', source='chapter 4', "
                                 "value=1000000000000"]
    assert "plausible" in errors[0].rationale
    text = report.render()
    assert text.index("is at most 100 000") < text.index("WARNING")
    disagreeing = next(f for f in report.findings if f.suite == "outcomes.by_metric")
    assert any("1e+12" in s for s in disagreeing.samples)
    assert disagreeing.note.startswith("line(s) 112 also break a rule of the file itself"), disagreeing.note


def test_a_value_that_is_not_a_number_is_named_with_its_line(data_copy, root):
    report = validate(lay(data_copy, "03-wrong-type"), root / "data_contracts")
    typed = next(f for f in report.findings if f.expectation == "expect_column_values_to_be_in_type_list")
    assert "line 2: pilot_id='hame-50plus', metric='started', source='Table 4', value='many'" in typed.samples
    text = report.render()
    assert text.index("value is a number") < text.index("view must be computable")


def test_a_missing_fee_model_names_the_pilot(data_copy, root):
    path = data_copy / "published" / "fee_models.yaml"
    body = path.read_text(encoding="utf-8")
    start = body.index("  - pilot_id: hame-50plus\n")
    path.write_text(body[:start] + body[body.index("  - pilot_id:", start + 1):], encoding="utf-8")
    report = validate(data_copy, root / "data_contracts")
    finding = next(f for f in report.findings if f.suite == "fee_models" and not f.is_error)
    assert finding.samples[0].startswith("pilot hame-50plus has no fee model in fee_models.yaml"), finding.samples
    assert "observed: None" not in report.render()


def test_a_fee_model_row_names_its_yaml_line(data_copy, root):
    path = data_copy / "published" / "fee_models.yaml"
    edit(path, "  - pilot_id: kainuu-apprenticeship\n", "  - pilot_id: atlantis\n")
    line = path.read_text(encoding="utf-8").splitlines().index("  - pilot_id: atlantis") + 1
    report = validate(data_copy, root / "data_contracts")
    finding = next(f for f in report.findings if f.suite == "fee_models" and f.is_error)
    assert finding.samples[0].startswith(f"line {line}: pilot_id='atlantis', component="), finding.samples
    assert len(finding.rows) > 1 and {r["line"] for r in finding.rows} == {line}, "each component's pilot_id is the model's"


@pytest.mark.slow
def test_changed_numbers_are_caught_against_the_synthetic_clients_until_synth_regenerates_them(tmp_path, capsys,
                                                                                                 monkeypatch):
    """A cross-file rule: the SYNTHETIC clients of placements.csv add up to the starters and finishers
    of Tables 4-5; after a change the build stops and says to run `pilotbook synth --data DIR`, which
    makes them agree again."""
    data = tmp_path / "data"
    shutil.copytree(INSTALL_ROOT / "data", data)
    path = data / "published" / "outcomes.csv"
    text = path.read_text(encoding="utf-8")
    assert "hame-50plus,started,216,persons,,Table 4," in text
    path.write_text(text.replace("hame-50plus,started,216,persons,,Table 4,", "hame-50plus,started,218,persons,,Table 4,"),
                    encoding="utf-8")
    monkeypatch.chdir(INSTALL_ROOT)
    assert cli.main(["validate", "--data", str(data)]) == 3
    out = capsys.readouterr().out
    assert "the SYNTHETIC clients of placements.csv add up to the starters and finishers" in out
    assert "pilotbook synth --data" in out
    assert re.search(r"lines? 2: pilot_id='hame-50plus', printed=218, synthetic_clients=216, measure='started'", out), out
    assert cli.main(["synth", "--data", str(data)]) == 0
    capsys.readouterr()
    assert cli.main(["validate", "--data", str(data)]) == 0, capsys.readouterr().out
