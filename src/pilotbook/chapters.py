"""What the notebook templates show, assembled from data: one call per block.

The templates stay thin (load -> call -> show); every sentence that carries a
number is composed here from the data, so no count is ever typed into a page.
"""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
from IPython.display import display

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
        chapter = cls(Data.load(data_dir, cls.DATASETS), pilot_id, lang)
        chapter.model = _models(data_dir).get(pilot_id)
        return chapter

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
        from .fees import components_table

        return self.publisher.table(fee_components_display(m, self.lang), f"pilot-{self.id}-fees",
                                    f"{self.pilot['name_en']}: fee model",
                                    data=components_table({self.id: m}))

    def fee_ladder(self):
        """What the model paid for each standard outcome (skipped when it cannot be priced)."""
        from IPython.display import Markdown

        from .fees import default_price, ladder

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


# --------------------------------------------------------------------------- fees


def _models(data_dir: str | Path | None):
    from .catalog import dataset
    from .fees import load_models

    return load_models(dataset("fee_models").path(Project.here().resolve_data(data_dir)))


def fee_components_display(model: dict, lang: str = "en") -> pd.DataFrame:
    """A model's components as a reader's table: what is paid, how much, on what condition, source."""
    from .fees import default_price, price_range

    rows = []
    for c in model.get("components") or []:
        if c.get("amount_eur") is not None:
            amount = f"{fmt_number(c['amount_eur'])} €"
            if c.get("share_of_price") is not None:
                amount += f" ({fmt_number(100 * c['share_of_price'])} %)"
        elif c.get("share_of_price") is not None:
            rng = price_range(model)
            amount = f"{fmt_number(100 * c['share_of_price'])} % of the price"
            if rng:
                amount += f" ({fmt_number(c['share_of_price'] * rng[0])}–{fmt_number(c['share_of_price'] * rng[1])} €)"
        else:
            amount = "not printed"
        kind = {"fixed": "paid regardless of results", "result": "paid for the result",
                "bonus": "bonus per result"}.get(c.get("kind"), c.get("kind"))
        source = f"{c.get('source', '')} (line {c.get('ref_line', '–')})" + (" — inferred" if c.get("inferred") else "")
        rows.append({"What is paid for": c.get("label_en", c["id"]), "Kind": kind, "Amount": amount,
                     "Source": source})
    return pd.DataFrame(rows, columns=["What is paid for", "Kind", "Amount", "Source"])


class FeesChapter:
    """Figure 8, Tables 7-9, payment ladders, share at risk, costs and the tender mechanism."""

    DATASETS = ("pilots", "placements")

    def __init__(self, data: Data, models: dict[str, dict], lang: str = "en"):
        from . import fee_analysis

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
        from .fees import components_table

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
