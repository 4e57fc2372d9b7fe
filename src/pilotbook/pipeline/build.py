"""The build: validate -> execute -> render -> publish, in one direction.

Every step must pass before the next starts; the published site
(``_build/html``) changes only when all of them passed.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
from contextlib import contextmanager
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path

from pilotbook import settings
from pilotbook.io.catalog import DATASETS
from pilotbook.pipeline.cache import package_hash, run_hash, tree_hash
from pilotbook.report.pages.appendices import VALIDATION_RUN, write_appendices
from pilotbook.contracts.validate import ValidationReport, validate, validate_registry
from pilotbook.contracts.datadocs import publish_offline
from pilotbook.pipeline import sphinx_ext, sphinx_print
from pilotbook.errors import ContractError, NotebookError
from pilotbook.pipeline.execute import clean_leftovers, execute, is_fresh
from pilotbook.report.exhibits import RUN_RECORD, assemble_site
from pilotbook.paths import Project
from pilotbook.pipeline.plan import check_templates, link_data, make_plan
from pilotbook.pipeline import pdf as pdf_edition
from pilotbook.pipeline.render import publish, publish_pdf, render, render_pdf


@dataclass
class BuildResult:
    executed: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    rendered: bool = False
    seconds: dict[str, float] = field(default_factory=dict)
    report: ValidationReport | None = None  # None when the validation was cached
    validation_cached: bool = False


def _step(result: BuildResult, name: str, started: float) -> None:
    result.seconds[name] = round(time.perf_counter() - started, 2)


def site_inputs(project: Project) -> list[Path]:
    """Everything the published site is made of: what jupyter-book reads (config, toc, hand-written and
    generated chapters) and the offline Data Docs published beside it.  (Our Sphinx extension, in the
    package, is hashed beside them: :func:`site_hash`.)"""
    return [project.root / "_config.yml", project.root / "_toc.yml", project.root / "book", project.offline_docs]


def site_hash(project: Project) -> str:
    """The hash of :func:`site_inputs` and of the Sphinx extensions the render loads from the package
    (the site's, and the print edition's)."""
    extensions = [Path(sphinx_ext.__file__), Path(sphinx_print.__file__)]
    return hashlib.sha256(tree_hash(site_inputs(project), project.root).encode() + b"\0"
                          + tree_hash(extensions, extensions[0].parent).encode()).hexdigest()


def validation_key(project: Project, data_dir: Path, pkg: str) -> str:
    """What a validation depends on: the bytes of every dataset of the data folder (and its name, which
    the appendices show; not where it is), every file of the contracts folder, the package's code (``pkg``),
    the settings in force, the pip lock and the Data Docs assets' lock."""
    h = hashlib.sha256()
    h.update(data_dir.resolve().name.encode() + b"\0" + pkg.encode())
    h.update(json.dumps(settings.current().as_dict(), sort_keys=True).encode())
    for name in sorted(DATASETS):
        path = DATASETS[name].path(data_dir)
        h.update(name.encode() + b"\0" + (path.read_bytes() if path.is_file() else b"<missing>") + b"\0")
    h.update(tree_hash([project.contracts, project.root / "requirements.txt",
                        project.root / "assets" / "package-lock.json"], project.root).encode())
    return h.hexdigest()


def _validation_state(project: Project) -> Path:
    return project.state / "validation.json"


def cached_validation(project: Project, key: str) -> dict | None:
    """The record of the last validation when it was of exactly these inputs and what it wrote is still
    there (the appendices and the offline Data Docs); else None."""
    state = _validation_state(project)
    try:
        record = json.loads(state.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError):
        return None
    outputs = [project.generated / "contracts.md", project.generated / "inconsistencies.md",
               project.offline_docs / "index.html", project.runs / VALIDATION_RUN / "records"]
    return record if record.get("key") == key and all(p.exists() for p in outputs) else None


