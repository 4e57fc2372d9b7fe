"""A pilot's chapter (``pilot.ipynb``, run once per pilot): facts, results against target, kinds of
employment, the register, the fee model, the surveys and every value the report prints for it.

Every function takes the pilot's row of ``pilots.csv`` (:func:`results.pilot_row`) and what
:mod:`pilotbook.analysis.results` computed for it, and returns exhibits or prose; nothing here
reads or writes files or displays anything.  Where a section has nothing for the pilot, it
returns the sentence that says so.
"""

from __future__ import annotations

import pandas as pd

from pilotbook.analysis import disclosure, register, results
from pilotbook.io.citation import cite
from pilotbook.io.codebook import Codebook
from pilotbook.report import edition, figures
from pilotbook.io.pilot_texts import text_of
from pilotbook.report.exhibits import Exhibit, Prose
from pilotbook.report.formatting import (describe_satisfaction_row, describe_survey_row, fee_components_display,
                                         fmt_number, fmt_range, is_missing)
from pilotbook.report.labels import label
from pilotbook.report.pages.fees import READING_MARK, reading_notes

FAMILY_TEXT = {"placement": "placement pilot", "job_search": "job-search support pilot",
               "business": "business-service pilot"}
DATASET_WORDS = {"outcomes": "results", "facts": "other facts", "contract_types": "kinds of employment",
                 "providers": "Table 3 (providers)", "satisfaction_published": "customer survey",
                 "ura_published": "register"}


def kind_of_pilot(pilot: pd.Series) -> str:
    """The family, and the summary table that reports the pilot — or that none does (Kainuu)."""
    kind = FAMILY_TEXT.get(pilot["family"], str(pilot["family"]))
    table = results.primary_source(pilot["results_table"])
    return f"{kind} (results in {edition.current().of(table)})" if table else f"{kind} (in none of the report's Tables 4–6)"
NO_RESULTS_ROW = "*No summary-table row for this pilot.*"
NO_FEE_MODEL = "*This data holds no fee model for the pilot.*"
NO_PRINTED_VALUES = "*No table here: the data hold no printed value for this pilot.*"
NO_COMPONENTS = "*No fee components are described.*"
NO_LADDER = "*The fee engine cannot price this model, so no payment ladder is shown.*"
NO_SURVEY = "*Neither survey of the evaluation covers this pilot.*"
MODEL_STATUS = {
    "unknown": "The report does not print this model's amounts.",
    "partly_known": "The report prints only part of this model's amounts; the rest are shown as not printed.",
    "not_described": "The report describes no fee model for this pilot.",
}
FIGURE_8_BOX = {"label": "**In Figure 8.** The report's Figure 8 has a box for this pilot.",
                "amounts": "**In Figure 8.**"}


def title(pilot: pd.Series) -> str:
    return f"{pilot['region']}: {pilot['name_en']}"


def glue_values(pilot: pd.Series) -> dict[str, str]:
    """The page title (promoted to the page's title by the book)."""
    return {"page_title": title(pilot)}


def _sentence(words: str) -> str:
    """``words`` opening a sentence: "the report" -> "The report"."""
    return words[:1].upper() + words[1:]


def facts(pilot: pd.Series) -> Prose:
    """The pilot's basic facts as a MyST definition list.  A pilot with no chapter in the report (one
    a follow-up adds) gets its Finnish name and the source its row gives instead."""
    p = pilot
    in_report = not is_missing(p["chapter"])
    items = [
        ("Name in the report" if in_report else "Finnish name", f"*{p['name_fi']}*"),
        ("Region and TE office", f"{p['region']}" + ("" if is_missing(p["te_office"]) else f" ({p['te_office']})")),
        ("Kind of pilot", kind_of_pilot(p)),
        ("Target group", p["target_group"]),
        ("Procurement", p["procurement"]),
    ]
    if not is_missing(p["applications"]):
        items.append(("Requests to participate", fmt_number(float(p["applications"]))))
    if not is_missing(p["providers"]):
        items.append(("Service providers contracted", fmt_number(float(p["providers"]))))
    if not is_missing(p["tracking_code"]):
        items.append(("Tracking code in the URA register", f"`{p['tracking_code']}`"))
    start, end = (None if is_missing(x) else str(x) for x in (p["started_on"], p["ended_on"]))
    if start or end:
        period = f"{start} to {end}" if start and end else (f"from {start}" if start else f"until {end}")
        items.append(("Operating period", period))
    items.append(("Report chapter", f"Part II, chapter {int(float(p['chapter']))} ({p['source']})") if in_report
                 else ("Source", f"{p['source']}; the report has no chapter on this pilot"))
    return Prose("\n\n".join(f"{k}\n: {'–' if is_missing(v) else v}" for k, v in items))


