"""What the Quito profile needs to know about a dataset type's schema.

Schemas come from ckanext-scheming when it is loaded (the expanded schema,
presets applied); without it (plain scripts) they are composed from the YAML
files of the package, which carry the same field names, presets and choices.
"""
from __future__ import annotations

import functools
import os
import re
from typing import Optional

import ckan.plugins.toolkit as tk

from ckanext.quito_gobiernoabierto import package_path
from ckanext.quito_gobiernoabierto.datasets import compose

UPSTREAM_SCHEMA = "ckanext.dcat.schemas:dcat_ap_full.yaml"
OWN_SCHEMA = "ckanext.quito_gobiernoabierto.schemas:datasets/{}.yaml"
#: Dataset fields of ckanext-dcat's schema that its profiles do not write
#: (its parser fills ``homepage`` with the site URL when the graph has none).
NOT_WRITTEN_UPSTREAM = {"name", "owner_org", "homepage"}
#: Dataset fields this profile maps to standard terms itself.
MAPPED_HERE = {"owner_org"}
MULTIPLE_PRESETS = {"multiple_select", "multiple_checkbox", "multiple_text"}


@functools.lru_cache(maxsize=1)
def upstream_fields() -> tuple[frozenset, frozenset]:
    """Names of the dataset and resource fields ckanext-dcat's profiles write."""
    schema = compose.load_module_path(UPSTREAM_SCHEMA)
    dataset = frozenset(f["field_name"] for f in schema["dataset_fields"]) - NOT_WRITTEN_UPSTREAM
    return dataset, frozenset(f["field_name"] for f in schema["resource_fields"])


def dataset_schema(dataset_type: str) -> Optional[dict]:
    """The schema of a dataset type, or None if the type is unknown."""
    try:
        show = tk.get_action("scheming_dataset_schema_show")
    except KeyError:
        return _yaml_schema(dataset_type)
    try:
        return show({}, {"type": dataset_type})
    except tk.ObjectNotFound:
        return None


@functools.lru_cache(maxsize=32)
def _yaml_schema(dataset_type: str) -> Optional[dict]:
    # The type may come from a parsed graph: a plain name, never a path.
    if not re.fullmatch(r"[a-z0-9_-]+", dataset_type or ""):
        return None
    if not os.path.exists(package_path("schemas", "datasets", f"{dataset_type}.yaml")):
        return None
    return compose.compose(compose.load_module_path(OWN_SCHEMA.format(dataset_type)))


def own_fields(schema: Optional[dict], entity: str = "dataset") -> list[dict]:
    """The fields of ``entity`` ("dataset" or "resource") that this profile
    writes under its own namespace: those ckanext-dcat does not write."""
    if not schema:
        return []
    dataset_names, resource_names = upstream_fields()
    upstream = dataset_names if entity == "dataset" else resource_names
    return [f for f in schema.get(f"{entity}_fields", [])
            if f["field_name"] not in upstream and f["field_name"] not in MAPPED_HERE]


def is_repeating(field: dict) -> bool:
    return bool(field.get("repeating_subfields"))


def is_multiple(field: dict) -> bool:
    validators = f"{field.get('validators', '')} {field.get('output_validators', '')}"
    return field.get("preset") in MULTIPLE_PRESETS or "scheming_multiple_" in validators


def choice_order(field: dict) -> list[str]:
    return [str(c.get("value")) for c in field.get("choices") or []]


def choice_label(schema: Optional[dict], field_name: str, value: str) -> Optional[str]:
    for field in (schema or {}).get("dataset_fields", []):
        if field["field_name"] == field_name:
            for choice in field.get("choices") or []:
                if str(choice.get("value")) == value:
                    return choice.get("label")
    return None


def year_fields(schema: Optional[dict]) -> list[str]:
    """Required year fields: the year a publication covers (``fiscal_year``...)."""
    return [f["field_name"] for f in (schema or {}).get("dataset_fields", [])
            if f.get("preset") == "quito_required_year"]


def has_field(schema: Optional[dict], field_name: str, entity: str = "dataset") -> bool:
    return any(f["field_name"] == field_name for f in (schema or {}).get(f"{entity}_fields", []))
