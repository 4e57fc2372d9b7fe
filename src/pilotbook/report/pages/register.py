"""The register chapter (``ura.ipynb``): Table 2, Figures 10-15 and the analysis the report could not do.

Every function takes the data frames that :mod:`pilotbook.analysis.register` computed (already
through disclosure control) and returns :class:`~pilotbook.report.exhibits.Exhibit` objects: the
frame as data, the formatted table the reader sees, caption and report reference.  Nothing here
reads or writes files or displays anything.  All the data are SYNTHETIC and every title says so.
"""

from __future__ import annotations

import pandas as pd

from pilotbook import settings
from pilotbook.analysis import disclosure
from pilotbook.analysis import register
from pilotbook.analysis.register import status_order
from pilotbook.analysis.results import pilot_labels, pilot_row
from pilotbook.report import figures
from pilotbook.report.exhibits import Exhibit
from pilotbook.report.formatting import fmt_number

SAMPLE_SIZE_PREFIX = "n_per_arm_for_"  # power_table's column, e.g. n_per_arm_for_5_points
COHORT_PLURAL = {"participant": "participants", "refuser": "refusers"}
DIMENSION_LABELS = {"sex": "Sex", "age": "Age", "education": "Education"}


# --------------------------------------------------------------------------- labels and settings


# The report formed a comparison group of those who refused for some pilots only (text dump lines 1717-1720):
# not that a pilot had no refusers.
NO_COMPARISON_GROUP = "no comparison group of refusers in the data"

def category_labels(categories: pd.DataFrame, lang: str = "en") -> dict[str, str]:
    """category -> label (statuses, sexes, age bands, education levels) from ura_categories.csv."""
    column = f"label_{lang}" if f"label_{lang}" in categories.columns else "label_en"
    return dict(zip(categories["category"], categories[column])) | {"total": "All"}


WITHHELD = "withheld"  # a statistic left out by disclosure control


def _pct(v: float) -> str:
    return WITHHELD if v != v else f"{v:.1f} %"


def _points(v: float) -> str:
    return WITHHELD if v != v else f"{v:+.1f}"


def _percent(fraction: float) -> str:
    return f"{100 * fraction:g} %"


def _unmasked(frame: pd.DataFrame) -> pd.DataFrame:
    """A protected table as published: without the ``*_masked`` bookkeeping columns."""
    return frame.drop(columns=[c for c in frame.columns if c.endswith("_masked")])


def glue_values(sizes: pd.DataFrame) -> dict[str, str]:
    """The numbers of the chapter's prose, from :func:`pilotbook.analysis.register.cohort_sizes`."""
    cohorts = sizes.groupby("pilot_id")["cohort"].nunique()
    return {"ura_persons": disclosure.count_text(int(sizes["n"].sum())), "ura_pilots": str(len(cohorts)),
            "ura_pilots_with_refusers": str(int((cohorts == 2).sum())),
            "min_cell": str(disclosure.min_cell()),
            "detect_points": fmt_number(100 * settings.current().detect_difference)}


# --------------------------------------------------------------------------- Table 2 and Figures 10-15


