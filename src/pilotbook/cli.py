"""Command line: ``pilotbook build`` and ``pilotbook validate``."""

from __future__ import annotations

import argparse
import os
import sys

from pilotbook.errors import PipelineError
from pilotbook.paths import Project


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="pilotbook",
        description="Build the reproducible evaluation book of the TEM 43/2017 job-placement pilots.",
    )
    sub = parser.add_subparsers(dest="command", required=True)
    b = sub.add_parser("build", help="validate the data, execute the notebooks, build and publish the book")
    b.add_argument("--data", default=None, help="data folder laid out like data/ (default: data/)")
    b.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="notebooks executed in parallel (default: cores)")
    b.add_argument("--force", action="store_true", help="re-execute every notebook and re-render the site")
    v = sub.add_parser("validate", help="check a data folder against data_contracts/ without building")
    v.add_argument("--data", default=None, help="data folder laid out like data/ (default: data/)")
    s = sub.add_parser("synth", help="regenerate the SYNTHETIC example data (data/example/) from the published margins")
    s.add_argument("--data", default=None, help="data folder whose published/ margins to use and example/ to write")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    project = Project.here()
    try:
        if args.command == "build":
            from pilotbook.pipeline.build import build

            build(project, args.data, jobs=args.jobs, force=args.force)
        elif args.command == "validate":
            from pilotbook.contracts.validate import validate

            report = validate(project.resolve_data(args.data), project.contracts)
            print(report.render())
            return 0 if report.ok else 3
        elif args.command == "synth":
            from pilotbook.synth import placements as synth
            from pilotbook.synth import register as synth_ura
            folder = project.resolve_data(args.data)
            for writer in (synth.write_example, synth_ura.write_example):
                for path, rows in writer(folder).items():
                    print(f"wrote {rows} SYNTHETIC rows to {path}")
    except PipelineError as err:
        print(f"\npilotbook {args.command}: FAILED\n{err}", file=sys.stderr)
        return err.exit_code
    except KeyboardInterrupt:
        print("\ninterrupted; the published site is unchanged", file=sys.stderr)
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(main())
