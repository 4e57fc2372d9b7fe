"""What the notebook templates show, assembled from data: one call per block.

The templates stay thin (load -> call -> show); every sentence that carries a
number is composed here from the data, so no count is ever typed into a page.
"""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd

from . import figures, results
from .catalog import load
from .exhibits import Publisher
from .labels import label
from .paths import Project
from .results import fmt_number, fmt_range, share

FAMILY_TEXT = {
    "placement": "placement pilot (results in Table 4 of the report)",
    "job_search": "job-search support pilot (results in Table 5 of the report)",
    "business": "business-service pilot (results in Table 6 of the report)",
}


def _missing(x) -> bool:
    return x is None or (isinstance(x, float) and math.isnan(x)) or (isinstance(x, str) and not x.strip())


class Data:
    """The datasets of one data folder that a chapter reads, as attributes (``data.pilots``)."""

    def __init__(self, frames: dict[str, pd.DataFrame]):
        self._frames = frames

    def __getattr__(self, name: str) -> pd.DataFrame:
        try:
            return self.__dict__["_frames"][name]
        except KeyError:
            raise AttributeError(f"dataset {name!r} was not loaded for this chapter") from None

    @classmethod
    def load(cls, data_dir: str | Path | None = None, names: tuple[str, ...] = ("pilots", "outcomes")) -> "Data":
        folder = Project.here().resolve_data(data_dir)
        return cls({name: load(name, folder) for name in names})


# --------------------------------------------------------------------------- pilot chapter


