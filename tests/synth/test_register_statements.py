"""The SYNTHETIC register extract keeps the report's word: every statement chapter 4.2 makes about
register groups holds, or the report's own printed numbers rule it out (proven here); the rules
can fail; the generator keeps them because they are its constraints; and a result that reverses
the report carries a warning that appears only when it does."""

from __future__ import annotations

import math
import re

import numpy as np
import pandas as pd
import pytest

from pilotbook.analysis import register as ura
from pilotbook.analysis import register_statements as rs
from pilotbook.io.catalog import load
from pilotbook.report.pages import synthetic_notes
from pilotbook.synth import register as synth


@pytest.fixture(scope="module")
def data(register_data, root):
    return dict(register_data) | {"statements": load("statements", root / "data")}


@pytest.fixture(scope="module")
def context(data):
    return {"ura_codes": data["ura_codes"], "ura_categories": data["ura_categories"]}


@pytest.fixture(scope="module")
def classified(data):
    return ura.classify(data["ura_extract"], data["ura_codes"], data["ura_categories"])


@pytest.fixture(scope="module")
def rows(data):
    s = data["statements"].fillna({"pilot_id": "", "conflict": ""})
    return s[s["dataset"] == "ura_extract"].set_index("id")


def _holds(rows, sid, frame, context) -> bool:
    r = rows.loc[sid]
    return rs.check(r["rule"], frame, r["pilot_id"] or None, context)


def test_every_statement_holds_on_the_shipped_extract_or_names_why_it_cannot(rows, data, context):
    assert len(rows) >= 25
    failing = [sid for sid in rows.index if not _holds(rows, sid, data["ura_extract"], context)]
    assert failing and all(rows.loc[sid, "conflict"] for sid in failing), failing
    # a statement listed as impossible really is false in the data (else the conflict would be wrong)
    assert set(failing) == set(rows.index[rows["conflict"] != ""])


def test_a_statement_fails_on_a_deliberately_altered_extract(rows, data, context):
    extract = data["ura_extract"]
    assert _holds(rows, "ura-33", extract, context) and _holds(rows, "ura-15", extract, context)
    # Pirkanmaa: every participant aged 25-34 employed -> refusers are no longer ahead in every age band
    age = pd.to_numeric(extract["age"])
    young = (extract["pilot_id"] == "pirkanmaa-b2b") & (extract["cohort"] == "participant") & age.between(25, 34)
    altered = extract.assign(employment_code=extract["employment_code"].mask(young, 1))
    assert not _holds(rows, "ura-33", altered, context)
    # Uusimaa hospitality with the cohorts swapped: the participants are no longer the older ones
    hosp = extract["pilot_id"] == "uusimaa-hospitality"
    swapped = extract.assign(cohort=extract["cohort"].mask(hosp, extract["cohort"].map(
        {"participant": "refuser", "refuser": "participant"})))
    assert not _holds(rows, "ura-15", swapped, context)


def test_the_printed_margins_still_match(data, classified):
    table = ura.status_table(classified, data["ura_categories"])
    pub = data["ura_published"]
    shares = pub[pub["measure"] == "status_share"].merge(
        table, on=["pilot_id", "cohort", "dimension", "group", "status"], how="left")
    fig14 = shares[shares["figure"] == "Figure 14"]
    assert len(fig14) == 100 and (np.floor(fig14["share"] + 0.5 + 1e-9) == fig14["value"]).all()
    text = shares[(shares["figure"] != "Figure 14") & shares["qualifier"].isna()]
    assert (text["share"] - text["value"]).abs().max() <= 1.0
    persons = pub[(pub["measure"] == "persons") & pub["pilot_id"].notna()]
    sizes = classified.groupby(["pilot_id", "cohort"]).size()
    assert all(sizes[(r.pilot_id, r.cohort)] == r.value for r in persons.itertuples(index=False))


@pytest.mark.parametrize("pilot_id, needed", [("pirkanmaa-b2b", {"ura-32"}),
                                               ("pohjois-savo-construction", {"ura-05", "ura-06"})])
