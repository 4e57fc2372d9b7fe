"""The fee models (``fee_models.yaml``): read, checked against their JSON Schema, and flattened
into one row per component for the GX contract.  The engine that prices them is
:mod:`pilotbook.analysis.fees`."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Callable

import pandas as pd

from pilotbook.errors import DataFileError
from pilotbook.io import own_rows
from pilotbook.io.readers import node_line, read_yaml, yaml_tree, yaml_tree_and_document
from pilotbook.paths import INSTALL_ROOT

SCHEMA = INSTALL_ROOT / "data_contracts" / "fee_models.schema.json"


def _place(doc: dict, keys: list) -> str:
    """'pilot hame-50plus, component result_fixed_3m, amount_eur' for a path into the document."""
    models = doc.get("models") if isinstance(doc, dict) else None
    if len(keys) < 2 or keys[0] != "models" or not isinstance(models, list) or not isinstance(keys[1], int) \
            or keys[1] >= len(models):
        return "/".join(map(str, keys)) or "the top level"
    model = models[keys[1]]
    pilot = model.get("pilot_id") if isinstance(model, dict) else None
    words = [f"pilot {pilot}" if pilot else f"model {keys[1] + 1} under 'models:' (it has no pilot_id)"]
    rest = keys[2:]
    components = model.get("components") if isinstance(model, dict) else None
    if len(rest) >= 2 and rest[0] == "components" and isinstance(components, list) and isinstance(rest[1], int) \
            and rest[1] < len(components):
        component = components[rest[1]]
        cid = component.get("id") if isinstance(component, dict) else None
        words.append(f"component {cid}" if cid else f"component {rest[1] + 1} (it has no id)")
        rest = rest[2:]
    if rest:
        words.append(".".join(map(str, rest)))
    return ", ".join(words)


def where(path: Path, doc: dict, keys: list, tree=None) -> str:
    """'line 655 (pilot hame-50plus, component result_fixed_3m, amount_eur)': where ``keys`` lead in the file."""
    line = node_line(tree if tree is not None else yaml_tree(path), keys)
    return f"line {line} ({_place(doc, keys)})" if line else _place(doc, keys)


def check_schema(doc: dict, path: Path) -> None:
    """Refuse a fee_models.yaml whose structure breaks the JSON Schema, naming the line and the pilot."""
    import json

    import jsonschema

    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    errors = sorted(jsonschema.Draft202012Validator(schema).iter_errors(doc), key=lambda e: list(e.path))
    if errors:
        tree = yaml_tree(path)
        lines = [f"  {where(path, doc, list(e.path), tree)}: {e.message}" for e in errors[:5]]
        if len(errors) > 5:
            lines.append(f"  ... and {len(errors) - 5} more")
        raise DataFileError(f"{path}: the fee models break their schema (data_contracts/fee_models.schema.json):\n"
                            + "\n".join(lines))


def load_models(path: Path, pilot_id: str | None = None) -> dict[str, dict]:
    """pilot_id -> model, from a fee_models.yaml (structure checked against its JSON Schema); with
    ``pilot_id``, that pilot's model only."""
    doc = read_yaml(path)
    check_schema(doc, path)  # the whole file: a schema may require what one pilot's cut lacks
    whole = doc
    if pilot_id is not None:
        doc = own_rows.yaml_doc(doc, pilot_id)
    models = {}
    for m in doc["models"]:
        if m["pilot_id"] in models:
            i = [n for n, x in enumerate(whole["models"]) if x.get("pilot_id") == m["pilot_id"]]
            tree = yaml_tree(path)
            lines = " and ".join(str(node_line(tree, ["models", n])) for n in i)
            raise DataFileError(f"{path}: lines {lines}: pilot {m['pilot_id']} has two fee models; keep one.")
        check_includes(m, path, whole)
        models[m["pilot_id"]] = m
    return models


def check_includes(model: dict, path: Path, doc: dict | None = None) -> None:
    """Refuse a result tier whose ``includes`` names anything but a fixed component of its own model."""
    def at(c: dict) -> str:
        if doc is None:
            return f"pilot {model['pilot_id']}, component {c['id']}"
        i = next(n for n, x in enumerate(doc["models"]) if x is model or x.get("pilot_id") == model["pilot_id"])
        j = next(n for n, x in enumerate(model["components"]) if x is c)
        return where(path, doc, ["models", i, "components", j, "includes"])

    fixed = {c["id"] for c in model.get("components") or [] if c.get("kind") == "fixed"}
    for c in model.get("components") or []:
        wrong = [cid for cid in c.get("includes") or [] if cid not in fixed]
        if wrong and c.get("kind") == "result":
            raise DataFileError(f"{path}: {at(c)}: includes {wrong}, which are not fixed "
                                "components of the same model.")
        if c.get("includes") and c.get("kind") != "result":
            raise DataFileError(f"{path}: {at(c)}: only a result tier can include fixed "
                                "components (includes).")


