"""The codebook of both surveys (``published/survey_codebook.csv``): items with their Finnish
text as printed, answer scales and codes ("can't say" its own code), the TE offices and the
pilots each office's respondents were invited to.  Figure labels and the contracts' value sets
both come from it.
"""

from __future__ import annotations

import pandas as pd

from pilotbook import settings

CANT_SAY = "cant_say"
ACTION = "action_after_invitation"
UNAWARE = "unaware_of_invitation"
ATTENDED = "attended_info_session"
SERVICE_NEED = "service_need"
ALL = "all"


# --------------------------------------------------------------------------- codebook


class Codebook:
    """The rows of ``survey_codebook.csv``, with look-ups by kind, item, scale and office."""

    def __init__(self, frame: pd.DataFrame):
        self.frame = frame.assign(code=frame["code"].fillna("").astype(str),
                                  label_fi=frame["label_fi"].fillna(""), label_en=frame["label_en"].fillna(""))

    def _rows(self, kind: str, name: str | None = None, survey: str | None = None) -> pd.DataFrame:
        f = self.frame[self.frame["kind"] == kind]
        if name is not None:
            f = f[f["name"] == name]
        if survey is not None:
            f = f[f["survey"] == survey]
        return f

    # offices and pilots
    def offices(self, analysed_only: bool = True) -> list[str]:
        """Office codes in file order: those the report analyses, or with the ones it left out."""
        kinds = ["office"] if analysed_only else ["office", "excluded_office"]
        return self.frame.loc[self.frame["kind"].isin(kinds), "code"].tolist()

    def invited_offices(self) -> list[str]:
        return list(dict.fromkeys(self._rows("invited_to")["name"]))

    def invited_to(self, office: str) -> list[str]:
        return self._rows("invited_to", office)["code"].tolist()

    def offices_of(self, pilot_id: str) -> list[str]:
        rows = self._rows("invited_to")
        return rows.loc[rows["code"] == pilot_id, "name"].tolist()

    def office_label(self, office: str, lang: str = "en") -> str:
        return self.code_label("office", office, lang)

    def surveyed_pilot(self, survey: str) -> str | None:
        """The pilot whose own (customer) survey ``survey`` is; None when this data has no such row."""
        rows = self._rows("surveyed_pilot", survey)
        return rows["code"].iloc[0] if len(rows) else None

    # items
    def items(self, survey: str | None = None, figure: str | None = None) -> pd.DataFrame:
        f = self._rows("item", survey=survey)
        return f if figure is None else f[f["figure"] == figure]

    def item(self, name: str) -> pd.Series:
        rows = self._rows("item", name)
        if rows.empty:
            raise KeyError(f"survey_codebook.csv has no item {name!r}")
        return rows.iloc[0]

    def item_label(self, name: str, lang: str = "en") -> str:
        row = self.item(name)
        text = row["label_fi"] if lang == "fi" and row["label_fi"] else row["label_en"]
        return ("… " + text) if row["wording"] == "truncated" else text

    def categories(self, item: str) -> list[str]:
        return self._rows("category", item)["code"].tolist()

    def code_label(self, name: str, code, lang: str = "en", kind: str | None = None) -> str:
        f = self.frame[(self.frame["name"] == name) & (self.frame["code"] == str(code))]
        if kind:
            f = f[f["kind"] == kind]
        if f.empty:
            return str(code)
        row = f.iloc[0]
        return row["label_fi"] if lang == "fi" and row["label_fi"] else row["label_en"]

    # scales
    def scale_points(self, scale: str) -> list[int]:
        return [int(c) for c in self._rows("scale_point", scale)["code"]]

    def cant_say(self, scale: str) -> int | None:
        rows = self._rows("cant_say", scale)
        return int(rows["code"].iloc[0]) if len(rows) else None

    def scale_codes(self, scale: str) -> list[int]:
        """Every code of a scale: its points, then its can't-say code."""
        cs = self.cant_say(scale)
        return self.scale_points(scale) + ([cs] if cs is not None else [])

    def agree_codes(self, scale: str) -> list[int]:
        """The top points of a scale (the ``agree_points`` setting): "somewhat" and "fully" agree."""
        return self.scale_points(scale)[-settings.current().agree_points:]

    def scale_of(self, item: str) -> str:
        return str(self.item(item)["scale"])

    def parameters(self) -> dict[str, list]:
        """Value sets for the microdata contracts (``{"$PARAMETER": ...}``)."""
        params: dict[str, list] = {"survey_offices": self.offices(analysed_only=False)}
        for item in self._rows("item")["name"]:
            if self.categories(item):
                params[f"survey_codes_{item}"] = self.categories(item)
        for scale in dict.fromkeys(self.frame.loc[self.frame["kind"].isin(["scale_point", "cant_say"]), "name"]):
            params[f"survey_scale_{scale}"] = self.scale_codes(scale)
        return params


def codebook_parameters(frame: pd.DataFrame | None) -> dict[str, list]:
    """Contract parameters from the codebook; empty sets when it could not be read."""
    if frame is None or not {"kind", "name", "code"} <= set(frame.columns):
        return dict.fromkeys(PARAMETER_NAMES, [])
    try:
        params = Codebook(frame).parameters()
    except (KeyError, ValueError, TypeError):
        params = {}
    return dict.fromkeys(PARAMETER_NAMES, []) | params


# Parameters the microdata suites refer to (always defined, so a broken codebook gives a finding,
# not a crash).
PARAMETER_NAMES = (
    "survey_offices", "survey_codes_field_of_work", "survey_codes_action_after_invitation",
    "survey_codes_service_need", "survey_scale_agree5", "survey_scale_agree5_ends",
    "survey_scale_grade10", "survey_scale_effect10",
)