def story(texts: pd.DataFrame, pilot_id: str, section: str) -> Prose:
    """One of the pilot's three sections (``pilot_texts.yaml``: our summary of the report), with the
    lines of the report it summarises; a text that is not a summary of the report names its source."""
    row = text_of(texts, pilot_id, section)
    if row is None:
        return Prose("*This data holds no text for this section.*")
    if not is_missing(row.get("source")):
        return Prose(f"{row['text']}\n\n*Source: {row['source']} (not the report).*")
    lines = ", ".join(r.replace("-", "–") for r in row["ref_lines"].split("; "))
    return Prose(f"{row['text']}\n\n*Our summary of the report, text dump lines {lines}.*")


CAVEAT_WORDS = ("as of", "confirmation", "suspended", "earlier snapshot")


def _caveats(outcomes: pd.DataFrame | None, pilot_id: str, metric: str, value) -> str:
    """What the report says about when or how surely a summary-table value holds, from the notes of
    the rows that print it (the table's or the text's), e.g. a count of finishers from an earlier month."""
    if outcomes is None:
        return ""
    rows = outcomes[(outcomes["pilot_id"] == pilot_id) & (outcomes["metric"] == metric) & (outcomes["value"] == value)]
    rows = rows.sort_values("source", key=lambda s: ~s.str.startswith("Table"), kind="stable")
    notes = [f"{r.source}: {n.strip()}" for r in rows.itertuples(index=False)
             for n in str(r.note if isinstance(r.note, str) else "").split(";")
             if any(w in n for w in CAVEAT_WORDS)]
    return f" ({notes[0]})" if notes else ""  # the table's own note first, else the text's


def results_summary(pilot: pd.Series, pilot_results: pd.DataFrame, recomputed: pd.Series,
                    outcomes: pd.DataFrame | None = None) -> Prose:
    """One paragraph on results against target, from the pilot's summary-table row
    (:func:`results.pilot_results`) and the shares recomputed from it (:func:`results.recomputed_shares`).
    Only Table 4 is dated in the report; with ``outcomes`` the notes that date or qualify a value
    (an earlier month, a result still to be confirmed) are said beside it."""
    v = dict(zip(pilot_results["metric"], pilot_results["value"]))
    pid = pilot["pilot_id"]
    source = results.primary_source(pilot["results_table"])
    approx = set(pilot_results.loc[pilot_results["approx"].astype(bool), "metric"])
    if not v:
        tables = ("The report's summary tables (4–6)" if edition.current().report_edition
                  else f"The summary tables (4–6) of {edition.current().name}")
        return Prose(f"{tables} give no figures for this pilot; "
                     f"chapter {pilot['chapter']} describes it in words only. The values "
                     f"{edition.current().name} does print for it, if any, are listed below.")
    low, high = recomputed["target_low"], recomputed["target_high"]
    has_target = not is_missing(low)
    parts = []
    if "started" in v:
        ed = edition.current()
        when = (f"By {ed.as_of}" if source == "Table 4" else f"In {ed.of(source)}, printed while the pilots were "
                "still running" if ed.report_edition else f"In {ed.of(source)}")
        s = f"{when}, **{fmt_number(v['started'])}** jobseekers had started the service{_caveats(outcomes, pid, 'started', v['started'])}"
        if has_target:
            s += (f", against a target of {fmt_range(low, high)} starters "
                  f"({fmt_number(recomputed['started_pct_of_target_mid'])} % of the target"
                  f"{' midpoint' if low != high else ''})")
        parts.append(s + ".")
    if "finished" in v:
        parts.append(f"{fmt_number(v['finished'])} had finished it{_caveats(outcomes, pid, 'finished', v['finished'])}.")
    if "fee_eligible" in v:
        sentence = (f"The table counts {'about ' if 'fee_eligible' in approx else ''}"
                    f"**{fmt_number(v['fee_eligible'])}** employments in its fee-eligible column")
        shares = []
        if "started" in v:
            shares.append(f"{fmt_number(recomputed['fee_eligible_pct_of_started'])} % of starters")
        if "finished" in v:
            shares.append(f"{fmt_number(recomputed['fee_eligible_pct_of_finished'])} % of finishers")
        parts.append(sentence + (f": {' and '.join(shares)} (recomputed from the counts)." if shares else "."))
    if "participating_entrepreneurs" in v or "participating_jobseekers" in v:
        who = []
        if "participating_entrepreneurs" in v:
            who.append(f"{fmt_number(v['participating_entrepreneurs'])} entrepreneurs or firms")
        if "participating_jobseekers" in v:
            who.append(f"{fmt_number(v['participating_jobseekers'])} jobseekers")
        s = f"The service had reached {' and '.join(who)}"
        if has_target:
            s += f", against a target of {fmt_range(low, high)}"
        parts.append(s + ".")
    for metric, noun in (("recruitments", "recruitments"), ("ownership_changes", "ownership changes")):
        if metric in v:
            parts.append(f"It had led to **{fmt_number(v[metric])}** {noun}"
                         + (f" ({fmt_number(v['pct_result'])} % in the report's result column)"
                            if "pct_result" in v else "") + _caveats(outcomes, pid, metric, v[metric]) + ".")
    return Prose(" ".join(parts) + f" *Source: {edition.current().of(source)}.*")


