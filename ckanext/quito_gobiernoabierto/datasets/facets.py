"""Search facets of each dataset type, declared in its schema.

A schema lists its facets as ``quito_facets``: field names of the search
index (``organization``, ``tags``, ``res_format``, ``license_id``,
``dataset_type`` or any of its own fields). A facet's title is the label of
the field of that name in the schema, or CKAN's usual title for core facets.
"""
from __future__ import annotations

from collections import OrderedDict
from typing import Optional

import ckan.plugins.toolkit as tk

#: Facets of the catalogue-wide search (/dataset shows every type).
DEFAULT_FACETS = ["dataset_type", "organization", "theme", "tags", "res_format", "license_id"]


def core_titles() -> dict:
    return {
        "dataset_type": tk._("Type of publication"),
        "organization": tk._("Organizations"),
        "groups": tk._("Groups"),
        "tags": tk._("Tags"),
        "res_format": tk._("Formats"),
        "license_id": tk._("Licenses"),
    }


def _label(schema: dict, name: str) -> Optional[str]:
    for field in schema.get("dataset_fields", []):
        if field["field_name"] == name:
            return tk.h.scheming_language_text(field.get("label", name))
    return None


def facets_for(schema: Optional[dict], package_type: str) -> "OrderedDict[str, str]":
    names = (schema or {}).get("quito_facets") or DEFAULT_FACETS
    if package_type != "dataset":
        names = [n for n in names if n != "dataset_type"]
    titles = core_titles()
    out: OrderedDict[str, str] = OrderedDict()
    for name in names:
        out[name] = titles.get(name) or _label(schema or {}, name) or name
    return out
