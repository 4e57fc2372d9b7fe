"""Views that set one file's numbers beside another's, so that the contradictions between files
listed here stop the build (every rule that reads them is an error).

Two kinds of rule read them (``data_contracts/*.json``, ``meta.view``):

- the SYNTHETIC files against the published numbers they were generated from (``pilotbook synth``):
  the clients of ``placements.csv`` against the starters and finishers of Tables 4-5; each kind of
  job the clients hold against the count printed for that kind, and their jobs in all against the
  counts of the pilot's employments the data print (any one of them); the persons of
  ``ura_extract.csv`` against every cohort size the register figures print.  Regenerate them.
- published numbers that transcribe one printed quantity twice: a total, fee-eligible count, count
  without a fee or count of entrepreneurs of ``contract_types.csv`` against the counts ``outcomes.csv``
  prints for the same pilot and measure; a register cohort of ``facts.csv`` against
  ``ura_published.csv``.  Correct the one that is wrong.

Each view keeps the lines of its own file in ``csv_lines``, so a failure names them, and shows the
other file's value beside it.  A row whose counterpart the other file does not print is left out of
the comparison (its value stays missing).
"""

from __future__ import annotations

import pandas as pd

from pilotbook.contracts.snapshots import EARLIER_SNAPSHOT, snapshot

# ---------------------------------------------------------------------------- the SYNTHETIC clients

SYNTHETIC_MARGINS = ("started", "finished")  # what placements.csv's clients add up to, per pilot

# Rows of contract_types.csv that are not a kind of job a client holds: totals and counts beside them.
NOT_A_KIND = ("total", "fee_eligible", "work_trial", "pay_subsidised")
WITHOUT_FEE = "not_fee_eligible"
NO_JOB = ("none",)
UNKNOWN_KIND = "unspecified"  # an employment the breakdown does not describe (pilotbook.synth.placements)
ALL_EMPLOYMENTS = "all employments"