# Where a column of components_table stands in a model or a component of fee_models.yaml.
MODEL_FIELDS = {"pilot_id": ("pilot_id",), "status": ("status",), "basis": ("basis",), "price_low": ("price", "low"),
                "price_high": ("price", "high"), "price_weight_pct": ("procurement", "price_weight_pct"),
                "cap": ("cap", "max_paid_outcomes"), "hourly_rate_eur": ("hourly_rate_eur",)}
COMPONENT_FIELDS = {"component": ("id",), "has_amount": (), "outcome_kind": ("outcome", "kind"),
                    "min_months": ("outcome", "min_months"),
                    "min_hours_per_week": ("outcome", "min_hours_per_week"),
                    "business_min_age_months": ("outcome", "business_min_age_months")}


def locate(path: Path) -> Callable[[dict, list[str]], int | None]:
    """For messages: the line of fee_models.yaml a row of :func:`components_table` (``pilot_id``,
    ``component``) comes from; with the columns a rule reads, the line of that field."""
    tree, doc = yaml_tree_and_document(path)
    places: dict[tuple, list] = {}
    for i, m in enumerate((doc if isinstance(doc, dict) else {}).get("models") or []):
        if not isinstance(m, dict):
            continue
        places.setdefault((m.get("pilot_id"), None), ["models", i])
        for j, c in enumerate(m.get("components") or []):
            if isinstance(c, dict):
                places.setdefault((m.get("pilot_id"), c.get("id")), ["models", i, "components", j])

    def line(row: dict, columns: list[str]) -> int | None:
        component = row.get("component")
        component = None if component is None or component != component else component
        keys = places.get((row.get("pilot_id"), component)) or places.get((row.get("pilot_id"), None))
        if keys is None:
            return None
        column = next((c for c in columns if c in MODEL_FIELDS or c in COMPONENT_FIELDS or c in row), None)
        if column in MODEL_FIELDS:
            keys = keys[:2] + list(MODEL_FIELDS[column])
        elif column is not None and len(keys) > 2:
            keys = keys + list(COMPONENT_FIELDS.get(column, (column,)))
        return node_line(tree, keys)

    return line


def price_range(model: dict) -> tuple[float, float] | None:
    price = model.get("price") or {}
    if price.get("low") is None:
        return None
    return float(price["low"]), float(price.get("high") or price["low"])


def components_table(models: dict[str, dict]) -> pd.DataFrame:
    """Every component of every model, one row each (what the fee_models contract validates)."""
    rows: list[dict[str, Any]] = []
    for pilot_id, m in models.items():
        rng = price_range(m)
        base = {"pilot_id": pilot_id, "status": m.get("status"), "basis": m.get("basis"),
                "price_low": rng[0] if rng else None, "price_high": rng[1] if rng else None,
                "price_weight_pct": (m.get("procurement") or {}).get("price_weight_pct"),
                "cap": (m.get("cap") or {}).get("max_paid_outcomes"),
                "hourly_rate_eur": m.get("hourly_rate_eur")}
        comps = m.get("components") or []
        if not comps:
            rows.append(base | {"component": None})
        for c in comps:
            o = c.get("outcome") or {}
            rows.append(base | {
                "component": c.get("id"), "label_en": c.get("label_en"), "kind": c.get("kind"),
                "trigger": c.get("trigger"), "only_without_result": bool(c.get("only_without_result", False)),
                "amount_eur": c.get("amount_eur"), "share_of_price": c.get("share_of_price"),
                "includes": ";".join(c.get("includes") or []) or None,
                "has_amount": c.get("amount_eur") is not None or c.get("share_of_price") is not None,
                "outcome_kind": o.get("kind"), "min_months": o.get("min_months"),
                "min_hours_per_week": o.get("min_hours_per_week"),
                "business_min_age_months": o.get("business_min_age_months"),
                "source": c.get("source"), "ref_line": c.get("ref_line"),
                "inferred": bool(c.get("inferred", False)), "inference_note": c.get("inference_note") or None,
            })
    return pd.DataFrame(rows)
