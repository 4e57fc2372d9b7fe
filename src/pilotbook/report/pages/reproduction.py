"""The reproduction appendix (``reproduction.ipynb``): printed against computed, and what the synthetic data assume.

:func:`reproduction_table` shows :func:`pilotbook.analysis.register.reproduction`;
:func:`synthetic_assumptions` lists the ``ASSUMPTIONS`` the generators in :mod:`pilotbook.synth` state.
Nothing here reads or writes files or displays anything.
"""

from __future__ import annotations

import pandas as pd

from pilotbook.analysis.results import pilot_labels
from pilotbook.report import edition
from pilotbook.report.exhibits import Exhibit, Prose
from pilotbook.report.formatting import fmt_number
from pilotbook.report.pages.register import category_labels
from pilotbook.synth import placements as synth_placements
from pilotbook.synth import register as synth_register

QUALIFIER_TEXT = {"over": " (over)", "under": " (under)", "approx": " (about)"}

# (heading, generator module): the synthetic datasets this appendix lists the assumptions of
GENERATORS = (
    ("Clients of the pilots (placements.csv)", synth_placements),
    ("Register extract (ura_extract.csv)", synth_register),
)


def reproduction_table(reproduction: pd.DataFrame, pilots: pd.DataFrame, categories: pd.DataFrame,
                       lang: str = "en") -> Exhibit:
    """Register shares printed in the edition (the report's, for the shipped data) beside those computed
    from the register extract (SYNTHETIC, for the shipped data)."""
    names, labels = pilot_labels(pilots), category_labels(categories, lang)
    r = reproduction
    shown = pd.DataFrame({
        "Source": r["figure"], "Pilot": r["pilot_id"].map(names),
        "Cohort": r["cohort"], "Group": r["group"].map(labels).fillna(r["group"]),
        "Status": r["status"].map(labels),
        "Printed": r["value"].map(lambda v: f"{v:g} %") + r["qualifier"].map(QUALIFIER_TEXT).fillna(""),
        "Computed": [("withheld" if a in ("matches", "differs") else "–") if v != v else f"{v:.1f} %"
                     for v, a in zip(r["computed"], r["agreement"])],
        "Agreement": r["agreement"],
    })
    return Exhibit("ura-reproduction",
                   f"Register shares: printed in {edition.current().name} against computed from the SYNTHETIC extract",
                   reproduction, shown=shown,
                   caption=("Where the computed share stands for a cell that disclosure control withholds (a few "
                            "persons, or a cell withheld so that those cannot be got back by subtraction), only "
                            f"whether it agrees with {edition.current().name} is shown, not the share."))


def size_table(sizes: pd.DataFrame, pilots: pd.DataFrame) -> Exhibit:
    """The numbers of persons printed for whole cohorts beside those of the SYNTHETIC extract
    (:func:`pilotbook.analysis.register.size_reproduction`)."""
    names = pilot_labels(pilots)
    s = sizes
    shown = pd.DataFrame({
        "Source": s["figure"],
        "Pilot": [names.get(p, p) if isinstance(p, str) and p else "all pilots, whole country" for p in s["pilot_id"]],
        "Cohort": s["cohort"].replace({"all": "participants or invitees"}),
        "Printed (persons)": s["value"].map(fmt_number),
        "Computed (persons)": ["withheld" if v is pd.NA else fmt_number(int(v)) for v in s["computed"]],
        "Agreement": s["agreement"],
    })
    return Exhibit("ura-reproduction-sizes",
                   f"Group sizes: printed in {edition.current().name} against counted in the SYNTHETIC extract",
                   sizes, shown=shown,
                   caption=("A share can match while the group it is a share of does not; so every cohort size "
                            "that is printed is compared too, exactly. A count of fewer persons than the "
                            "disclosure threshold is withheld, and so is whether it agrees (an exact match would "
                            "give it back)."))


def _profile_notes() -> list[str]:
    """One line per pilot of the register generator: what each cohort's profile assumes or takes as printed."""
    notes: dict[str, list[str]] = {}
    for (pilot_id, cohort), profile in synth_register.PROFILES.items():
        notes.setdefault(pilot_id, []).append(f"{cohort}s: " + "; ".join(profile.notes))
    return [f"- {pid}: " + " | ".join(parts) for pid, parts in notes.items()]


def synthetic_assumptions() -> Prose:
    """Every assumption the SYNTHETIC example data rest on, as the generators state them (MyST markdown)."""
    parts: list[str] = []
    for i, (heading, module) in enumerate(GENERATORS):
        parts += ([""] if i else []) + [f"### {heading}", ""] + [f"- {a}" for a in module.ASSUMPTIONS]
        if module is synth_register:
            parts += _profile_notes()
    return Prose("\n".join(parts))
