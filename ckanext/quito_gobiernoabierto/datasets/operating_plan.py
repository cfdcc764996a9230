"""Annual operating plan (``plan_operativo``, POA).

One dataset per POA: the fiscal year and the plan's projects as a repeating
field (name, area, sector, responsible dependency, budget, status), with the
same table as a downloadable resource when there is one. The seed portal
published the POA's projects "por área, por sector, por dependencia
responsable"; a dataset per project would scatter the plan into many thin
records and lose its totals. So the plan stays one record, and on save the
areas, sectors and responsible dependencies of its projects are collected
into three list fields (``poa_areas``, ``poa_sectors``,
``poa_dependencies``) that the search page facets on: citizens filter POAs
by any of them, and the dataset page shows the projects with totals by
area, sector and dependency (``quito_poa_distribution``).
"""
from __future__ import annotations

import json
from decimal import Decimal, InvalidOperation
from typing import Any

import ckan.model as model
import ckan.plugins.toolkit as tk
from babel.numbers import format_decimal
from ckan.logic.converters import convert_to_extras

from ckanext.quito_gobiernoabierto.datasets.common import blank

#: Derived field -> the project subfield it collects.
SUMMARY_FIELDS = {"poa_areas": "area", "poa_sectors": "sector", "poa_dependencies": "dependency"}
PROJECTS = "projects"


def _organization(name: str):
    group = model.Group.by_name(name)
    if group is None or not group.is_organization or group.state != "active":
        return None
    return group


def quito_existing_organization(value: Any, context) -> Any:
    """The name of an active organization (a municipal dependency)."""
    if blank(value):
        return value
    name = str(value).strip()
    if _organization(name) is None:
        raise tk.Invalid(tk._("There is no dependency named {name} in the catalogue.").format(name=name))
    return name


def organization_choices(field: dict) -> list[dict]:
    """Choices of active organizations: name -> title, by title."""
    query = (model.Session.query(model.Group.name, model.Group.title)
             .filter(model.Group.is_organization.is_(True), model.Group.state == "active"))
    return [{"value": name, "label": title or name}
            for name, title in sorted(query, key=lambda row: (row[1] or row[0]).lower())]


def _project_values(data: dict, subfield: str) -> list[str]:
    keys = sorted(k for k in data if len(k) == 3 and k[0] == PROJECTS and k[2] == subfield)
    values = (str(data[k]).strip() for k in keys if not blank(data[k]))
    return sorted(set(values), key=str.lower)


def quito_poa_summary(key, data, errors, context):
    """After validation: the projects' areas, sectors and dependencies as
    list fields stored with the dataset (the search index facets on them)."""
    for field, subfield in SUMMARY_FIELDS.items():
        data[(field,)] = json.dumps(_project_values(data, subfield), ensure_ascii=False)
        convert_to_extras((field,), data, errors, context)
        del data[(field,)]


def _amount(value: Any) -> Decimal:
    try:
        return Decimal(str(value))
    except (InvalidOperation, TypeError, ValueError):
        return Decimal(0)


def _project_subfields(dataset_type: str) -> list[dict]:
    schema = tk.h.scheming_get_dataset_schema(dataset_type) or {}
    for field in schema.get("dataset_fields", []):
        if field["field_name"] == PROJECTS:
            return field["repeating_subfields"]
    return []


def _choice_labels(subfield: dict) -> dict:
    choices = tk.h.scheming_field_choices(subfield) or []
    return {str(c["value"]): tk.h.scheming_language_text(c["label"]) for c in choices}


def _labels(field_name: str, dataset_type: str) -> dict:
    for subfield in _project_subfields(dataset_type):
        if subfield["field_name"] == field_name:
            return _choice_labels(subfield)
    return {}


def distribution(projects: list[dict], subfield: str, labels: dict) -> list[dict]:
    """Projects grouped by a subfield: label, project count and total budget."""
    groups: dict[str, dict] = {}
    for project in projects or []:
        value = str(project.get(subfield) or "").strip()
        group = groups.setdefault(value, {"value": value, "label": labels.get(value, value),
                                          "count": 0, "amount": Decimal(0)})
        group["count"] += 1
        group["amount"] += _amount(project.get("budget_amount") or 0)
    return sorted(groups.values(), key=lambda g: (-g["amount"], g["label"].lower()))


def quito_poa_distribution(pkg_dict: dict, subfield: str) -> list[dict]:
    """Template helper: the dataset's projects by area, sector or dependency."""
    labels = _labels(subfield, pkg_dict.get("type") or "plan_operativo")
    return distribution(pkg_dict.get(PROJECTS) or [], subfield, labels)


def quito_poa_amount(value: Any) -> str:
    """Template helper: an amount in the user's language, cents only when there are any."""
    amount = _amount(value)
    pattern = "#,##0" if amount == amount.to_integral() else "#,##0.00"
    return format_decimal(amount, format=pattern, locale=tk.h.lang() or "es")


def quito_poa_labels(dataset_type: str = "plan_operativo") -> dict:
    """Template helper: value -> label of each project subfield with choices."""
    out = {}
    for subfield in _project_subfields(dataset_type):
        if "choices" in subfield or "choices_helper" in subfield:
            out[subfield["field_name"]] = _choice_labels(subfield)
    return out


VALIDATORS = {
    "quito_existing_organization": quito_existing_organization,
    "quito_poa_summary": quito_poa_summary,
}

HELPERS = {
    "quito_organization_choices": organization_choices,
    "quito_poa_distribution": quito_poa_distribution,
    "quito_poa_labels": quito_poa_labels,
    "quito_poa_amount": quito_poa_amount,
}
