"""``quito_chart_view``: the line chart of an indicator's time series.

It applies to the CSV resource of role "Time series" of an ``indicador``
dataset (``schemas/datasets/indicador.yaml``) that was uploaded to the
portal: the server reads the stored file (size-limited, any usual encoding,
``timeseries``) and hands the series to the page as JSON, drawn by the
vendored Chart.js. The same values are in an accessible table under the
chart, and each line can be shown or hidden with a checkbox.
"""
from __future__ import annotations

import csv
import os
from typing import Optional

import ckan.plugins.toolkit as tk
from ckan.exceptions import HelperError

from ckanext.quito_gobiernoabierto.previews import common, timeseries

NAME = "quito_chart_view"
LIMIT_KEY = "ckanext.quito.previews.chart_max_bytes"
DEFAULT_LIMIT = 2 * 1024 * 1024
LIMIT_DESCRIPTION = "Largest time series CSV (bytes) the chart view reads; a larger one gets a download link."
DATASET_TYPE = "indicador"
ROLE = "time_series"
CSV = ({"csv"}, {"text/csv", "application/csv"})

#: Okabe-Ito colours (distinguishable with colour blindness), yellow last;
#: each line also has its own point shape (7 shapes, so colour and shape repeat together only after 56 lines).
PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#999999")
POINTS = ("circle", "rect", "triangle", "rectRot", "star", "crossRot", "rectRounded")


def info() -> dict:
    return common.view_info(NAME, tk._("Time series chart"), tk._("Chart"), "chart-line", iframed=True)


def can_view(data_dict: dict) -> bool:
    """The uploaded CSV time series of an indicator."""
    resource, package = data_dict["resource"], data_dict.get("package") or {}
    return (package.get("type") == DATASET_TYPE and resource.get("resource_role") == ROLE
            and common.is_upload(resource) and common.matches(resource, *CSV))


def limit() -> int:
    return common.size_limit(LIMIT_KEY, DEFAULT_LIMIT)


def read(resource: dict) -> tuple[Optional[dict], Optional[str]]:
    """(the parsed file, None) or (None, why it cannot be shown)."""
    path, max_bytes = common.stored_path(resource), limit()
    if not path:
        return None, tk._("The file of this resource is not stored on the portal.")
    if os.path.getsize(path) > max_bytes:
        return None, common.too_large_message(max_bytes)
    with open(path, "rb") as stream:
        data = stream.read(max_bytes + 1)
    if len(data) > max_bytes:
        return None, common.too_large_message(max_bytes)
    try:
        return timeseries.parse(data), None
    except csv.Error:
        return None, tk._("The file could not be read as a CSV table.")


def unit_name(package: dict) -> str:
    """The indicator's unit as the dataset page shows it (its schema's label)."""
    value = package.get("unit") or ""
    if not value:
        return ""
    try:
        schema = tk.h.scheming_get_dataset_schema(package.get("type"))
        field = tk.h.scheming_field_by_name(schema["dataset_fields"], "unit")
        return tk.h.scheming_choices_label(field["choices"], value)
    except (HelperError, AttributeError, KeyError, TypeError):
        return value


def unit_label(package: dict) -> str:
    """The unit with its detail in words, when there is one."""
    name, detail = unit_name(package), package.get("unit_detail")
    return f"{name} ({detail})" if name and detail else (name or detail or "")


def chart_config(chart: dict, package: dict) -> dict:
    """What the script draws: the series with their colours and the axis
    titles (the unit's short name; its detail is in the caption)."""
    series = [dict(s, color=PALETTE[i % len(PALETTE)], point=POINTS[i % len(POINTS)])
              for i, s in enumerate(chart["series"])]
    return {"labels": chart["labels"], "series": series, "xTitle": chart["period_column"],
            "yTitle": unit_name(package) or chart["value_column"]}


def template_vars(data_dict: dict) -> dict:
    resource, package = data_dict["resource"], data_dict["package"]
    parsed, problem = read(resource)
    chart = parsed and parsed["chart"]
    return {
        "problem": problem,
        "table": parsed,
        "chart": chart_config(chart, package) if chart else None,
        "unit": unit_label(package),
        "data_url": common.portal_url(resource) or resource.get("url"),
        "files": common.static_files(),
    }