def test_the_generator_keeps_the_statements_because_they_are_its_constraints(data, rows, pilot_id, needed):
    """A pilot fitted with its statements (strict: every one of them is linear) and without: the
    even spread the generator otherwise makes breaks the report's pattern."""
    specs = synth.pilot_specs(data["ura_published"])[pilot_id]
    rules = [(sid, rule) for sid, rule in synth.statement_rules(data["statements"], pilot_id)
             if rows.loc[sid, "pilot_id"] == pilot_id]
    assert {sid for sid, _ in rules} >= needed
    cats = data["ura_categories"]
    kept = synth._fit_pilot(pilot_id, specs, rules, cats, np.random.default_rng(0), strict=True)
    even = synth._fit_pilot(pilot_id, specs, [], cats, np.random.default_rng(0))
    for sid, rule in rules:
        assert rs.evaluate_rule(rule, kept.assign(pilot_id=pilot_id), pilot_id, cats), sid
    broken = {sid for sid, rule in rules if not rs.evaluate_rule(rule, even.assign(pilot_id=pilot_id), pilot_id, cats)}
    assert needed <= broken
    # the profile's totals are kept either way
    for frame in (kept, even):
        part = frame[frame["cohort"] == "participant"]
        assert round(100 * (part["status"] == "employed").mean()) == specs["participant"].status["employed"]


def _printed(pub, cohort, dimension, group, status) -> float:
    row = pub[(pub["figure"] == "Figure 14") & (pub["measure"] == "status_share") & (pub["cohort"] == cohort)
              & (pub["dimension"] == dimension) & (pub["group"] == group) & (pub["status"] == status)]
    return float(row["value"].iloc[0])


def test_the_conflicts_follow_from_the_printed_figure(rows, data):
    pub = data["ura_published"]
    ages = ura.group_order(data["ura_categories"], "age")
    # ura-26: a printed share p stands for a true share in [p - 0.5, p + 0.5)
    rule, conflict = rows.loc["ura-26", ["rule", "conflict"]]
    limit = float(re.search(r"\) < ([\d.]+) for c", rule).group(1))
    printed = {a: _printed(pub, "participant", "age", a, "employed") for a in ages}
    low, high = min(printed, key=printed.get), max(printed, key=printed.get)
    smallest_gap = (printed[high] - 0.5) - (printed[low] + 0.5)
    assert smallest_gap >= limit
    assert f"{printed[low]:g} %" in conflict and f"{printed[high]:g} %" in conflict
    # ura-29: the refusers' unknown share is printed as 8 %, so it is under 8.5 %
    rule, conflict = rows.loc["ura-29", ["rule", "conflict"]]
    floor = float(re.search(r">= ([\d.]+)$", rule).group(1))
    p = _printed(pub, "refuser", "total", "total", "other_unknown")
    assert p + 0.5 <= floor and f"{p:g} %" in conflict


def test_few_with_basic_education_needs_refusers_without_a_recorded_education(rows, data, classified):
    """What the assumptions say: Figure 14's refusers and 'few with basic education' (ura-23, its
    clause about refusers) cannot both hold if every refuser has a recorded education; they can with
    as many without one as the shipped extract has."""
    spec = synth.pilot_specs(data["ura_published"])["uusimaa-ict"]["refuser"]
    refusers = classified[(classified["pilot_id"] == "uusimaa-ict") & (classified["cohort"] == "refuser")]
    no_age, no_education = int(refusers["age_band"].isna().sum()), int(refusers["education"].isna().sum())
    rule = [("ura-23", rows.loc["ura-23", "rule"])]
    cats = data["ura_categories"]
    with pytest.raises(RuntimeError, match="cannot all be met"):
        synth._solve("uusimaa-ict", {"refuser": spec}, rule, cats,
                     {("refuser", "sex"): 0, ("refuser", "age"): no_age, ("refuser", "education"): 0}, strict=False)
    synth._solve("uusimaa-ict", {"refuser": spec}, rule, cats,
                 {("refuser", "sex"): 0, ("refuser", "age"): no_age, ("refuser", "education"): no_education},
                 strict=False)


def test_the_assumptions_give_the_unrecorded_as_the_extract_has_them(classified):
    text = " ".join(synth.ASSUMPTIONS)
    ict = classified[classified["pilot_id"] == "uusimaa-ict"]
    ref, part = ict[ict["cohort"] == "refuser"], ict[ict["cohort"] == "participant"]
    age = float(re.search(r"about ([\d.]+) % of the Uusimaa ICT refusers have no recorded age", text).group(1))
    education = float(re.search(r"leaves about ([\d.]+) % of them\s+without one", text).group(1))
    assert abs(100 * ref["age_band"].isna().mean() - age) < 0.5
    assert abs(100 * ref["education"].isna().mean() - education) < 0.5
    assert "one participant no recorded education" in text
    assert part["education"].isna().sum() == 1 and part["age_band"].isna().sum() == 0


