"""District indicators (``indicador``): values that may be negative, the
target year after the baseline year, the code of the development-plan
objective, and the time series published as CSV."""
from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Any

import ckan.plugins.toolkit as tk

from ckanext.quito_gobiernoabierto.datasets.common import blank

OBJECTIVE_CODE_RE = re.compile(r"^\d{1,2}(\.\d{1,2}){0,3}$")
TIME_SERIES_FORMATS = ("CSV",)


def quito_decimal(value: Any, context) -> Any:
    """A number (negative allowed, e.g. a rate of change), point as decimal mark."""
    if blank(value):
        return value
    try:
        number = Decimal(str(value).strip().replace(" ", ""))
    except InvalidOperation:
        number = None
    if number is None or not number.is_finite():
        raise tk.Invalid(tk._("Enter a number, using a point for decimals, e.g. 12.5 or -3."))
    return format(number.normalize(), "f") if number == number.to_integral() else format(number, "f")


def quito_target_year(baseline: str):
    """The target year may not be earlier than the sibling ``baseline`` year."""
    def validator(key, data, errors, context):
        value, start = data.get(key), data.get(key[:-1] + (baseline,))
        if blank(value) or blank(start) or errors.get(key) or errors.get(key[:-1] + (baseline,)):
            return
        if int(str(value)) < int(str(start)):
            errors[key].append(tk._("The target year cannot be earlier than the baseline year."))
    return validator


def quito_objective_code(value: Any, context) -> Any:
    """The code of a development-plan objective: numbers joined by points, e.g. 2.4."""
    if blank(value):
        return value
    text = str(value).strip()
    if not OBJECTIVE_CODE_RE.match(text):
        raise tk.Invalid(tk._("Enter the objective code as numbers separated by points, e.g. 2.4."))
    return text


def quito_time_series_format(key, data, errors, context):
    """A resource marked as the time series must be a CSV file."""
    if errors.get(key) or data.get(key) != "time_series":
        return
    format_key = key[:-1] + ("format",)
    if str(data.get(format_key) or "").strip().upper() not in TIME_SERIES_FORMATS:
        errors.setdefault(format_key, []).append(
            tk._("The time series must be a CSV file: set the format to CSV."))


VALIDATORS = {
    "quito_decimal": quito_decimal,
    "quito_target_year": quito_target_year,
    "quito_objective_code": quito_objective_code,
    "quito_time_series_format": quito_time_series_format,
}
