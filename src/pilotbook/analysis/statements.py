"""The report's comparative statements (``statements.csv``) checked on the microdata.

Each row of the catalog names the dataset its rule is about; :data:`EVALUATORS` names, per
dataset, the module whose ``check(rule, frame, pilot_id, context) -> bool`` reads the rule
(:mod:`pilotbook.analysis.register_statements` for the register extract,
:mod:`pilotbook.analysis.survey_statements` for the survey).  :func:`evaluate` gives each
statement a verdict and nothing else: no number computed from the microdata leaves here.
"""

from __future__ import annotations

import importlib
import re

import pandas as pd

EVALUATORS = {
    "ura_extract": "pilotbook.analysis.register_statements",
    "survey_nonparticipants": "pilotbook.analysis.survey_statements",
}
COLUMNS = ["id", "chapter", "pilot_id", "line_from", "line_to", "statement", "rule", "conflict", "holds", "verdict"]
NOT_EVALUATED = "not evaluated"
PILOT_IN_RULE = re.compile(r"'([a-z0-9]+(?:-[a-z0-9]+)+)'")  # a quoted pilot id ('uusimaa-ict'; codes have no hyphen)


def missing_pilots(rule, pilot_id: str | None, frame: pd.DataFrame | None) -> list[str]:
    """The pilots a statement is about (its own, and those its rule names) that the data have no rows
    of: a follow-up that drops a pilot cannot check what the report says of it."""
    if frame is None or "pilot_id" not in frame.columns:
        return []
    named = ([pilot_id] if pilot_id else []) + (PILOT_IN_RULE.findall(rule) if isinstance(rule, str) else [])
    present = set(frame["pilot_id"].dropna())
    return [p for p in dict.fromkeys(named) if p not in present]


def evaluator(dataset: str):
    """The ``check`` function of a dataset's evaluator module, or None when the module does not exist."""
    name = EVALUATORS.get(dataset)
    if name is None:
        raise ValueError(f"no evaluator for dataset {dataset!r}; known: {', '.join(EVALUATORS)}")
    try:
        return importlib.import_module(name).check
    except ModuleNotFoundError as err:
        if err.name != name:
            raise
        return None


def verdict(holds: bool | None, conflict: str, missing: list[str] = ()) -> str:
    """'holds', 'does not hold', 'cannot hold, because ...' (a conflict that holds anyway: 'holds'),
    or 'not evaluated' (``holds`` None; with the pilots the data lack, 'not evaluated: the data have
    no rows of ...')."""
    if missing:
        return f"{NOT_EVALUATED}: the data have no rows of {', '.join(missing)}"
    if holds is None:
        return NOT_EVALUATED
    if holds:
        return "holds"
    if conflict:
        return f"cannot hold, because {conflict}"
    return "does not hold"


def evaluate(catalog: pd.DataFrame, frames: dict[str, pd.DataFrame], context: dict) -> pd.DataFrame:
    """Every statement of ``catalog`` with ``holds`` (bool; NA when the dataset or its evaluator is
    missing) and ``verdict``.  ``frames`` maps dataset names to the data as the catalog loads them;
    ``context`` holds the other tables the evaluators need."""
    rows = []
    checks: dict[str, object] = {}
    for r in catalog.itertuples(index=False):
        conflict = "" if pd.isna(r.conflict) else str(r.conflict).strip()
        pilot = None if pd.isna(r.pilot_id) or not str(r.pilot_id) else str(r.pilot_id)
        if r.dataset not in checks:
            checks[r.dataset] = evaluator(r.dataset)
        check = checks[r.dataset]
        frame = frames.get(r.dataset)
        missing = missing_pilots(r.rule, pilot, frame)
        holds = None if check is None or frame is None or missing else bool(check(r.rule, frame, pilot, context))
        rows.append({"id": r.id, "chapter": r.chapter, "pilot_id": pilot or "", "line_from": r.line_from,
                     "line_to": r.line_to, "statement": r.statement, "rule": r.rule, "conflict": conflict,
                     "holds": pd.NA if holds is None else holds, "verdict": verdict(holds, conflict, missing)})
    return pd.DataFrame(rows, columns=COLUMNS).astype({"holds": "boolean"})