class PilotChapter:
    """Everything the pilot template shows for one pilot."""

    def __init__(self, data: Data, pilot_id: str, lang: str = "en"):
        self.data, self.lang = data, lang
        self.pilot = results.pilot_row(data.pilots, pilot_id)
        self.id = pilot_id
        self.source = results.primary_source(self.pilot["results_table"])
        self.values = results.values(data.outcomes, pilot_id, self.source)
        self.approx = results.approx_metrics(data.outcomes, pilot_id, self.source)
        self.publisher = Publisher("pilot.ipynb", {"pilot_id": pilot_id})

    DATASETS = ("pilots", "outcomes", "contract_types")

    @classmethod
    def load(cls, pilot_id: str, data_dir: str | Path | None = None, lang: str = "en") -> "PilotChapter":
        return cls(Data.load(data_dir, cls.DATASETS), pilot_id, lang)

    @property
    def title(self) -> str:
        return f"{self.pilot['region']}: {self.pilot['name_en']}"

    def facts(self) -> str:
        """The pilot's basic facts as a MyST definition list."""
        p = self.pilot
        items = [
            ("Name in the report", f"*{p['name_fi']}*"),
            ("Region and TE office", f"{p['region']}" + ("" if _missing(p["te_office"]) else f" ({p['te_office']})")),
            ("Kind of pilot", FAMILY_TEXT.get(p["family"], str(p["family"]))),
            ("Target group", p["target_group"]),
            ("Procurement", p["procurement"]),
        ]
        if not _missing(p["applications"]):
            items.append(("Requests to participate", fmt_number(float(p["applications"]))))
        if not _missing(p["providers"]):
            items.append(("Service providers contracted", fmt_number(float(p["providers"]))))
        if not _missing(p["tracking_code"]):
            items.append(("Tracking code in the URA register", f"`{p['tracking_code']}`"))
        start, end = (None if _missing(x) else str(x) for x in (p["started_on"], p["ended_on"]))
        if start or end:
            period = f"{start} to {end}" if start and end else (f"from {start}" if start else f"until {end}")
            items.append(("Operating period", period))
        items.append(("Report chapter", f"Part II, chapter {p['chapter']} ({p['source']})"))
        return "\n\n".join(f"{k}\n: {'–' if _missing(v) else v}" for k, v in items)

    def has_results(self) -> bool:
        return bool(self.values)

    def results_summary(self) -> str:
        """One paragraph on results against target, composed from the primary table's values."""
        v, p = self.values, self.pilot
        if not v:
            return (f"The report's summary tables (4–6) give no figures for this pilot; "
                    f"chapter {p['chapter']} describes it in words only. The values the report does "
                    "print for it, if any, are listed below.")
        low, high = results.target_bounds(v)
        parts = []
        if "started" in v:
            s = f"By September 2017, **{fmt_number(v['started'])}** jobseekers had started the service"
            if not math.isnan(low):
                s += (f", against a target of {fmt_range(low, high)} starters "
                      f"({fmt_number(share(v['started'], (low + high) / 2))} % of the target"
                      f"{' midpoint' if low != high else ''})")
            parts.append(s + ".")
        if "finished" in v:
            parts.append(f"{fmt_number(v['finished'])} had finished it.")
        if "fee_eligible" in v:
            approx = "fee_eligible" in self.approx
            sentence = (f"The providers reported {'about ' if approx else ''}**{fmt_number(v['fee_eligible'])}** "
                        "employments that entitled them to a results-based fee")
            shares = []
            if "started" in v:
                shares.append(f"{fmt_number(share(v['fee_eligible'], v['started']))} % of starters")
            if "finished" in v:
                shares.append(f"{fmt_number(share(v['fee_eligible'], v['finished']))} % of finishers")
            parts.append(sentence + (f": {' and '.join(shares)} (recomputed from the counts)." if shares else "."))
        if "participating_entrepreneurs" in v or "participating_jobseekers" in v:
            who = []
            if "participating_entrepreneurs" in v:
                who.append(f"{fmt_number(v['participating_entrepreneurs'])} entrepreneurs or firms")
            if "participating_jobseekers" in v:
                who.append(f"{fmt_number(v['participating_jobseekers'])} jobseekers")
            s = f"The service had reached {' and '.join(who)}"
            if not math.isnan(low):
                s += f", against a target of {fmt_range(low, high)}"
            parts.append(s + ".")
        for metric, noun in (("recruitments", "recruitments"), ("ownership_changes", "ownership changes")):
            if metric in v:
                parts.append(f"It had led to **{fmt_number(v[metric])}** {noun}"
                             + (f" ({fmt_number(v['pct_result'])} % in the report's result column)."
                                if "pct_result" in v else "."))
        return " ".join(parts) + f" *Source: {self.source} of the report.*"

    def results_table(self):
        """The pilot's row of its summary table, printed values beside recomputed ones."""
        rows = []
        for metric, value in self.values.items():
            rows.append({"metric": metric, "quantity": label(metric, self.lang), "value": value,
                         "approx": metric in self.approx, "source": self.source})
        frame = pd.DataFrame(rows)
        shown = pd.DataFrame({
            label("metric", self.lang): frame["quantity"],
            label("value", self.lang): [fmt_number(v, a) + (" %" if m.startswith("pct") else "")
                                        for v, a, m in zip(frame["value"], frame["approx"], frame["metric"])],
        })
        return self.publisher.table(
            shown, f"pilot-{self.id}-results", f"{self.pilot['name_en']}: results in {self.source}",
            report_ref=f"the row of {self.source}", data=frame.assign(pilot_id=self.id))

    def has_counts(self) -> bool:
        return any(m in self.values for m in ("started", "finished", "fee_eligible"))

    def progress_figure(self):
        """Target, starters, finishers and fee-eligible employments as bars."""
        frame = results.pilot_progress(self.values)
        fig, alt = figures.pilot_progress(frame, self.pilot["name_en"], self.lang)
        return self.publisher.figure(
            fig, f"pilot-{self.id}-progress", f"{self.pilot['name_en']}: from target to fee-eligible employment",
            alt=alt, data=frame.assign(pilot_id=self.id, source=self.source),
            caption=f"Counts from {self.source} of the report, September 2017.")

    def has_contract_types(self) -> bool:
        return bool((self.data.contract_types["pilot_id"] == self.id).any())

    def contract_types(self):
        """The pilot's employments by kind of contract, as each source of the report lists them."""
        frame = results.contract_types_of(self.data.contract_types, self.id)
        shown = pd.DataFrame({
            label("source", self.lang): [f"{s} (line {l})" for s, l in zip(frame["source"], frame["ref_line"])],
            label("contract_type", self.lang): frame["contract_type"].map(lambda k: label(k, self.lang)),
            label("count", self.lang): frame["value"].map(fmt_number),
            label("note", self.lang): frame["note"].fillna("").replace("", "–"),
        })
        return self.publisher.table(
            shown, f"pilot-{self.id}-contract-types", f"{self.pilot['name_en']}: employments by kind of contract",
            caption="As each passage of the report lists them; passages differ in what they count.", data=frame)

    def printed_values(self):
        """Every value the report prints for the pilot, each with its source and line."""
        frame = results.printed_values(self.data.outcomes, self.id)
        shown = pd.DataFrame({
            label("metric", self.lang): frame["quantity"],
            label("value", self.lang): [fmt_number(v, q == "approx") + (" %" if u == "percent" else "")
                                        for v, q, u in zip(frame["value"], frame["qualifier"], frame["unit"])],
            label("source", self.lang): [f"{s} (text dump line {l})" for s, l in zip(frame["source"], frame["ref_line"])],
            label("note", self.lang): frame["note"].fillna("").replace("", "–"),
        })
        return self.publisher.table(
            shown, f"pilot-{self.id}-printed-values",
            f"{self.pilot['name_en']}: every figure the report prints for the pilot",
            caption="Where two sources disagree, both are kept.", data=frame.assign(pilot_id=self.id))


# --------------------------------------------------------------------------- results chapter


