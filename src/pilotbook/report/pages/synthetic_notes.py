"""Warnings beside a result that exists only because of the SYNTHETIC data.

The synthetic extract reproduces what the report prints; what the report does not print comes
from the generator's choices.  A result computed from it that points the other way from the
report's printed numbers is therefore a property of the synthetic data, not a finding about the
pilots, and the page says so beside it.  The warning is computed: :func:`reversals` compares the
direction of each synthetic result with the report's printed one, and where no result reverses
the report, no warning is shown.  Nothing here reads or writes files or displays anything.
"""

from __future__ import annotations

import math

import pandas as pd

from pilotbook.analysis.results import pilot_labels
from pilotbook.report.exhibits import Prose


def _sign(value: float) -> int:
    if value is None or (isinstance(value, float) and math.isnan(value)) or pd.isna(value):
        return 0
    return (value > 0) - (value < 0)


def printed_differences(published: pd.DataFrame, status: str = "employed") -> pd.DataFrame:
    """Per pilot with both cohorts printed: the report's shares of ``status`` among participants
    and refusers (``printed_participants``, ``printed_refusers``, percent) and their difference
    (``printed_difference``, participants minus refusers, points)."""
    rows = published[(published["measure"] == "status_share") & (published["dimension"] == "total")
                      & (published["status"] == status) & published["qualifier"].isna()]
    wide = rows.pivot_table(index="pilot_id", columns="cohort", values="value", aggfunc="first")
    if not {"participant", "refuser"} <= set(wide.columns):
        return pd.DataFrame(columns=["pilot_id", "printed_participants", "printed_refusers", "printed_difference"])
    wide = wide.dropna(subset=["participant", "refuser"])
    return pd.DataFrame({"pilot_id": wide.index, "printed_participants": wide["participant"].to_numpy(),
                         "printed_refusers": wide["refuser"].to_numpy(),
                         "printed_difference": (wide["participant"] - wide["refuser"]).to_numpy()})


def reversals(results: pd.DataFrame, printed: pd.DataFrame, column: str) -> pd.DataFrame:
    """The rows of ``results`` (per pilot) whose ``column`` points the other way from the report's
    ``printed_difference`` (both non-zero, opposite signs), joined to the printed values."""
    both = results.merge(printed, on="pilot_id", how="inner")
    signs = both[column].map(_sign) * both["printed_difference"].map(_sign)
    return both[signs < 0].reset_index(drop=True)


def _recorded_refusers_ahead(classified: pd.DataFrame, pilot_id: str, status: str) -> bool:
    """Whether, in the extract, the refusers with a recorded sex, age and education (the only ones a
    standardisation can use) have a higher share of ``status`` than all refusers."""
    ref = classified[(classified["pilot_id"] == pilot_id) & (classified["cohort"] == "refuser")]
    recorded = ref.dropna(subset=["sex", "age_band", "education"])
    if recorded.empty or len(recorded) == len(ref):
        return False
    return bool((recorded["status"] == status).mean() > (ref["status"] == status).mean())


def _printed_group_leads(published: pd.DataFrame, pilot_id: str, status: str,
                         labels: dict[str, str] | None = None) -> tuple[dict[str, list[str]], bool]:
    """(cohort ahead -> the groups, by ``labels`` (e.g. 'Upper secondary education'), where the report
    prints a higher share of ``status`` for that cohort; groups printed equal are left out,
    whether any of these printed values carries a note that its group is inferred)."""
    rows = published[(published["pilot_id"] == pilot_id) & (published["measure"] == "status_share")
                      & (published["status"] == status) & (published["dimension"] != "total")
                      & published["qualifier"].isna()]
    inferred = bool(rows.get("note", pd.Series(dtype=str)).fillna("").str.contains("inferred").any())
    wide = rows.pivot_table(index=["dimension", "group"], columns="cohort", values="value", aggfunc="first")
    leads: dict[str, list[str]] = {"participant": [], "refuser": []}
    if not {"participant", "refuser"} <= set(wide.columns):
        return leads, inferred
    for (dimension, group), r in wide.dropna().iterrows():
        if r["participant"] != r["refuser"]:
            name = (labels or {}).get(group, f"{dimension} {group}".replace("_", " "))
            leads["participant" if r["participant"] > r["refuser"] else "refuser"].append(name.lower())
    return leads, inferred


def standardised_warnings(standardised: pd.DataFrame, published: pd.DataFrame, pilots: pd.DataFrame,
                          classified: pd.DataFrame | None = None, status: str = "employed",
                          labels: dict[str, str] | None = None) -> list[Prose]:
    """One warning (a MyST admonition) per pilot whose SYNTHETIC standardised difference
    (:func:`pilotbook.analysis.register.standardised`) reverses the difference the report prints;
    none when the directions agree or a result is withheld.  With ``classified`` (the extract the
    result was computed from) the warning also says when the refusers the standardisation can use
    do better than all refusers, as the generator made them.  ``labels``: group -> its name
    (:func:`pilotbook.report.pages.register.category_labels`)."""
    found = reversals(standardised, printed_differences(published, status), "difference_standardised")
    names = pilot_labels(pilots)
    notes = []
    for r in found.itertuples(index=False):
        ahead_printed = "participants" if r.printed_difference > 0 else "refusers"
        ahead_synthetic = "refusers" if ahead_printed == "participants" else "participants"
        why = ""
        if classified is not None and ahead_synthetic == "refusers" and _recorded_refusers_ahead(
                classified, r.pilot_id, status):
            why = (" To meet the shares the report prints for each group, the generator left some refusers "
                   "without a recorded age or education and made them less often employed than the rest; the "
                   "standardisation can only use refusers whose sex, age and education are recorded, so it "
                   "compares the participants with the better-placed part of the refusers.")
        groups, inferred = _printed_group_leads(published, r.pilot_id, status, labels)
        mixed = ""
        if groups["participant"] and groups["refuser"]:
            mixed = (f" Within the groups the report prints for both cohorts, the refusers are ahead in "
                     f"{len(groups['refuser'])} ({', '.join(groups['refuser'])}) and the participants in "
                     f"{len(groups['participant'])}, so its own numbers point both ways"
                     + (" (which bar is which group is partly our reading of the garbled figure)" if inferred else "")
                     + ".")
        notes.append(Prose("\n".join([
            "```{admonition} This reversal depends on the synthetic data",
            ":class: warning",
            f"For {names.get(r.pilot_id, r.pilot_id)}, the report prints that {r.printed_participants:g} % of "
            f"participants and {r.printed_refusers:g} % of refusers were {status}, so the {ahead_printed} are ahead. "
            f"Reweighted to the "
            f"participants' mix, the SYNTHETIC refusers come out {'ahead' if ahead_synthetic == 'refusers' else 'behind'}"
            f", the other way round. The report did not compute a standardised difference.{mixed} What the "
            f"SYNTHETIC extract gives for sex, age and education taken together comes from the generator's choices "
            f"(how the three are combined, and who has none recorded), not from the pilot.{why}",
            "",
            "A researcher who runs this page on the real extract gets what the report did not compute: the "
            "difference between participants and refusers of the same sex, age and education, with its interval. "
            "If the participants' lead holds there, it is not explained by who took part in terms of these "
            "characteristics; if it shrinks or turns, it was.",
            "```",
        ])))
    return notes