def results_table(pilot: pd.Series, pilot_results: pd.DataFrame, lang: str = "en") -> Exhibit | Prose:
    """The pilot's row of its summary table (:func:`results.pilot_results`), as printed."""
    if pilot_results.empty:
        return Prose(NO_RESULTS_ROW)
    frame = pilot_results.copy()
    frame.insert(1, "quantity", frame["metric"].map(lambda m: label(m, lang)))
    shown = pd.DataFrame({
        label("metric", lang): frame["quantity"],
        label("value", lang): [fmt_number(v, a) + (" %" if m.startswith("pct") else "")
                               for v, a, m in zip(frame["value"], frame["approx"], frame["metric"])],
    })
    source = results.primary_source(pilot["results_table"])
    return Exhibit(f"pilot-{pilot['pilot_id']}-results", f"{pilot['name_en']}: results in {source}", frame,
                   shown=shown, report_ref=f"the row of {source}")


def progress_figure(pilot: pd.Series, progress: pd.DataFrame, lang: str = "en") -> Exhibit | None:
    """Target, starters, finishers and fee-eligible employments (:func:`results.pilot_progress`) as
    bars; nothing when the pilot's row has none of the three counts."""
    if not progress["step"].isin(("started", "finished", "fee_eligible")).any():
        return None
    source = results.primary_source(pilot["results_table"])
    return Exhibit.figure(
        f"pilot-{pilot['pilot_id']}-progress", f"{pilot['name_en']}: from target to fee-eligible employment",
        figures.pilot_progress(progress, pilot["name_en"], lang),
        progress.assign(pilot_id=pilot["pilot_id"], source=source),
        caption=f"Counts from {edition.current().of(source)}"  # only Table 4 is dated
                + (f", {edition.current().as_of}." if source == "Table 4" else "."))


def contract_types(pilot: pd.Series, contracts: pd.DataFrame, lang: str = "en") -> Exhibit | Prose:
    """The pilot's employments by kind of contract (:func:`results.contract_types_of`), every source."""
    if contracts.empty:
        return Prose(f"*{_sentence(edition.current().name)} gives no breakdown of this pilot's employments by kind "
                     "of contract.*")
    shown = pd.DataFrame({
        label("source", lang): [cite(s, l) for s, l in zip(contracts["source"], contracts["ref_line"])],
        label("contract_type", lang): [label(k, lang) + ("" if job else " (not employment)")
                                       for k, job in zip(contracts["contract_type"], contracts["is_employment"])],
        label("count", lang): contracts["value"].map(fmt_number),
        label("note", lang): contracts["note"].fillna("").replace("", "–"),
    })
    return Exhibit(f"pilot-{pilot['pilot_id']}-contract-types",
                   f"{pilot['name_en']}: employments by kind of contract", contracts, shown=shown,
                   caption=(f"As each passage of {edition.current().name} lists them" if edition.current().report_edition
                            else f"As {edition.current().name} lists them, laid out as the report's passages")
                           + "; passages differ in what they count."
                           + (" A work trial is listed where the report lists it, beside the jobs, but it is not "
                              "employment." if not contracts["is_employment"].all() else ""))


