"""Benchmark of the build: what a rebuild costs against a cold build, and against the plain tools.

Run:  make bench   (or .venv/bin/python benchmarks/build.py [--keep DIR])
Works on a copy of the project in a temporary folder (the project's own _build is not touched)
and prints, in one run:

* cold build (``--force``), no-op build, one pilot's rows of ``outcomes.csv`` changed, one contract
  suite changed (reformatted, same rules): seconds, notebooks executed, ratio to the cold build;
* the peer: papermill's command line executing the same runs one after the other, then
  ``jupyter-book build`` — what the pipeline replaces — and the cold build's ratio to it;
* the register tables on 1,000,000 SYNTHETIC persons (``benchmarks/ura_scale.py``).

It asserts nothing (a benchmark is not a test).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SKIP = shutil.ignore_patterns(".git", ".venv", "_build", "_generated", "__pycache__", "node_modules")
CHANGED_PILOT = "hame-50plus"


def copy_project(dest: Path) -> Path:
    for item in ROOT.iterdir():
        if item.name in {".git", ".venv", "_build", "node_modules"}:
            continue
        if item.is_dir():
            shutil.copytree(item, dest / item.name, ignore=SKIP)
        else:
            shutil.copy2(item, dest / item.name)
    return dest  # the Data Docs assets are found in the checkout (Project.node_modules)


def timed_build(project, **kw) -> tuple[float, int]:
    from pilotbook.contracts import validate
    from pilotbook.pipeline.build import build

    validate.forget_results()  # as a fresh command: no GX results remembered from an earlier build
    started = time.perf_counter()
    result = build(project, jobs=os.cpu_count() or 1, log=lambda *a: None, **kw)
    return time.perf_counter() - started, len(result.executed)


def change_one_pilot(project) -> None:
    """Touch the content of one pilot's rows of outcomes.csv (a note; every rule still holds)."""
    path = project.default_data / "published" / "outcomes.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    header = lines[0].rstrip("\n").split(",")
    note = header.index("note")
    for i, line in enumerate(lines[1:], start=1):
        if line.startswith(CHANGED_PILOT + ",") and line.count('"') == 0:
            cells = line.rstrip("\n").split(",")
            cells[note] = (cells[note] + " (benchmark)").strip()
            lines[i] = ",".join(cells) + "\n"
            break
    path.write_text("".join(lines), encoding="utf-8")


def change_one_suite(project) -> None:
    """Rewrite one suite with other indentation: new bytes, the same rules."""
    path = project.contracts / "procurement.json"
    path.write_text(json.dumps(json.loads(path.read_text(encoding="utf-8")), indent=4) + "\n", encoding="utf-8")


def peer(project) -> tuple[float, int]:
    """papermill's CLI over the build's runs, one after the other, then jupyter-book build."""
    from pilotbook.pipeline.plan import make_plan
    from pilotbook.pipeline.render import jupyter_book_command

    runs = make_plan(project, project.default_data)
    bin_dir = Path(sys.executable).parent
    started = time.perf_counter()
    for run in sorted(runs, key=lambda r: r.reads_exhibits):  # the summary last, as it needs the others
        out = project.generated / run.output
        cmd = [str(bin_dir / "papermill"), str(run.template), str(out), "--cwd", str(out.parent), "-k", "python3"]
        for k, v in run.parameters.items():
            cmd += ["-p", k, str(v)]
        subprocess.run(cmd, check=True, capture_output=True)
    out = Path(tempfile.mkdtemp(prefix="bench-jb-"))
    cmd = [c for c in jupyter_book_command(project, out) if c != "-W"]  # the plain tool, not our strict build
    done = subprocess.run(cmd, cwd=project.root, capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit("jupyter-book build failed:\n" + "\n".join((done.stdout + done.stderr).splitlines()[-20:]))
    shutil.rmtree(out, ignore_errors=True)
    return time.perf_counter() - started, len(runs)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--keep", type=Path, help="build the copy here and keep it")
    parser.add_argument("--persons", type=int, default=1_000_000)
    args = parser.parse_args()
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "False")
    from pilotbook.paths import Project

    folder = args.keep or Path(tempfile.mkdtemp(prefix="pilotbook-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    project = Project(copy_project(folder))
    rows = []
    cold, n = timed_build(project, force=True)
    rows.append(("cold build (--force)", cold, n))
    rows.append(("no-op build", *timed_build(project)))
    change_one_pilot(project)
    rows.append((f"one pilot's outcomes changed ({CHANGED_PILOT})", *timed_build(project)))
    change_one_suite(project)
    rows.append(("one contract suite changed (procurement.json)", *timed_build(project)))
    peer_seconds, peer_runs = peer(project)

    print(f"Build benchmark on {os.cpu_count()} core(s), project copy in {folder}")
    print(f"{'step':48} {'seconds':>8} {'executed':>9} {'/ cold':>7}")
    for name, seconds, executed in rows:
        print(f"{name:48} {seconds:8.2f} {executed:9d} {seconds / cold:7.3f}")
    print(f"{'peer: papermill CLI serially + jupyter-book':48} {peer_seconds:8.2f} {peer_runs:9d} "
          f"{peer_seconds / cold:7.3f}")
    print(f"cold build / peer = {cold / peer_seconds:.2f}")
    print()
    print(f"Register tables on {args.persons:,} SYNTHETIC persons:")
    subprocess.run([sys.executable, str(ROOT / "benchmarks" / "ura_scale.py"), "--persons", str(args.persons)],
                   check=True)
    if not args.keep:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
