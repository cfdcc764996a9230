"""Human labels for facet values and dataset types.

Facet items carry the stored value (``a1``, ``trolebus``, ``lotaip``); the
search page shows the label of that value from the schema's choices, in the
user's language.
"""
from __future__ import annotations

from typing import Optional

import ckan.plugins.toolkit as tk


def _choices(field: dict) -> list:
    if "choices" in field:
        return field["choices"]
    if "choices_helper" in field:
        return tk.h.scheming_field_choices(field) or []
    return []


def field_value_labels(schema: dict, field_name: str) -> dict:
    for field in schema.get("dataset_fields", []):
        if field["field_name"] == field_name:
            return {str(c["value"]): tk.h.scheming_language_text(c["label"]) for c in _choices(field)}
    return {}


def type_label(dataset_type: str) -> str:
    schema = tk.h.scheming_get_dataset_schema(dataset_type) or {}
    return tk.h.scheming_language_text(schema.get("quito_label") or dataset_type)


def label_facet_items(search_results: dict, schema_of) -> dict:
    """Give facet items of choice fields their translated labels."""
    for name, facet in (search_results.get("search_facets") or {}).items():
        labels = _labels_for(name, schema_of)
        for item in facet.get("items", []):
            label = labels.get(str(item.get("name")))
            if label:
                item["display_name"] = label
    return search_results


#: Labels of a facet's values, by (facet, language): (the schemas they were
#: read from, the labels). Every search page labels every facet, and reading
#: the choices of every schema again cost ~6 ms a page; choices given by a
#: helper (which may change) are never kept.
_kept: dict = {}


def _labels_for(name: str, schema_of) -> dict:
    schemas = tk.h.scheming_dataset_schemas() or {}
    key = (name, _language())
    kept = _kept.get(key) if key[1] else None
    if kept is not None and kept[0] is schemas:
        return kept[1]
    if name == "dataset_type":
        labels, fixed = {t: type_label(t) for t in schemas}, True
    else:
        labels, fixed = _choice_labels(schemas, name)
    if fixed and key[1] and labels:  # a name no schema has (an API caller's) is never kept
        _kept[key] = (schemas, labels)
    return labels


def _language() -> Optional[str]:
    """The request's language; None outside a request (nothing kept then)."""
    try:
        return tk.h.lang()
    except (RuntimeError, TypeError):
        return None


def _choice_labels(schemas: dict, name: str) -> tuple[dict, bool]:
    """The labels of a field's choices in every schema, and whether they are
    all fixed in the schemas (no ``choices_helper``)."""
    out: dict = {}
    fixed = True
    for schema in schemas.values():
        fixed = fixed and not any(f["field_name"] == name and "choices_helper" in f
                                  for f in schema.get("dataset_fields", []))
        for value, label in field_value_labels(schema, name).items():
            out.setdefault(value, label)
    return out, fixed


def schema_of(dataset_type: Optional[str]) -> Optional[dict]:
    return tk.h.scheming_get_dataset_schema(dataset_type or "dataset")


def plural_label(dataset_type: str) -> str:
    schema = tk.h.scheming_get_dataset_schema(dataset_type) or {}
    return tk.h.scheming_language_text(schema.get("quito_label_plural") or schema.get("quito_label") or dataset_type)


def _phrases() -> dict:
    return {
        "add link": tk._("Add {object}"),
        "create label": tk._("Create {object}"),
        "create title": tk._("Create {object}"),
        "edit label": tk._("Edit {object}"),
        "save label": tk._("Save {object}"),
        "update label": tk._("Update {object}"),
        "form label": tk._("{object} form"),
        "search placeholder": tk._("Search {objects}..."),
        "view label": tk._("View {objects}"),
        "my label": tk._("My {objects}"),
        "no any objects": tk._("No {objects} yet"),
    }


PLURAL_PURPOSES = ("breadcrumb", "content tab", "facet label", "main nav", "page title")


@tk.chained_helper
def humanize_entity_type(next_helper, entity_type: str, object_type: str, purpose: str):
    """Names of the Quito dataset types in page texts ("Agregar Sesión del Concejo")."""
    schemas = tk.h.scheming_dataset_schemas() or {}
    if entity_type != "package" or object_type == "dataset" or object_type not in schemas:
        return next_helper(entity_type, object_type, purpose)
    if purpose in PLURAL_PURPOSES:
        return plural_label(object_type)
    phrase = _phrases().get(purpose)
    if phrase is None:
        return type_label(object_type)
    return phrase.format(object=type_label(object_type), objects=plural_label(object_type))


def quito_dataset_type_label(dataset_type: str) -> str:
    return type_label(dataset_type)


HELPERS = {"humanize_entity_type": humanize_entity_type, "quito_dataset_type_label": quito_dataset_type_label}
