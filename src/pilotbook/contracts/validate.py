"""Validate a data folder against the Great Expectations suites in ``data_contracts/``.

Each suite is a GX Core 1.x ``ExpectationSuite`` stored as JSON.  Its ``meta``
names the dataset it guards (and optionally a derived view, see
:mod:`pilotbook.contracts.views`); each expectation carries GX's own ``severity``
(``critical`` = stops the build, ``warning`` = reported) and ``description``
(the rule in words), and a ``meta.rationale``.  Cross-dataset sets use
``{"$PARAMETER": "pilot_ids"}``, filled from the data at validation time.

Great Expectations is imported lazily: importing it costs seconds, and only the
validate step needs it (never a notebook).
"""

from __future__ import annotations

import functools
import hashlib
import json
import logging
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

import pandas as pd

from pilotbook.io.catalog import DATASETS, Dataset
from pilotbook.errors import DataFileError, SuiteError
from pilotbook.contracts.views import VIEWS, apply_view

SAMPLE_ROWS = 5
RESULTS_ENV = "PILOTBOOK_SUITE_RESULTS"  # where validate() keeps suite results when given no folder
DOCS_SITE = "pilotbook"
ERROR, WARNING, INFO = "critical", "warning", "info"


@dataclass
class Finding:
    """One expectation that did not hold (or could not be checked)."""

    dataset: str
    file: str
    severity: str
    rule: str
    expectation: str
    columns: list[str]
    unexpected_count: int | None = None
    samples: list[str] = field(default_factory=list)
    rows: list[dict] = field(default_factory=list)  # every failing row (key + rule columns)
    rationale: str = ""
    suite: str = ""
    report_inconsistency: bool = False  # a warning that flags the report disagreeing with itself
    parameters: tuple[str, ...] = ()  # the expectation parameters the rule reads (e.g. pilot_ids)
    follows_from: str = ""  # the file whose error this one follows from (reported as a consequence)
    note: str = ""  # e.g. that a warning's rows also break an error rule
    view: str | None = None  # the view of the file the rule is checked on

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR

    def describe(self) -> str:
        level = "ERROR" if self.is_error else self.severity.upper()
        cols = ", ".join(self.columns) if self.columns else "(table)"
        lines = [f"{level}  {self.file}  column {cols}", f"    rule: {self.rule} [{self.expectation}]"]
        if self.unexpected_count is not None:
            lines.append(f"    failing rows: {self.unexpected_count}")
        lines += [f"    {s}" for s in self.samples]
        if self.note:
            lines.append(f"    note: {self.note}")
        return "\n".join(lines)

    def lines(self) -> set[int]:
        """The file lines of the failing rows."""
        out: set[int] = set()
        for row in self.rows:
            if isinstance(row.get("line"), int):
                out.add(row["line"])
            for part in str(row.get("csv_lines") or "").split(","):
                if part.strip().isdigit():
                    out.add(int(part))
        return out


@dataclass
class SuiteResult:
    dataset: str
    suite: str
    file: str
    evaluated: int
    findings: list[Finding]
    gx_result: Any = None  # GX's ExpectationSuiteValidationResult (its JSON when kept from an earlier run)
    reused: bool = False  # GX's result of the same suite, parameters and table, from an earlier run

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.is_error]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if not f.is_error]

    @property
    def status(self) -> str:
        if self.errors:
            return "FAILED"
        return "passed with warnings" if self.warnings else "passed"


