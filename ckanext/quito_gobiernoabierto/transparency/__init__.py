"""Queries of the Transparencia pages (``/transparencia/...``).

Every page reads its datasets through ``package_search`` as the viewing user
(private datasets appear only to those allowed to see them), whatever the
search engine behind it (Solr or ``quito_search``). This module holds what
the pages share: paging through a search, the user's language and the
numbers and dates written in it.
"""
from __future__ import annotations

import datetime
import unicodedata
from decimal import Decimal
from typing import Any, Optional, Union

import ckan.plugins.toolkit as tk
from babel import dates, numbers

#: Datasets read per request (``ckan.search.rows_max`` may lower a page).
PAGE_ROWS = 1000
#: At most this many datasets feed one page (a safety net, far above real use).
MAX_DATASETS = 10000

Number = Union[int, float, Decimal]


def user_context() -> dict:
    """An action context for the viewing user (anonymous: no user)."""
    user = tk.current_user.name if tk.current_user.is_authenticated else ""
    return {"user": user}


def search_all(context: dict, fq: str, **params: Any) -> list[dict]:
    """Every dataset matching ``fq`` that the context's user may see
    (private ones included when allowed), paging through the results."""
    found: list[dict] = []
    while len(found) < MAX_DATASETS:
        result = tk.get_action("package_search")(dict(context), {
            "fq": fq, "rows": PAGE_ROWS, "start": len(found), "include_private": True, **params})
        found += result["results"]
        if not result["results"] or len(found) >= result["count"]:
            break
    return found


def facet_counts(context: dict, fq: str, field: str) -> dict:
    """{value: count} of one facet over the datasets matching ``fq``."""
    result = tk.get_action("package_search")(dict(context), {
        "fq": fq, "rows": 0, "facet.field": [field], "facet.limit": -1, "include_private": True})
    return result["facets"].get(field, {})


def facet_years(context: dict, fq: str, field: str, first: int = 0) -> list[int]:
    """The years (a facet of four-digit values) from ``first`` on, newest first."""
    values = facet_counts(context, fq, field)
    years = {int(v) for v, n in values.items() if str(v).isdigit() and len(str(v)) == 4 and n}
    return sorted((y for y in years if y >= first), reverse=True)


def requested_year(years: list[int], name: str = "year") -> Optional[int]:
    """The ``?year=`` asked for (400 if it is not a year), else the newest one."""
    value = tk.request.args.get(name, "").strip()
    if not value:
        return years[0] if years else None
    if not (value.isdigit() and len(value) == 4):
        tk.abort(400, tk._("The year must have four digits."))
    return int(value)


def locale() -> str:
    """The user's language (``es`` or ``en``), as babel names it."""
    return str(tk.h.lang() or tk.config.get("ckan.locale_default") or "es").replace("-", "_")


def number(value: Number) -> str:
    """A number with the thousands separators of the user's language."""
    return numbers.format_decimal(value, locale=locale())


def usd(value: Number) -> str:
    """US dollars: ``US$ 3.000.000`` (es), ``US$ 3,000,000`` (en); cents only when there are some."""
    amount = Decimal(str(value))
    pattern = "#,##0" if amount == amount.to_integral_value() else "#,##0.00"
    return "US$\u00a0" + numbers.format_decimal(amount, format=pattern, locale=locale())


def percent(part: Number, whole: Number) -> Optional[str]:
    """``part / whole`` as a percentage in the user's language (None if whole is 0)."""
    if not whole:
        return None
    return numbers.format_percent(Decimal(part) / Decimal(whole), locale=locale())


def long_date(value: Any) -> str:
    """An ISO date (``2016-03-04``) written out in the user's language."""
    try:
        day = datetime.date.fromisoformat(str(value)[:10])
    except ValueError:
        return str(value or "")
    return dates.format_date(day, format="long", locale=locale())


def month_name(month: int, width: str = "wide") -> str:
    """The name of a month (1-12) in the user's language (``abbreviated`` or ``wide``)."""
    return dates.get_month_names(width, context="stand-alone", locale=locale())[month]


def sort_key(text: Any) -> str:
    """Alphabetical order that ignores accents and case."""
    plain = unicodedata.normalize("NFKD", str(text or "")).encode("ascii", "ignore").decode()
    return plain.casefold()


def parse_amount(value: Any) -> Optional[Decimal]:
    """A count or amount written with a decimal point (``'3000000'``,
    ``'3000000.50'``, as the schemas store them), else None."""
    text = str(value or "").strip().replace(" ", "")
    try:
        amount = Decimal(text) if text else None
    except ArithmeticError:
        return None
    return amount if amount is not None and amount.is_finite() else None


def choice_labels(dataset_type: str, field_name: str, resource: bool = False) -> dict:
    """{value: translated label} of a choice field of a dataset type's schema."""
    schema = tk.h.scheming_get_dataset_schema(dataset_type) or {}
    group = "resource_fields" if resource else "dataset_fields"
    for field in schema.get(group, []):
        if field["field_name"] == field_name:
            return {str(c["value"]): tk.h.scheming_language_text(c["label"]) for c in field.get("choices", [])}
    return {}


def today() -> datetime.date:
    """Today (a function so tests can fix it)."""
    return datetime.date.today()