def synthetic_clients(outcomes: pd.DataFrame, frames: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Per pilot and measure (starters, finishers): the value of Tables 4-5 beside what the clients of
    ``placements.csv`` (generated from them, SYNTHETIC) add up to.  A pilot of the tables with no
    clients at all counts 0."""
    placements = frames.get("placements")
    if placements is None or not {"pilot_id", "finished"} <= set(placements.columns):
        return pd.DataFrame(columns=["pilot_id", "measure", "printed", "synthetic_clients", "csv_lines"])
    rows = outcomes.assign(_line=outcomes.index + 2)
    rows = rows[rows["source"].isin(["Table 4", "Table 5"]) & rows["metric"].isin(SYNTHETIC_MARGINS)
                & ~snapshot(rows).eq(EARLIER_SNAPSHOT)]
    finished = placements["finished"].astype(str).str.lower().eq("true")
    counts = {"started": placements.groupby("pilot_id").size(),
              "finished": placements[finished].groupby("pilot_id").size()}
    out = pd.DataFrame({
        "pilot_id": rows["pilot_id"], "measure": rows["metric"], "printed": rows["value"],
        "synthetic_clients": [int(counts[m].get(p, 0)) for p, m in zip(rows["pilot_id"], rows["metric"])],
        "csv_lines": rows["_line"].astype(str)})
    return out.reset_index(drop=True)


def _lines(rows: pd.DataFrame) -> str:
    return ", ".join(str(int(i) + 2) for i in sorted(rows.index))


def _printed_beside(same: pd.DataFrame, value: float) -> tuple[float | None, str]:
    """Of the values the rows ``same`` of another file print, the one equal to ``value`` (else the
    first), and the lines of that file that print it."""
    return _matching({float(v): f"lines {_lines(g)}" for v, g in same.groupby("value", sort=False)}, value)


def _matching(candidates: dict[float, str], value: float) -> tuple[float | None, str]:
    """The candidate equal to ``value`` (else the first), and where the data print it."""
    if not candidates:
        return None, ""
    chosen = value if value in candidates else next(iter(candidates))
    return chosen, candidates[chosen]


def _employment_counts(pilot_id: str, contracts: pd.DataFrame, outcomes: pd.DataFrame | None) -> dict[float, str]:
    """Every count of a pilot's employments in all that the data print (value -> where): a breakdown's
    total, the sum of the kinds one passage lists, fee-eligible plus not fee-eligible of one passage,
    and the outcomes' counts of employments, employed persons and fee-eligible employments."""
    found: dict[float, str] = {}
    mine = contracts[contracts["pilot_id"] == pilot_id]
    for source, group in mine.groupby("source", sort=False):
        by_kind = dict(zip(group["contract_type"], group["value"]))
        kinds = group[~group["contract_type"].isin(NOT_A_KIND)]
        sums = {"total": by_kind.get("total"), "listed": kinds["value"].sum() if len(kinds) else None,
                "fee": by_kind["fee_eligible"] + by_kind[WITHOUT_FEE]
                if {"fee_eligible", WITHOUT_FEE} <= set(by_kind) else None}
        for what, value in sums.items():
            if value is not None:
                found.setdefault(float(value), f"contract_types.csv, {source} ({what}), lines {_lines(group)}")
    if outcomes is not None:
        rows = outcomes[(outcomes["pilot_id"] == pilot_id)
                        & outcomes["metric"].isin(("employed", "employments", "employed_persons_total", "fee_eligible"))]
        for value, group in rows.groupby("value", sort=False):
            found.setdefault(float(value), f"outcomes.csv, lines {_lines(group)}")
    return found


def _kind_counts(pilot_id: str, kind: str, contracts: pd.DataFrame) -> dict[float, str]:
    """Every count the data print for one kind of a pilot's jobs (value -> where).  Jobs without a fee
    also count as a total minus the fee-eligible jobs of one passage."""
    mine = contracts[contracts["pilot_id"] == pilot_id]
    found = {float(v): f"contract_types.csv, line {int(i) + 2}"
             for i, v in mine.loc[mine["contract_type"] == kind, "value"].items()}
    if kind == WITHOUT_FEE:
        for source, group in mine.groupby("source", sort=False):
            by_kind = dict(zip(group["contract_type"], group["value"]))
            if {"total", "fee_eligible"} <= set(by_kind):
                found.setdefault(float(by_kind["total"] - by_kind["fee_eligible"]),
                                 f"contract_types.csv, {source} (total − fee_eligible), lines {_lines(group)}")
    return found


def synthetic_employments(contracts: pd.DataFrame, frames: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Per pilot with SYNTHETIC clients: the clients' jobs of each kind, and their jobs in all, beside
    a count the data print for the same (``printed``: the one that matches, else the first; missing
    when the data print none).  ``csv_lines`` are the lines of contract_types.csv that print it."""
    placements = frames.get("placements")
    columns = ["pilot_id", "measure", "printed", "synthetic_clients", "printed_where", "csv_lines"]
    if placements is None or not {"pilot_id", "contract_type"} <= set(placements.columns):
        return pd.DataFrame(columns=columns)
    jobs = placements[~placements["contract_type"].isin(NO_JOB)]
    rows = []
    for pilot_id, clients in placements.groupby("pilot_id", sort=True):
        mine = jobs[jobs["pilot_id"] == pilot_id]
        measures = {ALL_EMPLOYMENTS: (len(mine), _employment_counts(pilot_id, contracts, frames.get("outcomes")))}
        for kind, n in mine["contract_type"].value_counts().sort_index().items():
            if kind != UNKNOWN_KIND:
                measures[kind] = (int(n), _kind_counts(pilot_id, kind, contracts))
        for measure, (n, candidates) in measures.items():
            printed, where = _matching(candidates, float(n))
            lines = contracts[(contracts["pilot_id"] == pilot_id)
                              & (contracts["contract_type"].eq(measure) | (measure == ALL_EMPLOYMENTS))]
            rows.append({"pilot_id": pilot_id, "measure": measure, "printed": printed, "synthetic_clients": n,
                         "printed_where": where, "csv_lines": _lines(lines)})
    return pd.DataFrame(rows, columns=columns)


# ---------------------------------------------------------------------------- the SYNTHETIC register

def synthetic_register(ura: pd.DataFrame, frames: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Every cohort size the register figures and text print (``measure`` persons, dimension total;
    no pilot and cohort 'all' is the whole extract) beside the persons of the SYNTHETIC
    ``ura_extract.csv`` generated from them."""
    extract = frames.get("ura_extract")
    columns = ["pilot_id", "cohort", "printed", "synthetic_persons", "csv_lines"]
    if extract is None or not {"pilot_id", "cohort"} <= set(extract.columns):
        return pd.DataFrame(columns=columns)
    rows = ura[(ura["measure"] == "persons") & (ura["dimension"] == "total")]
    sizes = extract.groupby(["pilot_id", "cohort"]).size()
    counted = [len(extract) if (not isinstance(p, str) or not p) and c == "all" else int(sizes.get((p, c), 0))
               for p, c in zip(rows["pilot_id"], rows["cohort"])]
    return pd.DataFrame({"pilot_id": rows["pilot_id"], "cohort": rows["cohort"], "printed": rows["value"],
                         "synthetic_persons": counted, "csv_lines": [str(int(i) + 2) for i in rows.index]},
                        columns=columns).reset_index(drop=True)


# ---------------------------------------------------------------------------- published against published

# A kind of contract_types.csv and the measures of outcomes.csv that count the same jobs.
COUNTERPARTS = {
    "total": ("employed", "employments", "employed_persons_total"),
    "fee_eligible": ("fee_eligible",),
    WITHOUT_FEE: ("employments_not_fee_eligible",),
    "entrepreneur": ("entrepreneurs_started",),
}


def contracts_against_outcomes(contracts: pd.DataFrame, frames: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Each row of contract_types.csv that has a counterpart in outcomes.csv (:data:`COUNTERPARTS`)
    beside the count outcomes.csv prints for that pilot and measure: the one equal to it, else the
    first.  Values of either snapshot count (a total the report dates to the time of the evaluation
    has its counterpart there too)."""
    outcomes = frames.get("outcomes")
    columns = ["pilot_id", "contract_type", "source", "value", "in_outcomes", "outcomes_lines", "csv_lines"]
    if outcomes is None or not {"pilot_id", "metric", "value"} <= set(outcomes.columns):
        return pd.DataFrame(columns=columns)
    rows = []
    for i, r in contracts[contracts["contract_type"].isin(list(COUNTERPARTS))].iterrows():
        same = outcomes[(outcomes["pilot_id"] == r["pilot_id"]) & outcomes["metric"].isin(COUNTERPARTS[r["contract_type"]])]
        printed, where = _printed_beside(same, float(r["value"]))
        rows.append({"pilot_id": r["pilot_id"], "contract_type": r["contract_type"], "source": r["source"],
                     "value": r["value"], "in_outcomes": printed, "outcomes_lines": where, "csv_lines": str(int(i) + 2)})
    return pd.DataFrame(rows, columns=columns)


# The register cohorts of facts.csv: quantity -> cohort of ura_published.csv.
COHORT_FACTS = {"ura_participants": "participant", "ura_comparison_group": "refuser"}


def facts_against_register(facts: pd.DataFrame, frames: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Each register cohort size of facts.csv beside the one ura_published.csv prints for that pilot and
    cohort (the one equal to it, else the first)."""
    ura = frames.get("ura_published")
    columns = ["pilot_id", "quantity", "value", "in_ura_published", "ura_published_lines", "csv_lines"]
    if ura is None or not {"pilot_id", "cohort", "measure", "dimension", "value"} <= set(ura.columns):
        return pd.DataFrame(columns=columns)
    sizes = ura[(ura["measure"] == "persons") & (ura["dimension"] == "total")]
    rows = []
    for i, r in facts[facts["quantity"].isin(list(COHORT_FACTS))].iterrows():
        same = sizes[(sizes["pilot_id"] == r["pilot_id"]) & (sizes["cohort"] == COHORT_FACTS[r["quantity"]])]
        printed, where = _printed_beside(same, float(r["value"]))
        rows.append({"pilot_id": r["pilot_id"], "quantity": r["quantity"], "value": r["value"],
                     "in_ura_published": printed, "ura_published_lines": where, "csv_lines": str(int(i) + 2)})
    return pd.DataFrame(rows, columns=columns)


ACROSS_FILES = {
    "synthetic_clients": synthetic_clients,
    "synthetic_employments": synthetic_employments,
    "synthetic_register": synthetic_register,
    "contracts_against_outcomes": contracts_against_outcomes,
    "facts_against_register": facts_against_register,
}
