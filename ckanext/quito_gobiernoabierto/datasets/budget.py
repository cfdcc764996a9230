"""Budget (``presupuesto``): period, currency, and the mapping of a tabular
resource's columns to Fiscal Data Package concepts.

The mapping is a repeating field of the resource (``fdp_mapping``: column
name -> concept). Concepts are ColumnTypes of the Fiscal Data Package budget
taxonomy (https://specs.frictionlessdata.io/fiscal-data-package--budgets/,
taxonomy ``https://specs.frictionlessdata.io/taxonomies/fiscal/budgets.json``);
the schema lists only ones checked there. A mapping needs exactly one amount
column (``value``) and names each column once. ``missing_mapped_columns``
reads an uploaded CSV's header and says which mapped columns it lacks.
"""
from __future__ import annotations

import csv
import io
import re
from typing import Any, Iterable, Optional

import ckan.plugins.toolkit as tk
from ckanext.scheming.validation import scheming_validator

from ckanext.quito_gobiernoabierto.datasets.common import blank

AMOUNT_CONCEPT = "value"
PERIOD_LIMITS = {"month": 12, "quarter": 4}
CURRENCY_RE = re.compile(r"[A-Z]{3}")


def _period_error(period_type: str) -> str:
    if period_type == "month":
        return tk._("Enter a month number from 1 to 12.")
    return tk._("Enter a quarter number from 1 to 4.")


def quito_budget_period(key, data, errors, context):
    """``period_number`` against its sibling ``period_type``: none for an
    annual period, 1-12 for a month, 1-4 for a quarter."""
    value = data.get(key)
    period_type = data.get(key[:-1] + ("period_type",))
    period_type = "annual" if blank(period_type) else str(period_type).strip()
    if period_type == "annual":
        if not blank(value):
            errors[key].append(tk._("An annual period has no month or quarter number."))
        return
    if period_type not in PERIOD_LIMITS:
        return  # period_type reports its own error
    text = "" if blank(value) else str(value).strip()
    if not text.isdigit() or not 1 <= int(text) <= PERIOD_LIMITS[period_type]:
        errors[key].append(_period_error(period_type))
        return
    data[key] = str(int(text))


@scheming_validator
def quito_currency(field: dict, schema: dict):
    """An ISO 4217 code (upper-cased) among the field's choices."""
    codes = [str(c["value"]) for c in field.get("choices", [])]

    def validator(value, context):
        if blank(value):
            return value
        code = str(value).strip().upper()
        if not CURRENCY_RE.fullmatch(code) or code not in codes:
            raise tk.Invalid(tk._("Enter a three-letter ISO 4217 currency code among: {codes}.").format(
                codes=", ".join(codes)))
        return code
    return validator


def _siblings(key: tuple, data: dict, name: str) -> list[tuple[int, Any]]:
    """(row index, value) of subfield ``name`` in every row of the repeating field of ``key``."""
    prefix = key[:-2]
    rows = [(k[-2], v) for k, v in data.items()
            if len(k) == len(key) and k[:-2] == prefix and k[-1] == name]
    return sorted(rows, key=lambda row: row[0])


def _text(value: Any) -> str:
    return "" if blank(value) else str(value).strip()


def quito_fdp_amount(key, data, errors, context):
    """On ``concept``: the mapping has exactly one amount (``value``) column."""
    rows = _siblings(key, data, "concept")
    amounts = [index for index, concept in rows if _text(concept) == AMOUNT_CONCEPT]
    index = key[-2]
    if not amounts and rows and index == rows[0][0]:
        errors[key].append(tk._("Map exactly one column to the amount (value); none is mapped."))
    elif len(amounts) > 1 and index in amounts[1:]:
        errors[key].append(tk._("Map exactly one column to the amount (value); this is a second one."))


def quito_fdp_column(key, data, errors, context):
    """On ``column``: a column name appears once in the mapping."""
    name = _text(data.get(key))
    if not name:
        return
    earlier = [index for index, other in _siblings(key, data, "column")
               if index < key[-2] and _text(other) == name]
    if earlier:
        errors[key].append(tk._("The column {column} is mapped twice.").format(column=name))
    data[key] = name


def csv_header(stream: Iterable[str]) -> list[str]:
    """The column names of a CSV's first row (BOM and spaces stripped)."""
    for row in csv.reader(stream):
        return [c.strip().lstrip("\ufeff") for c in row]
    return []


def _resource_path(resource: dict) -> Optional[str]:
    if resource.get("url_type") != "upload":
        return None
    from ckan.lib.uploader import get_resource_uploader

    return get_resource_uploader(resource).get_path(resource["id"])


def missing_mapped_columns(resource: dict, path: Optional[str] = None) -> list[str]:
    """Mapped columns absent from the resource's CSV header (its uploaded file,
    or ``path``). Raises ValueError when there is no local file to read."""
    path = path or _resource_path(resource)
    if not path:
        raise ValueError("the resource has no uploaded file to read")
    with io.open(path, encoding="utf-8-sig", newline="") as f:
        header = set(csv_header(f))
    mapped = [_text(row.get("column")) for row in resource.get("fdp_mapping") or []]
    return [column for column in mapped if column and column not in header]


VALIDATORS = {
    "quito_budget_period": quito_budget_period,
    "quito_currency": quito_currency,
    "quito_fdp_amount": quito_fdp_amount,
    "quito_fdp_column": quito_fdp_column,
}