@dataclass
class ValidationReport:
    data_dir: Path
    suites: list[SuiteResult]

    @property
    def ok(self) -> bool:
        return not any(s.errors for s in self.suites)

    @property
    def findings(self) -> list[Finding]:
        return [f for s in self.suites for f in s.findings]

    def summary_table(self) -> str:
        width = max(len(s.suite) for s in self.suites) if self.suites else 10
        fwidth = max(len(Path(s.file).name) for s in self.suites) if self.suites else 10
        lines = [f"{'contract':<{width}}  {'file':<{fwidth}}  {'rules':>5}  {'errors':>6}  {'warnings':>8}  result"]
        for s in self.suites:
            lines.append(f"{s.suite:<{width}}  {Path(s.file).name:<{fwidth}}  {s.evaluated:>5}  "
                         f"{len(s.errors):>6}  {len(s.warnings):>8}  {s.status}")
        return "\n".join(lines)

    def render(self) -> str:
        """The summary table, then the errors (those of the files others refer to first, e.g. pilots.csv;
        errors that only follow from them collapsed into one entry), then the warnings."""
        parts = [f"Validated {self.data_dir} against data_contracts/:", self.summary_table()]
        shown = _unique_read_errors(self.findings)
        roots = sorted((f for f in shown if not f.follows_from),
                       key=lambda f: (_file_rank(f.dataset), f.file, bool(f.view), f.expectation not in SHAPE_RULES))
        errors = [f for f in roots if f.is_error]
        warnings = [f for f in roots if not f.is_error]
        follow_ons = [f for f in shown if f.follows_from]
        if errors:
            parts.append(f"\n{len(errors)} error(s) - the data break their contract:")
            parts += [f.describe() for f in errors]
        if follow_ons:
            parts += _describe_follow_ons(follow_ons)
        if warnings:
            parts.append(f"\n{len(warnings)} warning(s):")
            parts += [f.describe() for f in warnings]
        if errors or any(f.is_error for f in follow_ons):
            parts.append(
                "\nFix the data (or, if the rule is wrong, its suite in data_contracts/) and run again."
            )
        return "\n".join(parts)


# Rules on the shape of a file (its columns, their types): when they fail, the others fail with them.
SHAPE_RULES = ("read_file", "expect_column_to_exist", "expect_table_columns_to_match_set",
               "expect_column_values_to_be_in_type_list")


def _unique_read_errors(findings: list[Finding]) -> list[Finding]:
    """A file that cannot be read stops every contract of it: say so once, not once per contract."""
    suites: dict[tuple, list[str]] = {}
    for f in findings:
        if f.expectation == "read_file":
            suites.setdefault((f.file, tuple(f.samples)), []).append(f.suite)
    out: list[Finding] = []
    for f in findings:
        key = (f.file, tuple(f.samples))
        if f.expectation != "read_file":
            out.append(f)
        elif suites.get(key, [None])[0] == f.suite:
            if len(suites[key]) > 1:
                f.note = f"none of the {len(suites[key])} contracts of this file could run ({', '.join(suites[key])})"
            out.append(f)
    return out


def _describe_follow_ons(follow_ons: list[Finding]) -> list[str]:
    """One entry per file whose errors the others follow from: which rules of which files fail, with
    one sample row each."""
    parts = []
    for source in dict.fromkeys(f.follows_from for f in follow_ons):
        group = [f for f in follow_ons if f.follows_from == source]
        files = len({f.file for f in group})
        parts.append(
            f"\nERROR  {len(group)} more finding(s) in {files} other file(s) follow from the error(s) in {source} "
            f"above (their rules take the values they allow from {source}). Fix {source} first, then run again:")
        for f in group:
            level = "" if f.is_error else " (warning)"
            rows = f"{f.unexpected_count} row(s) break" if f.unexpected_count is not None else "breaks"
            sample = f"; e.g. {f.samples[0]}" if f.samples else ""
            parts.append(f"    {Path(f.file).name}{level}: {rows} '{f.rule}'{sample}")
    return parts


# --------------------------------------------------------------------------- suites


def load_suites(contracts_dir: Path) -> list[dict]:
    """Every suite JSON in ``contracts_dir`` (sorted by file name)."""
    suites = []
    for path in sorted(p for p in Path(contracts_dir).glob("*.json") if not p.name.endswith(".schema.json")):
        try:
            suite = json.loads(path.read_text(encoding="utf-8"))
        except json.JSONDecodeError as err:
            raise SuiteError(f"{path}: not valid JSON at line {err.lineno}, column {err.colno}: {err.msg}. "
                             "Fix the suite file (data_contracts/README.md describes its fields).") from None
        if not isinstance(suite, dict) or not isinstance(suite.get("expectations"), list):
            raise SuiteError(f"{path}: a suite is a JSON object with an 'expectations' list.")
        meta = suite.get("meta", {})
        if meta.get("dataset") not in DATASETS:
            raise SuiteError(f"{path}: meta.dataset must name a catalog dataset ({', '.join(DATASETS)}), "
                             f"got {meta.get('dataset')!r}")
        if meta.get("view") and meta["view"] not in VIEWS:
            raise SuiteError(f"{path}: unknown view {meta['view']!r}; known views: {', '.join(VIEWS)}")
        suite["_path"] = str(path)
        suites.append(suite)
    return suites


