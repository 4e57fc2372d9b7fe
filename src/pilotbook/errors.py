"""Errors that speak to a person: what failed, where, and what to do.

The CLI prints ``str(error)`` and exits non-zero; no traceback is shown for these.
"""

from __future__ import annotations


class PipelineError(Exception):
    """A failure the user can act on.  ``exit_code`` is what the CLI returns."""

    exit_code = 1


class DataFileError(PipelineError):
    """An input file cannot be read as the table it should be."""

    exit_code = 2


class ContractError(PipelineError):
    """At least one error-severity expectation failed."""

    exit_code = 3


class NotebookError(PipelineError):
    """A notebook raised while papermill executed it."""

    exit_code = 4


class RenderError(PipelineError):
    """jupyter-book failed or warned (warnings are errors in a strict build)."""

    exit_code = 5


class SettingsError(PipelineError):
    """pilotbook.toml or a command-line override is invalid."""

    exit_code = 2


class SuiteError(PipelineError):
    """A suite in data_contracts/ cannot be read or names what does not exist."""

    exit_code = 2


class TemplateError(PipelineError):
    """A notebook template's ``pilotbook`` metadata is missing or wrong."""

    exit_code = 2
