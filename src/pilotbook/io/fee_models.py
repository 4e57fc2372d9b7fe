"""The fee models (``fee_models.yaml``): read, checked against their JSON Schema, and flattened
into one row per component for the GX contract.  The engine that prices them is
:mod:`pilotbook.analysis.fees`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from pilotbook.errors import DataFileError
from pilotbook.io import own_rows
from pilotbook.io.readers import read_yaml
from pilotbook.paths import INSTALL_ROOT

SCHEMA = INSTALL_ROOT / "data_contracts" / "fee_models.schema.json"


def check_schema(doc: dict, path: Path) -> None:
    """Refuse a fee_models.yaml whose structure breaks the JSON Schema, naming the place."""
    import json

    import jsonschema

    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    errors = sorted(jsonschema.Draft202012Validator(schema).iter_errors(doc), key=lambda e: list(e.path))
    if errors:
        lines = [f"  at {'/'.join(map(str, e.path)) or '(top)'}: {e.message}" for e in errors[:5]]
        raise DataFileError(f"{path}: the fee models break their schema (data_contracts/fee_models.schema.json):\n"
                            + "\n".join(lines))


def load_models(path: Path, pilot_id: str | None = None) -> dict[str, dict]:
    """pilot_id -> model, from a fee_models.yaml (structure checked against its JSON Schema); with
    ``pilot_id``, that pilot's model only."""
    doc = read_yaml(path)
    check_schema(doc, path)  # the whole file: a schema may require what one pilot's cut lacks
    if pilot_id is not None:
        doc = own_rows.yaml_doc(doc, pilot_id)
    models = {}
    for m in doc["models"]:
        if m["pilot_id"] in models:
            raise DataFileError(f"{path}: two models for pilot_id {m['pilot_id']!r}.")
        check_includes(m, path)
        models[m["pilot_id"]] = m
    return models


def check_includes(model: dict, path: Path) -> None:
    """Refuse a result tier whose ``includes`` names anything but a fixed component of its own model."""
    fixed = {c["id"] for c in model.get("components") or [] if c.get("kind") == "fixed"}
    for c in model.get("components") or []:
        wrong = [cid for cid in c.get("includes") or [] if cid not in fixed]
        if wrong and c.get("kind") == "result":
            raise DataFileError(f"{path}: {model['pilot_id']}/{c['id']}: includes {wrong}, which are not fixed "
                                "components of the same model.")
        if c.get("includes") and c.get("kind") != "result":
            raise DataFileError(f"{path}: {model['pilot_id']}/{c['id']}: only a result tier can include fixed "
                                "components (includes).")


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