def expectation_parameters(frames: dict[str, pd.DataFrame]) -> dict[str, Any]:
    """Values for ``$PARAMETER`` references: sets that span datasets."""
    params: dict[str, Any] = {}
    pilots = frames.get("pilots")
    if pilots is not None and "pilot_id" in pilots.columns:
        params["pilot_ids"] = sorted(pilots["pilot_id"].dropna().astype(str).unique().tolist())
    else:
        params["pilot_ids"] = []
    codes = frames.get("ura_codes")
    if codes is not None and {"code_type", "code"} <= set(codes.columns):
        for kind, name in (("employment_code", "employment_codes"), ("end_reason", "end_reasons")):
            values = pd.to_numeric(codes.loc[codes["code_type"] == kind, "code"], errors="coerce").dropna()
            params[name] = sorted(int(v) for v in values.unique())
    else:
        params["employment_codes"], params["end_reasons"] = [], []
    categories = frames.get("ura_categories")
    if categories is not None and {"dimension", "category"} <= set(categories.columns):
        params["ura_statuses"] = sorted(categories.loc[categories["dimension"] == "status", "category"].dropna().unique().tolist())
    else:
        params["ura_statuses"] = []
    from pilotbook.io.codebook import codebook_parameters

    params.update(codebook_parameters(frames.get("survey_codebook")))  # survey codes and scales
    return params


# --------------------------------------------------------------------------- running


def _quiet_gx():
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "False")
    for name in ("great_expectations", "great_expectations.core", "great_expectations.data_context"):
        logging.getLogger(name).setLevel(logging.ERROR)
    import great_expectations as gx
    from great_expectations.data_context.types.base import ProgressBarsConfig

    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    return gx, context


def _columns_of(kwargs: dict) -> list[str]:
    cols = []
    for key in ("column", "column_A", "column_B"):
        if key in kwargs:
            cols.append(kwargs[key])
    cols += list(kwargs.get("column_list", []))
    return cols


Locate = Callable[[dict, list[str]], "int | None"]


def _row_line(frame: pd.DataFrame, index, columns: list[str], locate: Locate | None) -> int | None:
    """The line of the data file a row comes from: a CSV row's (header = line 1), or where a locator
    finds it (the rows of a YAML file are read from its entries)."""
    if locate is None:
        return int(index) + 2
    return locate(frame.loc[index].to_dict(), columns)


def _row_label(frame: pd.DataFrame, index: int, key: tuple[str, ...], columns: list[str], view: str | None,
               locate: Locate | None = None) -> str:
    """``line N: key=..., column=...``; rows of a view point at the file lines they come from."""
    row = frame.loc[index]
    shown = [c for c in (*key, *columns) if c in frame.columns and c != "csv_lines"]
    shown = list(dict.fromkeys(shown))
    if view:
        lines = str(row["csv_lines"]).strip() if "csv_lines" in frame.columns else ""
        where = f"lines {lines}" if lines else ("not in the file" if "csv_lines" in frame.columns
                                                 else f"view row {index}")
    else:
        line = _row_line(frame, index, columns, locate)
        where = f"line {line}" if line is not None else "line unknown"
    values = ", ".join(f"{c}={row[c]!r}" if isinstance(row[c], str) else f"{c}={row[c]}" for c in shown)
    return f"{where}: {values}"


def _rule_key(exp: dict) -> tuple:
    kwargs = exp.get("kwargs", {})
    return (exp.get("type"), exp.get("description"), json.dumps(_columns_of(kwargs), default=str),
            json.dumps(kwargs.get("row_condition"), sort_keys=True, default=str))


def _parameters(value) -> list[str]:
    """The names of the ``$PARAMETER`` references in an expectation's kwargs."""
    if isinstance(value, dict):
        if "$PARAMETER" in value:
            return [str(value["$PARAMETER"])]
        return [n for v in value.values() for n in _parameters(v)]
    if isinstance(value, list):
        return [n for v in value for n in _parameters(v)]
    return []


NUMERIC_TYPES = ("int", "float")


def _not_of_type(frame: pd.DataFrame, column: str, type_list: list[str]) -> list:
    """Rows whose value is not of a numeric type list (GX reports only the column's dtype)."""
    if not type_list or not all(str(t).startswith(NUMERIC_TYPES) for t in type_list):
        return []
    values = frame[column]
    numbers = pd.to_numeric(values, errors="coerce")
    bad = values.notna() & numbers.isna()
    if all(str(t).startswith("int") for t in type_list):
        bad |= numbers.notna() & (numbers % 1 != 0)
    return list(frame.index[bad])