def ura_section(pilot: pd.Series, status: pd.DataFrame, categories: pd.DataFrame,
                lang: str = "en", printed_sizes: set | frozenset = frozenset()) -> Prose | list:
    """The pilot's status at the end of follow-up (:func:`results.register_status`, SYNTHETIC extract):
    a sentence on the share employed and the figure; or a sentence saying the report has none.
    ``printed_sizes``: the cohorts whose size the report prints (:func:`register.printed_cohorts`)."""
    if status.empty:
        e = edition.current()
        return Prose("The report analyses no register (URA) data for this pilot." if e.report_edition
                     else f"{_sentence(e.name)} has no register (URA) data for this pilot.")
    labels = dict(zip(categories["category"], categories["label_en"])) | {"total": "All"}
    drawn = figures.status_bars(status, register.status_order(categories), labels, labels,
                                f"{pilot['short_en']} (SYNTHETIC register data)", disclosure.min_cell(), lang)
    employed = status[status["status"] == "employed"].set_index("cohort")
    sentences = []
    for cohort, word in (("participant", "participants"), ("refuser", "invited jobseekers who declined")):
        if cohort in employed.index and not is_missing(employed.at[cohort, "share"]):
            r = employed.loc[cohort]
            sentences.append(f"{r['share']:.0f} % of {word} (95 % interval {r['ci_low']:.0f}–{r['ci_high']:.0f} %)")
    text = ("In the SYNTHETIC register extract, which reproduces the report's figures for this pilot, "
            + (" and ".join(sentences) + " were employed at the end of follow-up. These shares and intervals are "
               "our computation from the synthetic extract, not numbers the report prints; the report's own values "
               "for this pilot are listed at the end of this page. " if sentences else
               "the share employed at the end of follow-up is withheld by disclosure control (it would give a "
               "count of a few persons back). "))
    unprinted = [word for cohort, word in (("participant", "participants"), ("refuser", "refusers"))
                 if cohort in set(status["cohort"]) and cohort not in printed_sizes]
    if unprinted:
        text += (f"The report prints no number of {' or '.join(unprinted)} for this pilot: the group size here "
                 "is an assumption of the synthetic extract, chosen so that the pilots add up to the national "
                 "total the report prints (see the appendix on reproduction). ")
    text += "The chapter on the register explains what such a comparison can and cannot show."
    figure = Exhibit.figure(
        f"pilot-{pilot['pilot_id']}-ura", f"{pilot['name_en']}: status at the end of follow-up (SYNTHETIC)",
        drawn, status.drop(columns=[c for c in status.columns if c.endswith("_masked")]),
        report_ref=pilot["ura_figure"] if isinstance(pilot["ura_figure"], str) else "",
        caption="All persons of each cohort; the figures by sex, age and education are in the register chapter.")
    return [Prose(text), figure]


# --------------------------------------------------------------------------- how the provider was paid


