"""The pipeline's settings: ``pilotbook.toml`` at the project root, read here and nowhere else.

A build may override settings (``pilotbook build --min-cell 20``); it passes the overrides to the
notebooks it executes through the environment variable ``PILOTBOOK_SETTINGS`` (JSON), so a kernel
sees what its build saw, and it puts :func:`current` into every notebook's cache key.  A notebook
run alone with papermill reads the file's values.
"""

from __future__ import annotations

import json
import os
import tomllib
from dataclasses import asdict, dataclass, fields
from pathlib import Path

from pilotbook.errors import SettingsError
from pilotbook.paths import project_root

FILE_NAME = "pilotbook.toml"
ENV = "PILOTBOOK_SETTINGS"


@dataclass(frozen=True)
class Settings:
    """Every setting, flat: ``section.key`` in the file is ``key`` here."""

    min_cell: int
    seed_placements: int
    seed_survey: int
    seed_register: int
    agree_points: int
    min_expected: int
    confidence: float
    alpha: float
    power: float
    detect_difference: float
    tender_price_weights: tuple[float, ...]
    tender_quality: float
    tender_premiums_eur: tuple[float, ...]
    tender_quality_leads: tuple[float, ...]

    def as_dict(self) -> dict:
        return {k: (list(v) if isinstance(v, tuple) else v) for k, v in asdict(self).items()}


CHECKS = {
    "min_cell": lambda v: isinstance(v, int) and v >= 1,
    "confidence": lambda v: 0 < v < 1,
    "alpha": lambda v: 0 < v < 1,
    "power": lambda v: 0 < v < 1,
    "detect_difference": lambda v: 0 < v < 1,
    "tender_quality": lambda v: 0 <= v <= 1,
    "agree_points": lambda v: isinstance(v, int) and v >= 1,
    "min_expected": lambda v: v >= 0,
}


def settings_file(root: Path | None = None) -> Path:
    return (root or project_root()) / FILE_NAME


def _flatten(doc: dict, path: Path) -> dict:
    flat = {}
    for section, table in doc.items():
        if not isinstance(table, dict):
            raise SettingsError(f"{path}: '{section}' must be a [section] table of settings.")
        for key, value in table.items():
            flat[key] = value
    return flat


def _coerce(key: str, value, source: str):
    """The value in the type of its field, or a SettingsError naming where it came from."""
    types = {f.name: f.type for f in fields(Settings)}
    if key not in types:
        raise SettingsError(f"{source}: unknown setting '{key}'. Known settings: {', '.join(types)}.")
    kind = types[key]
    try:
        if kind.startswith("tuple"):
            items = json.loads(value) if isinstance(value, str) else value
            value = tuple(int(x) if float(x).is_integer() and not isinstance(x, float) else float(x) for x in items)
        elif kind == "int":
            if isinstance(value, float) and not value.is_integer():
                raise ValueError(value)
            value = int(value)
        elif kind == "float":
            value = float(value)
        else:
            value = str(value)
    except (TypeError, ValueError, json.JSONDecodeError):
        raise SettingsError(f"{source}: setting '{key}' must be {kind.replace('tuple[float, ...]', 'a list of numbers')}, "
                            f"got {value!r}.") from None
    check = CHECKS.get(key)
    if check and not check(value):
        raise SettingsError(f"{source}: setting '{key}' = {value!r} is out of range.")
    return value


def load(root: Path | None = None, overrides: dict | None = None) -> Settings:
    """The file's settings with ``overrides`` (and those of ``PILOTBOOK_SETTINGS``) applied."""
    path = settings_file(root)
    try:
        doc = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise SettingsError(f"{path}: the settings file is missing (it ships with the project).") from None
    except tomllib.TOMLDecodeError as err:
        raise SettingsError(f"{path}: not valid TOML ({err}).") from None
    values = {k: _coerce(k, v, str(path)) for k, v in _flatten(doc, path).items()}
    env = os.environ.get(ENV)
    if env:
        try:
            from_env = json.loads(env)
        except json.JSONDecodeError:
            raise SettingsError(f"environment variable {ENV} is not JSON: {env!r}") from None
        values |= {k: _coerce(k, v, ENV) for k, v in from_env.items()}
    values |= {k: _coerce(k, v, "command line") for k, v in (overrides or {}).items()}
    missing = [f.name for f in fields(Settings) if f.name not in values]
    if missing:
        raise SettingsError(f"{path}: settings missing: {', '.join(missing)}.")
    return Settings(**values)


def current() -> Settings:
    """The settings in force in this process."""
    return load()


def override(overrides: dict) -> Settings:
    """Apply ``overrides`` in this process and in every notebook kernel it starts; returns the result."""
    checked = load(overrides=overrides)
    base = load_file_only()
    changed = {k: v for k, v in checked.as_dict().items() if v != base.as_dict()[k]}
    if changed:
        os.environ[ENV] = json.dumps(changed, sort_keys=True)
    else:
        os.environ.pop(ENV, None)
    return checked


def load_file_only(root: Path | None = None) -> Settings:
    saved = os.environ.pop(ENV, None)
    try:
        return load(root)
    finally:
        if saved is not None:
            os.environ[ENV] = saved


def parse_assignment(text: str) -> tuple[str, str]:
    """``section.key=value`` or ``key=value`` from ``--set``."""
    if "=" not in text:
        raise SettingsError(f"--set {text!r}: write it as key=value, e.g. --set disclosure.min_cell=20")
    key, value = text.split("=", 1)
    key = key.strip().rpartition(".")[2]
    value = value.strip()
    try:
        parsed = json.loads(value)
    except json.JSONDecodeError:
        parsed = value
    return key, parsed