def _finding(ds: Dataset, file: str, frame: pd.DataFrame, view: str | None, exp: dict, result: dict,
             params: dict[str, Any] | None = None, locate: Locate | None = None) -> Finding:
    kwargs = exp.get("kwargs", {})
    meta = exp.get("meta") or {}
    columns = _columns_of(kwargs)
    shown = columns + list(meta.get("show", []))
    severity = exp.get("severity", ERROR)
    rule = exp.get("description") or exp["type"]
    parameters = tuple(dict.fromkeys(_parameters(kwargs) + list(meta.get("parameters", []))
                                     + list(exp.get("_parameters", []))))
    if view:
        rule = f"{rule} (checked on the '{view}' view)"
        locate = None
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        return Finding(
            ds.name, file, severity, rule, exp["type"], columns,
            samples=[f"column {', '.join(repr(c) for c in missing)} is missing; the file has: "
                     f"{', '.join(map(str, frame.columns))}"], parameters=parameters,
        )
    count = result.get("unexpected_count")
    samples: list[str] = []
    rows: list[dict] = []
    indices = result.get("unexpected_index_list") or result.get("partial_unexpected_index_list") or []
    if not indices and exp["type"] == "expect_column_values_to_be_in_type_list":
        indices = _not_of_type(frame, columns[0], kwargs.get("type_list") or [])
        if indices:
            count = len(indices)
            kinds = " or ".join(kwargs["type_list"])
            samples.append(f"{len(indices)} value(s) of column {columns[0]!r} are not {kinds}:")
    keep = [c for c in dict.fromkeys((*ds.key, *shown, "csv_lines")) if c in frame.columns]
    for n, idx in enumerate(indices):
        if isinstance(idx, dict):  # GX may report index columns as dicts
            idx = next(iter(idx.values()))
        if idx not in frame.index:
            continue
        if n < SAMPLE_ROWS:
            samples.append(_row_label(frame, idx, ds.key, shown, view, locate))
        rows.append({c: _plain(frame.at[idx, c]) for c in keep}
                    | ({} if view else {"line": _row_line(frame, idx, shown, locate)}))
    mismatched = (result.get("details") or {}).get("mismatched")
    if mismatched:
        extra, absent = mismatched.get("unexpected") or [], mismatched.get("missing") or []
        if extra:
            samples.append(f"unexpected column(s): {', '.join(map(str, extra))}"
                           + (" (renamed?)" if absent else ""))
        if absent:
            samples.append(f"missing column(s): {', '.join(map(str, absent))}")
    if exp["type"] == "expect_column_distinct_values_to_contain_set":
        wanted = kwargs.get("value_set")
        if isinstance(wanted, dict) and "$PARAMETER" in wanted:
            wanted = (params or {}).get(wanted["$PARAMETER"], [])
        absent = [v for v in (wanted or []) if v not in set(frame[columns[0]].dropna())]
        say = meta.get("missing_says") or f"no row has {columns[0]} = {{}}"
        samples += [say.format(v) for v in absent[:SAMPLE_ROWS]]
        if len(absent) > SAMPLE_ROWS:
            samples.append(f"... and {len(absent) - SAMPLE_ROWS} more: {', '.join(map(str, absent[SAMPLE_ROWS:]))}")
    if not samples and result.get("observed_value") is not None:
        samples.append(f"observed: {result['observed_value']}")
    if not samples and result.get("partial_unexpected_list"):
        samples.append(f"values: {result['partial_unexpected_list'][:SAMPLE_ROWS]}")
    if meta.get("file_columns"):  # a view's derived column, named as it stands in the file
        columns = [meta["file_columns"]]
    return Finding(ds.name, file, severity, rule, exp["type"], columns, count, samples, rows,
                   rationale=meta.get("rationale", ""), report_inconsistency=bool(meta.get("report_inconsistency")),
                   parameters=parameters)


def _plain(value):
    """A JSON-friendly scalar (numpy numbers become Python numbers, NaN becomes None)."""
    if value is None or (isinstance(value, float) and value != value):
        return None
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float) and value != value:
        return None
    return value


REGISTRY_STAGE = "registry"  # meta.stage of a suite checked against the build's exhibit registry


