"""Execute notebook runs with papermill, in parallel, into ``book/_generated/``.

A run executes into a scratch copy, and publishes its exhibits into a scratch folder of its own;
only a run that finished without error is normalised (volatile metadata stripped, page title
promoted, the hash of its inputs recorded) and moved into place, notebook and exhibits together
(``book/_generated/runs/<output>/``).  A failed run's partly executed copy goes to
``_build/failed/`` and never reaches the book.

Ctrl-C (or SIGTERM) stops the build within seconds: queued runs are cancelled, the running workers
and their kernels are killed, and the scratch folders and kernel socket folders removed.
"""

from __future__ import annotations

import ast
import json
import os
import shutil
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path

import nbformat
import psutil

from pilotbook.paths import Project
from pilotbook.pipeline.plan import Run
from pilotbook.report.exhibits import EXHIBITS_ENV, run_hash_of, seal

KERNEL = "python3"
KERNEL_ATTEMPTS = 2
KERNEL_START_TIMEOUT = 60
KERNEL_DIR_PREFIX = "pilotbook-kernel-"  # + the worker's pid: a later build removes those of dead workers
STOP_GRACE = 2.0  # seconds to wait for killed workers and kernels to be gone
PAGE_TITLE_GLUE = "page_title"
VOLATILE_NB_PAPERMILL = ("start_time", "end_time", "duration", "exception", "input_path", "output_path",
                         "environment_variables", "version")


@dataclass
class Outcome:
    run: Run
    ok: bool
    seconds: float
    message: str = ""


def _papermill(template: str, scratch: str, parameters: dict, cwd: str, exhibits: str) -> tuple[bool, str, float]:
    """Worker: execute one notebook, its exhibits published into ``exhibits``.  Returns (ok,
    human-readable failure, seconds)."""
    started = time.perf_counter()
    os.environ[EXHIBITS_ENV] = exhibits  # the kernel inherits it
    ok, message = _papermill_run(template, scratch, parameters, cwd)
    return ok, message, time.perf_counter() - started


def _papermill_run(template: str, scratch: str, parameters: dict, cwd: str) -> tuple[bool, str]:
    """Execute once; a kernel that fails to start (not a cell that fails) is tried again."""
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "False")
    import papermill as pm
    from papermill.exceptions import PapermillExecutionError
    from traitlets.config import Config

    problem = ""
    for _attempt in range(KERNEL_ATTEMPTS):
        # Each kernel talks over IPC sockets in a folder of its own: kernels started in parallel
        # over TCP can race for one port, and IPC sockets named alike in one folder collide.
        sockets = tempfile.mkdtemp(prefix=f"{KERNEL_DIR_PREFIX}{os.getpid()}-")
        config = Config()
        config.KernelManager.transport = "ipc"
        config.KernelManager.ip = os.path.join(sockets, "kernel")
        try:
            pm.execute_notebook(
                template, scratch, parameters=parameters, cwd=cwd, kernel_name=KERNEL,
                progress_bar=False, log_output=False, request_save_on_cell_execute=False,
                shutdown_kernel="immediate", start_timeout=KERNEL_START_TIMEOUT, config=config,
            )
            return True, ""
        except PapermillExecutionError as err:
            return False, (f"failed in cell {err.cell_index} (execution count {err.exec_count}): "
                           f"{err.ename}: {err.evalue}")
        except Exception as err:  # kernel did not start or died, template unreadable, ...
            problem = f"could not be executed: {type(err).__name__}: {err}"
        finally:
            shutil.rmtree(sockets, ignore_errors=True)
    return False, problem


def _glued_text(nb, name: str) -> str | None:
    """The text/plain value a notebook glued under ``name`` (myst-nb/scrapbook format)."""
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            if out.get("metadata", {}).get("scrapbook", {}).get("name") != name:
                continue
            for mime, text in out.get("data", {}).items():
                if mime.endswith("text/plain"):
                    try:
                        return str(ast.literal_eval(text))
                    except (ValueError, SyntaxError):
                        return str(text)
    return None


