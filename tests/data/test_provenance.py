"""Every published value stands in the report where its row says it does.

These tests read the report's text dump independently of the pipeline: they are
the check that the transcription is right, value by value.
"""

import re

import pandas as pd
import pytest

GROUPED = re.compile(r"(?<![\d,.])(\d{1,3}(?: \d{3})+|\d+(?:[.,]\d+)?)(?![\d])")
PLAIN = re.compile(r"(?<![\d,.])(\d+(?:[.,]\d+)?)(?![\d])")
TABLE_4_5_COLUMNS = ["started", "target_low", "target", "target_high", "finished", "fee_eligible",
                     "pct_fee_eligible_of_started", "pct_fee_eligible_of_finished"]


def numbers_on(line: str, grouped: bool = False) -> list[float]:
    """Numbers printed on a line; ``grouped`` reads "7 162" as one number (the report's style)."""
    pattern = GROUPED if grouped else PLAIN
    return [float(m.replace(" ", "").replace(",", ".")) for m in pattern.findall(line)]


INTEGERS = re.compile(r"(?<!\d)(\d+)(?!\d)")

# dataset -> the columns whose numbers must stand on the row's ref_line
VALUE_COLUMNS = {
    "outcomes": ["value"],
    "contract_types": ["value"],
    "survey_published": ["value"],
    "satisfaction_published": ["value"],
    "ura_published": ["value"],
    "facts": ["value"],
    "providers": ["finished", "pct_employed_or_entrepreneur_of_finished", "pct_not_employed_of_finished"],
    "ura_codes": ["code"],
}


# Numbers the report writes in words (Finnish, with the inflected forms it uses), and the
# proportions it writes in words, as the percentage the data store for them.
NUMBER_WORDS: dict[float, tuple[str, ...]] = {
    1: ("yksi", "yhden", "yhtä", "yhdelle", "yhdellä", "yksittäinen", "yhdessä", "yhdeltä", "kerran"),
    2: ("kaksi", "kahden", "kahta", "kahdesti", "kahdelle", "kahdella", "kahdessa", "kahteen"),
    3: ("kolme", "kolmen", "kolmea", "kolmelle", "kolmella", "kolmeen"),
    4: ("neljä", "neljän", "neljää", "neljälle", "neljällä", "neljään", "neljässä", "neljästi"),
    5: ("viisi", "viiden", "viittä", "viidelle", "viidellä", "viidestä", "viiteen"),
    6: ("kuusi", "kuuden", "kuutta"),
    7: ("seitsemän", "seitsemää"),
    8: ("kahdeksan", "kahdeksaa"),
    9: ("yhdeksän", "yhdeksää"),
    10: ("kymmenen", "kymmentä", "kymmeneen"),
    50: ("puolet", "puolelle", "puolella", "puolta", "joka toinen"),
    33: ("kolmannes", "kolmanneksen", "kolmanneksella", "joka kolmas"),
    25: ("neljännes", "neljänneksen", "joka neljäs"),
    20: ("viidennes", "viidenneksen"),
    67: ("kaksi kolmesta", "kaksi kolmasosaa", "kaksi kolmannesta", "kaksi kolmannesta", "kahdella kolmasosalla"),
    80: ("neljä viidestä",),
    90: ("yhdeksän kymmenestä",),
}
WORD_PATTERNS = {value: re.compile(r"(?<![a-zäö])(" + "|".join(map(re.escape, words)) + r")(?![a-zäö])", re.IGNORECASE)
                 for value, words in NUMBER_WORDS.items()}


def all_numbers_on(line: str) -> set[float]:
    """Every way the line's numbers can be read: "7 162", "1,5", "0,7,8" (a list of codes), and
    numbers or proportions written in words ("viisi", "puolet")."""
    found = set(numbers_on(line)) | set(numbers_on(line, grouped=True)) | {float(m) for m in INTEGERS.findall(line)}
    return found | {float(v) for v, rx in WORD_PATTERNS.items() if rx.search(line)}


@pytest.mark.parametrize("name", sorted(VALUE_COLUMNS))
def test_every_value_is_printed_on_its_line(name, root, report_lines):
    from pilotbook.io.catalog import load

    frame = load(name, root / "data")
    assert len(frame) > 0
    missing = []
    for idx, row in frame.iterrows():
        line = report_lines[int(row["ref_line"]) - 1]
        for column in VALUE_COLUMNS[name]:
            if pd.notna(row[column]) and float(row[column]) not in all_numbers_on(line):
                missing.append(f"line {idx + 2} of {name}.csv: {column}={row[column]} not on report line "
                               f"{row['ref_line']}: {line!r}")
    assert not missing, "\n".join(missing)