def _read_all(data_dir: Path) -> tuple[dict[str, pd.DataFrame], dict[str, str]]:
    frames: dict[str, pd.DataFrame] = {}
    read_errors: dict[str, str] = {}
    for ds in DATASETS.values():
        try:
            frames[ds.name] = ds.read(data_dir)
        except DataFileError as err:
            read_errors[ds.name] = str(err)
    return frames, read_errors


def check_folder(data_dir: Path) -> None:
    """Refuse, once, a data folder that does not exist or holds none of the catalog's files (rather than
    one 'file not found' per contract)."""
    if not data_dir.is_dir():
        what = "is a file, not a folder" if data_dir.exists() else "does not exist"
        raise DataFileError(f"data folder {data_dir} {what}. Give --data a folder laid out like data/ "
                            "(published/ and example/ with the files of data_contracts/README.md).")
    if not any(ds.path(data_dir).is_file() for ds in DATASETS.values()):
        raise DataFileError(f"data folder {data_dir} holds none of the {len(DATASETS)} files a data folder must "
                            f"hold (e.g. {DATASETS['pilots'].relpath}); is it the right folder? It must be laid "
                            "out like data/ (published/ and example/).")


def validate(data_dir: Path, contracts_dir: Path, docs_dir: Path | None = None,
             results_dir: Path | None = None) -> ValidationReport:
    """Validate every dataset of ``data_dir`` against every suite of ``contracts_dir``.

    With ``docs_dir``, GX also renders its Data Docs (suites and this validation) there.  With
    ``results_dir`` (a build's state), each suite's result is kept there for the next process: a suite
    whose rules, parameters and table are unchanged is not run again.  Suites of the registry stage
    wait for :func:`validate_registry`.
    """
    data_dir = Path(data_dir)
    check_folder(data_dir)
    suites = [s for s in load_suites(contracts_dir) if s.get("meta", {}).get("stage") != REGISTRY_STAGE]
    frames, read_errors = _read_all(data_dir)
    return _run(data_dir, suites, frames, read_errors, expectation_parameters(frames), docs_dir,
                _results_dir(results_dir))


def _results_dir(given: Path | None) -> Path | None:
    """The folder given, else the one ``PILOTBOOK_SUITE_RESULTS`` names (the test suite points it at the
    build's), else none: results are remembered in this process only."""
    if given is not None:
        return Path(given)
    return Path(os.environ[RESULTS_ENV]) if os.environ.get(RESULTS_ENV) else None


def validate_registry(data_dir: Path, contracts_dir: Path, exhibit_ids: list[str],
                      results_dir: Path | None = None) -> ValidationReport:
    """The suites of the registry stage: rules about what the data cite of the book's exhibits
    (``$PARAMETER: exhibit_ids``), checked once the notebooks of a build have published theirs."""
    data_dir = Path(data_dir)
    check_folder(data_dir)
    suites = [s for s in load_suites(contracts_dir) if s.get("meta", {}).get("stage") == REGISTRY_STAGE]
    frames, read_errors = _read_all(data_dir)
    params = expectation_parameters(frames) | {"exhibit_ids": sorted(exhibit_ids)}
    return _run(data_dir, suites, frames, read_errors, params, None, _results_dir(results_dir))


@dataclass
class _Memo:
    """One suite's result: what the report needs (the failed expectations) and what the Data Docs
    render (GX's result object and the batch it was stored under)."""

    evaluated: int
    failed: list[tuple[dict, dict]]
    outcome: Any  # GX's result object; read from disk, its JSON (made an object only for the Data Docs)
    batch: str


# Suite results of this process, by the content of what GX was given (see _suite_key); GX's result is a
# pure function of the suite, the expectation parameters and the frame, so a validation of a folder that
# differs in one file runs GX only on the suites that see that file.  The Data Docs of a validation are
# rendered from the results stored in its context: a remembered result is stored there as it was.
_MEMO: dict[str, _Memo] = {}
_MEMO_SIZE = 2048


def _remember(key: str, memo: _Memo) -> None:
    if key not in _MEMO and len(_MEMO) >= _MEMO_SIZE:
        _MEMO.pop(next(iter(_MEMO)))
    _MEMO[key] = memo


def forget_results() -> None:
    """Forget the suite results this process remembers (a benchmark times each build as a fresh command)."""
    _MEMO.clear()