# --------------------------------------------------------------------------- the rule language


@pytest.fixture(scope="module")
def small(context):
    """A constructed extract: pilot x, 20 participants (10 employed, all aged 30), 20 refusers (5 employed)."""
    rows = []
    for cohort, employed in (("participant", 10), ("refuser", 5)):
        for k in range(20):
            rows.append({"person_id": f"{cohort}{k}", "pilot_id": "x", "cohort": cohort, "sex": "female",
                         "age": 30 if cohort == "participant" or k < 10 else 55, "education": "tertiary",
                         "employment_code": 1 if k < employed else 2, "end_reason": None})
    return ura.classify(pd.DataFrame(rows), context["ura_codes"], context["ura_categories"])


def test_check_reads_shares_parts_counts_and_standardised_shares(small, context):
    def check(rule):
        return rs.check(rule, small, "x", context)

    assert check("share('employed', 'participant') > share('employed', 'refuser') + 24")
    assert not check("share('employed', 'participant') > share('employed', 'refuser') + 25")
    assert check("part('participant', 'age=25_34') >= 100 and part('refuser', 'age=50_plus') <= 50")
    assert check("9 < count('refuser', 'age=50_plus') < 11")
    # the refusers aged 25-34 are all employed (5 of 10): standardised to the participants (all 25-34), 50 %
    assert check("49.9 < std('employed', 'refuser', by='age', to='participant') < 50.1")
    assert check("all(share('employed', c) > 20 for c in ('participant', 'refuser'))")
    assert check("any(share('employed', c) > 40 for c in ('participant', 'refuser'))")
    assert not check("share('employed', 'participant', 'education=basic') >= 0")  # an empty group: undefined


@pytest.mark.parametrize("rule", [
    "count('participant', '') == 1",
    "share('employed', 'participant', 'age=25-34') > 1",
    "share('working', 'participant') > 1",
    "share('employed', 'members') > 1",
    "__import__('os').system('true')",
    "share('employed', 'participant') >",
])
def test_a_rule_the_language_cannot_read_is_refused_by_name(small, context, rule):
    with pytest.raises(ValueError, match="rule"):
        rs.check(rule, small, "x", context)


def test_a_rule_becomes_linear_constraints_with_fixed_group_sizes(context):
    cats = context["ura_categories"]
    sizes = {("participant", ("25_34",)): 40, ("refuser", ("25_34",)): 200}

    def fixed(atom):
        return sizes.get((atom.cohort, atom.groups))

    rule = "share('employed', 'participant', 'age=25_34') > share('employed', 'refuser', 'age=25_34') + 2"
    (c,) = rs.constraints(rule, "x", fixed, cats, margin=0.5)
    coeffs = {(a.cohort, a.statuses): v for a, v in c.coeffs}
    assert coeffs == {("participant", ("employed",)): pytest.approx(-100 / 40),
                      ("refuser", ("employed",)): pytest.approx(100 / 200)}
    assert c.low == -math.inf and c.high == pytest.approx(-2.5)
    # a part whose base (those with a recorded level) is not fixed, against a number:
    # 100 basic / recorded < 10 - margin  is  100 basic - 9.5 recorded <= 0
    (c,) = rs.constraints("part('participant', 'education=basic') < 10", "x", lambda a: None, cats, margin=0.5)
    assert {a.groups: v for a, v in c.coeffs} == {("basic",): 100.0, ("basic", "secondary", "tertiary"): -9.5}
    assert c.high == 0
    for rule in ("any(share('employed', c) > 1 for c in ('participant', 'refuser'))",
                 "not share('employed', 'participant') > 1",
                 "part('participant', 'age=25_34') > part('refuser', 'age=25_34')"):
        with pytest.raises(rs.NotLinear):
            rs.constraints(rule, "x", lambda a: None, cats)


# --------------------------------------------------------------------------- the warning beside a reversal