def _model_text(model: dict) -> str:
    """What the report says about a model besides its components: note, price, price weight, status."""
    parts = []
    if model.get("note"):
        parts.append(model["note"].strip())
    price = model.get("price")
    if price:
        rng = fmt_number(price["low"]) + ("" if price["low"] == price["high"] else f"–{fmt_number(price['high'])}")
        parts.append(f"Price: {rng} € per client ({price.get('what', 'per client')}; {price.get('source', '')}"
                     f"{', inferred' if price.get('inferred') else ''}).")
    box = model.get("figure_8") or {}
    if box:
        parts.append(f"{FIGURE_8_BOX[box['attributed_by']]} {box['note'].strip()} "
                     f"(Report lines {box['lines'][0]}–{box['lines'][1]}.)")
    procurement = model.get("procurement") or {}
    attribution = procurement.get("attribution") or {}
    if procurement.get("price_weight_pct") is not None:
        how = ("read from a Figure 8 fragment that we attribute to this pilot by its position only"
               if attribution else "reconstructed from Figure 8")
        parts.append(f"Weight of price in the tender: {fmt_number(procurement['price_weight_pct'])} %"
                     f"{f' ({how})' if procurement.get('inferred') else ''}.")
    if attribution.get("note"):
        parts.append(f"{attribution['note'].strip()} (Report lines {attribution['lines'][0]}–{attribution['lines'][-1]}; "
                     "see the chapter on how the providers were paid.)")
    if model.get("status") in MODEL_STATUS:
        parts.insert(0, f"**{MODEL_STATUS[model['status']]}**")
    return "\n\n".join(parts)


def fee_model(pilot: pd.Series, model: dict | None, components: pd.DataFrame, lang: str = "en") -> Prose | list:
    """The pilot's fee model (``models[pilot_id]``): what the report says of it, and its components
    with amount and source (the data: :func:`results.fee_components`)."""
    if model is None:
        return Prose(NO_FEE_MODEL)
    text = _model_text(model)
    if not model.get("components"):
        return Prose(text or NO_COMPONENTS)
    return [Prose(text),
            Exhibit(f"pilot-{pilot['pilot_id']}-fees", f"{pilot['name_en']}: fee model", components,
                    shown=fee_components_display(model, lang))]


NOT_COMPUTABLE = "not computable"


def _price_words(ladder: pd.DataFrame) -> str:
    """The price a ladder is computed at: the midpoint of a range, or the single price (and whether the
    report prints it or we derived it)."""
    price = ladder["price_eur"].iloc[0]
    if is_missing(price) or not price:
        return ""
    low, high = (ladder[c].iloc[0] if c in ladder else price for c in ("price_low_eur", "price_high_eur"))
    if not is_missing(low) and not is_missing(high) and low != high:
        return f"At a price of {fmt_number(price)} € per client, the midpoint of the range {fmt_range(low, high)} €. "
    derived = bool(ladder["price_inferred"].iloc[0]) if "price_inferred" in ladder else False
    return (f"At the price of {fmt_number(price)} € per client"
            + (", which the report does not print: we derive it (see the fee model above). " if derived else ". "))


def fee_ladder(pilot: pd.Series, ladder: pd.DataFrame, lang: str = "en") -> Exhibit | Prose:
    """What the model paid for each standard outcome (:func:`results.payment_ladder`); a row that a
    reading of ours decides is marked and explained under the table."""
    if ladder.empty:
        return Prose(NO_LADDER)
    notes = reading_notes(ladder) if "over_tier" in ladder else {}
    shown = pd.DataFrame({
        "Outcome": ladder["outcome"],
        "Paid regardless of results": ladder["fixed_eur"].map(
            lambda v: NOT_COMPUTABLE if is_missing(v) else f"{fmt_number(v)} €"),
        "Paid for the result": ladder["results_eur"].map(
            lambda v: NOT_COMPUTABLE if is_missing(v) else f"{fmt_number(v)} €"),
        "Total": [(f"{fmt_number(t)} €" if ok else
                   f"{NOT_COMPUTABLE}: {fmt_number(known)} € + a fee the report does not print")
                  + (READING_MARK if i in notes else "")
                  for i, (t, ok, known) in enumerate(zip(ladder["total_eur"], ladder["complete"],
                                                         ladder.get("known_eur", ladder["fixed_eur"])))],
    })
    caption = (_price_words(ladder) + "A client is taken to have had every paid service step once, an optional "
               "training or skills assessment included.")
    return Exhibit(f"pilot-{pilot['pilot_id']}-fee-ladder", f"{pilot['name_en']}: payment ladder", ladder,
                   shown=shown, caption=caption, notes=list(dict.fromkeys(notes.values())))


# --------------------------------------------------------------------------- the surveys


def _value_text(value: float, unit: str, qualifier) -> str:
    return ((f"{value:.1f}" if unit == "points" else fmt_number(value, qualifier == "approx"))
            + (" %" if unit == "percent" else "") + (f" ({qualifier})" if qualifier in ("over", "under") else ""))