def _frame_digest(frame: pd.DataFrame) -> bytes:
    try:
        values = pd.util.hash_pandas_object(frame, index=True).to_numpy().tobytes()
    except TypeError:  # unhashable cells (e.g. lists in a view): their text stands for them
        values = frame.to_csv().encode()
    return values + json.dumps([list(map(str, frame.columns)), [str(t) for t in frame.dtypes]]).encode()


@functools.lru_cache(maxsize=1)
def _validating_code() -> bytes:
    from importlib.metadata import version

    return f"{version('great_expectations')} {pd.__version__}\n".encode() + Path(__file__).read_bytes()


def _suite_key(suite: dict, params: dict[str, Any], frame: pd.DataFrame) -> str:
    """What GX's result of one suite depends on: GX and pandas, the code that runs GX (this module),
    the suite, the parameters it reads (``params``: only those) and its table."""
    h = hashlib.sha256(_validating_code())
    h.update(json.dumps(suite, sort_keys=True, default=str).encode())
    h.update(json.dumps(params, sort_keys=True, default=str).encode())
    h.update(_frame_digest(frame))
    return h.hexdigest()


# On disk (``results_dir``) a result is one file named by its key: the failed expectations as GX gave
# them (pickled: numpy numbers and index tuples come back as they were, so the findings are the same)
# and GX's result object in the JSON of GX's own validation store, which is also what the Data Docs
# are rendered from within a process.  Written whole or not at all (a temporary file, then a rename).
_RESULTS_FORMAT = 1
_KEPT_FILES = 512  # about 10 MB: the shipped data's 39 results and those of many edits


def _load_result(results_dir: Path | None, key: str) -> _Memo | None:
    import pickle

    if results_dir is None:
        return None
    try:
        form, evaluated, failed, outcome, batch = pickle.loads((results_dir / f"{key}.pickle").read_bytes())
        if form != _RESULTS_FORMAT:
            return None
        os.utime(results_dir / f"{key}.pickle")  # used: the last to be pruned
        return _Memo(evaluated, failed, outcome, batch)
    except Exception:  # noqa: BLE001 - a missing, partial or foreign record is no record: GX runs again
        return None


def _save_result(results_dir: Path | None, key: str, memo: _Memo, context) -> None:
    import pickle
    import tempfile

    if results_dir is None:
        return
    outcome = memo.outcome if isinstance(memo.outcome, str) else context.validation_results_store.serialize(memo.outcome)
    body = pickle.dumps((_RESULTS_FORMAT, memo.evaluated, memo.failed, outcome, memo.batch))
    part = None
    try:
        results_dir.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=results_dir, suffix=".part", delete=False) as tmp:
            part = Path(tmp.name)
            tmp.write(body)
        os.replace(part, results_dir / f"{key}.pickle")
        kept = sorted(results_dir.glob("*.pickle"), key=lambda p: p.stat().st_mtime)
        for old in kept[:max(0, len(kept) - _KEPT_FILES)]:  # the least recently used beyond the limit
            old.unlink(missing_ok=True)
    except OSError:  # a result that cannot be kept (a full disk, a read-only folder) is run again next time
        if part is not None:
            part.unlink(missing_ok=True)


def _store_for_docs(context, body: dict, memo: _Memo) -> None:
    """Put a remembered result into ``context`` as its own run would have: the suite, and the result
    under the suite, run and batch it was validated with."""
    from great_expectations.core.expectation_suite import ExpectationSuite
    from great_expectations.data_context.types.resource_identifiers import (
        ExpectationSuiteIdentifier, ValidationResultIdentifier)

    if isinstance(memo.outcome, str):  # kept on disk: GX's store reads its own JSON back
        memo.outcome = context.validation_results_store.deserialize(memo.outcome)
    context.suites.add(ExpectationSuite(**body))
    suite_id = ExpectationSuiteIdentifier(name=body["name"])
    context.validation_results_store.store_validation_results(
        suite_validation_result=memo.outcome,
        suite_validation_result_identifier=ValidationResultIdentifier(
            expectation_suite_identifier=suite_id, run_id=memo.outcome.meta["run_id"], batch_identifier=memo.batch),
        expectation_suite_identifier=suite_id)