class ResultsChapter:
    """Tables 4-6 and the cross-pilot comparison."""

    def __init__(self, data: Data, lang: str = "en"):
        self.data, self.lang = data, lang
        self.publisher = Publisher("results.ipynb")
        self.tables = {n: results.results_table(data.pilots, data.outcomes, n) for n in (4, 5, 6)}

    DATASETS = ("pilots", "outcomes", "providers")

    @classmethod
    def load(cls, data_dir: str | Path | None = None, lang: str = "en") -> "ResultsChapter":
        return cls(Data.load(data_dir, cls.DATASETS), lang)

    def providers(self):
        """Table 3: results by provider (the pilots that report them), employed recomputed from the shares."""
        pilot_ids = list(dict.fromkeys(self.data.providers["pilot_id"]))
        if len(pilot_ids) != 1:
            raise ValueError(f"Table 3 shows one pilot's providers; providers.csv has {len(pilot_ids)} pilots")
        pilot_id = pilot_ids[0]
        table = results.providers_table(self.data.providers, pilot_id)
        if table.empty:
            from IPython.display import Markdown

            return Markdown("*No provider-level results in this data.*")
        implied, printed = results.providers_weighted_share(table)
        shown = pd.DataFrame({
            label("provider", self.lang): table["provider"].replace({"total": "All providers"}),
            label("finished", self.lang): table["finished"].map(fmt_number),
            label("pct_employed_or_entrepreneur_of_finished", self.lang):
                table["pct_employed_or_entrepreneur_of_finished"].map(lambda v: f"{fmt_number(v)} %"),
            label("pct_not_employed_of_finished", self.lang):
                table["pct_not_employed_of_finished"].map(lambda v: f"{fmt_number(v)} %"),
            label("employed_computed", self.lang): table["employed_computed"].map(fmt_number),
        })
        name = results.pilot_row(self.data.pilots, pilot_id)["name_en"]
        note = (f"Weighted by their finishers, the providers' shares give {fmt_number(implied)} % employed, "
                f"not the {fmt_number(printed)} % of the total row: the table does not add up (see the appendix "
                "on the report's inconsistencies)." if abs(implied - printed) > 1 else "")
        return self.publisher.table(
            shown, "report-table-3", f"{name}: results by provider", report_ref="Table 3",
            caption="Providers are anonymised as in the report. The last column is ours: finishers × share.",
            data=table, notes=[note] if note else None)

    def counts(self) -> dict[str, str]:
        """Numbers the prose of this and other pages cite (through glue)."""
        p = self.data.pilots
        t45 = pd.concat([self.tables[4], self.tables[5]])
        return {
            "n_pilots": str(len(p)),
            "n_placement": str(int((p["family"] == "placement").sum())),
            "n_job_search": str(int((p["family"] == "job_search").sum())),
            "n_business": str(int((p["family"] == "business").sum())),
            "n_regions": str(p["region"].str.split("; ").explode().nunique()),
            "total_started": fmt_number(t45["started"].sum()),
            "total_finished": fmt_number(t45["finished"].sum()),
            "total_fee_eligible": fmt_number(t45["fee_eligible"].sum()),
            "pct_fee_eligible_of_started_all": fmt_number(share(t45["fee_eligible"].sum(), t45["started"].sum())),
            "pct_fee_eligible_of_finished_all": fmt_number(share(t45["fee_eligible"].sum(), t45["finished"].sum())),
        }

    def table(self, n: int):
        titles = {4: "Placement pilots: results by September 2017",
                  5: "Job-search support pilots: results by September 2017",
                  6: "Business-service pilots: results by September 2017"}
        caption = ("Shares as printed in the report, with the share recomputed from the counts in brackets."
                   if n in (4, 5) else "As printed in the report.")
        return self.publisher.table(results.display_table(self.tables[n], n), f"report-table-{n}", titles[n],
                                    report_ref=f"Table {n}", caption=caption, data=self.tables[n],
                                    notes=results.table_notes(self.tables[n]) or (
                                        [f"No pilot in this data is reported in Table {n}."]
                                        if self.tables[n].empty else []))

    def comparison_figure(self):
        shares = results.fee_eligible_shares(self.data.pilots, self.data.outcomes)
        attainment = results.target_attainment(self.data.pilots, self.data.outcomes)
        fig, alt = figures.fee_eligible_comparison(shares, attainment, self.lang)
        data = shares.merge(attainment[["pilot_id", "pct_of_target_low", "pct_of_target_high", "pct_of_target_mid"]],
                            on="pilot_id")
        return self.publisher.figure(
            fig, "fee-eligible-shares", "Fee-eligible employment as a share of starters and of finishers, "
            "and starters against target", alt=alt, data=data,
            caption=("Left: shares recomputed from the counts of Tables 4 and 5. Right: starters as a share of the "
                     "target for starters; where the target is a range the bar uses its midpoint and the line "
                     "spans the range."))