def table_2(composition: pd.DataFrame, pilots: pd.DataFrame, categories: pd.DataFrame, lang: str = "en") -> Exhibit:
    """Table 2 from :func:`~pilotbook.analysis.register.composition_table`, laid out as the report's:
    one row per group (sex, age band, education level), participants and refusers side by side, the
    rows of each pilot under a heading that names it and its cohorts' sizes, and under it a heading
    per characteristic (``shown`` keeps both as columns: ``row_groups``).

    A share disclosure control withholds reads 'withheld'; a group the cohort has nobody in (no row
    in the data) reads '0 %' when the pilot's other cohort has someone in it (a group nobody in the pilot
    belongs to has no row); a pilot with no comparison group of refusers in the data says
    so in its heading and has '–' in the refusers' column.
    """
    names, labels = pilot_labels(pilots), category_labels(categories, lang)
    dimensions = [d for d in dict.fromkeys(categories["dimension"]) if d in set(composition["dimension"])]
    order = {c: i for i, c in enumerate(categories.sort_values(["dimension", "order"])["category"])}
    cells = composition.set_index(["pilot_id", "cohort", "dimension", "group"])
    rows = []
    for pilot_id in register.pilots_with_data(pilots, composition):
        mine = composition[composition["pilot_id"] == pilot_id]
        cohorts = set(mine["cohort"])
        sizes = mine[mine["dimension"] == dimensions[0]].groupby("cohort")["n"].first()
        heading = names[pilot_id] + ": " + ", ".join(
            f"{disclosure.count_text(sizes.get(c))} {COHORT_PLURAL[c]}" for c in ("participant", "refuser") if c in cohorts)
        if "refuser" not in cohorts:
            heading += f" ({NO_COMPARISON_GROUP})"
        for dimension in dimensions:
            groups = sorted(set(mine.loc[mine["dimension"] == dimension, "group"]), key=lambda g: order.get(g, 99))
            for group in groups:
                row = {"Pilot": heading, "Characteristic": DIMENSION_LABELS.get(dimension, dimension),
                       "Group": labels.get(group, group)}
                for cohort in ("participant", "refuser"):
                    key = (pilot_id, cohort, dimension, group)
                    if cohort not in cohorts:
                        text = "–"
                    elif key not in cells.index:
                        text = "0 %"
                    else:
                        share = cells.at[key, "share"]
                        text = WITHHELD if share != share else f"{share:.0f} %"
                    row[COHORT_PLURAL[cohort].capitalize()] = text
                rows.append(row)
    shown = pd.DataFrame(rows, columns=["Pilot", "Characteristic", "Group", "Participants", "Refusers"])
    return Exhibit(
        "report-table-2", "Participants and refusers by sex, age and education (% of the cohort, SYNTHETIC)",
        composition, shown=shown, report_ref="Table 2", row_groups=("Pilot", "Characteristic"),
        ref_note=("Arranged after the title of Table 2 of the report (text dump lines 1739-1740: participants and "
                  "those who refused, by sex, age and level of education, in per cent); the table itself is not "
                  "legible in our copy. The text's statements about these groups are checked in the reproduction "
                  "appendix."),
        caption=(f"SYNTHETIC extract. Each group as a share of its cohort. A share that would let a count of fewer "
                 f"than {disclosure.min_cell()} persons be worked out is withheld; '0 %' is a group with nobody "
                 "in it in one cohort, and a group nobody in the pilot belongs to has no row. The few persons with no recorded age or education are left out of those groups."))


def status_figure(status_shares: pd.DataFrame, pilot_id: str, pilots: pd.DataFrame, categories: pd.DataFrame,
                  lang: str = "en") -> Exhibit:
    """One pilot's stacked status bars by group (the report's Figures 10-15), from protected shares."""
    pilot = pilot_row(pilots, pilot_id)
    name, labels = pilot_labels(pilots)[pilot_id], category_labels(categories, lang)
    number = str(pilot["ura_figure"]).split()[-1] if isinstance(pilot["ura_figure"], str) else None
    part = status_shares[status_shares["pilot_id"] == pilot_id]
    drawn = figures.status_bars(part, status_order(categories), labels, labels,
                                f"{name} (SYNTHETIC register data)", disclosure.min_cell(), lang)
    return Exhibit.figure(
        f"report-figure-{number}" if number else f"ura-{pilot_id}",
        f"{name}: labour-market status at the end of follow-up, by group", drawn, _unmasked(part),
        report_ref=f"Figure {number}" if number else "",
        caption="SYNTHETIC extract classified by the rules of chapter 4.2. Percentages of each group.")


def status_figures(status_shares: pd.DataFrame, pilot_ids: list[str], pilots: pd.DataFrame,
                   categories: pd.DataFrame, lang: str = "en") -> list[Exhibit]:
    """:func:`status_figure` for each pilot of ``pilot_ids``, in that order."""
    return [status_figure(status_shares, p, pilots, categories, lang) for p in pilot_ids]


# --------------------------------------------------------------------------- uncertainty (our analysis)


def shares_table(total_shares: pd.DataFrame, pilots: pd.DataFrame, categories: pd.DataFrame,
                 lang: str = "en") -> Exhibit:
    """Every status share of every cohort with its Wilson interval (protected totals)."""
    names, labels = pilot_labels(pilots), category_labels(categories, lang)
    level = _percent(settings.current().confidence)
    shown = pd.DataFrame({
        "Pilot": total_shares["pilot_id"].map(names), "Cohort": total_shares["cohort"],
        "Status": total_shares["status"].map(labels),
        f"Share ({level} interval)": [f"{s:.1f} % ({lo:.1f}–{hi:.1f})" if s == s else "–"
                                      for s, lo, hi in zip(total_shares["share"], total_shares["ci_low"],
                                                           total_shares["ci_high"])],
    })
    return Exhibit("ura-shares-intervals", f"Every status share with its Wilson {level} interval (SYNTHETIC)",
                   _unmasked(total_shares), shown=shown)