def test_figure_14_is_complete_and_every_bar_adds_up(root):
    """Figure 14: five statuses x ten groups x two cohorts, each bar 100 +- 2."""
    from pilotbook.io.catalog import load

    ura = load("ura_published", root / "data")
    fig = ura[(ura["figure"] == "Figure 14") & (ura["measure"] == "status_share")]
    assert len(fig) == 100
    bars = fig.groupby(["cohort", "dimension", "group"])["value"].agg(["count", "sum"])
    assert len(bars) == 20 and (bars["count"] == 5).all()
    assert bars["sum"].between(98, 102).all(), bars


def test_every_pilot_row_points_at_its_pilot(pilots, report_lines):
    wrong = []
    for row in pilots.itertuples(index=False):
        window = " ".join(report_lines[int(row.ref_line) - 1: int(row.ref_line) + 3])
        first_word = row.name_fi.split()[0].strip("(),")
        if first_word not in window:
            wrong.append(f"{row.pilot_id}: {first_word!r} not near line {row.ref_line}")
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("table", [4, 5])
def test_table_rows_reproduce_the_printed_row_in_column_order(pilots, outcomes, report_lines, table):
    """Re-parse each Table 4/5 row of the dump and compare with the data, column by column."""
    source = f"Table {table}"
    ids = pilots.loc[pilots["results_table"] == table, "pilot_id"]
    assert len(ids) > 0
    for pilot_id in ids:
        rows = outcomes[(outcomes["pilot_id"] == pilot_id) & (outcomes["source"] == source)]
        assert not rows.empty, f"{pilot_id}: no {source} values"
        line_no = int(rows.loc[rows["metric"] == "started", "ref_line"].iloc[0])
        printed = numbers_on(report_lines[line_no - 1])
        values = rows.set_index("metric")["value"]
        ours = [float(values[m]) for m in TABLE_4_5_COLUMNS if m in values.index]
        assert ours == printed, f"{pilot_id}: data {ours} vs report line {line_no} {printed}"


def test_values_printed_twice_differently_keep_both_sources(outcomes):
    """E.g. Uusimaa ICT finishers: 426 in Table 4, 462 in chapter 7 (both kept)."""
    ict = outcomes[(outcomes["pilot_id"] == "uusimaa-ict") & (outcomes["metric"] == "finished")]
    assert set(ict["value"]) >= {426, 462}
    assert ict.loc[ict["value"] == 426, "source"].str.contains("Table 4").any()
    assert ict.loc[ict["value"] == 462, "source"].eq("chapter 7").any()


def test_all_thirteen_pilots_of_the_report(pilots):
    assert len(pilots) == 13
    assert pilots["pilot_id"].is_unique
    assert sorted(pilots["order"]) == list(range(1, 14))


def test_fee_model_amounts_are_printed_on_their_lines(root, report_lines):
    """Euro amounts, shares and prices of fee_models.yaml (a number split over two lines may
    continue on the next); inferred values are exempt but must say how they were inferred."""
    from pilotbook.io.fee_models import load_models

    models = load_models(root / "data" / "published" / "fee_models.yaml")
    missing, checked = [], 0
    for pid, m in models.items():
        entries = [("price", m.get("price") or {}, ("low", "high"))]
        entries += [(c["id"], c, ("amount_eur", "share_of_price")) for c in m.get("components") or []]
        for name, entry, fields in entries:
            if not entry or entry.get("ref_line") is None:
                continue
            if entry.get("inferred"):
                assert entry.get("inference_note") or entry.get("note"), f"{pid}/{name}: inferred without a note"
                continue
            window = " ".join(report_lines[int(entry["ref_line"]) - 1: int(entry["ref_line"]) + 1])
            numbers = all_numbers_on(window) | all_numbers_on(window.replace("– ", "–").replace(" \n", ""))
            for field in fields:
                value = entry.get(field)
                if value is None:
                    continue
                value = round(100 * value, 4) if field == "share_of_price" else value
                checked += 1
                if float(value) not in numbers:
                    missing.append(f"{pid}/{name}.{field}={value} not on lines {entry['ref_line']}-{entry['ref_line'] + 1}")
    assert checked >= 20
    assert not missing, "\n".join(missing)