def _quiet_worker(log_path: str) -> None:
    """Worker initialiser: kernels' stderr chatter goes to a log file, not the terminal."""
    fd = os.open(log_path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
    os.dup2(fd, 2)
    os.close(fd)


def _kernel_dirs(pids) -> list[Path]:
    """The kernel socket folders of the workers ``pids`` (all workers' when ``pids`` is None)."""
    found = []
    for folder in Path(tempfile.gettempdir()).glob(f"{KERNEL_DIR_PREFIX}*"):
        pid = folder.name[len(KERNEL_DIR_PREFIX):].split("-")[0]
        if pids is None or (pid.isdigit() and int(pid) in pids):
            found.append(folder)
    return found


def clean_leftovers(project: Project) -> None:
    """What an interrupted or killed build may have left: its scratch folders and the kernel socket
    folders of workers that no longer run."""
    shutil.rmtree(project.build_dir / ".running", ignore_errors=True)
    shutil.rmtree(project.staging, ignore_errors=True)
    for folder in _kernel_dirs(None):
        pid = folder.name[len(KERNEL_DIR_PREFIX):].split("-")[0]
        if not pid.isdigit() or not psutil.pid_exists(int(pid)):
            shutil.rmtree(folder, ignore_errors=True)


def _ended(proc: psutil.Process) -> bool:
    """Gone, or a zombie (a killed kernel whose worker died first waits to be reaped by init)."""
    try:
        return proc.status() == psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return True


def _stop_workers(pool: ProcessPoolExecutor) -> None:
    """Stop the pool's workers and the kernels they started (kernels run in sessions of their own, so
    a terminal's Ctrl-C does not reach them).  Both are disposable: everything a run writes goes to
    scratch folders that the caller removes, so they are killed at once rather than asked to shut
    down (a kernel asked politely can take seconds on a busy machine); their socket folders go too."""
    workers = [psutil.Process(p.pid) for p in list(getattr(pool, "_processes", {}).values()) if p.is_alive()]
    family = []
    for worker in workers:
        try:
            family += [*worker.children(recursive=True), worker]
        except psutil.NoSuchProcess:
            pass
    for proc in family:
        try:
            proc.kill()
        except psutil.NoSuchProcess:
            pass
    deadline = time.monotonic() + STOP_GRACE
    while not all(_ended(proc) for proc in family) and time.monotonic() < deadline:
        time.sleep(0.02)
    for folder in _kernel_dirs({w.pid for w in workers}):
        shutil.rmtree(folder, ignore_errors=True)


def normalise(path: Path, template_rel: str, digest: str = "") -> None:
    """Strip what differs run to run; tag papermill's cell; promote the page title; record the hash of
    the inputs the notebook was executed from (``metadata.pilotbook_run``)."""
    nb = nbformat.read(path, as_version=4)
    pm_meta = nb.metadata.get("papermill", {})
    for key in VOLATILE_NB_PAPERMILL:
        pm_meta.pop(key, None)
    pm_meta["input_path"] = template_rel
    for cell in nb.cells:
        cell.metadata.pop("papermill", None)
        cell.metadata.pop("execution", None)
        tags = cell.metadata.get("tags", [])
        if "injected-parameters" in tags:
            cell["id"] = "injected-parameters"
            if "remove-cell" not in tags:
                tags.append("remove-cell")
    title = _glued_text(nb, PAGE_TITLE_GLUE)
    if title:
        nb.metadata.setdefault("myst", {}).setdefault("substitutions", {})[PAGE_TITLE_GLUE] = title
    if digest:
        nb.metadata[RUN_META] = {"hash": digest}
    nbformat.write(nb, path)


RUN_META = "pilotbook_run"


def notebook_hash(path: Path) -> str | None:
    """The hash of the inputs an executed notebook was made from (None when it has none)."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))["metadata"][RUN_META]["hash"]
    except (OSError, ValueError, KeyError, TypeError):
        return None


def is_fresh(project: Project, run: Run, digest: str) -> bool:
    """A run need not execute again when its notebook and its exhibits' folder were both made from
    inputs of this hash (each records it: an interrupted build cannot leave one without the other)."""
    return (notebook_hash(project.generated / run.output) == digest
            and run_hash_of(project.runs / run.name) == digest)


def execute(project: Project, runs: list[Run], jobs: int, log=print, digests: dict[str, str] | None = None
            ) -> list[Outcome]:
    """Run ``runs`` on ``jobs`` processes; return one outcome per run (all are tried).  ``digests``:
    output -> the hash of the run's inputs, recorded with what a successful run publishes."""
    if not runs:
        return []
    digests = digests or {}
    scratch_root = project.build_dir / ".running"
    shutil.rmtree(scratch_root, ignore_errors=True)
    outcomes: list[Outcome] = []
    jobs = max(1, min(jobs, len(runs)))
    kernel_log = project.state / "kernels.log"
    kernel_log.parent.mkdir(parents=True, exist_ok=True)
    kernel_log.write_text("")
    pool = ProcessPoolExecutor(max_workers=jobs, initializer=_quiet_worker, initargs=(str(kernel_log),))
    try:
        futures = {}
        for run in runs:
            final = project.generated / run.output
            final.parent.mkdir(parents=True, exist_ok=True)
            scratch = scratch_root / run.output
            scratch.parent.mkdir(parents=True, exist_ok=True)
            exhibits = scratch_root / "exhibits" / run.name
            fut = pool.submit(_papermill, str(run.template), str(scratch), run.parameters, str(final.parent),
                              str(exhibits))
            futures[fut] = (run, scratch, final, exhibits)
        for done, fut in enumerate(as_completed(futures), 1):
            run, scratch, final, exhibits = futures[fut]
            outcomes.append(_settle(project, run, fut, scratch, final, exhibits, digests.get(run.output, ""),
                                    f"[{done}/{len(runs)}]", log))
            sys.stdout.flush()
    except BaseException:  # Ctrl-C, SIGTERM: stop now, not after the queue
        for fut in futures:
            fut.cancel()
        _stop_workers(pool)
        pool.shutdown(wait=False, cancel_futures=True)
        shutil.rmtree(scratch_root, ignore_errors=True)
        raise
    pool.shutdown(wait=True)
    shutil.rmtree(scratch_root, ignore_errors=True)
    return outcomes


def _settle(project: Project, run: Run, fut, scratch: Path, final: Path, exhibits: Path, digest: str,
            counter: str, log) -> Outcome:
    """Put a finished run in place (notebook and exhibits' folder, each with the hash of its inputs),
    or keep its partly executed copy in ``_build/failed/``."""
    try:
        ok, message, seconds = fut.result()
    except Exception as err:  # the worker process itself died
        ok, message, seconds = False, f"worker crashed: {type(err).__name__}: {err}", 0.0
    template_rel = run.template.relative_to(project.root).as_posix()
    if ok:
        normalise(scratch, template_rel, digest)
        seal(exhibits, digest)
        folder = project.runs / run.name
        shutil.rmtree(folder, ignore_errors=True)
        folder.parent.mkdir(parents=True, exist_ok=True)
        os.replace(exhibits, folder)
        os.replace(scratch, final)
        (project.failed / run.output).unlink(missing_ok=True)
        log(f"  {counter} ok     {run.name}  ({seconds:.1f} s)")
        return Outcome(run, ok, seconds, message)
    kept = project.failed / run.output
    kept.parent.mkdir(parents=True, exist_ok=True)
    if scratch.exists():
        os.replace(scratch, kept)
        where = f"partly executed copy kept at {kept.relative_to(project.root)}"
    else:
        where = "no partial copy was written"
    params = ", ".join(f"{k}={v}" for k, v in run.parameters.items())
    message = f"notebook {run.name} ({template_rel} with {params}) {message}; {where}"
    log(f"  {counter} FAILED {run.name}  ({seconds:.1f} s)")
    return Outcome(run, ok, seconds, message)
