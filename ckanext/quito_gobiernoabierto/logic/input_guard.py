"""Shape checks run before CKAN's dataset and resource actions.

CKAN core and ckanext-scheming assume each field holds the JSON type its
validators expect; a client that sends a list where a text goes, an object
where a list of objects goes, a NUL character or half a UTF-16 surrogate pair
reaches code that fails with an exception (an answer 500), or the database,
whose B-tree indexes refuse values over ~2.7 kB. These chained actions turn
every such input into a validation error (409) naming the field, before the
core action runs: nothing is written.

What each field accepts comes from the type's scheming schema: repeating
subfields take a list of objects, multiple-value fields (``multiple_select``,
``multiple_text``, tags) a text or a list of texts, JSON and ignored fields
anything, every other field a text, a number or a boolean.
"""
from __future__ import annotations

import math
import re
from typing import Any, Optional

import ckan.model as model
import ckan.plugins.toolkit as tk
from ckan.lib.search import SearchQueryError

from ckanext.quito_gobiernoabierto.storable import storable

LIST_VALIDATORS = {"scheming_multiple_choice", "scheming_multiple_text", "scheming_multiple_checkbox",
                   "quito_multiple_choice", "tag_string_convert"}
FREE_VALIDATORS = {"ignore", "scheming_load_json", "quito_geometry"}

#: Core fields read as strings (database keys, lookups, ``.lower()``...).
DATASET_TEXT = ("id", "name", "type", "state", "owner_org", "license_id")
RESOURCE_TEXT = ("id", "package_id", "url", "format", "mimetype", "url_type", "resource_type")
#: Core lists of objects besides the schema's repeating fields, and their keys' kinds.
DATASET_ITEMS = {"tags": {"id": "text", "name": "text", "vocabulary_id": "text"},
                 "extras": {"key": "text", "value": "scalar"},
                 "groups": {"id": "text", "name": "text"}}

#: Characters at most, for values in B-tree or GIN indexes (4 bytes a character
#: at worst stays under PostgreSQL's 2704-byte limit) and short identifiers.
DATASET_MAX = {"title": 500, "state": 100, "type": 100, "license_id": 100}
RESOURCE_MAX = {"url": 2000, "format": 100, "mimetype": 100, "url_type": 100, "resource_type": 100}
#: UTF-8 bytes at most for long indexed values (the resource address).
INDEX_MAX_BYTES = 2600
BIGINT_MAX = 2 ** 63 - 1
#: The states CKAN gives a dataset (any other would hide it without a word).
STATES = ("active", "draft", "deleted", "pending")


def _text_expected() -> str:
    return tk._("A text is expected here.")


def _scalar_expected() -> str:
    return tk._("A text or a number is expected here, not a list or an object.")


def _items_expected() -> str:
    return tk._("A list of objects is expected here.")


def _texts_expected() -> str:
    return tk._("A text or a list of texts is expected here.")


def _bad_characters() -> str:
    return tk._("The text contains characters that are not allowed (NUL or an unpaired surrogate).")


# -- field kinds -------------------------------------------------------------------------------

def field_kind(field: dict) -> str:
    """``items``, ``list``, ``free`` or ``scalar`` (see the module's docstring)."""
    if "repeating_subfields" in field:
        return "items"
    words = set(re.findall(r"[A-Za-z_]+", field.get("validators") or ""))
    if words & FREE_VALIDATORS:
        return "free"
    if words & LIST_VALIDATORS:
        return "list"
    return "scalar"


def _is_container(value: Any) -> bool:
    return isinstance(value, (dict, list, tuple))


def _blank(value: Any) -> bool:
    return value is None or value == ""


def _value_errors(value: Any, kind: str) -> list:
    if kind == "scalar" and _is_container(value):
        return [_scalar_expected()]
    if kind == "list" and not (isinstance(value, str) or _blank(value) or (
            isinstance(value, (list, tuple)) and all(isinstance(v, str) for v in value))):
        return [_texts_expected()]
    if kind == "text" and not (isinstance(value, str) or value is None):
        return [_text_expected()]
    return []


def _length_errors(value: Any, limit: Optional[int]) -> list:
    if not isinstance(value, str) or limit is None:
        return []
    if len(value) > limit:
        return [tk._("Too long: at most {max} characters.").format(max=limit)]
    if len(value.encode("utf-8", "surrogatepass")) > INDEX_MAX_BYTES:
        return [tk._("Too long: at most {max} bytes in UTF-8.").format(max=INDEX_MAX_BYTES)]
    return []


# -- checking a dict against its fields ----------------------------------------------------------

def _check_items(value: Any, fields: Optional[list], kinds: dict):
    """A list of objects (not null), each checked against its ``fields`` and ``kinds``."""
    if not isinstance(value, (list, tuple)) or not all(isinstance(v, dict) for v in value):
        return [_items_expected()]
    found = [check_object(v, fields, kinds) for v in value]
    return found if any(found) else None


