"""The reproduction appendix (``reproduction.ipynb``): printed against computed, and what the synthetic data assume.

:func:`reproduction_table` shows :func:`pilotbook.analysis.register.reproduction`;
:func:`synthetic_assumptions` lists the ``ASSUMPTIONS`` the generators in :mod:`pilotbook.synth` state.
Nothing here reads or writes files or displays anything.
"""

from __future__ import annotations

import pandas as pd

from pilotbook.analysis.results import pilot_labels
from pilotbook.report.exhibits import Exhibit, Prose
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
    """Register shares printed in the report beside those computed from the SYNTHETIC extract."""
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
                   "Register shares: printed in the report against computed from the SYNTHETIC extract",
                   reproduction, shown=shown,
                   caption=("Where the computed share stands for a cell that disclosure control withholds (a few "
                            "persons, or a cell withheld so that those cannot be got back by subtraction), only "
                            "whether it agrees with the report is shown, not the share."))


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