class _GxSession:
    """GX and one ephemeral context, made on first use: a validation whose every suite result is kept
    from an earlier run, and that renders no Data Docs, never imports GX (seconds saved)."""

    def __init__(self, docs_dir: Path | None):
        self.docs_dir = docs_dir
        self._made: tuple | None = None
        self._source = None

    def _make(self) -> tuple:
        if self._made is None:
            module, context = _quiet_gx()
            if self.docs_dir is not None:  # Data Docs render the results of this context: every suite is put in it
                context.add_data_docs_site(DOCS_SITE, {
                    "class_name": "SiteBuilder",
                    "show_how_to_buttons": False,  # no "call to action" footer fixed over the tables (issue 14)
                    "store_backend": {"class_name": "TupleFilesystemStoreBackend",
                                      "base_directory": str(self.docs_dir)},
                    "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
                })
            self._made = (module, context)
        return self._made

    @property
    def module(self):
        return self._make()[0]

    @property
    def context(self):
        return self._make()[1]

    @property
    def source(self):
        if self._source is None:
            self._source = self.context.data_sources.add_pandas("pilotbook")
        return self._source


def _run(data_dir: Path, suites: list[dict], frames: dict[str, pd.DataFrame], read_errors: dict[str, str],
         params: dict[str, Any], docs_dir: Path | None, results_dir: Path | None = None) -> ValidationReport:
    gx = _GxSession(docs_dir)
    results: list[SuiteResult] = []
    locators: dict[str, Locate | None] = {}
    for suite in suites:
        meta = suite.get("meta", {})
        ds = DATASETS[meta["dataset"]]
        view = meta.get("view")
        file = str(ds.path(data_dir))
        if ds.name in read_errors:
            results.append(SuiteResult(ds.name, suite["name"], file, 0, [
                Finding(ds.name, file, ERROR, "the file must be readable as "
                        + ("a CSV table" if file.endswith(".csv") else "YAML of the documented shape"),
                        "read_file", [], samples=[read_errors[ds.name]], suite=suite["name"])]))
            continue
        frame = frames[ds.name]
        if view:
            try:
                frame = apply_view(view, frame, frames, params)
            except (KeyError, ValueError, TypeError) as err:
                results.append(SuiteResult(ds.name, suite["name"], file, 0, [
                    Finding(ds.name, file, ERROR, f"the '{view}' view must be computable", "view", [],
                            samples=[f"cannot reshape the file: {err!r} (is a column missing or mistyped?)"],
                            suite=suite["name"], view=view)]))
                continue
        body = {k: v for k, v in suite.items() if not k.startswith("_")}
        reads = {n: params[n] for n in sorted(set(_parameters(body["expectations"]))) if n in params}
        key = _suite_key(body, reads, frame)
        memo = _MEMO.get(key) or _load_result(results_dir, key)
        reused = memo is not None
        if reused:
            _remember(key, memo)
            if docs_dir is not None:
                _store_for_docs(gx.context, body, memo)
        else:
            from great_expectations.core.expectation_suite import ExpectationSuite

            context = gx.context
            gx_suite = context.suites.add(ExpectationSuite(**body))
            batch_def = gx.source.add_dataframe_asset(suite["name"]).add_batch_definition_whole_dataframe("all")
            definition = context.validation_definitions.add(
                gx.module.ValidationDefinition(name=suite["name"], data=batch_def, suite=gx_suite))
            outcome = definition.run(batch_parameters={"dataframe": frame}, expectation_parameters=reads,
                                     result_format="COMPLETE")
            failed = []
            for r in outcome.results:
                if not r.success:
                    exp = r.expectation_config.to_json_dict()
                    exp["severity"] = r.expectation_config.severity.value
                    failed.append((exp, r.result or {}))
            stored = [k for k in context.validation_results_store.list_keys()
                      if k.expectation_suite_identifier.name == suite["name"]]
            memo = _Memo(len(outcome.results), failed, outcome, stored[-1].batch_identifier)
            _remember(key, memo)
            _save_result(results_dir, key, memo, context)
        evaluated, failed, outcome = memo.evaluated, memo.failed, memo.outcome
        findings = []
        declared = {_rule_key(e): _parameters(e.get("kwargs", {})) for e in suite["expectations"]}
        for exp, result in failed:
            exp = exp | {"_parameters": declared.get(_rule_key(exp), [])}  # GX's copy has the values filled in
            if not view and ds.name in LOCATORS and ds.name not in locators:
                locators[ds.name] = _locator(ds.name, ds.path(data_dir))
            finding = _finding(ds, file, frame, view, exp, result, params, locators.get(ds.name))
            finding.suite, finding.view = suite["name"], view
            findings.append(finding)
        findings.sort(key=lambda f: (not f.is_error, f.columns, f.rule))
        results.append(SuiteResult(ds.name, suite["name"], file, evaluated, findings, outcome, reused))
    if docs_dir is not None:
        gx.context.build_data_docs(site_names=[DOCS_SITE])
    _mark_follow_ons(results, read_errors)
    _note_consequences_of_errors(results)
    return ValidationReport(data_dir, results)


