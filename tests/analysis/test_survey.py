"""The survey chapters: codebook, SYNTHETIC answers, reproduction of every printed value,
disclosure control, the office tests and the notebooks' prose."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

from pilotbook import settings
from pilotbook.analysis import satisfaction, statistics
from pilotbook.analysis import survey as sv
from pilotbook.contracts.office_split import fit_actions, office_split_fit
from pilotbook.synth import satisfaction as synth_satisfaction
from pilotbook.synth import survey as synth_survey
from pilotbook.io.catalog import load


@pytest.fixture(scope="module")
def data(root):
    names = ("survey_published", "satisfaction_published", "survey_codebook", "outcomes", "pilots",
             "survey_nonparticipants", "satisfaction_pirkanmaa")
    return {n: load(n, root / "data") for n in names}


@pytest.fixture(scope="module")
def codebook(data):
    return sv.Codebook(data["survey_codebook"])


@pytest.fixture(scope="module")
def answers(data):
    return synth_survey.generate_nonparticipants(data["survey_published"], data["survey_codebook"])


@pytest.fixture(scope="module")
def customers(data):
    return synth_satisfaction.generate_satisfaction(data["satisfaction_published"], data["survey_codebook"], data["outcomes"])


# --------------------------------------------------------------------------- the shipped files


@pytest.mark.parametrize("name, fixture", [("survey_nonparticipants", "answers"), ("satisfaction_pirkanmaa", "customers")])
def test_shipped_examples_are_exactly_what_the_generator_makes(root, request, name, fixture):
    frame = request.getfixturevalue(fixture)
    shipped = (root / "data" / "example" / f"{name}.csv").read_text(encoding="utf-8")
    assert shipped == frame.to_csv(index=False, lineterminator="\n"), f"data/example/{name}.csv is stale: run `pilotbook synth`"


def test_every_row_is_synthetic_with_a_unique_id(answers, customers):
    for frame in (answers, customers):
        assert frame["synthetic"].all()
        assert frame["respondent_id"].is_unique
    assert len(customers) == 202
    assert 740 <= len(answers) <= 780


def test_the_offices_have_the_printed_respondents(data, answers, codebook):
    counts = answers["office"].value_counts()
    for office in codebook.offices():
        printed = sv.printed_value(data["survey_published"], question="survey", office=office, measure="respondents")
        assert counts[office] == printed


# --------------------------------------------------------------------------- every printed value


def test_every_printed_survey_value_is_reproduced(data, answers, codebook):
    """Counts exactly, shares within rounding (words and 'about' within 3 points); the only rows
    that differ are the office shares the contracts flag as the report's own inconsistency."""
    rep = sv.reproduce_survey(data["survey_published"], answers, codebook)
    assert len(rep) == len(data["survey_published"])
    missing = rep[rep["status"] == "not in the microdata"]
    assert set(missing["question"]) <= {"reason_not_joining_open_answers", "development_suggestions_open_answers"}
    counts = rep[rep["measure"].isin(["count", "respondents"]) & (rep["status"] != "not in the microdata")]
    assert (counts["computed"] == counts["printed"]).all(), counts[counts["computed"] != counts["printed"]]
    split = office_split_fit(data["survey_published"])
    flagged = set(zip(split.loc[split["gap"] > 0, "office"], split.loc[split["gap"] > 0, "question"],
                      split.loc[split["gap"] > 0, "response"]))
    differs = rep[rep["status"] == "differs"]
    assert set(zip(differs["office"], differs["question"], differs["response"])) == flagged
    assert ((differs["computed"] - differs["printed"]).abs() < 1.0).all(), differs
    matched = rep[rep["status"] == "matches"]
    assert len(matched) == len(rep) - len(missing) - len(differs)


def test_the_figure_2_office_shares_cannot_all_hold(data, codebook):
    """No split of Figure 2 by office meets every printed office share: the best one still misses."""
    sizes = {o: int(sv.printed_value(data["survey_published"], question="survey", office=o, measure="respondents"))
             for o in codebook.offices()}
    table, miss = fit_actions(data["survey_published"], codebook.offices(), sizes, codebook.categories(sv.ACTION))
    assert miss > 0
    for category in codebook.categories(sv.ACTION):  # while the figure's counts hold exactly
        printed = sv.printed_value(data["survey_published"], figure="Figure 2", office="all", question=sv.ACTION,
                                   response=category, measure="count")
        assert sum(t[category] for t in table.values()) == printed
    assert all(sum(t.values()) <= sizes[o] for o, t in table.items())


