"""What the notebook templates show, assembled from data: one call per block.

The templates stay thin (load -> call -> show); every sentence that carries a
number is composed here from the data, so no count is ever typed into a page.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
from IPython.display import display

from pilotbook.report import figures
from pilotbook.analysis import results
from pilotbook import settings
from pilotbook.contracts.office_split import fit_actions, office_split_fit, printed_value
from pilotbook.io.catalog import Data, load
from pilotbook.report.exhibits import Publisher
from pilotbook.report.labels import label
from pilotbook.paths import Project
from pilotbook.analysis.results import share
from pilotbook.report.formatting import (describe_satisfaction_row, describe_survey_row, display_table, fmt_number,
                                         fmt_range, printed_text, remarks, table_notes, with_remarks, fee_components_display)

FAMILY_TEXT = {
    "placement": "placement pilot (results in Table 4 of the report)",
    "job_search": "job-search support pilot (results in Table 5 of the report)",
    "business": "business-service pilot (results in Table 6 of the report)",
}


def _missing(x) -> bool:
    return x is None or (isinstance(x, float) and math.isnan(x)) or (isinstance(x, str) and not x.strip())


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

    DATASETS = ("pilots", "outcomes", "contract_types", "survey_published", "satisfaction_published", "survey_codebook")

    @classmethod
    def load(cls, pilot_id: str, data_dir: str | Path | None = None, lang: str = "en") -> "PilotChapter":
        chapter = cls(Data.load(data_dir, cls.DATASETS), pilot_id, lang)
        chapter.model = _models(data_dir).get(pilot_id)
        chapter.data_dir = data_dir
        return chapter

    data_dir: str | Path | None = None

    model: dict | None = None

    def fee_model(self):
        """The pilot's fee components, each with its amount and source."""
        from IPython.display import Markdown

        m = self.model
        if m is None:
            return Markdown("*This data holds no fee model for the pilot.*")
        parts = []
        if m.get("note"):
            parts.append(m["note"].strip())
        price = m.get("price")
        if price:
            rng = f"{fmt_number(price['low'])}" + ("" if price["low"] == price["high"] else f"–{fmt_number(price['high'])}")
            parts.append(f"Price: {rng} € per client ({price.get('what', 'per client')}; {price.get('source', '')}"
                         f"{', inferred' if price.get('inferred') else ''}).")
        proc = m.get("procurement") or {}
        if proc.get("price_weight_pct") is not None:
            parts.append(f"Weight of price in the tender: {fmt_number(proc['price_weight_pct'])} %"
                         f"{' (reconstructed from Figure 8)' if proc.get('inferred') else ''}.")
        status = {"unknown": "The report does not print this model's amounts.",
                  "partly_known": "The report prints only part of this model's amounts; the rest are shown as not printed."}
        if m.get("status") in status:
            parts.insert(0, f"**{status[m['status']]}**")
        if not m.get("components"):
            return Markdown("\n\n".join(parts) or "*No fee components are described.*")
        display(Markdown("\n\n".join(parts)))
        from pilotbook.io.fee_models import components_table

        return self.publisher.table(fee_components_display(m, self.lang), f"pilot-{self.id}-fees",
                                    f"{self.pilot['name_en']}: fee model",
                                    data=components_table({self.id: m}))

    def fee_ladder(self):
        """What the model paid for each standard outcome (skipped when it cannot be priced)."""
        from IPython.display import Markdown

        from pilotbook.analysis.fees import default_price, ladder

        if self.model is None or self.model.get("basis") not in ("euro", "share_of_price") or not self.model.get("components"):
            return Markdown("*The fee engine cannot price this model, so no payment ladder is shown.*")
        frame = ladder(self.model)
        shown = pd.DataFrame({
            "Outcome": frame["outcome"],
            "Paid regardless of results": frame["fixed_eur"].map(lambda v: f"{fmt_number(v)} €"),
            "Paid for the result": frame["results_eur"].map(lambda v: f"{fmt_number(v)} €"),
            "Total": [f"{fmt_number(t)} €" + ("" if ok else " + amounts not printed")
                      for t, ok in zip(frame["total_eur"], frame["complete"])],
        })
        price = default_price(self.model)
        caption = f"At a price of {fmt_number(price)} € per client (the midpoint of the range)." if price else ""
        return self.publisher.table(shown, f"pilot-{self.id}-fee-ladder", f"{self.pilot['name_en']}: payment ladder",
                                    caption=caption, data=frame.assign(price_eur=price))

    def surveys(self):
        """What the evaluation's survey of invited non-participants and the pilot's own customer survey
        printed for this pilot: the values of its TE office's respondents, and of its customers."""
        from IPython.display import Markdown

        from pilotbook.analysis.survey import Codebook

        cb = Codebook(self.data.survey_codebook)
        offices = cb.offices_of(self.id)
        pub, sat = self.data.survey_published, self.data.satisfaction_published
        mine = pub[pub["office"].isin(offices)]
        customers = sat[sat["pilot_id"] == self.id]
        if mine.empty and customers.empty:
            return Markdown("*Neither survey of the evaluation covers this pilot.*")
        parts = []
        if offices:
            shared = sorted({p for o in offices for p in cb.invited_to(o)} - {self.id})
            names = results.pilot_labels(self.data.pilots, full=True)
            parts.append(
                "The evaluation surveyed jobseekers who were invited to a pilot but did not join. Those of the "
                f"{' and '.join(cb.office_label(o, self.lang) for o in offices)} were invited to this pilot"
                + (f" or to {', '.join(names.get(p, p) for p in shared)} (the survey does not say which)" if shared else "")
                + ". The values the report prints for them are below; the chapter *Why invited jobseekers stayed "
                "away* has the whole survey.")
        if not customers.empty:
            parts.append("The pilot ran its own customer survey; the report's figures from it are listed too "
                         "(see the chapter *How clients rated the service*).")
        display(Markdown(" ".join(parts)))
        rows = [{"survey": "invited non-participants", "description": describe_survey_row(r, cb, self.lang),
                 "value": r.value, "unit": r.unit, "qualifier": r.qualifier, "source": r.source, "ref_line": r.ref_line}
                for r in mine.itertuples(index=False)]
        rows += [{"survey": "customer survey", "description": describe_satisfaction_row(r, cb, self.lang),
                  "value": r.value, "unit": r.unit, "qualifier": r.qualifier, "source": r.source, "ref_line": r.ref_line}
                 for r in customers.itertuples(index=False)]
        frame = pd.DataFrame(rows).assign(pilot_id=self.id)
        shown = pd.DataFrame({
            "Survey": frame["survey"], "What": frame["description"],
            label("value", self.lang): [(f"{v:.1f}" if u == "points" else fmt_number(v, q == "approx"))
                                        + (" %" if u == "percent" else "") + (f" ({q})" if q in ("over", "under") else "")
                                        for v, u, q in zip(frame["value"], frame["unit"], frame["qualifier"])],
            label("source", self.lang): [f"{s} (text dump line {l})" for s, l in zip(frame["source"], frame["ref_line"])],
        })
        return self.publisher.table(shown, f"pilot-{self.id}-surveys", f"{self.pilot['name_en']}: what the surveys found",
                                    caption="As printed in the report (no synthetic data).", data=frame)

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

    def ura_section(self):
        """The pilot's register results (SYNTHETIC extract), or a sentence saying there are none."""
        from IPython.display import Markdown

        from pilotbook.analysis import disclosure
        from pilotbook.analysis import register as ura
        from pilotbook.io.catalog import load

        folder = Project.here().resolve_data(self.data_dir)
        extract = load("ura_extract", folder)
        extract = extract[extract["pilot_id"] == self.id]
        if extract.empty:
            return Markdown("The report analyses no register (URA) data for this pilot.")
        codes, categories = load("ura_codes", folder), load("ura_categories", folder)
        table = ura.with_intervals(ura.status_table(ura.classify(extract, codes, categories), categories))
        total = ura.protect_shares(table[table["dimension"] == "total"])
        labels = dict(zip(categories["category"], categories["label_en"])) | {"total": "All"}
        fig, alt = figures.status_bars(total, ura.status_order(categories), labels, labels,
                                       f"{self.pilot['short_en']} (SYNTHETIC register data)", disclosure.min_cell())
        employed = total[total["status"] == "employed"].set_index("cohort")
        sentences = []
        for cohort, word in (("participant", "participants"), ("refuser", "invited jobseekers who declined")):
            if cohort in employed.index and employed.at[cohort, "share"] == employed.at[cohort, "share"]:
                r = employed.loc[cohort]
                sentences.append(f"{r['share']:.0f} % of {word} (95 % interval {r['ci_low']:.0f}–{r['ci_high']:.0f} %)")
        text = ("In the SYNTHETIC register extract, which reproduces the report's figures for this pilot, "
                + " and ".join(sentences) + " were employed at the end of follow-up. "
                "The chapter on the register explains what such a comparison can and cannot show.")
        display(Markdown(text))
        return self.publisher.figure(
            fig, f"pilot-{self.id}-ura", f"{self.pilot['name_en']}: status at the end of follow-up (SYNTHETIC)",
            alt=alt, data=total.drop(columns=[c for c in total.columns if c.endswith("_masked")]),
            report_ref=str(self.pilot["ura_figure"]) if isinstance(self.pilot["ura_figure"], str) else "",
            caption="All persons of each cohort; the figures by sex, age and education are in the register chapter.")

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
        frame.insert(1, "quantity", frame["metric"].map(label))
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
        self.tables = {n: with_remarks(results.results_table(data.pilots, data.outcomes, n), data.outcomes) for n in (4, 5, 6)}

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
        return self.publisher.table(display_table(self.tables[n], n), f"report-table-{n}", titles[n],
                                    report_ref=f"Table {n}", caption=caption, data=self.tables[n],
                                    notes=table_notes(self.tables[n]) or (
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


# --------------------------------------------------------------------------- fees


def _models(data_dir: str | Path | None):
    from pilotbook.io.catalog import dataset
    from pilotbook.io.fee_models import load_models

    return load_models(dataset("fee_models").path(Project.here().resolve_data(data_dir)))


class FeesChapter:
    """Figure 8, Tables 7-9, payment ladders, share at risk, costs and the tender mechanism."""

    DATASETS = ("pilots", "placements")

    def __init__(self, data: Data, models: dict[str, dict], lang: str = "en"):
        from pilotbook.analysis import fee_analysis
        self.data, self.models, self.lang = data, models, lang
        self.names = results.pilot_labels(data.pilots)
        self.analysis = fee_analysis
        self.publisher = Publisher("fees.ipynb")

    @classmethod
    def load(cls, data_dir: str | Path | None = None, lang: str = "en") -> "FeesChapter":
        return cls(Data.load(data_dir, cls.DATASETS), _models(data_dir), lang)

    def counts(self) -> dict[str, str]:
        priced = self.analysis.priced_models(self.models)
        statuses = pd.Series([m.get("status") for m in self.models.values()])
        return {"n_models": str(len(self.models)), "n_priced": str(len(priced)),
                "n_unknown": str(int((statuses == "unknown").sum())),
                "n_partly": str(int((statuses == "partly_known").sum()))}

    def figure_8(self):
        frame = self.analysis.comparison(self.models, self.names)
        fig, alt = figures.fee_comparison(frame, self.lang)
        return self.publisher.figure(
            fig, "report-figure-8", "What each pilot's fee model paid per client, by outcome", alt=alt, data=frame,
            report_ref="Figure 8",
            caption=("Computed by the fee engine from data/published/fee_models.yaml. Where providers bid a "
                     "price within a range, bars use the midpoint and the black line spans the range. "
                     "'?' marks a model whose amounts the report does not fully print."))

    def report_table(self, n: int):
        """Table 7, 8 or 9 of the report: the model whose components cite it."""
        source = f"Table {n}"
        pid = next((pid for pid, m in self.models.items()
                    if any(c.get("source", "").startswith(source) for c in m.get("components") or [])), None)
        if pid is None:
            from IPython.display import Markdown

            return Markdown(f"*No fee model in this data cites {source}.*")
        shown = fee_components_display(self.models[pid], self.lang)
        from pilotbook.io.fee_models import components_table

        return self.publisher.table(shown, f"report-table-{n}", f"{self.names.get(pid, pid)}: fee model",
                                    report_ref=source, data=components_table({pid: self.models[pid]}))

    def ladders(self):
        frame = self.analysis.ladders(self.models, self.names)
        cells = frame.assign(cell=[f"{fmt_number(t)} €" + ("" if ok else " + ?")
                                   for t, ok in zip(frame["total_eur"], frame["complete"])])
        wide = cells.pivot(index="pilot", columns="outcome", values="cell")
        wide = wide.reindex(index=list(dict.fromkeys(frame["pilot"])), columns=list(dict.fromkeys(frame["outcome"])))
        wide.columns.name = None
        shown = wide.reset_index().rename(columns={"pilot": "Pilot"})
        return self.publisher.table(
            shown, "fee-ladders", "Payment ladders: what one client earned the provider, by outcome",
            caption=("At the midpoint of any price range. Sums of all fixed and results parts due; '+ ?' marks "
                     "a part whose amount the report does not print."), data=frame)

    def at_risk(self):
        frame = self.analysis.at_risk(self.models, self.names).sort_values("share_at_risk", ascending=False)
        shown = pd.DataFrame({"Pilot": frame["pilot"],
                              "Share of the largest payment that depends on the result":
                                  frame["share_at_risk"].map(lambda v: "amounts not printed" if v != v
                                                             else f"{fmt_number(100 * v)} %")})
        return self.publisher.table(shown, "fee-share-at-risk", "How much of the top payment was at risk",
                                    data=frame)

    def costs(self):
        frame = self.analysis.cost_per_outcome(self.models, self.data.placements, self.names)
        shown = pd.DataFrame({
            "Pilot": frame["pilot"], "Starters": frame["starters"].map(fmt_number),
            "Fee-eligible in the report": frame["employments_reported_fee_eligible"].map(fmt_number),
            "Paid for by the engine": [fmt_number(v) + ("" if ok else " (results not printed)")
                                       for v, ok in zip(frame["employments_paid"], frame["complete"])],
            "Total cost": frame["total_cost_eur"].map(lambda v: f"{fmt_number(v)} €"),
            "Per starter": frame["cost_per_starter_eur"].map(lambda v: f"{fmt_number(v)} €"),
            "Per paid employment": frame["cost_per_paid_employment_eur"].map(lambda v: f"{fmt_number(v)} €"),
        })
        return self.publisher.table(
            shown, "fee-cost-per-employment",
            "Expected cost per starter and per paid employment (SYNTHETIC clients)",
            caption=("SYNTHETIC: the clients are generated from the report's counts (data/example/placements.csv), "
                     "then priced one by one by the fee engine at the midpoint of each price range. The engine "
                     "pays only for jobs that meet the model's conditions, so its count can fall short of the "
                     "report's where the generated kinds of contract (e.g. jobs under three months) do not "
                     "qualify."),
            data=frame)

    def tender_figure(self, weights=(0.2, 0.4, 0.5), quality: float = 0.8):
        rule = self.tender_rule()
        import numpy as np

        bids = np.arange(rule["full_points_price"] - 200, rule["full_points_price"] + rule["variation"] + 201, 25)
        curves = self.analysis.tender_curves(tuple(weights), quality, bids, rule["full_points_price"], rule["variation"])
        fig, alt = figures.tender(curves, rule["full_points_price"], rule["variation"], self.lang)
        return self.publisher.figure(
            fig, "fee-tender-illustration", "How the weight of price turns a higher bid into a lost tender",
            alt=alt, data=curves,
            caption=(f"Illustration, not data: one bidder with a quality score of {fmt_number(100 * quality)} of 100; "
                     f"price points as in the {rule['pilot']} scoring rule."))

    def tender_table(self, premiums=(100, 200, 300), weights=(0.2, 0.4, 0.5)):
        rule = self.tender_rule()
        rows = [{"price_weight": w, "premium_eur": p,
                 "quality_points_needed": self.analysis.quality_needed(w, p, rule["full_points_price"], rule["variation"])}
                for w in weights for p in premiums]
        frame = pd.DataFrame(rows)
        shown = frame.pivot(index="premium_eur", columns="price_weight", values="quality_points_needed")
        shown.columns = [f"price weight {w:.0%}" for w in shown.columns]
        shown.index = [f"bid {fmt_number(p)} € above the full-points price" for p in shown.index]
        shown = shown.map(lambda v: f"{fmt_number(v)} points").reset_index(names="")
        return self.publisher.table(
            shown, "fee-tender-quality-needed",
            "Quality advantage (points of 100) a dearer bid needs to win", data=frame,
            caption="Computed from the scoring rule; the quality scale is an assumption (see the text).")

    def tender_winning_bids(self, leads=(5, 10, 20), weights=(0.2, 0.4, 0.5)):
        """What a better provider can still charge and win: the dearest tying bid per quality lead."""
        rule = self.tender_rule()
        rows = [{"price_weight": w, "quality_lead_points": lead,
                 "highest_winning_bid_eur": self.analysis.highest_winning_bid(w, lead, rule["full_points_price"],
                                                                             rule["variation"])}
                for w in weights for lead in leads]
        frame = pd.DataFrame(rows)
        shown = frame.pivot(index="quality_lead_points", columns="price_weight", values="highest_winning_bid_eur")
        shown.columns = [f"price weight {w:.0%}" for w in shown.columns]
        shown.index = [f"{fmt_number(lead)} points better in quality" for lead in shown.index]
        shown = shown.map(lambda v: "any bid" if v == float("inf") else f"up to {fmt_number(v)} € per client")
        return self.publisher.table(
            shown.reset_index(names=""), "fee-tender-winning-bids",
            "What a better provider can bid and still win", data=frame,
            caption=(f"Against a rival bidding the full-points price of {fmt_number(rule['full_points_price'])} €; "
                     "the same scoring rule and assumptions as the figure."))

    def tender_rule(self) -> dict:
        """The printed price-scoring rule (full-points price and variation) of the model that has one."""
        for pid, m in self.models.items():
            p = m.get("procurement") or {}
            if p.get("full_points_price_eur") is not None and p.get("price_variation_eur") is not None:
                return {"pilot": self.names.get(pid, pid), "pilot_id": pid,
                        "full_points_price": float(p["full_points_price_eur"]),
                        "variation": float(p["price_variation_eur"]),
                        "price_weight_pct": p.get("price_weight_pct")}
        raise ValueError("no fee model prints a price-scoring rule (procurement.full_points_price_eur)")


# --------------------------------------------------------------------------- surveys (chapters 2.3-2.4)


def _pct_text(v) -> str:
    return "–" if v is None or (isinstance(v, float) and math.isnan(v)) else f"{v:.0f} %"


def _p_text(p) -> str:
    if p is None or (isinstance(p, float) and math.isnan(p)):
        return "–"
    return "< 0.001" if p < 0.001 else f"{p:.3f}" if p < 0.01 else f"{p:.2f}"


class _SurveyChapterBase:
    """What the two survey chapters share: codebook, publisher, loading, assumptions, the check table."""

    DATASETS: tuple[str, ...] = ()
    NOTEBOOK = ""

    def __init__(self, data: Data, lang: str = "en"):
        from pilotbook.analysis import survey
        self.data, self.lang, self.sv = data, lang, survey
        self.cb = survey.Codebook(data.survey_codebook)
        self.publisher = Publisher(self.NOTEBOOK)

    @classmethod
    def load(cls, data_dir: str | Path | None = None, lang: str = "en"):
        return cls(Data.load(data_dir, cls.DATASETS), lang)

    def _assumptions(self) -> list[str]:
        from pilotbook.synth.survey import ASSUMPTIONS

        return list(ASSUMPTIONS)

    def assumptions(self):
        """The generator's assumptions, as a bulleted list."""
        from IPython.display import Markdown

        return Markdown("\n".join(f"- {a}" for a in self._assumptions()))

    def _check_table(self, rep: pd.DataFrame, columns: dict, share: pd.Series, mean: pd.Series, exhibit_id: str,
                     title: str, caption: str):
        """Printed values beside the SYNTHETIC data's (``rep`` from :mod:`pilotbook.analysis.survey`'s reproduce_*)."""
        computed = ["–" if pd.isna(v) else f"{v:.1f} %" if s else f"{v:.2f}" if m else fmt_number(v)
                    for v, s, m in zip(rep["computed"], share, mean)]
        shown = pd.DataFrame({
            **columns,
            "Report": [fmt_number(v) + (" %" if s else "") + (f" ({q})" if isinstance(q, str) else "")
                       for v, s, q in zip(rep["printed"], share, rep["qualifier"])],
            "SYNTHETIC data": computed,
            "Compared": rep["compared"].replace("", "–"),
            "Result": rep["status"],
            "Source": [f"{s} (line {l})" for s, l in zip(rep["source"], rep["ref_line"])],
        })
        return self.publisher.table(shown, exhibit_id, title, caption=caption, data=rep)


class SurveyChapter(_SurveyChapterBase):
    """Chapter 2.3: the survey of invited jobseekers who did not join (Figures 1-6), SYNTHETIC answers."""

    DATASETS = ("pilots", "survey_published", "survey_codebook", "survey_nonparticipants")
    NOTEBOOK = "survey.ipynb"
    SYNTHETIC = ("SYNTHETIC: computed from generated answers that reproduce the report's printed counts and "
                 "shares (data/example/survey_nonparticipants.csv), not from the real survey. ")

    def __init__(self, data: Data, lang: str = "en"):
        super().__init__(data, lang)
        self.responses = data.survey_nonparticipants
        self.answers = self.sv.analysed(self.responses, self.cb)
        self.offices = self.cb.offices()

    # ---- numbers for the prose (glue)
    def _office_label(self, office: str) -> str:
        return self.cb.office_label(office, self.lang)

    def tests(self) -> pd.DataFrame:
        """Office differences in agreeing with each reason of Figure 3 and with the invitation's clarity."""
        aware = self.answers[self.sv.aware(self.answers)]
        items = list(self.cb.items(figure="Figure 3")["name"]) + ["clarity_reason_for_invitation"]
        return pd.DataFrame([self.sv.office_test(aware, i, self.cb, self.offices) for i in items])

    def counts(self) -> dict[str, str]:
        sv, a = self.sv, self.answers
        pilots = results.pilot_labels(self.data.pilots)
        sizes = [(o, int((a["office"] == o).sum())) for o in self.offices]
        invited = "; ".join(f"{self._office_label(o)}: {', '.join(pilots.get(p, p) for p in self.cb.invited_to(o))}"
                            for o in self.offices)
        tests = self.tests()
        reasons = tests[tests["item"].str.startswith("reason_")]
        clarity = tests[tests["item"] == "clarity_reason_for_invitation"].iloc[0]
        methods = sorted(set(reasons["test"]))
        table, miss = fit_actions(self.data.survey_published, self.offices, dict(sizes), self.cb.categories(sv.ACTION))
        split = office_split_fit(self.data.survey_published)
        return {
            "survey_n": fmt_number(len(a)),
            "survey_n_excluded": fmt_number(len(self.responses) - len(a)),
            "survey_offices": "; ".join(f"{self._office_label(o)} {fmt_number(n)}" for o, n in sizes),
            "survey_invited": invited,
            "survey_n_action": fmt_number(a[sv.ACTION].notna().sum()),
            "survey_n_field": fmt_number(a["field_of_work"].notna().sum()),
            "survey_n_aware": fmt_number(sv.aware(a).sum()),
            "survey_test_methods": " and ".join(methods),
            "survey_reason_p_min": _p_text(reasons["p_value"].min()),
            "survey_reason_p_max": _p_text(reasons["p_value"].max()),
            "survey_n_reasons": str(len(reasons)),
            "survey_clarity_test": clarity["test"],
            "survey_clarity_p": _p_text(clarity["p_value"]),
            "survey_no_service": self._printed(question=sv.SERVICE_NEED, response="no_service_needed"),
            "survey_clarity_all": self._printed(question="clarity_reason_for_invitation", office=sv.ALL, response="agree"),
            "survey_clarity_aware": self._printed(question="clarity_reason_for_invitation_aware_only", response="agree"),
            "survey_no_suggestion": self._printed(question="development_suggestions_open_answers", response="no_suggestion"),
            "min_cell": str(disclosure_min_cell()),
            "min_expected": str(settings.current().min_expected),
            "survey_split_misses": str(int((split["gap"] > 0).sum())),
            "survey_split_max_gap": fmt_number(round(float((split["best_fit"] - split["printed"]).abs().max()), 1)),
        }

    def _printed(self, **where) -> str:
        pub = self.data.survey_published
        for column, value in where.items():
            pub = pub[pub[column] == value]
        if pub.empty:
            return "–"
        r = pub.iloc[0]
        return printed_text(r["value"], r["qualifier"], r["unit"])

    # ---- exhibits
    def offices_table(self):
        """Respondents per TE office (printed), and the pilots their respondents were invited to."""
        pub, pilots = self.data.survey_published, results.pilot_labels(self.data.pilots)
        rows = []
        for o in self.cb.offices(analysed_only=False):
            printed = printed_value(pub, question="survey", office=o, measure="respondents")
            share = printed_value(pub, question="survey", office=o, measure="share")
            rows.append({"office": o, "office_label": self._office_label(o), "respondents_printed": printed,
                         "share_printed": share, "respondents_synthetic": int((self.responses["office"] == o).sum()),
                         "invited_to": "; ".join(self.cb.invited_to(o)),
                         "invited_to_label": "; ".join(pilots.get(p, p) for p in self.cb.invited_to(o)) or
                                             "– (left out of the analysis, as in the report)"})
        frame = pd.DataFrame(rows)
        shown = pd.DataFrame({
            "TE office": frame["office_label"],
            "Respondents (report)": frame["respondents_printed"].map(fmt_number),
            "Share of all (report)": frame["share_printed"].map(_pct_text),
            "SYNTHETIC respondents": frame["respondents_synthetic"].map(disclosure_count),
            "Invited to": frame["invited_to_label"],
        })
        return self.publisher.table(
            shown, "survey-offices", "Respondents by TE office (report and SYNTHETIC file) and the pilots they were invited to",
            caption=("The report's counts and shares, the SYNTHETIC file's respondents, and the pilot(s) each office's "
                     "respondents were invited to (survey_codebook.csv gives the evidence)."),
            data=frame)

    def _distribution(self, column: str, codes: list, labels: list[str]) -> pd.DataFrame:
        d = self.sv.protect_distribution(self.sv.distribution(self.answers, column, codes))
        return d.assign(item=column, label=labels)

    def figure_1(self):
        codes = self.cb.categories("field_of_work")
        d = self._distribution("field_of_work", codes, [self.cb.code_label("field_of_work", c, self.lang) for c in codes])
        d = d.sort_values("count", kind="stable")
        fig, alt = figures.count_bars(d, "respondents' main field of work sought", self.lang)
        return self.publisher.figure(
            fig, "report-figure-1", "Main field of work sought (SYNTHETIC)", alt=alt, report_ref="Figure 1",
            data=d.drop(columns=["group"]), caption=self.SYNTHETIC + "Single choice; shares of those who answered.")

    def figure_2(self):
        codes = self.cb.categories(self.sv.ACTION)
        d = self._distribution(self.sv.ACTION, codes, [self.cb.code_label(self.sv.ACTION, c, self.lang) for c in codes])
        fig, alt = figures.count_bars(d, "what respondents did after the invitation", self.lang)
        return self.publisher.figure(
            fig, "report-figure-2", "What respondents did after the invitation (SYNTHETIC)", alt=alt,
            report_ref="Figure 2", data=d.drop(columns=["group"]),
            caption=self.SYNTHETIC + "All offices together; single choice, shares of those who answered.")

    def action_by_office(self):
        sv, codes = self.sv, self.cb.categories(self.sv.ACTION)
        d = sv.protect_distribution(sv.distribution(self.answers, sv.ACTION, codes, by="office", groups=self.offices))
        d["label"] = [self.cb.code_label(sv.ACTION, c, self.lang) for c in d["code"]]
        d["group_label"] = d["group"].map(self._office_label)
        fig, alt = figures.stacked_shares(d, "what respondents did after the invitation, by TE office", self.lang)
        return self.publisher.figure(
            fig, "survey-action-by-office", "What respondents did after the invitation, by TE office (SYNTHETIC)",
            alt=alt, data=d, caption=self.SYNTHETIC + (
                "Cells of fewer than 10 answers are suppressed, and so is the next smallest cell where the "
                "suppressed ones could otherwise be recovered from the total; together they form the hatched segment."))

    def _likert_items(self, names: list[str]) -> list:
        items = []
        for name in names:
            row = self.cb.item(name)
            assumed = self._assumed(name)
            marker = ("†" if assumed else "") + ("‡" if row["wording"] == "not_printed" else "")
            items.append(self.sv.LikertItem(name, self.cb.item_label(name, self.lang) + (f" {marker}" if marker else ""),
                                            str(row["scale"]), marker))
        return items

    def _assumed(self, name: str) -> bool:
        """True when the report prints no share for the item (its distribution is assumed)."""
        pub = self.data.survey_published
        return not ((pub["question"].str.removesuffix("_aware_only") == name) & (pub["measure"] == "share")).any()

    MARKERS = ("† the report prints no share for this item: its distribution is an assumption of the generator. "
               "‡ the report does not print the item's wording; the label describes it from the text.")

    def _likert_figure(self, names, exhibit_id, title, report_ref, what, data=None, caption=""):
        items = self._likert_items(names)
        frame = self.sv.likert(self.answers if data is None else data[0], items, self.cb, by=None if data is None else data[1],
                               groups=None if data is None else data[2], lang=self.lang)
        frame["bar_label"] = frame["label"] if data is None else frame["label"] + " — " + frame["group"].map(data[3])
        fig, alt = figures.likert_diverging(frame, what, self.lang)
        return self.publisher.figure(fig, exhibit_id, title, alt=alt, report_ref=report_ref, data=frame,
                                     caption=self.SYNTHETIC + caption + " " + self.MARKERS)

    def figure_3(self):
        return self._likert_figure(
            list(self.cb.items(figure="Figure 3")["name"]), "report-figure-3",
            "Why respondents did not take part (SYNTHETIC)", "Figure 3", "the reasons for not taking part",
            caption="All respondents who answered, as in the report; shares of all answers, can't say included.")

    def figure_4(self):
        return self._likert_figure(
            list(self.cb.items(figure="Figure 4")["name"]), "report-figure-4",
            "Views of the invitation and of the providers (SYNTHETIC)", "Figure 4",
            "views of the invitation and the providers", caption="All respondents who answered.")

    def figure_5(self):
        sv = self.sv
        aware = self.answers[sv.aware(self.answers)].copy()
        aware["audience"] = np.where(aware[sv.ACTION] == sv.ATTENDED, "attended", "other")
        names = [n for n in self.cb.items(figure="Figure 4")["name"] if n != "clarity_reason_for_invitation"]
        labels = {"attended": label("survey_attended", self.lang), "other": label("survey_other_aware", self.lang)}
        return self._likert_figure(
            names, "report-figure-5", "Info-session attendees' view of the providers, beside other invitees (SYNTHETIC)",
            "Figure 5", "info-session attendees' and other invitees' views of the providers",
            data=(aware, "audience", ["attended", "other"], labels),
            caption="Respondents aware of the invitation, by whether they attended an info session.")

    def _agree_by_office(self, names: list[str]) -> tuple[pd.DataFrame, pd.DataFrame]:
        sv = self.sv
        aware = self.answers[sv.aware(self.answers)]
        rows = []
        for name in names:
            for group in [*self.offices, sv.ALL]:
                part = aware if group == sv.ALL else aware[aware["office"] == group]
                k, n = sv.agree_share(part, name, self.cb)
                rows.append({"item": name, "group": group, "agree": k, "n": n, "share": 100 * k / n if n else np.nan})
        frame = pd.DataFrame(rows)
        from pilotbook.analysis import disclosure
        protected = disclosure.protect(frame.assign(not_agree=frame["n"] - frame["agree"]), "n", ["share"],
                                       ("agree", "not_agree"))
        protected.loc[protected["agree_masked"] | protected["not_agree_masked"], "share"] = np.nan
        tests = pd.DataFrame([sv.office_test(aware, n, self.cb, self.offices) for n in names])
        return protected, tests

    def _office_table(self, names, exhibit_id, title, caption):
        frame, tests = self._agree_by_office(names)
        shown = pd.DataFrame({"Item": [self.cb.item_label(n, self.lang) for n in names]})
        for group in [*self.offices, self.sv.ALL]:
            part = frame[frame["group"] == group].set_index("item").reindex(names)
            head = label("survey_all_offices", self.lang) if group == self.sv.ALL else self._office_label(group)
            shown[head] = [("suppressed" if pd.isna(s) else _pct_text(s)) + f" (N={disclosure_count(n)})"
                           for s, n in zip(part["share"], part["n"])]
        shown["Test of office differences"] = [f"{t}: p = {_p_text(p)}" for t, p in zip(tests["test"], tests["p_value"])]
        data = frame.merge(tests[["item", "test", "statistic", "dof", "p_value", "min_expected"]], on="item")
        return self.publisher.table(shown, exhibit_id, title, caption=self.SYNTHETIC + caption,
                                    data=data.drop(columns=["agree", "not_agree"]))

    def reasons_by_office(self):
        return self._office_table(
            list(self.cb.items(figure="Figure 3")["name"]), "survey-reasons-by-office",
            "Agreeing with each reason, by TE office (SYNTHETIC)",
            ("Share agreeing (somewhat or fully) among respondents aware of the invitation, can't say counted in the "
             "base. Shares resting on fewer than 10 persons agreeing or not agreeing are suppressed. The test is "
             "Pearson's chi-square when every expected count is at least 5, else Fisher's exact test."))

    def clarity_by_office(self):
        return self._office_table(
            ["clarity_reason_for_invitation"], "survey-clarity-by-office",
            "Was it clear why the TE office sent the invitation? By TE office (SYNTHETIC)",
            "Share agreeing (somewhat or fully) among respondents aware of the invitation who answered.")

    def figure_6(self):
        sv, cb = self.sv, self.cb
        answered = self.answers[sv.answered_service_need(self.answers, cb)]
        rows = []
        for code in cb.categories(sv.SERVICE_NEED):
            k = int(answered[f"{sv.SERVICE_NEED}_{code}"].fillna(False).astype(bool).sum())
            printed = (self.data.survey_published["question"] == sv.SERVICE_NEED) & \
                (self.data.survey_published["response"] == code)
            marker = "" if printed.any() else " †"
            rows.append({"code": code, "label": cb.code_label(sv.SERVICE_NEED, code, self.lang) + marker, "count": k,
                         "n": len(answered), "share": 100 * k / len(answered) if len(answered) else np.nan})
        from pilotbook.analysis import disclosure
        d = disclosure.protect(pd.DataFrame(rows), "n", ["share"], ("count",))
        d.loc[d["count_masked"], "share"] = np.nan
        d = d.sort_values("share", ascending=False, kind="stable")
        fig, alt = figures.count_bars(d, "the services respondents wanted (more than one could be chosen)", self.lang)
        return self.publisher.figure(
            fig, "report-figure-6", "Services wanted to support finding work (SYNTHETIC)", alt=alt, report_ref="Figure 6",
            data=d, caption=self.SYNTHETIC + "Multiple choice: shares of those who answered add up to more than 100 %. "
            "The report's figure is lost in the dump; the options are those its text names. † the report prints "
            "no share for this option: it is an assumption of the generator (see below).")

    def reproduction(self):
        """Every value the report prints for the survey beside the value the microdata give."""
        rep = self.sv.reproduce_survey(self.data.survey_published, self.responses, self.cb)
        small = rep["measure"].isin(["count", "respondents"]) & rep["computed"].between(1, 9)
        rep.loc[small, ["computed", "status"]] = [np.nan, "suppressed (<10 persons)"]
        split = office_split_fit(self.data.survey_published)
        flagged = set(zip(split.loc[split["gap"] > 0, "office"], split.loc[split["gap"] > 0, "question"],
                          split.loc[split["gap"] > 0, "response"]))
        rep.loc[[(o, q, r) in flagged for o, q, r in zip(rep["office"], rep["question"], rep["response"])],
                "status"] = "differs: the report's shares and counts cannot all hold"
        described = [describe_survey_row(r, self.cb, self.lang) for r in rep.itertuples(index=False)]
        return self._check_table(
            rep, {"Printed value": described}, rep["measure"] == "share", rep["measure"] == "mean",
            "survey-reproduction", "Every survey value the report prints, and what the SYNTHETIC answers give",
            ("Counts must match exactly, printed percentages within rounding; numbers written in words or "
             "marked approximate within 3 points. Counts under 10 persons are not shown."))

    def codebook_table(self):
        items = self.cb.items("nonparticipants")
        wording = {"printed": "as printed", "truncated": "only the end is printed",
                   "not_printed": "not printed (described from the text)"}
        shown = pd.DataFrame({
            "Item": items["name"], "Figure": items["figure"], "Text in the report (Finnish)": items["label_fi"].replace("", "–"),
            "Our label": items["label_en"], "Wording": items["wording"].map(wording),
            "Answers": [self._answers_text(r) for r in items.itertuples(index=False)],
        })
        return self.publisher.table(
            shown, "survey-codebook", "The questions of the survey of invited non-participants",
            caption="From data/published/survey_codebook.csv; every Finnish text is checked against the report's text.",
            data=items)

    def _answers_text(self, row) -> str:
        if row.scale in ("categories", "multi"):
            return f"{len(self.cb.categories(row.name))} options" + (", several allowed" if row.scale == "multi" else "")
        points = self.cb.scale_points(row.scale)
        cs = self.cb.cant_say(row.scale)
        return f"{points[0]}–{points[-1]}" + (f", {cs} = can't say" if cs is not None else "")


def disclosure_count(n) -> str:
    from pilotbook.analysis.disclosure import count_text

    return count_text(n)


def disclosure_min_cell() -> int:
    from pilotbook.analysis.disclosure import min_cell

    return min_cell()


class SatisfactionChapter(_SurveyChapterBase):
    """Chapter 2.4: the pilots' own customer surveys; Figure 7 from SYNTHETIC Back to Business answers."""

    DATASETS = ("pilots", "satisfaction_published", "survey_codebook", "satisfaction_pirkanmaa", "facts")
    NOTEBOOK = "satisfaction.ipynb"
    SYNTHETIC = ("SYNTHETIC: computed from generated answers that reproduce the report's printed means "
                 "(data/example/satisfaction_pirkanmaa.csv), not from the real survey. ")

    def __init__(self, data: Data, lang: str = "en"):
        super().__init__(data, lang)
        self.responses = data.satisfaction_pirkanmaa
        self.names = results.pilot_labels(data.pilots, full=True)
        self.pilot = self.cb.surveyed_pilot("satisfaction")  # None in a data folder without that pilot

    def _statements(self) -> list[str]:
        return list(self.cb.items("satisfaction", figure="Figure 7")["name"])

    def means(self) -> pd.DataFrame:
        """Mean and 95 % interval of every rated item (can't say left out, as in the report)."""
        rows = []
        for name in [*self._statements(), "overall_grade", "effect_grade_employed"]:
            scale = self.cb.scale_of(name)
            points = self.cb.scale_points(scale)
            values = pd.to_numeric(self.responses[name], errors="coerce")
            cant_say = int((values == self.cb.cant_say(scale)).sum()) if self.cb.cant_say(scale) is not None else 0
            rows.append({"item": name, "label": self.cb.item_label(name, self.lang), "scale_min": points[0],
                         "scale_max": points[-1], "cant_say": cant_say,
                         **self.sv.mean_ci(values[values.between(points[0], points[-1])])})
        return self.sv.protect_means(pd.DataFrame(rows))

    def counts(self) -> dict[str, str]:
        pub, r, pilot = self.data.satisfaction_published, self.responses, self.pilot
        means = self.means().set_index("item")
        others = pub[(pub["pilot_id"] != pilot) & (pub["item"] == "respondents")]
        contacts = self.sv.mean_ci(r["contacts_with_provider"])
        return {
            "sat_pilot": self.names.get(pilot, "The pilot whose customer survey this is (not in this data's pilots)"),
            "sat_n": fmt_number(len(r)),
            "sat_heard_pct": _pct_text(100 * r["heard_via_invitation_letter"].mean()),
            "sat_contacts_mean": fmt_number(round(contacts["mean"], 1)),
            "sat_grade": f"{means.at['overall_grade', 'mean']:.1f}",
            "sat_grade_ci": f"{means.at['overall_grade', 'ci_low']:.1f}–{means.at['overall_grade', 'ci_high']:.1f}",
            "sat_effect": f"{means.at['effect_grade_employed', 'mean']:.1f}",
            "sat_effect_n": fmt_number(means.at["effect_grade_employed", "n"]),
            "sat_effect_ci": (f"{means.at['effect_grade_employed', 'ci_low']:.1f}–"
                              f"{means.at['effect_grade_employed', 'ci_high']:.1f}"),
            "sat_other_surveys": "; ".join(f"{self.names.get(p, p)}: {fmt_number(v)} answers"
                                           for p, v in zip(others["pilot_id"], others["value"])) or "none",
            "sat_order": self.order_sentence(),
            "sat_contacts_range": fmt_range(*[printed_value(pub[pub["pilot_id"] == pilot], item=f"contacts_with_provider_{e}")
                                              for e in ("low", "high")]),
            "sat_choice_coach": self._fact(pilot, "pct_choice_driven_by_info_session_coach"),
            "sat_scale_statements": self._scale_text(self._statements()[0]),
            "sat_scale_grade": self._scale_text("overall_grade"),
            "sat_scale_effect": self._scale_text("effect_grade_employed"),
            "min_cell": str(disclosure_min_cell()),
        }

    def _fact(self, pilot: str, quantity: str) -> str:
        f = self.data.facts
        f = f[(f["pilot_id"] == pilot) & (f["quantity"] == quantity)]
        return "–" if f.empty else printed_text(f["value"].iloc[0], f["qualifier"].iloc[0], f["unit"].iloc[0])

    def _scale_text(self, item: str) -> str:
        """'1 (fully disagree) to 5 (fully agree)': the scale's end points with their printed labels."""
        scale = self.cb.scale_of(item)
        ends = self.cb.scale_points(scale)[0], self.cb.scale_points(scale)[-1]
        labels = [self.cb.code_label(scale, e, self.lang) for e in ends]
        return " to ".join(f"{e} ({l.lower()})" if l != str(e) else str(e) for e, l in zip(ends, labels))

    def order_sentence(self) -> str:
        """How the three means of Figure 7 are paired with their statements (the dump prints values
        first, labels after): in print order, which the text of chapter 2.4 supports."""
        fig7 = self.data.satisfaction_published
        fig7 = fig7[fig7["figure"] == "Figure 7"].sort_values("ref_line")
        parts = [f"“{self.cb.item_label(i, self.lang)}” {v:.1f}" for i, v in zip(fig7["item"], fig7["value"])]
        return "; ".join(parts)

    def _assumptions(self) -> list[str]:
        return [a for a in super()._assumptions() if a.startswith("Customer survey")]

    def figure_7(self):
        m = self.means()
        fig7 = m[m["item"].isin(self._statements())]
        fig, alt = figures.means_with_intervals(fig7, "satisfaction with how the service was delivered",
                                                (fig7["scale_min"].min(), fig7["scale_max"].max()), self.lang)
        return self.publisher.figure(
            fig, "report-figure-7", "Satisfaction with how the service was delivered (SYNTHETIC)", alt=alt,
            report_ref="Figure 7", data=fig7,
            caption=self.SYNTHETIC + ("Means on a scale of 1 (fully disagree) to 5 (fully agree), can't say left out as "
                                      "in the report, with 95 % confidence intervals (t distribution). The intervals "
                                      "show what the spread of the synthetic answers implies, not the real one."))

    def statements(self):
        items = [self.sv.LikertItem(n, self.cb.item_label(n, self.lang), self.cb.scale_of(n)) for n in self._statements()]
        frame = self.sv.likert(self.responses, items, self.cb, lang=self.lang)
        frame["bar_label"] = frame["label"]
        fig, alt = figures.likert_diverging(frame, "the Figure 7 statements", self.lang)
        return self.publisher.figure(
            fig, "satisfaction-statements", "How the answers to the Figure 7 statements spread (SYNTHETIC)", alt=alt,
            data=frame, caption=self.SYNTHETIC + ("The report prints only the means; the spread is the generator's "
                                                  "assumption (it says experiences varied very much)."))

    def grades(self):
        m = self.means()
        m = m[~m["item"].isin(self._statements())]
        contacts = self.sv.protect_means(pd.DataFrame([{"item": "contacts_with_provider",
                                                        "label": self.cb.item_label("contacts_with_provider", self.lang),
                                                        "scale_min": np.nan, "scale_max": np.nan, "cant_say": 0,
                                                        **self.sv.mean_ci(self.responses["contacts_with_provider"])}]))
        frame = pd.concat([m, contacts], ignore_index=True)
        shown = pd.DataFrame({
            "Item": frame["label"],
            "Scale": [("count" if pd.isna(lo) else f"{lo:.0f}–{hi:.0f}") for lo, hi in zip(frame["scale_min"], frame["scale_max"])],
            "N": frame["n"].map(disclosure_count),
            "Mean": frame["mean"].map(lambda v: "suppressed" if pd.isna(v) else f"{v:.1f}"),
            "95 % interval": [("–" if pd.isna(lo) else f"{lo:.1f}–{hi:.1f}") for lo, hi in zip(frame["ci_low"], frame["ci_high"])],
        })
        return self.publisher.table(shown, "satisfaction-grades", "Grades and contacts: means with 95 % intervals (SYNTHETIC)",
                                    caption=self.SYNTHETIC, data=frame)

    def reproduction(self):
        rep = self.sv.reproduce_satisfaction(self.data.satisfaction_published, self.responses, self.pilot)
        rep.loc[(rep["statistic"] == "respondents") & rep["computed"].between(1, 9), ["computed", "status"]] = \
            [np.nan, "suppressed (<10 persons)"]
        columns = {"Pilot": rep["pilot_id"].map(lambda p: self.names.get(p, p)),
                   "Printed value": [describe_satisfaction_row(r, self.cb, self.lang)
                                     for r in rep.itertuples(index=False)]}
        return self._check_table(
            rep, columns, rep["statistic"] == "share", rep["statistic"] == "mean", "satisfaction-reproduction",
            "Every customer-survey value the report prints, and what the SYNTHETIC answers give",
            "Means must match to the printed decimal, shares and ranges as printed ('over', 'about').")


# --------------------------------------------------------------------------- register (URA)


class UraChapter:
    """Table 2 and Figures 10-15 from the (SYNTHETIC) extract, and the analysis the report could not do."""

    DATASETS = ("pilots", "ura_extract", "ura_codes", "ura_categories", "ura_published")

    def __init__(self, data: Data, lang: str = "en", notebook: str = "ura.ipynb"):
        from pilotbook.analysis import disclosure
        from pilotbook.analysis import register as ura
        self.data, self.lang, self.ura, self.min_n = data, lang, ura, disclosure.min_cell()
        self.classified = ura.classify(data.ura_extract, data.ura_codes, data.ura_categories)
        self.table = ura.with_intervals(ura.status_table(self.classified, data.ura_categories))
        self.statuses = ura.status_order(data.ura_categories)
        cats = data.ura_categories
        self.labels = dict(zip(cats["category"], cats["label_en"])) | {"total": "All"}
        self.names = results.pilot_labels(data.pilots)
        self.publisher = Publisher(notebook)

    @classmethod
    def load(cls, data_dir: str | Path | None = None, lang: str = "en", notebook: str = "ura.ipynb") -> "UraChapter":
        """``notebook``: the template that shows the exhibits (recorded in data/index.csv)."""
        return cls(Data.load(data_dir, cls.DATASETS), lang, notebook)

    def pilots_with_data(self) -> list[str]:
        order = self.data.pilots.assign(fig=self.data.pilots["ura_figure"].fillna("Figure 99"))
        present = set(self.classified["pilot_id"])
        return [p for p in order.sort_values("fig")["pilot_id"] if p in present]

    def counts(self) -> dict[str, str]:
        from pilotbook.analysis.disclosure import count_text

        cohorts = self.classified.groupby("pilot_id")["cohort"].nunique()
        return {"ura_persons": count_text(len(self.classified)), "ura_pilots": str(len(cohorts)),
                "ura_pilots_with_refusers": str(int((cohorts == 2).sum())),
                "min_cell": str(self.min_n)}

    def _protected(self, frame: pd.DataFrame) -> pd.DataFrame:
        return self.ura.protect_shares(frame, self.min_n)

    def table_2(self):
        comp = self.ura.group_composition(self.classified)
        # a share of a cohort that stands for 1-9 persons would reveal the count: suppress it too
        few = (comp["count"] > 0) & (comp["count"] < self.min_n)
        safe = comp.assign(share=comp["share"].where(~few), count=comp["count"].where(~few), suppressed=few)
        order = {c: i for i, c in enumerate(self.data.ura_categories.sort_values(["dimension", "order"])["category"])}
        safe = safe.assign(_order=safe["group"].map(order)).sort_values(["dimension", "_order"]).drop(columns="_order")
        shown = safe.assign(pilot=safe["pilot_id"].map(self.names),
                            group=safe["group"].map(self.labels).fillna(safe["group"]),
                            cohort=safe["cohort"].map({"participant": "participants", "refuser": "refusers"}))
        wide = shown.pivot_table(index=["dimension", "group"], columns=["pilot", "cohort"], values="share",
                                 sort=False, dropna=False).round(0)
        wide.columns = [f"{p}: {c}" for p, c in wide.columns]
        wide = wide.reset_index().drop(columns="dimension").rename(columns={"group": "Group"})
        wide = wide.map(lambda v: "–" if isinstance(v, float) and v != v else (f"{v:.0f} %" if isinstance(v, float) else v))
        return self.publisher.table(
            wide, "report-table-2", "Participants and refusers by sex, age and education (% of the cohort, SYNTHETIC)",
            report_ref="Table 2", data=safe,
            caption=(f"SYNTHETIC extract. A share that stands for fewer than {self.min_n} persons is not shown ('–'); "
                     "'–' also marks groups a pilot does not have, and the few persons with no recorded age or "
                     "education are left out."))

    def figure(self, pilot_id: str):
        pilot = results.pilot_row(self.data.pilots, pilot_id)
        number = str(pilot["ura_figure"]).split()[-1] if isinstance(pilot["ura_figure"], str) else None
        part = self._protected(self.table[self.table["pilot_id"] == pilot_id])
        fig, alt = figures.status_bars(part, self.statuses, self.labels, self.labels,
                                       f"{self.names[pilot_id]} (SYNTHETIC register data)", self.min_n, self.lang)
        exhibit = f"report-figure-{number}" if number else f"ura-{pilot_id}"
        return self.publisher.figure(
            fig, exhibit, f"{self.names[pilot_id]}: labour-market status at the end of follow-up, by group",
            alt=alt, data=part.drop(columns=[c for c in part.columns if c.endswith("_masked")]),
            report_ref=f"Figure {number}" if number else "",
            caption="SYNTHETIC extract classified by the rules of chapter 4.2. Percentages of each group.")

    def figures(self):
        from IPython.display import display as show

        for pilot_id in self.pilots_with_data():
            show(self.figure(pilot_id))

    def differences(self, status: str = "employed"):
        diff = self.ura.differences(self.table)
        diff = diff[(diff["status"] == status)]
        small = (diff["n_p"] < self.min_n) | (diff["n_r"] < self.min_n)
        diff = diff.assign(suppressed=small)
        for c in ("share_p", "share_r", "difference", "ci_low", "ci_high"):
            diff[c] = diff[c].where(~small)
        shown = pd.DataFrame({
            "Pilot": diff["pilot_id"].map(self.names),
            "Group": diff["group"].map(self.labels).fillna(diff["group"]),
            "Participants": [f"{p:.0f} %" if p == p else "–" for p in diff["share_p"]],
            "Refusers": [f"{p:.0f} %" if p == p else "–" for p in diff["share_r"]],
            "Difference (95 % interval)": [f"{d:+.1f} ({lo:+.1f} to {hi:+.1f})" if d == d else f"suppressed (<{self.min_n})"
                                           for d, lo, hi in zip(diff["difference"], diff["ci_low"], diff["ci_high"])],
        })
        return self.publisher.table(
            shown, "ura-differences", "Employed: participants minus refusers, with 95 % intervals (SYNTHETIC)",
            caption=("Wilson intervals for each share (in the CSV) and Newcombe's interval for the difference, in "
                     "percentage points."), data=diff)

    def shares_with_intervals(self):
        tot = self._protected(self.table[self.table["dimension"] == "total"])
        shown = pd.DataFrame({
            "Pilot": tot["pilot_id"].map(self.names), "Cohort": tot["cohort"],
            "Status": tot["status"].map(self.labels),
            "Share (95 % interval)": [f"{s:.1f} % ({lo:.1f}–{hi:.1f})" if s == s else "–"
                                      for s, lo, hi in zip(tot["share"], tot["ci_low"], tot["ci_high"])],
        })
        return self.publisher.table(shown, "ura-shares-intervals",
                                    "Every status share with its Wilson 95 % interval (SYNTHETIC)",
                                    data=tot.drop(columns=[c for c in tot.columns if c.endswith("_masked")]))

    def standardised(self):
        st = self.ura.standardised(self.classified)
        shown = pd.DataFrame({
            "Pilot": st["pilot_id"].map(self.names),
            "Participants employed": st["participants_pct"].map(lambda v: f"{v:.1f} %"),
            "Refusers, as recorded": st["refusers_crude_pct"].map(lambda v: f"{v:.1f} %"),
            "Refusers, reweighted to the participants' mix": st["refusers_standardised_pct"].map(lambda v: f"{v:.1f} %"),
            "Difference, standardised (95 % interval)": [f"{d:+.1f} ({lo:+.1f} to {hi:+.1f})" for d, lo, hi in
                                                         zip(st["difference_standardised"], st["ci_low"], st["ci_high"])],
        })
        return self.publisher.table(shown, "ura-standardised",
                                    "Employed share with refusers standardised to the participants' sex × age × education mix (SYNTHETIC)",
                                    data=st)

    def unknown_bounds(self):
        b = self.ura.unknown_bounds(self.table)
        shown = pd.DataFrame({
            "Pilot": b["pilot_id"].map(self.names),
            "Difference as recorded": b["difference_as_recorded"].map(lambda v: f"{v:+.1f}"),
            "If every unknown were employed": b["difference_if_all_unknown_employed"].map(lambda v: f"{v:+.1f}"),
            "Widest possible range": [f"{lo:+.1f} to {hi:+.1f}" for lo, hi in zip(b["lowest_possible"], b["highest_possible"])],
        })
        return self.publisher.table(shown, "ura-unknown-bounds",
                                    "Employed share difference (points) under the bounds for 'other or unknown' (SYNTHETIC)",
                                    data=b)

    def power(self):
        pw = self.ura.power_table(self.table)
        shown = pd.DataFrame({
            "Pilot": pw["pilot_id"].map(self.names),
            "Participants": pw["n_participants"].map(fmt_number),
            "Refusers": pw["n_refusers"].map(lambda v: fmt_number(v) if v else "–"),
            "Smallest difference detectable (points)": pw["mdd_points"].map(lambda v: "–" if v != v else f"{v:.1f}"),
            "Persons per arm to detect 5 points": pw["n_per_arm_for_5_points"].map(fmt_number),
        })
        return self.publisher.table(shown, "ura-power",
                                    "What the comparison could detect, and what a randomised design would need",
                                    caption="80 % power, two-sided 5 % test, around the refusers' employed share.",
                                    data=pw)

    def reproduction(self):
        pub = self.data.ura_published
        rows = pub[pub["measure"] == "status_share"]
        merged = rows.merge(self.table, on=["pilot_id", "cohort", "dimension", "group", "status"], how="left",
                            suffixes=("", "_computed"))
        merged["computed"] = merged["share"].round(1)
        merged["difference"] = (merged["share"] - merged["value"]).round(1)
        shown = pd.DataFrame({
            "Source": merged["figure"], "Pilot": merged["pilot_id"].map(self.names),
            "Cohort": merged["cohort"], "Group": merged["group"].map(self.labels).fillna(merged["group"]),
            "Status": merged["status"].map(self.labels), "Printed": merged["value"].map(lambda v: f"{v:g} %")
            + merged["qualifier"].map({"over": " (over)", "under": " (under)", "approx": " (about)"}).fillna(""),
            "Computed": merged["computed"].map(lambda v: f"{v:.1f} %"),
        })
        return self.publisher.table(
            shown, "ura-reproduction", "Register shares: printed in the report against computed from the SYNTHETIC extract",
            data=merged[["figure", "pilot_id", "cohort", "dimension", "group", "status", "value", "qualifier",
                         "computed", "difference"]])


def synthetic_assumptions() -> str:
    """Every assumption the SYNTHETIC example data rest on, as MyST markdown (from the generators)."""
    from pilotbook.synth import placements as synth
    from pilotbook.synth import register as synth_ura
    parts = ["### Clients of the pilots (placements.csv)", ""] + [f"- {a}" for a in synth.ASSUMPTIONS]
    parts += ["", "### Register extract (ura_extract.csv)", ""] + [f"- {a}" for a in synth_ura.ASSUMPTIONS]
    names = {}
    for (pilot_id, cohort), profile in synth_ura.PROFILES.items():
        names.setdefault(pilot_id, []).append(f"{cohort}s: " + "; ".join(profile.notes))
    parts += [f"- {pid}: " + " | ".join(notes) for pid, notes in names.items()]
    return "\n".join(parts)
