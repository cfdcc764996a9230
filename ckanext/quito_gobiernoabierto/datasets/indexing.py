"""What the search index receives for the Quito types (engine-independent).

CKAN indexes the stored dataset, where scheming keeps a multiple-choice
field as JSON text (``'["a", "b"]'``); the index gets the list itself, so
each value is its own facet item and filter term, with Solr or the embedded
engine alike. A list field is recognised by its validators or, for a field
filled by the type's own code, by ``quito_multiple: true`` in the schema.
"""
from __future__ import annotations

import json

MULTIPLE_MARKERS = ("scheming_multiple_choice", "scheming_multiple_text", "quito_multiple_choice")


def multiple_fields(schema: dict) -> list[str]:
    out = []
    for field in schema.get("dataset_fields", []):
        validators = field.get("validators", "") or ""
        if field.get("quito_multiple") or any(marker in validators for marker in MULTIPLE_MARKERS):
            out.append(field["field_name"])
    return out


def _as_list(value):
    if isinstance(value, str) and value.startswith("["):
        try:
            parsed = json.loads(value)
        except ValueError:
            return value
        if isinstance(parsed, list):
            return [str(v) for v in parsed]
    return value


def expand_multiple_values(pkg_dict: dict, schema: dict) -> dict:
    for name in multiple_fields(schema):
        if name in pkg_dict:
            pkg_dict[name] = _as_list(pkg_dict[name])
    return pkg_dict