# Where the rows of a YAML dataset come from (its table is flattened from the file's entries):
# module:function(path) -> (row, columns) -> line.
LOCATORS = {"fee_models": "pilotbook.io.fee_models:locate", "pilot_texts": "pilotbook.io.pilot_texts:locate",
            "edition": "pilotbook.io.edition:locate"}


def _locator(name: str, path: Path) -> Locate | None:
    import importlib

    module, _, function = LOCATORS[name].partition(":")
    try:
        return getattr(importlib.import_module(module), function)(path)
    except DataFileError:
        return None


# The expectation parameters and the dataset (and its columns) each is read from.  When that dataset
# cannot be read or breaks a rule on those columns, a rule of another file that reads the parameter
# fails for rows that are not wrong themselves: its findings follow from the root cause.
PARAMETER_SOURCES = {"pilot_ids": ("pilots", ("pilot_id",)),
                     "employment_codes": ("ura_codes", ("code_type", "code")),
                     "end_reasons": ("ura_codes", ("code_type", "code")),
                     "ura_statuses": ("ura_categories", ("dimension", "category")),
                     "survey_": ("survey_codebook", ("survey", "kind", "name", "code"))}  # survey_*: a prefix


def _source_of(parameter: str) -> tuple[str, tuple[str, ...]] | None:
    if parameter in PARAMETER_SOURCES:
        return PARAMETER_SOURCES[parameter]
    return next((v for k, v in PARAMETER_SOURCES.items() if k.endswith("_") and parameter.startswith(k)), None)


def _file_rank(dataset: str) -> int:
    """Findings of the files others refer to come first: pilots.csv, then the other parameter sources."""
    if dataset == "pilots":
        return 0
    return 1 if any(dataset == d for d, _ in PARAMETER_SOURCES.values()) else 2


def _mark_follow_ons(results: list[SuiteResult], read_errors: dict[str, str]) -> None:
    """Mark the findings that follow from an error in a file they take a parameter from (a malformed
    pilot id in pilots.csv makes every other file's rows with that pilot fail)."""
    broken: dict[str, str] = {}  # dataset -> its file name
    for s in results:
        for f in s.errors:
            for dataset, columns in PARAMETER_SOURCES.values():
                if f.dataset == dataset and (dataset in read_errors or set(f.columns) & set(columns)):
                    broken[dataset] = Path(f.file).name
    for s in results:
        for f in s.findings:
            sources = [_source_of(p) for p in f.parameters]
            cause = next((broken[src[0]] for src in sources if src and src[0] in broken and src[0] != f.dataset), "")
            f.follows_from = cause


def _note_consequences_of_errors(results: list[SuiteResult]) -> None:
    """A finding on a view (or a warning) whose rows also break an error rule of the file itself says so:
    a count of 10^12 starters makes every share of the pilot disagree, and the warnings would otherwise
    blame the report for it."""
    error_lines: dict[str, set[int]] = {}
    roots = set()
    for s in results:
        for f in s.errors:
            if not f.follows_from and not f.view:
                error_lines.setdefault(f.file, set()).update(f.lines())
                roots.add(id(f))
    mistyped = {(f.file, c) for s in results for f in s.errors
                if f.expectation == "expect_column_values_to_be_in_type_list" and f.rows for c in f.columns}
    for s in results:
        for f in s.findings:
            if id(f) in roots and f.expectation == "expect_column_values_to_be_in_type_list" or f.follows_from:
                continue
            typed = [c for file, c in mistyped if file == f.file and (c in f.columns or f.view)]
            shared = sorted(f.lines() & error_lines.get(f.file, set()))
            if typed:
                f.note = (f"column {typed[0]!r} holds a value that is not a number (see its type rule): "
                          "this may only follow from it; fix that first.")
            elif shared and id(f) not in roots:
                f.note = (f"line(s) {', '.join(map(str, shared))} also break a rule of the file itself (above); "
                          "this may only follow from that error: fix it first.")