def test_every_printed_customer_survey_value_is_reproduced(data, customers, codebook):
    pilot = codebook.surveyed_pilot("satisfaction")
    rep = satisfaction.reproduce(data["satisfaction_published"], customers, pilot)
    assert len(rep) == len(data["satisfaction_published"])
    mine = rep[rep["pilot_id"] == pilot]
    assert len(mine) > 5 and (mine["status"] == "matches").all(), mine
    others = rep[rep["pilot_id"] != pilot]
    assert (others["status"] == "not in the microdata").all()
    means = mine[mine["statistic"] == "mean"].set_index("item")
    for item in ("statement_delivered_professionally", "statement_met_needs", "statement_got_more_than_te_office",
                 "overall_grade", "effect_grade_employed"):
        assert abs(means.at[item, "computed"] - means.at[item, "printed"]) < 0.05, item


def test_figure_7_means_leave_out_cant_say_and_pair_in_print_order(data, customers, codebook):
    fig7 = data["satisfaction_published"]
    fig7 = fig7[fig7["figure"] == "Figure 7"].sort_values("ref_line")
    labels = codebook.items("satisfaction", figure="Figure 7").sort_values("ref_line")
    assert list(fig7["item"]) == list(labels["name"]), "values and labels are paired in the order the dump prints them"
    for item, printed in zip(fig7["item"], fig7["value"]):
        values = customers[item]
        assert (values == codebook.cant_say("agree5_ends")).sum() > 0
        assert round(values[values <= 5].mean(), 1) == printed


def test_a_different_seed_changes_rows_but_not_the_printed_values(data, answers, codebook):
    other = synth_survey.generate_nonparticipants(data["survey_published"], data["survey_codebook"], seed=7)
    assert not other.equals(answers)
    a = sv.reproduce_survey(data["survey_published"], answers, codebook)
    b = sv.reproduce_survey(data["survey_published"], other, codebook)
    assert (a["status"] == b["status"]).all()


# --------------------------------------------------------------------------- codebook


