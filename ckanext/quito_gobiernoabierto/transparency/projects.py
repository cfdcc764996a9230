"""``/transparencia/proyectos-emblematicos``: a card per emblematic project
(``proyecto_emblematico``) with its beneficiaries, investment, status and
location, and the totals of the figures published.

The total of beneficiaries adds each project's figure: a citizen who benefits
from several projects is counted once per project, and projects that describe
their beneficiaries in words ("Todos los ciudadanos") add nothing; the page
says so.
"""
from __future__ import annotations

from decimal import Decimal
from typing import Any, Optional

import ckan.plugins.toolkit as tk

from ckanext.quito_gobiernoabierto import transparency as common
from ckanext.quito_gobiernoabierto.datasets.labels import field_value_labels

DATASET_TYPE = "proyecto_emblematico"
TYPE_FQ = f"+dataset_type:{DATASET_TYPE}"


def projects(context: dict) -> list[dict]:
    """Every emblematic project the user may see, by title."""
    found = common.search_all(context, TYPE_FQ)
    return sorted(found, key=lambda d: common.sort_key(d.get("title") or d["name"]))


def _labels() -> dict:
    schema = tk.h.scheming_get_dataset_schema(DATASET_TYPE) or {}
    return {"status": common.choice_labels(DATASET_TYPE, "project_status"),
            "zones": field_value_labels(schema, "zonal_administrations")}


def _whole(value: Any) -> Optional[int]:
    amount = common.parse_amount(value)
    return int(amount) if amount is not None and amount == amount.to_integral_value() else None


def _beneficiaries(dataset: dict) -> tuple[Optional[int], str]:
    count = _whole(dataset.get("beneficiaries"))
    if count is not None:
        return count, common.number(count)
    return None, str(dataset.get("beneficiaries_description") or "")


def card(dataset: dict, labels: dict) -> dict:
    """What a project's card shows."""
    beneficiaries, beneficiaries_text = _beneficiaries(dataset)
    investment = common.parse_amount(dataset.get("investment"))
    status = str(dataset.get("project_status") or "")
    zones = dataset.get("zonal_administrations") or []
    org = dataset.get("organization") or {}
    return {
        "name": dataset["name"], "title": dataset.get("title") or dataset["name"],
        "url": tk.h.url_for(f"{dataset.get('type') or DATASET_TYPE}.read", id=dataset["name"]),
        "notes": dataset.get("notes") or "", "organization": org.get("title") or org.get("name") or "",
        "beneficiaries": beneficiaries, "beneficiaries_text": beneficiaries_text,
        "investment": investment, "investment_text": common.usd(investment) if investment is not None else "",
        "investment_note": dataset.get("investment_note") or "",
        "status": status, "status_label": labels["status"].get(status, status),
        "location": dataset.get("location") or "",
        "zones": [labels["zones"].get(z, z) for z in (zones if isinstance(zones, list) else [zones])],
        "private": bool(dataset.get("private")),
    }


def totals(cards: list[dict]) -> dict:
    """Sums of the investments and of the beneficiary counts published."""
    invested = [c["investment"] for c in cards if c["investment"] is not None]
    counted = [c["beneficiaries"] for c in cards if c["beneficiaries"] is not None]
    investment = sum(invested, Decimal(0))
    beneficiaries = sum(counted)
    return {"investment": investment, "investment_text": common.usd(investment),
            "with_investment": len(invested), "beneficiaries": beneficiaries,
            "beneficiaries_text": common.number(beneficiaries), "with_beneficiaries": len(counted),
            "projects": len(cards)}


def page(context: dict) -> dict[str, Any]:
    """Everything ``transparency/projects.html`` shows."""
    labels = _labels()
    cards = [card(d, labels) for d in projects(context)]
    return {"projects": cards, "totals": totals(cards)}