def differences_table(differences: pd.DataFrame, pilots: pd.DataFrame, categories: pd.DataFrame,
                      lang: str = "en") -> Exhibit:
    """Participants minus refusers with Newcombe intervals, from
    :func:`~pilotbook.analysis.register.protect_differences` (one status)."""
    names, labels = pilot_labels(pilots), category_labels(categories, lang)
    level = _percent(settings.current().confidence)
    status = differences["status"].iloc[0] if len(differences) else "employed"
    d = differences
    shown = pd.DataFrame({
        "Pilot": d["pilot_id"].map(names),
        "Group": d["group"].map(labels).fillna(d["group"]),
        "Participants": [f"{p:.0f} %" if p == p else "–" for p in d["share_p"]],
        "Refusers": [f"{p:.0f} %" if p == p else "–" for p in d["share_r"]],
        f"Difference ({level} interval)": [
            f"{v:+.1f} ({lo:+.1f} to {hi:+.1f})" if v == v else WITHHELD
            for v, lo, hi in zip(d["difference"], d["ci_low"], d["ci_high"])],
    })
    return Exhibit(
        "ura-differences", f"{labels.get(status, status)}: participants minus refusers, with {level} intervals (SYNTHETIC)",
        differences, shown=shown,
        caption=("Wilson intervals for each share (in the CSV) and Newcombe's interval for the difference, in "
                 "percentage points."))


def standardised_table(standardised: pd.DataFrame, pilots: pd.DataFrame, lang: str = "en") -> Exhibit:
    """The share employed with the refusers reweighted to the participants' mix."""
    level = _percent(settings.current().confidence)
    st = standardised
    shown = pd.DataFrame({
        "Pilot": st["pilot_id"].map(pilot_labels(pilots)),
        "Participants employed": st["participants_pct"].map(_pct),
        "Refusers, as recorded": st["refusers_crude_pct"].map(_pct),
        "Refusers, reweighted to the participants' mix": st["refusers_standardised_pct"].map(_pct),
        f"Difference, standardised ({level} interval)": [
            f"{d:+.1f} ({lo:+.1f} to {hi:+.1f})" if d == d else WITHHELD
            for d, lo, hi in zip(st["difference_standardised"], st["ci_low"], st["ci_high"])],
    })
    return Exhibit("ura-standardised",
                   "Employed share with refusers standardised to the participants' sex × age × education mix (SYNTHETIC)",
                   standardised, shown=shown)


def unknown_bounds_table(bounds: pd.DataFrame, pilots: pd.DataFrame, lang: str = "en") -> Exhibit:
    """The employed-share difference if no / every 'other or unknown' person was employed."""
    b = bounds
    shown = pd.DataFrame({
        "Pilot": b["pilot_id"].map(pilot_labels(pilots)),
        "Difference as recorded": b["difference_as_recorded"].map(_points),
        "If every unknown were employed": b["difference_if_all_unknown_employed"].map(_points),
        "Widest possible range": [f"{lo:+.1f} to {hi:+.1f}" if lo == lo else WITHHELD
                                  for lo, hi in zip(b["lowest_possible"], b["highest_possible"])],
    })
    return Exhibit("ura-unknown-bounds",
                   "Employed share difference (points) under the bounds for 'other or unknown' (SYNTHETIC)",
                   bounds, shown=shown)


def power_exhibit(power: pd.DataFrame, pilots: pd.DataFrame, lang: str = "en") -> Exhibit:
    """Minimum detectable differences and persons per arm, from
    :func:`~pilotbook.analysis.register.power_table` (its sample-size column names the difference)."""
    s = settings.current()
    column = next(c for c in power.columns if c.startswith(SAMPLE_SIZE_PREFIX))
    points = column[len(SAMPLE_SIZE_PREFIX):].removesuffix("_points")
    shown = pd.DataFrame({
        "Pilot": power["pilot_id"].map(pilot_labels(pilots)),
        "Participants": power["n_participants"].map(fmt_number),
        "Refusers": power["n_refusers"].map(lambda v: fmt_number(v) if v else "–"),
        "Smallest difference detectable (points)": [
            WITHHELD if sup else ("–" if v != v else f"{v:.1f}") for v, sup in zip(power["mdd_points"], power["suppressed"])],
        f"Persons per arm to detect {points} points": power[column].map(lambda v: WITHHELD if v != v else fmt_number(v)),
    })
    return Exhibit("ura-power", "What the comparison could detect, and what a randomised design would need (SYNTHETIC)",
                   power, shown=shown,
                   caption=f"{_percent(s.power)} power, two-sided {_percent(s.alpha)} test, around the refusers' "
                           "employed share (the participants' where a pilot has no refusers), computed from the "
                           "SYNTHETIC extract; two pilots' group sizes are assumed (see the reproduction appendix).")