def check_object(data: dict, fields: Optional[list], kinds: dict = None, limits: dict = None) -> dict:
    """Errors of one object (dataset, resource or repeating item), by field name."""
    kinds, limits = kinds or {}, limits or {}
    errors: dict = {}
    by_name = {f["field_name"]: f for f in fields or []}
    for key, value in data.items():
        if not isinstance(key, str):
            continue
        field = by_name.get(key)
        kind = kinds.get(key) or (field_kind(field) if field else "free")
        if kind == "items":
            if field:
                found = _check_items(value, field.get("repeating_subfields"), {})
            else:
                found = _check_items(value, None, DATASET_ITEMS.get(key, {}))
        else:
            found = _value_errors(value, kind) or _length_errors(value, limits.get(key)) or None
        if found:
            errors[key] = found
    return errors


def bad_values(value: Any) -> Any:
    """Where ``value`` holds a string PostgreSQL cannot store, a number JSON
    cannot carry (NaN, infinity) or a list mixing objects with other values
    (which CKAN cannot flatten), as an error tree."""
    if isinstance(value, str):
        return None if storable(value) else [_bad_characters()]
    if isinstance(value, float) and not math.isfinite(value):
        return [tk._("NaN and infinite numbers are not accepted.")]
    if isinstance(value, dict):
        found = {}
        for key, item in value.items():
            name = key if isinstance(key, str) and not bad_values(key) else "__key"
            inner = [_bad_characters()] if name == "__key" else bad_values(item)
            if inner:
                found[name] = inner
        return found or None
    if isinstance(value, (list, tuple)):
        if any(isinstance(v, dict) for v in value) and not all(isinstance(v, dict) for v in value):
            return [_items_expected()]
        found = [bad_values(v) or {} for v in value]
        return found if any(found) else None
    return None


def _integer_errors(value: Any) -> list:
    """A database ``bigint`` (the resource's ``size``)."""
    try:
        number = int(value) if isinstance(value, (int, str)) and not isinstance(value, bool) else None
    except ValueError:
        return []  # CKAN's int_validator names the problem
    if number is not None and abs(number) > BIGINT_MAX:
        return [tk._("The number is out of range.")]
    return []


def check_resource(data: dict, schema: Optional[dict]) -> dict:
    kinds = dict.fromkeys(RESOURCE_TEXT, "text")
    errors = check_object(data, (schema or {}).get("resource_fields"), kinds, RESOURCE_MAX)
    if "size" not in errors and (found := _integer_errors(data.get("size"))):
        errors["size"] = found
    return errors


def check_dataset(data: dict, schema: Optional[dict]) -> dict:
    kinds = {**dict.fromkeys(DATASET_TEXT, "text"), **dict.fromkeys(DATASET_ITEMS, "items"),
             "resources": "items", "private": "free"}
    errors = check_object(data, (schema or {}).get("dataset_fields"), kinds, DATASET_MAX)
    if not isinstance(data.get("private"), (bool, str, type(None))):
        errors["private"] = [tk._("Use true or false.")]
    if "state" not in errors and data.get("state") not in (None, "", *STATES):
        errors["state"] = [tk._("The state must be one of {states}.").format(states=", ".join(STATES))]
    resources = data.get("resources")
    if "resources" not in errors and isinstance(resources, (list, tuple)):
        found = [check_resource(r, schema) for r in resources]
        if any(found):
            errors["resources"] = found
    return errors


# -- the dataset type of a request -----------------------------------------------------------------

def _schema(dataset_type: Any) -> Optional[dict]:
    from ckanext.scheming.helpers import scheming_get_dataset_schema

    return scheming_get_dataset_schema(dataset_type) if isinstance(dataset_type, str) else None


def _stored_type(model_class, key: Any) -> Optional[str]:
    """The dataset type of a stored dataset or resource, by id or name."""
    if not isinstance(key, str) or not key:
        return None
    found = model_class.get(key)
    if found is None:
        return None
    package = found if model_class is model.Package else found.package
    return package.type if package is not None else None


def _raise(errors: dict) -> None:
    if errors:
        if "tags" in errors:
            errors["tags"] = _tag_errors(errors["tags"])
        raise tk.ValidationError(errors)


def _tag_errors(found: list) -> list:
    """Tag errors as CKAN's ValidationError reads them: one object per tag."""
    if all(isinstance(item, str) for item in found):
        return [{"name": found}]
    return [item if isinstance(item, dict) else {"name": item} for item in found]


def guard_dataset(data_dict: Any, stored_id_key: Optional[str] = None) -> None:
    if not isinstance(data_dict, dict):
        return
    _raise(bad_values(data_dict) or {})
    dataset_type = data_dict.get("type")
    if not isinstance(dataset_type, str) or not dataset_type:
        stored = _stored_type(model.Package, data_dict.get(stored_id_key)) if stored_id_key else None
        dataset_type = stored or "dataset"
    _raise(check_dataset(data_dict, _schema(dataset_type)))