def run_validation(project: Project, data_dir: Path, log=print, key: str | None = None) -> ValidationReport:
    """Validate, then write the contracts appendices and the offline Data Docs.  With ``key``
    (:func:`validation_key`), a successful validation is recorded so that the next build of the same
    inputs can skip it (:func:`cached_validation`); the record is removed first, so an interrupted or
    failed validation leaves none."""
    _validation_state(project).unlink(missing_ok=True)
    shutil.rmtree(project.gx_docs, ignore_errors=True)
    report = validate(data_dir, project.contracts, docs_dir=project.gx_docs, results_dir=project.suite_results)
    if not report.ok:
        raise ContractError(report.render() + "\nThe build stopped before executing anything; "
                            "the published site is unchanged.")
    write_appendices(project, report)
    publish_offline(project.gx_docs, project.offline_docs, project.node_modules)
    reused = sum(s.reused for s in report.suites)
    log(f"              GX ran {len(report.suites) - reused} of {len(report.suites)} suites"
        + (f"; {reused} unchanged since an earlier validation (rules, parameters and table) were not run again"
           if reused else ""))
    summary = report.summary_table()
    warnings = [f for f in report.findings if not f.is_error]
    if warnings:
        summary += (f"\n{len(warnings)} warning-severity finding(s) (reported, not blocking); "
                    "run `pilotbook validate` for details.")
    log(summary)
    if key is not None:
        project.state.mkdir(parents=True, exist_ok=True)
        _validation_state(project).write_text(json.dumps({"key": key, "summary": summary}) + "\n", encoding="utf-8")
    return report


def _execute_phase(project: Project, runs: list, digests: dict[str, str], jobs: int,
                   force: bool, log, result: BuildResult, dry_run: bool = False) -> list:
    """Execute the runs of ``runs`` whose output is missing or stale; with ``dry_run`` only say
    which those are.  A failed run stops the build (the runs that succeeded stay in place, each
    with the hash of its inputs)."""
    todo = [r for r in runs if force or not is_fresh(project, r, digests[r.output])]
    if dry_run:
        return todo
    result.skipped += [r.name for r in runs if r not in todo]
    log(f"2/4 execute   {len(todo)} of {len(runs)} notebook(s) with papermill on {min(jobs, max(len(todo), 1))} "
        f"process(es); {len(runs) - len(todo)} unchanged" + (" (after the exhibits they link to)" if any(
            r.reads_exhibits for r in runs) else ""))
    outcomes = execute(project, todo, jobs, log, digests)
    result.executed += [o.run.name for o in outcomes if o.ok]
    failures = [o for o in outcomes if not o.ok]
    if failures:
        raise NotebookError("\n".join(o.message for o in failures) + "\nThe published site is unchanged.")
    return todo


def remove_unplanned(project: Project, runs: list) -> None:
    """Notebooks and exhibit folders of runs no longer planned (e.g. of a removed pilot) leave the book."""
    planned = {r.output for r in runs}
    for stale in sorted(project.generated.rglob("*.ipynb")) if project.generated.is_dir() else []:
        rel = stale.relative_to(project.generated).as_posix()
        if rel not in planned and not rel.startswith(("site/", "runs/")):
            stale.unlink()
    names = {r.name for r in runs} | {VALIDATION_RUN}
    for record in sorted(project.runs.rglob(RUN_RECORD)) if project.runs.is_dir() else []:
        if record.parent.relative_to(project.runs).as_posix() not in names:
            shutil.rmtree(record.parent)


def registry_hash(index, readers: set[str]) -> str:
    """What a run reading the registry sees of it: every record but those of the readers themselves."""
    rows = index[~index["notebook"].isin(readers)].sort_values("id")
    return hashlib.sha256(rows.to_csv(index=False).encode()).hexdigest()


def check_registry(project: Project, data_dir: Path, index, log=print) -> None:
    """The contracts of the registry stage (e.g. every exhibit a finding cites exists in this build).
    A finding citing an exhibit this data did not make (a removed pilot's) is a warning: the summary
    names that exhibit without a link."""
    report = validate_registry(data_dir, project.contracts, index["id"].tolist(),
                               results_dir=project.suite_results)
    if not report.ok:
        raise ContractError(report.render() + "\nThe summary was not executed; the published site is unchanged.")
    if report.findings:
        log(report.render())
    log(f"      registry: {sum(s.evaluated for s in report.suites)} rule(s) on what the data cite of this build's "
        f"{len(index)} exhibits: {len(report.findings)} warning(s)")


