"""Write the corpus of corrupted data files (run from the repository root).

Each variant is a folder holding only the corrupted file(s), at the path they have
in a data folder, and ``expected.txt``: the fragment the error message must
contain.  The test lays a variant over a copy of the shipped data.

    .venv/bin/python tests/contracts/bad_inputs/make_corpus.py
"""

from __future__ import annotations

import shutil
from pathlib import Path

HERE = Path(__file__).resolve().parent
DATA = HERE.parents[2] / "data" / "published"
ROOT_FILES = ("edition.yaml",)  # at the data folder's top, not under published/


def text(name: str) -> str:
    return ((DATA.parent if name in ROOT_FILES else DATA) / name).read_text(encoding="utf-8")


def lines(name: str) -> list[str]:
    return text(name).splitlines(keepends=True)


def replace_first(name: str, old: str, new: str) -> str:
    body = text(name)
    assert old in body, f"{old!r} not in {name}"
    return body.replace(old, new, 1)


def header_replace(name: str, old: str, new: str) -> str:
    head, *rest = lines(name)
    return head.replace(old, new) + "".join(rest)


def drop_column(name: str, column: str) -> str:
    import csv
    import io

    rows = list(csv.reader(io.StringIO(text(name))))
    i = rows[0].index(column)
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows([r[:i] + r[i + 1:] for r in rows])
    return out.getvalue()


def in_model(pilot_id: str, component: str, old: str, new: str) -> tuple[str, dict[str, int]]:
    """fee_models.yaml with ``old`` replaced by ``new`` in one component of one pilot's model, and the
    1-based lines of the component and of the replacement (counted here, from the text, to check the
    lines the messages name)."""
    body = text("fee_models.yaml")
    start = body.index(f"  - pilot_id: {pilot_id}\n")
    start = body.index(f"      - id: {component}\n", start)
    at = body.index(old, start)
    assert at < body.index("      - id:", start + 1), f"{old!r} not in {pilot_id}/{component}"
    lines = {"component": body[:start].count("\n") + 1, "value": body[:at].count("\n") + 1}
    return body[:at] + new + body[at + len(old):], lines


def fee_variant(pilot_id: str, component: str, old: str, new: str, expected: str) -> tuple[str, object, str]:
    """A fee_models.yaml variant whose expected message names a line ({component} or {value} in ``expected``)."""
    body, lines = in_model(pilot_id, component, old, new)
    return ("fee_models.yaml", lambda: body, expected.format(**lines))