def guard_resource(data_dict: Any, parent: str) -> None:
    """``parent``: the key naming the dataset (``package_id``) or the resource (``id``)."""
    if not isinstance(data_dict, dict):
        return
    _raise(bad_values(data_dict) or {})
    model_class = model.Package if parent == "package_id" else model.Resource
    key = data_dict.get(parent)
    errors = {parent: [_text_expected()]} if key is not None and not isinstance(key, str) else {}
    _raise(errors or check_resource(data_dict, _schema(_stored_type(model_class, key))))


# -- chained actions -----------------------------------------------------------------------------

#: CKAN 2.11's message for an upload over ``ckan.max_resource_size`` (ckan/lib/uploader.py), not translatable.
UPLOAD_TOO_LARGE = "File upload too large"


def _run(original_action, context, data_dict):
    """The core action, its untranslated upload-size error given in the user's language."""
    try:
        return original_action(context, data_dict)
    except tk.ValidationError as error:
        if (error.error_dict or {}).get("upload") != [UPLOAD_TOO_LARGE]:
            raise
        from ckan.lib.uploader import get_max_resource_size

        raise tk.ValidationError({"upload": [tk._(
            "The file is larger than {max} MB, the most the portal accepts.").format(max=get_max_resource_size())]})


@tk.chained_action
def package_create(original_action, context, data_dict):
    guard_dataset(data_dict)
    return _run(original_action, context, data_dict)


@tk.chained_action
def package_update(original_action, context, data_dict):
    guard_dataset(data_dict, stored_id_key="id")
    return _run(original_action, context, data_dict)


@tk.chained_action
def package_patch(original_action, context, data_dict):
    guard_dataset(data_dict, stored_id_key="id")
    return _run(original_action, context, data_dict)


@tk.chained_action
def resource_create(original_action, context, data_dict):
    guard_resource(data_dict, "package_id")
    return _run(original_action, context, data_dict)


@tk.chained_action
def resource_update(original_action, context, data_dict):
    guard_resource(data_dict, "id")
    return _run(original_action, context, data_dict)


@tk.chained_action
def resource_patch(original_action, context, data_dict):
    guard_resource(data_dict, "id")
    return _run(original_action, context, data_dict)


#: ``package_search`` flags CKAN core reads with ``asbool`` without validating them.
SEARCH_FLAGS = ("include_private", "include_drafts", "include_deleted", "use_default_schema")
#: Counts CKAN core's ``natural_number_validator`` compares before knowing they are numbers.
SEARCH_COUNTS = ("rows", "start", "facet.mincount")
WHOLE_NUMBER = re.compile(r"\s*[+-]?\d+\s*")


def _whole_number(value: Any) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, float):
        return math.isfinite(value) and value.is_integer()
    return isinstance(value, int) or (isinstance(value, str) and bool(WHOLE_NUMBER.fullmatch(value)))


def search_errors(data_dict: dict) -> dict:
    errors = {}
    for key in (k for k in SEARCH_FLAGS if k in data_dict):
        try:
            tk.asbool(data_dict[key])
        except ValueError:
            errors[key] = [tk._("Use true or false.")]
    for key in (k for k in SEARCH_COUNTS if k in data_dict):
        blank_rows = key == "rows" and data_dict[key] in (None, "")
        if not blank_rows and not _whole_number(data_dict[key]):
            errors[key] = [tk._("A whole number is expected here.")]
    if "extras" in data_dict and not isinstance(data_dict["extras"], dict):
        errors["extras"] = [tk._("An object is expected here.")]
    for key in (k for k in ("fl", "fq_list") if k in data_dict):
        if _value_errors(data_dict[key], "list"):
            errors[key] = [_texts_expected()]
    return errors


def _first_message(tree: Any) -> str:
    if isinstance(tree, str):
        return tree
    items = tree.values() if isinstance(tree, dict) else tree
    return next((m for m in (_first_message(i) for i in items) if m), "")


@tk.side_effect_free
@tk.chained_action
def package_search(original_action, context, data_dict):
    """Unstorable values are an invalid query (400, which the search page
    shows as such); parameters CKAN would crash on, validation errors (409)."""
    if isinstance(data_dict, dict):
        found = bad_values(data_dict)
        if found:
            raise SearchQueryError("; ".join(f"{key}: {_first_message(tree)}" for key, tree in found.items()))
        _raise(search_errors(data_dict))
    return original_action(context, data_dict)


def chained_actions() -> dict:
    return {action.__name__: action for action in (
        package_create, package_update, package_patch, resource_create, resource_update, resource_patch,
        package_search)}


#: The actions whose input is checked here (the request guard leaves their bodies to them).
GUARDED_ACTIONS = frozenset(chained_actions())
