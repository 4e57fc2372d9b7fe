"""Where things live.  Every path is anchored on the project root, never on the cwd.

The project root is the folder holding ``_toc.yml``.  Notebooks executed by the
build run with their own folder as working directory, so :func:`project_root`
walks up from there; when nothing is found it falls back to the checkout this
package was installed from.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
INSTALL_ROOT = PACKAGE_DIR.parents[1]


def project_root(start: Path | None = None) -> Path:
    """The nearest ancestor of ``start`` (default: cwd) that holds ``_toc.yml``."""
    here = (start or Path.cwd()).resolve()
    for candidate in (here, *here.parents):
        if (candidate / "_toc.yml").is_file() and (candidate / "notebooks").is_dir():
            return candidate
    return INSTALL_ROOT


@dataclass(frozen=True)
class Project:
    """The folders of one project checkout (a temporary copy in tests)."""

    root: Path

    @classmethod
    def here(cls, start: Path | None = None) -> "Project":
        return cls(project_root(start))

    @property
    def default_data(self) -> Path:
        return self.root / "data"

    @property
    def contracts(self) -> Path:
        return self.root / "data_contracts"

    @property
    def templates(self) -> Path:
        return self.root / "notebooks"

    @property
    def generated(self) -> Path:
        """Executed notebooks (the book's generated chapters)."""
        return self.root / "book" / "_generated"

    @property
    def site_extra(self) -> Path:
        """Files copied verbatim into the site root (``html_extra_path``)."""
        return self.generated / "site"

    @property
    def exhibit_data(self) -> Path:
        return self.site_extra / "data"

    @property
    def runs(self) -> Path:
        """What each run of the build published, one folder per run (``<output>/site/``: the exhibits'
        files; ``records/``: one JSON per exhibit; ``run.json``: the hash of the inputs it was made
        from).  The site's ``data/`` and ``figures/`` are assembled from the folders of the runs the
        build planned, and only from them."""
        return self.generated / "runs"

    @property
    def standalone(self) -> Path:
        """Where a notebook executed outside the build (e.g. by plain papermill) publishes its
        exhibits: a folder the build never reads."""
        return self.build_dir / "standalone"

    @property
    def build_dir(self) -> Path:
        return self.root / "_build"

    @property
    def site(self) -> Path:
        """The published site.  Replaced only by a build whose every step passed."""
        return self.build_dir / "html"

    @property
    def staging(self) -> Path:
        return self.build_dir / ".staging"

    @property
    def failed(self) -> Path:
        """Partly executed copies of notebooks that failed, kept for inspection."""
        return self.build_dir / "failed"

    @property
    def state(self) -> Path:
        """Build bookkeeping: content hashes of the last successful runs."""
        return self.build_dir / "state"

    @property
    def suite_results(self) -> Path:
        """GX's result of each suite, by the content it was given (see contracts.validate)."""
        return self.state / "suite-results"

    @property
    def gx_docs(self) -> Path:
        """Data Docs as Great Expectations renders them (loading files from CDNs)."""
        return self.build_dir / ".datadocs-gx"

    @property
    def offline_docs(self) -> Path:
        """Data Docs rewritten to load only files served from the site."""
        return self.build_dir / ".datadocs"

    @property
    def node_modules(self) -> Path:
        """The pinned front-end files for the Data Docs (``npm ci`` in assets/)."""
        here = self.root / "assets" / "node_modules"
        return here if here.is_dir() else INSTALL_ROOT / "assets" / "node_modules"

    def resolve_data(self, data_dir: str | Path | None) -> Path:
        """A data folder given on the command line or as a notebook parameter."""
        if data_dir in (None, ""):
            return self.default_data
        path = Path(data_dir)
        return path if path.is_absolute() else (self.root / path)