def surveys(pilot: pd.Series, rows: pd.DataFrame, codebook: Codebook, pilots: pd.DataFrame,
            lang: str = "en") -> Prose | list:
    """What the survey of invited non-participants (the pilot's TE offices) and the pilot's own customer
    survey printed for it (:func:`results.survey_rows`): a paragraph saying whose values they are, and
    the values with their sources."""
    if rows.empty:
        return Prose(NO_SURVEY)
    pilot_id = pilot["pilot_id"]
    offices = codebook.offices_of(pilot_id)
    parts = []
    if offices:
        shared = sorted({p for o in offices for p in codebook.invited_to(o)} - {pilot_id})
        names = results.pilot_labels(pilots, full=True)
        parts.append(
            "The evaluation surveyed jobseekers who were invited to a pilot but did not join. Those of the "
            f"{' and '.join(codebook.office_label(o, lang) for o in offices)} were invited to this pilot"
            + (f" or to {', '.join(names.get(p, p) for p in shared)} (the survey does not say which)" if shared else "")
            + ". The values the report prints for them are below; the chapter *Why invited jobseekers stayed "
            "away* has the whole survey.")
    if (rows["survey"] == results.SURVEYS["satisfaction"]).any():
        parts.append("The pilot ran its own customer survey; the report's figures from it are listed too "
                     "(see the chapter *How clients rated the service*).")
    describe = {results.SURVEYS["published"]: describe_survey_row,
                results.SURVEYS["satisfaction"]: describe_satisfaction_row}
    frame = pd.DataFrame([{"survey": r.survey, "description": describe[r.survey](r, codebook, lang),
                           "value": r.value, "unit": r.unit, "qualifier": r.qualifier, "source": r.source,
                           "ref_line": r.ref_line} for r in rows.itertuples(index=False)]).assign(pilot_id=pilot_id)
    shown = pd.DataFrame({
        "Survey": frame["survey"], "What": frame["description"],
        label("value", lang): [_value_text(v, u, q)
                               for v, u, q in zip(frame["value"], frame["unit"], frame["qualifier"])],
        label("source", lang): [cite(s, l, "text dump line") for s, l in zip(frame["source"], frame["ref_line"])],
    })
    return [Prose(" ".join(parts)),
            Exhibit(f"pilot-{pilot_id}-surveys", f"{pilot['name_en']}: what the surveys found", frame, shown=shown,
                    caption=f"As printed in {edition.current().name} (no synthetic data).")]


def _printed_value_text(value, qualifier, unit) -> str:
    if unit == "year" and not is_missing(value):  # 2016, not 2 016
        text = str(int(value))
    else:
        text = fmt_number(value, qualifier == "approx") + (" %" if unit == "percent" else "")
    return text + (f" ({qualifier})" if qualifier in ("over", "under") else "")


def printed_values(pilot: pd.Series, printed: pd.DataFrame, lang: str = "en") -> Exhibit | Prose:
    """Every value the report prints for the pilot (:func:`results.printed_values`), with its source;
    a pilot the report prints no value for gets the sentence that says so, not an empty table."""
    if printed.empty:
        return Prose(NO_PRINTED_VALUES)
    frame = printed.copy()
    frame.insert(2, "quantity", frame["metric"].map(lambda m: label(m, lang)))
    shown = pd.DataFrame({
        "Where": frame["dataset"].map(DATASET_WORDS).fillna(frame["dataset"]),
        label("metric", lang): frame["quantity"],
        label("value", lang): [_printed_value_text(v, q, u)
                               for v, q, u in zip(frame["value"], frame["qualifier"], frame["unit"])],
        label("source", lang): [cite(s, l, "text dump line") for s, l in zip(frame["source"], frame["ref_line"])],
        label("note", lang): frame["note"].fillna("").replace("", "–"),
    })
    return Exhibit(f"pilot-{pilot['pilot_id']}-printed-values",
                   f"{pilot['name_en']}: every figure {edition.current().name} prints for the pilot",
                   frame.assign(pilot_id=pilot["pilot_id"]), shown=shown,
                   caption=f"As printed in {edition.current().name}, from every data file that names the pilot. "
                           "Where two sources disagree, both are kept.")