def _published(pairs: dict[str, tuple[float, float]]) -> pd.DataFrame:
    rows = [{"figure": "chapter 4.2", "pilot_id": p, "cohort": c, "dimension": "total", "group": "total",
             "measure": "status_share", "status": "employed", "value": v, "qualifier": None}
            for p, (vp, vr) in pairs.items() for c, v in (("participant", vp), ("refuser", vr))]
    return pd.DataFrame(rows)


def test_the_warning_appears_exactly_when_a_result_reverses_the_report(pilots):
    printed = _published({"uusimaa-ict": (40, 30), "pirkanmaa-b2b": (30, 45), "uusimaa-hospitality": (38, 34)})
    results = pd.DataFrame({"pilot_id": ["uusimaa-ict", "pirkanmaa-b2b", "uusimaa-hospitality"],
                            "difference_standardised": [-3.0, -8.0, math.nan]})
    notes = synthetic_notes.standardised_warnings(results, printed, pilots)
    assert len(notes) == 1
    text = notes[0].markdown
    assert "depends on the synthetic data" in text and "40 %" in text and "30 %" in text
    assert "point both ways" not in text  # no group shares printed in this toy report
    # with group shares printed both ways, the warning says the report's own numbers are mixed
    groups = pd.DataFrame([{"figure": "Figure 14", "pilot_id": "uusimaa-ict", "cohort": c, "dimension": "education",
                            "group": g, "measure": "status_share", "status": "employed", "value": v, "qualifier": None}
                           for g, vp, vr in (("secondary", 33, 37), ("tertiary", 45, 41))
                           for c, v in (("participant", vp), ("refuser", vr))])
    mixed = synthetic_notes.standardised_warnings(results, pd.concat([printed, groups]), pilots)[0].markdown
    assert "refusers are ahead in 1 (education secondary) and the participants in 1" in mixed
    assert "our reading of the garbled figure" not in mixed
    # with the categories' labels, and a printed value whose group is inferred
    noted = pd.concat([printed, groups.assign(note=["order inferred", "", "", ""])])
    named = synthetic_notes.standardised_warnings(results, noted, pilots,
                                                  labels={"secondary": "Upper secondary education"})[0].markdown
    assert "refusers are ahead in 1 (upper secondary education)" in named
    assert "partly our reading of the garbled figure" in named
    assert "real extract" in text and ":class: warning" in text
    # the same direction as the report: no warning
    agree = results.assign(difference_standardised=[3.0, -8.0, 1.0])
    assert synthetic_notes.standardised_warnings(agree, printed, pilots) == []


def test_the_warning_names_the_unrecorded_refusers_only_when_they_drive_it(pilots, context):
    printed = _published({"uusimaa-ict": (40, 30)})
    results = pd.DataFrame({"pilot_id": ["uusimaa-ict"], "difference_standardised": [-3.0]})

    def extract(unrecorded_employed: bool):
        rows = [{"pilot_id": "uusimaa-ict", "cohort": "refuser", "sex": "male", "age": 40, "education": "basic",
                 "employment_code": 1 if k < 5 else 2, "end_reason": None} for k in range(10)]
        rows += [{"pilot_id": "uusimaa-ict", "cohort": "refuser", "sex": "male", "age": None, "education": "basic",
                  "employment_code": 1 if unrecorded_employed else 2, "end_reason": None} for _ in range(10)]
        return ura.classify(pd.DataFrame(rows), context["ura_codes"], context["ura_categories"])

    (with_cause,) = synthetic_notes.standardised_warnings(results, printed, pilots, extract(False))
    (without,) = synthetic_notes.standardised_warnings(results, printed, pilots, extract(True))
    assert "without a recorded age or education" in with_cause.markdown
    assert "without a recorded age or education" not in without.markdown


def test_the_shipped_reversal_is_found_from_the_data(data, classified, pilots):
    standardised = ura.standardised(classified)
    notes = synthetic_notes.standardised_warnings(standardised, data["ura_published"], pilots, classified)
    printed = synthetic_notes.printed_differences(data["ura_published"])
    both = standardised.merge(printed, on="pilot_id")
    reversed_ = both[np.sign(both["difference_standardised"]) * np.sign(both["printed_difference"]) < 0]
    assert len(notes) == len(reversed_)
    for note, r in zip(notes, reversed_.itertuples(index=False)):
        assert f"{r.printed_participants:g} %" in note.markdown and f"{r.printed_refusers:g} %" in note.markdown