def _normalise(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def test_every_finnish_text_is_printed_where_the_codebook_says(data, report_lines):
    cb = data["survey_codebook"]
    rows = cb[cb["wording"].isin(["printed", "truncated"])]
    assert len(rows) > 40
    missing = []
    for r in rows.itertuples(index=False):
        window = report_lines[int(r.ref_line) - 1: int(r.ref_line) + 3]
        joined = _normalise(" ".join(window))
        dehyphenated = _normalise(re.sub(r"-\s*\n\s*", "", "\n".join(window)))
        if _normalise(r.label_fi) not in joined and _normalise(r.label_fi) not in dehyphenated:
            missing.append(f"{r.kind} {r.name} {r.code}: {r.label_fi!r} not at line {r.ref_line}")
    assert not missing, "\n".join(missing)


def test_codebook_scales_keep_cant_say_apart(codebook):
    assert codebook.scale_points("agree5") == [1, 2, 3, 4, 5]
    assert codebook.cant_say("agree5") == 9 and codebook.cant_say("agree5_ends") == 9
    assert codebook.agree_codes("agree5") == [4, 5]
    assert codebook.scale_points("grade10") == list(range(1, 11))


def test_every_office_is_mapped_to_pilots_of_pilots_csv(data, codebook):
    pilots = set(data["pilots"]["pilot_id"])
    for office in codebook.offices():
        assert codebook.invited_to(office) and set(codebook.invited_to(office)) <= pilots
    assert codebook.offices_of("pirkanmaa-b2b") == ["pirkanmaa"]
    assert codebook.offices_of("hame-50plus") == []
    assert codebook.surveyed_pilot("satisfaction") == "pirkanmaa-b2b"
    assert "other" in codebook.offices(analysed_only=False) and "other" not in codebook.offices()


def test_contract_parameters_come_from_the_codebook(data):
    from pilotbook.io.codebook import PARAMETER_NAMES, codebook_parameters

    params = codebook_parameters(data["survey_codebook"])
    assert params["survey_scale_agree5"] == [1, 2, 3, 4, 5, 9]
    assert "ict" in params["survey_codes_field_of_work"]
    assert set(PARAMETER_NAMES) <= set(params)
    assert all(v == [] for v in codebook_parameters(None).values())


# --------------------------------------------------------------------------- contracts


@pytest.mark.parametrize("column, value, rule", [
    ("reason_not_joining_bad_reputation", "7", "agree5 scale"),
    ("office", "lappi", "office of the codebook"),
    ("synthetic", "False", "marked synthetic"),
])
def test_bad_survey_answers_are_refused_with_the_rule(data_copy, root, column, value, rule):
    from pilotbook.contracts.validate import validate

    path = data_copy / "example" / "survey_nonparticipants.csv"
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    frame.loc[3, column] = value
    frame.to_csv(path, index=False, lineterminator="\n")
    report = validate(data_copy, root / "data_contracts")
    errors = [f for f in report.findings if f.is_error]
    assert any(rule in f.rule and f.columns == [column] for f in errors), report.render()
    assert any("line 5" in s for f in errors for s in f.samples)


def test_an_effect_grade_from_someone_not_employed_is_refused(data_copy, root):
    from pilotbook.contracts.validate import validate

    path = data_copy / "example" / "satisfaction_pirkanmaa.csv"
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    row = frame.index[frame["employed_at_end"] == "False"][0]
    frame.loc[row, "effect_grade_employed"] = "6"
    frame.to_csv(path, index=False, lineterminator="\n")
    report = validate(data_copy, root / "data_contracts")
    assert any(f.is_error and "only respondents employed" in f.rule for f in report.findings), report.render()


def test_the_office_split_inconsistency_is_a_warning_of_the_report(root):
    from pilotbook.contracts.validate import validate

    report = validate(root / "data", root / "data_contracts")
    assert report.ok
    found = [f for f in report.findings if f.suite == "survey_published.office_split"]
    assert len(found) == 1 and not found[0].is_error and found[0].report_inconsistency
    assert found[0].unexpected_count >= 1


# --------------------------------------------------------------------------- disclosure, tests, means


def test_small_cells_are_masked_and_cannot_be_recovered_by_subtraction():
    frame = pd.DataFrame({"group": ["a"] * 4 + ["b"] * 2, "code": list("wxyz") + list("wx"),
                          "count": [1, 14, 43, 0, 5, 3], "n": [58] * 4 + [8] * 2})
    frame["share"] = 100 * frame["count"] / frame["n"]
    out = sv.protect_distribution(frame, min_n=10)
    a = out[out["group"] == "a"].set_index("code")
    assert pd.isna(a.at["w", "count"]) and pd.isna(a.at["w", "share"])  # 1 person: masked
    assert pd.isna(a.at["x", "count"])  # secondary: 1 alone could be recovered from N
    assert a.at["y", "count"] == 43 and a.at["z", "count"] == 0
    assert out[out["group"] == "b"]["suppressed"].all()  # a group under 10 is suppressed whole
    assert out[out["group"] == "b"][["count", "share"]].isna().all().all()


def test_a_likert_bar_with_a_small_cell_is_suppressed_whole(codebook):
    answers = pd.DataFrame({"office": ["x"] * 40, "q": [1] * 10 + [2] * 10 + [3] * 10 + [4] * 6 + [5] * 4})
    item = sv.LikertItem("q", "Q", "agree5")
    out = sv.likert(answers, [item], codebook, min_n=10)
    assert out["suppressed"].all() and out["share"].isna().all()
    answers["q"] = [1] * 10 + [2] * 10 + [3] * 10 + [4] * 10
    out = sv.likert(answers, [item], codebook, min_n=10)
    assert not out["suppressed"].any()
    assert out.loc[out["code"] == 9, "count"].iloc[0] == 0  # can't say is its own row
    assert out["share"].sum() == pytest.approx(100)


def test_office_test_uses_chi_square_or_fisher_as_the_counts_require(codebook):
    extra = pd.DataFrame([{"survey": "nonparticipants", "kind": "item", "name": "q", "code": "", "scale": "agree5",
                           "figure": "", "label_fi": "", "label_en": "Q", "wording": "not_printed", "source": "",
                           "ref_line": 1, "note": ""}])
    cb = sv.Codebook(pd.concat([codebook.frame, extra], ignore_index=True))

    def answers(**offices):  # office -> (agreeing, not agreeing)
        rows = [(o, code) for o, (k, m) in offices.items() for code in [5] * k + [1] * m]
        return pd.DataFrame(rows, columns=["office", "q"])

    chi = sv.office_test(answers(a=(60, 60), b=(36, 36)), "q", cb, ["a", "b"])
    assert chi["test"] == "Pearson's chi-square test" and chi["p_value"] == pytest.approx(1.0)
    assert chi["min_expected"] >= settings.current().min_expected
    fisher = sv.office_test(answers(a=(60, 40), b=(1, 5)), "q", cb, ["a", "b"])
    assert fisher["test"] == "Fisher's exact test" and fisher["min_expected"] < settings.current().min_expected
    from scipy.stats import fisher_exact

    assert fisher["p_value"] == pytest.approx(fisher_exact([[60, 40], [1, 5]]).pvalue)
    assert sv.office_test(answers(a=(60, 40)), "q", cb, ["a", "b"])["test"].startswith("not computable")


def test_mean_interval_is_the_t_interval():
    x = pd.Series([1, 2, 3, 4, 5, 9])
    out = statistics.mean_ci(x[x <= 5])
    assert out["n"] == 5 and out["mean"] == 3
    from scipy import stats

    half = stats.t.ppf(0.975, 4) * np.std([1, 2, 3, 4, 5], ddof=1) / np.sqrt(5)
    assert out["ci_low"] == pytest.approx(3 - half) and out["ci_high"] == pytest.approx(3 + half)


# --------------------------------------------------------------------------- the notebooks


def test_the_open_answers_are_never_quoted(root, report_lines):
    """No invented voices: the chapters quote nothing (the report's quotes are in ” marks)."""
    for name in ("survey", "satisfaction"):
        text = (root / "notebooks" / f"{name}.ipynb").read_text(encoding="utf-8")
        assert "”" not in text and "“" not in text, name


# --------------------------------------------------------------------------- the built site


@pytest.fixture(scope="module")
def site_data(root):
    import os

    from pilotbook.paths import Project

    project = Project(root)
    folder = project.site / "data"
    assert (folder / "index.csv").is_file(), "no built site: run `make book` (make test does) first"
    return folder, project.resolve_data(os.environ.get("PILOTBOOK_DATA") or None)


def test_the_published_figures_carry_the_printed_counts_and_means(site_data):
    folder, data_dir = site_data
    published = load("survey_published", data_dir)
    for n, question in ((1, "field_of_work"), (2, sv.ACTION)):
        fig = pd.read_csv(folder / f"report-figure-{n}.csv").set_index("code")
        printed = published[(published["figure"] == f"Figure {n}") & (published["measure"] == "count")]
        assert len(printed) > 0
        primary = secondary = 0
        for r in printed.itertuples(index=False):
            shown = fig.at[r.response, "count"]
            if fig.at[r.response, "masked"]:  # disclosure control: small, or revealing a small one by subtraction
                assert pd.isna(shown)
                primary, secondary = primary + (r.value < 10), secondary + (r.value >= 10)
                continue
            assert shown == r.value, (n, r.response)
            share = published[(published["figure"] == f"Figure {n}") & (published["response"] == r.response)
                              & (published["measure"] == "share")]
            for s in share["value"]:
                assert abs(fig.at[r.response, "share"] - s) <= 0.5 + 1e-9, (n, r.response)
        assert secondary <= primary, n
    fig7 = pd.read_csv(folder / "report-figure-7.csv").set_index("item")
    sat = load("satisfaction_published", data_dir)
    for r in sat[sat["figure"] == "Figure 7"].itertuples(index=False):
        assert abs(fig7.at[r.item, "mean"] - r.value) <= sv.TOLERANCE_MEAN, r.item
        assert fig7.at[r.item, "ci_low"] < fig7.at[r.item, "mean"] < fig7.at[r.item, "ci_high"]


def test_the_published_check_tables_cover_every_printed_value(site_data):
    folder, data_dir = site_data
    for exhibit, dataset in (("survey-reproduction", "survey_published"),
                             ("satisfaction-reproduction", "satisfaction_published")):
        rep = pd.read_csv(folder / f"{exhibit}.csv")
        assert len(rep) == len(load(dataset, data_dir)), exhibit
        agreed = {"matches", sv.SPLIT_DIFFERS}
        allowed = agreed | {"not in the microdata"} | {sv.suppressed_status(status=s) for s in agreed}
        assert set(rep["status"]) <= allowed, rep[~rep["status"].isin(allowed)]
        assert rep.loc[rep["status"].str.contains("withheld"), "computed"].isna().all()
        counts = rep[rep["status"].str.startswith("matches")]
        assert len(counts) > 0.8 * len(rep) - 3, exhibit


def test_no_survey_exhibit_publishes_a_person_or_a_small_count(site_data):
    folder, _ = site_data
    index = pd.read_csv(folder / "index.csv")
    ours = index[index["notebook"].str.startswith(("survey.ipynb", "satisfaction.ipynb"))]
    assert len(ours) >= 14
    for row in ours.itertuples(index=False):
        frame = pd.read_csv(folder / f"{row.id}.csv")
        assert "respondent_id" not in frame.columns, row.id
        for column in ("count", "agree", "n"):
            if column in frame.columns:
                values = pd.to_numeric(frame[column], errors="coerce")
                assert not ((values > 0) & (values < 10)).any(), (row.id, column)
        # the codebook and the table of facts the chapter cites are published data, not answers
        assert "SYNTHETIC" in row.title or row.id == "survey-codebook" or row.id.startswith("theme-"), row.id
