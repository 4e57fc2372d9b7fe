"""Command line: ``pilotbook build``, ``validate``, ``synth`` and ``init``.

Every expected failure (bad data, a broken suite or template, an invalid setting, a failing
notebook) is printed as its message with its exit code; a traceback appears only with ``--debug``.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys

from pilotbook import settings
from pilotbook.errors import PipelineError
from pilotbook.paths import Project


def _settings_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--min-cell", type=int, default=None, metavar="N",
                        help="disclosure threshold: no group or count of persons under N is published "
                             "(default: disclosure.min_cell in pilotbook.toml)")
    parser.add_argument("--set", action="append", default=[], metavar="KEY=VALUE",
                        help="override any setting of pilotbook.toml for this run, e.g. --set synth.seed_register=1")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="pilotbook",
        description="Build the reproducible evaluation book of the TEM 43/2017 job-placement pilots.",
    )
    parser.add_argument("--debug", action="store_true", help="show the full traceback of a failure")
    sub = parser.add_subparsers(dest="command", required=True)
    b = sub.add_parser("build", help="validate the data, execute the notebooks, build and publish the book")
    b.add_argument("--data", default=None, help="data folder laid out like data/ (default: data/)")
    b.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="notebooks executed in parallel (default: cores)")
    b.add_argument("--force", action="store_true", help="re-execute every notebook and re-render the site")
    b.add_argument("--pdf", action="store_true",
                   help="also print the whole book to one PDF (_build/html/pilotbook.pdf) with Chromium")
    _settings_options(b)
    v = sub.add_parser("validate", help="check a data folder against data_contracts/ without building")
    v.add_argument("--data", default=None, help="data folder laid out like data/ (default: data/)")
    i = sub.add_parser("init", help="write a blank data folder (headers, and a README from the contracts) to fill")
    i.add_argument("folder", help="a new folder")
    s = sub.add_parser("synth", help="regenerate the SYNTHETIC example data (data/example/) from the published margins")
    s.add_argument("--data", default=None, help="data folder whose published/ margins to use and example/ to write")
    _settings_options(s)
    return parser


def _apply_settings(args: argparse.Namespace) -> None:
    overrides = dict(settings.parse_assignment(text) for text in getattr(args, "set", []))
    if getattr(args, "min_cell", None) is not None:
        overrides["min_cell"] = args.min_cell
    settings.override(overrides)


def _run(args: argparse.Namespace) -> int:
    project = Project.here()
    _apply_settings(args)
    if args.command == "build":
        from pilotbook.pipeline.build import build

        build(project, args.data, jobs=args.jobs, force=args.force, pdf=args.pdf)
    elif args.command == "validate":
        from pilotbook.contracts.validate import validate

        report = validate(project.resolve_data(args.data), project.contracts, results_dir=project.suite_results)
        print(report.render())
        return 0 if report.ok else 3
    elif args.command == "init":
        from pilotbook.contracts.blank_folder import init_folder

        written = init_folder(args.folder, project.contracts)
        print(f"wrote {len(written)} files to {args.folder}: every data file with its header, and README.md; "
              f"fill them, then run `pilotbook validate --data {args.folder}`")
    elif args.command == "synth":
        from pilotbook.synth import placements, register

        folder = project.resolve_data(args.data)
        for writer in (placements.write_example, register.write_example):
            for path, rows in writer(folder).items():
                print(f"wrote {rows} SYNTHETIC rows to {path}")
    return 0


def _terminated(*_args) -> None:
    raise KeyboardInterrupt


def _exit_now(code: int) -> None:
    """Leave without the interpreter's teardown: a build stopped by Ctrl-C has already killed its
    workers and kernels and removed its scratch folders, and tearing down pandas, Great Expectations
    and their threads can take seconds on a busy machine."""
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


def main(argv: list[str] | None = None) -> int:
    """The command (``argv`` None: SIGTERM stops it as Ctrl-C does) or a call from Python."""
    args = _parser().parse_args(argv)
    if argv is None:
        signal.signal(signal.SIGTERM, _terminated)
    try:
        return _run(args)
    except PipelineError as err:
        if args.debug:
            raise
        print(f"\npilotbook {args.command}: FAILED\n{err}", file=sys.stderr)
        return err.exit_code
    except KeyboardInterrupt:
        print("\ninterrupted; the published site is unchanged", file=sys.stderr)
        if argv is None:
            _exit_now(130)
        return 130
    except Exception as err:  # an unexpected failure: say so plainly, keep the traceback for --debug
        if args.debug:
            raise
        print(f"\npilotbook {args.command}: FAILED with an unexpected error\n{type(err).__name__}: {err}\n"
              "This is probably a bug in pilotbook; run again with --debug for the traceback.", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