VARIANTS: dict[str, tuple[str, object, str]] = {
    # name: (file, content (str or bytes), expected message fragment)
    "01-missing-column": ("pilots.csv", lambda: drop_column("pilots.csv", "family"), "'family' is missing"),
    "02-renamed-column": ("outcomes.csv", lambda: header_replace("outcomes.csv", ",metric,", ",measure,"),
                          "unexpected column(s): measure (renamed?)"),
    "03-wrong-type": ("outcomes.csv", lambda: replace_first("outcomes.csv", "hame-50plus,started,216,", "hame-50plus,started,many,"),
                      "value is a number"),
    "04-decimal-comma": ("outcomes.csv", lambda: replace_first("outcomes.csv", "hame-50plus,started,216,", 'hame-50plus,started,"216,5",'),
                         "uses a decimal comma"),
    "05-semicolon-delimiter": ("outcomes.csv", lambda: text("outcomes.csv").replace(",", ";"), "separated by ';'"),
    "06-latin1-encoding": ("pilots.csv", lambda: text("pilots.csv").encode("latin-1", errors="replace"), "not valid UTF-8"),
    "07-byte-order-mark": ("facts.csv", lambda: b"\xef\xbb\xbf" + text("facts.csv").encode("utf-8"), "byte-order mark"),
    "08-empty-file": ("providers.csv", lambda: "", "the file is empty"),
    "09-header-only": ("contract_types.csv", lambda: lines("contract_types.csv")[0], "no data rows"),
    "10-duplicate-keys": ("outcomes.csv", lambda: text("outcomes.csv") + lines("outcomes.csv")[1],
                          "one value per pilot, metric and source"),
    "11-unknown-pilot-id": ("contract_types.csv", lambda: replace_first("contract_types.csv", "\nuusimaa-ict,", "\natlantis-pilot,"),
                            "pilot_id names a pilot of pilots.csv"),
    "12-negative-count": ("survey_published.csv", lambda: replace_first("survey_published.csv", ",unaware_of_invitation,count,279,", ",unaware_of_invitation,count,-279,"),
                          "counts and shares are never negative"),
    "13-finished-above-started": ("outcomes.csv", lambda: replace_first("outcomes.csv", "hame-50plus,finished,90,", "hame-50plus,finished,300,"),
                                 "finished must not exceed started"),
    "14-percentage-out-of-range": ("outcomes.csv", lambda: replace_first("outcomes.csv", "hame-50plus,pct_fee_eligible_of_started,19,", "hame-50plus,pct_fee_eligible_of_started,119,"),
                                   "a percentage lies between 0 and 100"),
    "15-unknown-classification-code": ("ura_codes.csv", lambda: replace_first("ura_codes.csv", "employment_code,1,employed,", "employment_code,1,retired,"),
                                       "an unknown classification code is refused"),
    "16-missing-file": ("satisfaction_published.csv", None, "file not found"),
    "17-bar-does-not-add-up": ("ura_published.csv", lambda: replace_first("ura_published.csv", "Figure 14,uusimaa-ict,participant,total,total,status_share,employed,37,",
                                                                          "Figure 14,uusimaa-ict,participant,total,total,status_share,employed,57,"),
                               "the five status shares of one bar add up to 100"),
    "18-survey-counts-do-not-add-up": ("survey_published.csv", lambda: replace_first("survey_published.csv", ",reviewed_providers,count,242,", ",reviewed_providers,count,252,"),
                                       "add up to its respondents"),
    "19-unquoted-comma": ("pilots.csv", lambda: replace_first("pilots.csv", "Cooperation pilot with staffing agencies (hospitality and retail)",
                                                              "Cooperation pilot, staffing agencies (hospitality and retail)"),
                          "fields but the header has"),
    # Dates: ISO (YYYY-MM as the report dates the pilots, or YYYY-MM-DD); 09/2016 is refused by its rule.
    "20-date-not-iso": ("pilots.csv", lambda: replace_first("pilots.csv", ",2016-09,2017-12,", ",09/2016,2017-12,"),
                        "line 3: pilot_id='keski-suomi-construction', started_on='09/2016'"),
    # 10^12 starters in a passage of the text: before the bound only warnings (the report "disagreeing").
    "21-implausible-count": ("outcomes.csv", lambda: replace_first("outcomes.csv", "pirkanmaa-b2b,started,730,persons,,chapter 4,",
                                                                   "pirkanmaa-b2b,started,1000000000000,persons,,chapter 4,"),
                             "a count of persons, jobs or firms in one pilot is at most 100 000"),
    "22-thousands-comma": ("ura_published.csv", lambda: replace_first("ura_published.csv", ",persons,,12895,", ',persons,,"12,895",'),
                           "line 2: '12,895' has a thousands separator (','): write 12895"),
    "23-thousands-space": ("ura_published.csv", lambda: replace_first("ura_published.csv", ",persons,,12895,", ",persons,,12\u00a0895,"),
                           "line 2: '12\\xa0895' has a thousands separator (a no-break space, U+00A0): write 12895"),
    "24-thousands-narrow-space": ("survey_published.csv",
                                  lambda: replace_first("survey_published.csv", ",respondents,673,", ",respondents,1\u202f673,"),
                                  "'1\\u202f673' has a thousands separator (a narrow no-break space, U+202F): write 1673"),
    # The fix the old message advised for "2,811" (2.811) is no count of persons.
    "25-fractional-count": ("outcomes.csv", lambda: replace_first("outcomes.csv", "hame-50plus,started,216,", "hame-50plus,started,2.811,"),
                            "a count of persons, jobs or firms in one pilot is a whole number"),
    "26-unquoted-thousands": ("outcomes.csv", lambda: replace_first("outcomes.csv", "hame-50plus,started,216,", "hame-50plus,started,2,811,"),
                              "'2,811' splits a number in two: write 2811"),
    # Fee models: the message names the line of fee_models.yaml and the pilot.
    "27-fee-model-without-amount": fee_variant("hame-50plus", "result_fixed_3m", "share_of_price: 0.25", "share_of_price: null",
                                               "line {component}: pilot_id='hame-50plus', component='result_fixed_3m'"),
    "28-fee-model-schema": fee_variant("hame-50plus", "result_fixed_3m", "share_of_price: 0.25", "share_of_price: 25",
                                       "line {value} (pilot hame-50plus, component result_fixed_3m, share_of_price): "
                                       "25 is greater than the maximum of 1"),
    # A malformed pilot id: reported first, its follow-on errors in other files collapsed after it.
    "29-malformed-pilot-id": ("pilots.csv", lambda: replace_first("pilots.csv", "\nhame-50plus,", "\nHame 50+,"),
                              "follow from the error(s) in pilots.csv above"),
    "30-header-spaces": ("pilots.csv", lambda: header_replace("pilots.csv", ",region,te_office,", ", region, te_office,"),
                         "' region' (should be 'region'), ' te_office' (should be 'te_office'). "
                         "Remove the spaces around the commas in the header."),
    # The edition: its date ISO, and whether it is the report's own numbers said as true or false.
    "31-edition-date-not-iso": ("edition.yaml", lambda: replace_first("edition.yaml", "reference_date: 2017-09 ", "reference_date: 09/2017 "),
                                "line 5: title='TEM publication 43/2017, as printed', reference_date='09/2017'"),
    "32-edition-not-true-or-false": ("edition.yaml", lambda: replace_first("edition.yaml", "\nreport_edition: true", "\nreport_edition: perhaps"),
                                     "report_edition is true or false"),
}


def main() -> None:
    for old in HERE.iterdir():
        if old.is_dir():
            shutil.rmtree(old)
    for name, (file, make, expected) in VARIANTS.items():
        folder = HERE / name
        (folder / "published").mkdir(parents=True)
        (folder / "expected.txt").write_text(expected + "\n", encoding="utf-8")
        if make is None:
            (folder / "REMOVES").write_text(f"published/{file}\n", encoding="utf-8")
            continue
        content = make()
        target = folder / file if file in ROOT_FILES else folder / "published" / file
        if isinstance(content, bytes):
            target.write_bytes(content)
        else:
            target.write_text(content, encoding="utf-8")
    print(f"wrote {len(VARIANTS)} variants to {HERE}")


if __name__ == "__main__":
    main()
