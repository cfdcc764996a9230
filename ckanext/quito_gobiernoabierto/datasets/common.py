"""Validators shared by the Quito dataset types (years, amounts, counts,
date order, bounding boxes). Messages are translatable and say what is
expected; nothing is silently dropped or coerced into something else."""
from __future__ import annotations

import datetime
import re
from decimal import Decimal, InvalidOperation
from typing import Any

import ckan.plugins.toolkit as tk
from ckan.lib.navl.dictization_functions import Missing, missing
from ckanext.scheming.validation import scheming_validator

MIN_YEAR = 1900
YEARS_AHEAD = 10


def blank(value: Any) -> bool:
    return value is None or value is missing or isinstance(value, Missing) or str(value).strip() == ""


def max_year() -> int:
    return datetime.date.today().year + YEARS_AHEAD


def quito_year(value: Any, context) -> Any:
    if blank(value):
        return value
    text = str(value).strip()
    if not re.fullmatch(r"\d{4}", text) or not MIN_YEAR <= int(text) <= max_year():
        raise tk.Invalid(tk._("Enter a year between {min} and {max}, e.g. 2016.").format(min=MIN_YEAR, max=max_year()))
    return text


def quito_month(value: Any, context) -> Any:
    if blank(value):
        return value
    text = str(value).strip()
    if not re.fullmatch(r"\d{1,2}", text) or not 1 <= int(text) <= 12:
        raise tk.Invalid(tk._("Enter a month number from 1 to 12."))
    return str(int(text))


def _decimal(value: Any) -> Decimal:
    text = str(value).strip().replace(" ", "")
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise tk.Invalid(tk._("Enter a number, using a point for decimals, e.g. 3000000.50."))
    if not number.is_finite():
        raise tk.Invalid(tk._("Enter a number, using a point for decimals, e.g. 3000000.50."))
    return number


def quito_non_negative_number(value: Any, context) -> Any:
    if blank(value):
        return value
    number = _decimal(value)
    if number < 0:
        raise tk.Invalid(tk._("The value cannot be negative."))
    return format(number.normalize(), "f") if number == number.to_integral() else format(number, "f")


def quito_non_negative_integer(value: Any, context) -> Any:
    if blank(value):
        return value
    number = _decimal(value)
    if number != number.to_integral():
        raise tk.Invalid(tk._("Enter a whole number."))
    if number < 0:
        raise tk.Invalid(tk._("The value cannot be negative."))
    return str(int(number))


def quito_not_before(other: str):
    """The value (a date) may not be earlier than the sibling field ``other``."""
    def validator(key, data, errors, context):
        value, start = data.get(key), data.get(key[:-1] + (other,))
        if blank(value) or blank(start) or errors.get(key):
            return
        if str(value)[:10] < str(start)[:10]:
            errors[key].append(tk._("The end date cannot be earlier than the start date."))
    return validator


def parse_bbox(text: str) -> list[float]:
    parts = [p for p in re.split(r"[,\s]+", str(text).strip()) if p]
    try:
        numbers = [float(p) for p in parts]
    except ValueError:
        numbers = []
    if len(numbers) != 4:
        raise tk.Invalid(tk._("The bounding box must be four numbers: minx,miny,maxx,maxy."))
    minx, miny, maxx, maxy = numbers
    if not (-180 <= minx <= maxx <= 180 and -90 <= miny <= maxy <= 90):
        raise tk.Invalid(tk._("The bounding box must satisfy -180 <= minx <= maxx <= 180 and -90 <= miny <= maxy <= 90."))
    return numbers


def quito_bbox(value: Any, context) -> Any:
    """A WGS84 bounding box "minx,miny,maxx,maxy" (longitudes, latitudes)."""
    if blank(value):
        return value
    return ",".join(f"{n:g}" for n in parse_bbox(value))


def quito_boolean_text(value: Any, context) -> Any:
    """Yes/no stored as "true"/"false" (accepts booleans, 1/0, yes/no, sí/no)."""
    if blank(value):
        return value
    text = str(value).strip().lower()
    if text in ("true", "1", "yes", "si", "sí", "on"):
        return "true"
    if text in ("false", "0", "no", "off"):
        return "false"
    raise tk.Invalid(tk._("Choose yes or no."))


def _choice_labels(field: dict) -> dict:
    choices = tk.h.scheming_field_choices(field) or []
    return {str(c["value"]): tk.h.scheming_language_text(c["label"]) for c in choices}


def _choice_error(labels: dict) -> tk.Invalid:
    listed = "; ".join(labels.values())
    return tk.Invalid(tk._("Choose one of the listed values: {values}.").format(values=listed))


@scheming_validator
def quito_choice(field: dict, schema: dict):
    """One of the field's choices; the error lists the translated labels."""
    def validator(value, context):
        if blank(value):
            return value
        labels = _choice_labels(field)
        if str(value) not in labels:
            raise _choice_error(labels)
        return str(value)
    return validator


@scheming_validator
def quito_multiple_choice(field: dict, schema: dict):
    """A list (or comma-separated text) of the field's choices, stored as a list."""
    def validator(value, context):
        if blank(value):
            return value
        values = value if isinstance(value, list) else [v.strip() for v in str(value).split(",") if v.strip()]
        labels = _choice_labels(field)
        if any(str(v) not in labels for v in values):
            raise _choice_error(labels)
        return [str(v) for v in values]
    return validator


VALIDATORS = {
    "quito_choice": quito_choice,
    "quito_multiple_choice": quito_multiple_choice,
    "quito_boolean_text": quito_boolean_text,
    "quito_year": quito_year,
    "quito_month": quito_month,
    "quito_non_negative_number": quito_non_negative_number,
    "quito_non_negative_integer": quito_non_negative_integer,
    "quito_not_before": quito_not_before,
    "quito_bbox": quito_bbox,
}
