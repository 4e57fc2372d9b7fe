"""Execute notebook runs with papermill, in parallel, into ``book/_generated/``.

A run executes into a scratch copy; only a run that finished without error is
normalised (volatile metadata stripped, page title promoted) and moved into
place.  A failed run's partly executed copy goes to ``_build/failed/`` and never
reaches the book.
"""

from __future__ import annotations

import ast
import os
import shutil
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path

import nbformat

from pilotbook.paths import Project
from pilotbook.pipeline.plan import Run

KERNEL = "python3"
KERNEL_ATTEMPTS = 2
KERNEL_START_TIMEOUT = 60
PAGE_TITLE_GLUE = "page_title"
VOLATILE_NB_PAPERMILL = ("start_time", "end_time", "duration", "exception", "input_path", "output_path",
                         "environment_variables", "version")


@dataclass
class Outcome:
    run: Run
    ok: bool
    seconds: float
    message: str = ""


def _papermill(template: str, scratch: str, parameters: dict, cwd: str) -> tuple[bool, str, float]:
    """Worker: execute one notebook.  Returns (ok, human-readable failure, seconds)."""
    started = time.perf_counter()
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
        sockets = tempfile.mkdtemp(prefix="pilotbook-kernel-")
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


def normalise(path: Path, template_rel: str) -> None:
    """Strip what differs run to run; tag papermill's cell; promote the page title."""
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
    nbformat.write(nb, path)


def execute(project: Project, runs: list[Run], jobs: int, log=print) -> list[Outcome]:
    """Run ``runs`` on ``jobs`` processes; return one outcome per run (all are tried)."""
    if not runs:
        return []
    scratch_root = project.build_dir / ".running"
    shutil.rmtree(scratch_root, ignore_errors=True)
    outcomes: list[Outcome] = []
    jobs = max(1, min(jobs, len(runs)))
    kernel_log = project.state / "kernels.log"
    kernel_log.parent.mkdir(parents=True, exist_ok=True)
    kernel_log.write_text("")
    with ProcessPoolExecutor(max_workers=jobs, initializer=_quiet_worker, initargs=(str(kernel_log),)) as pool:
        futures = {}
        for run in runs:
            final = project.generated / run.output
            final.parent.mkdir(parents=True, exist_ok=True)
            scratch = scratch_root / run.output
            scratch.parent.mkdir(parents=True, exist_ok=True)
            fut = pool.submit(_papermill, str(run.template), str(scratch), run.parameters, str(final.parent))
            futures[fut] = (run, scratch, final)
        for done, fut in enumerate(as_completed(futures), 1):
            run, scratch, final = futures[fut]
            try:
                ok, message, seconds = fut.result()
            except Exception as err:  # the worker process itself died
                ok, message, seconds = False, f"worker crashed: {type(err).__name__}: {err}", 0.0
            template_rel = run.template.relative_to(project.root).as_posix()
            if ok:
                normalise(scratch, template_rel)
                os.replace(scratch, final)
                failed_copy = project.failed / run.output
                failed_copy.unlink(missing_ok=True)
                log(f"  [{done}/{len(runs)}] ok     {run.name}  ({seconds:.1f} s)")
            else:
                kept = project.failed / run.output
                kept.parent.mkdir(parents=True, exist_ok=True)
                if scratch.exists():
                    os.replace(scratch, kept)
                    where = f"partly executed copy kept at {kept.relative_to(project.root)}"
                else:
                    where = "no partial copy was written"
                params = ", ".join(f"{k}={v}" for k, v in run.parameters.items())
                message = f"notebook {run.name} ({template_rel} with {params}) {message}; {where}"
                log(f"  [{done}/{len(runs)}] FAILED {run.name}  ({seconds:.1f} s)")
            outcomes.append(Outcome(run, ok, seconds, message))
            sys.stdout.flush()
    shutil.rmtree(scratch_root, ignore_errors=True)
    return outcomes
