"""Fields shown as links accept only web, FTP and e-mail addresses.

CKAN's and ckanext-dcat's templates put a resource's ``url``, a dataset's
``url`` and ``homepage`` and the ``url`` of contacts, publishers and
creators in ``href`` attributes, escaped but as they are: a
``javascript:`` address there runs in the portal's origin when a citizen
clicks it. Every such field of every type (at any depth of repeating
subfields) gets the ``quito_safe_link`` validator after scheming expands
the schemas; a value with another scheme is refused with a message. A value
without a scheme (an uploaded file's name) is left alone.
"""
from __future__ import annotations

import re
from typing import Any

import ckan.plugins.toolkit as tk

SAFE_SCHEMES = ("http", "https", "ftp", "ftps", "mailto")
SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.\-]*):")
#: Characters a browser drops from an address before reading its scheme.
IGNORED = re.compile(r"[\x00-\x20]+")
LINK_SNIPPETS = ("link.html",)
MULTIPLE = ("scheming_multiple_text", "scheming_multiple_choice")


def quito_safe_link(value: Any, context) -> Any:
    if not isinstance(value, str) or not value:
        return value
    match = SCHEME.match(IGNORED.sub("", value))
    if match and match.group(1).lower() not in SAFE_SCHEMES:
        raise tk.Invalid(tk._("A link must be an address starting with http://, https://, ftp:// or mailto:."))
    return value


VALIDATORS = {"quito_safe_link": quito_safe_link}


def is_link(field: dict) -> bool:
    name = field["field_name"]
    return (field.get("display_snippet") in LINK_SNIPPETS or name in ("url", "homepage")
            or name.endswith("_url"))


def _protect_fields(fields: list) -> None:
    for field in fields:
        if "repeating_subfields" in field:
            _protect_fields(field["repeating_subfields"])
            continue
        validators = field.get("validators")
        if not is_link(field) or "quito_safe_link" in (validators or "") or any(m in (validators or "")
                                                                                  for m in MULTIPLE):
            continue
        if validators is None:  # scheming's own default for a field without validators
            validators = "not_empty" if field.get("required") else "ignore_missing"
        field["validators"] = f"{validators} quito_safe_link"


def protect(expanded_schemas: dict) -> dict:
    """The expanded schemas (changed in place) with link fields guarded."""
    for schema in expanded_schemas.values():
        _protect_fields(schema.get("dataset_fields", []))
        _protect_fields(schema.get("resource_fields", []))
    return expanded_schemas