@contextmanager
def build_lock(project: Project, log=print):
    """One build at a time per project: a second one waits for the first to finish."""
    project.state.mkdir(parents=True, exist_ok=True)
    with open(project.state / "build.lock", "w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            log("another build of this project is running; waiting for it to finish")
            fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def build(project: Project | None = None, data_dir: Path | str | None = None, jobs: int | None = None,
          force: bool = False, log=print, pdf: bool = False) -> BuildResult:
    """The build; with ``pdf`` also the PDF edition of the book (``_build/html/pilotbook.pdf``)."""
    project = project or Project.here()
    with build_lock(project, log):
        return _build(project, data_dir, jobs, force, log, pdf)


def _build(project: Project, data_dir: Path | str | None, jobs: int | None, force: bool, log,
           pdf: bool = False) -> BuildResult:
    data_dir = project.resolve_data(data_dir)
    jobs = jobs or os.cpu_count() or 1
    result = BuildResult()
    total = time.perf_counter()

    clean_leftovers(project)
    check_templates(project)
    t = time.perf_counter()
    pkg = package_hash()
    key = validation_key(project, data_dir, pkg)
    cached = None if force else cached_validation(project, key)
    if force:  # a forced build is a cold one: no suite result of an earlier validation is reused
        shutil.rmtree(project.suite_results, ignore_errors=True)
    if cached:
        log(f"1/4 validate  {data_dir}: data, contracts and code unchanged since the last validation; not re-run")
        log(cached["summary"])
        result.validation_cached = True
    else:
        log(f"1/4 validate  {data_dir}")
        result.report = run_validation(project, data_dir, log, key)
    _step(result, "validate", t)

    t = time.perf_counter()
    readable = link_data(project, data_dir)  # the notebooks reach a folder outside the project by a link
    runs = make_plan(project, readable)
    remove_unplanned(project, runs)
    folders = [project.runs / VALIDATION_RUN]
    first = [r for r in runs if not r.reads_exhibits]
    digests = {run.output: run_hash(project, run, readable, pkg) for run in first}
    _execute_phase(project, first, digests, jobs, force, log, result)
    folders += [project.runs / r.name for r in first]
    index = assemble_site(project, folders)
    later = [r for r in runs if r.reads_exhibits]
    if later:  # the summary: after every exhibit it may link to exists
        registry = registry_hash(index, {r.key for r in later})
        digests = {run.output: run_hash(project, run, readable, pkg, registry) for run in later}
        if _execute_phase(project, later, digests, jobs, force, log, result, dry_run=True):
            check_registry(project, data_dir, index, log)
        _execute_phase(project, later, digests, jobs, force, log, result)
        assemble_site(project, folders + [project.runs / r.name for r in later])
    _step(result, "execute", t)

    t = time.perf_counter()
    current = site_hash(project)
    pdf_hash = pdf_edition.edition_key(current)
    state = project.state / "site.json"
    previous = json.loads(state.read_text()) if state.is_file() else {}
    site_fresh = previous.get("hash") == current and (project.site / "index.html").is_file() and not force
    pdf_fresh = previous.get("pdf") == pdf_hash and (project.site / pdf_edition.PDF_NAME).is_file()
    if site_fresh and (pdf_fresh or not pdf):
        log("3/4 render    skipped: no chapter, notebook or exhibit changed since the published site"
            + (" (nor its PDF edition)" if pdf else ""))
        log("4/4 publish   nothing to publish")
    elif site_fresh:
        log("3/4 render    the site is unchanged; its PDF edition: jupyter-book singlehtml, printed by Chromium")
        staged_pdf = render_pdf(project, log)
        _step(result, "render", t)
        t = time.perf_counter()
        log(f"4/4 publish   {(project.site / pdf_edition.PDF_NAME).relative_to(project.root)}")
        publish_pdf(project, staged_pdf)
        state.write_text(json.dumps({"hash": current, "pdf": pdf_hash}) + "\n")
        result.rendered = True
        _step(result, "publish", t)
    else:
        log("3/4 render    jupyter-book build (strict: warnings are errors)"
            + (", and the PDF edition beside it (singlehtml, printed by Chromium)" if pdf else ""))
        staged = render(project, log, pdf=pdf)
        _step(result, "render", t)
        t = time.perf_counter()
        log(f"4/4 publish   {project.site.relative_to(project.root)}")
        publish(project, staged, extra={"data-docs": project.offline_docs})
        state.write_text(json.dumps({"hash": current, "pdf": pdf_hash if pdf else None}) + "\n")
        result.rendered = True
        _step(result, "publish", t)
    result.seconds["total"] = round(time.perf_counter() - total, 2)
    log(f"done in {result.seconds['total']:.1f} s  (executed {len(result.executed)}, "
        f"unchanged {len(result.skipped)}; open {project.site.relative_to(project.root)}/index.html)")
    return result
