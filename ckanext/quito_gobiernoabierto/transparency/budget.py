"""``/transparencia/presupuesto-abierto``: the budgets (``presupuesto``) of a
fiscal year, with a bar chart of the amounts by stage of the budget cycle.

Where the amounts are: the ``presupuesto`` schema has no amount field. The
dataset says which stages its data holds (``budget_stage``), and each tabular
resource maps its CSV columns to Fiscal Data Package concepts
(``fdp_mapping``: one ``value`` column for the amount, ``phase:id`` or
``phase:label`` for the stage, optionally ``direction`` for revenue or
expenditure). So the amounts are only in the CSV files: this module reads the
*uploaded* CSV of a resource from CKAN's storage, through the resource
uploader (``get_resource_uploader(res).get_path(res['id'])``), never a
remote URL, and only files up to ``MAX_CSV_BYTES``; linked or larger files are
reported on the page instead of charted. The datasets themselves come from
``package_search`` as the viewing user.
"""
from __future__ import annotations

import csv
import functools
import io
import os
from decimal import Decimal
from typing import Any, Optional

import ckan.plugins.toolkit as tk

from ckanext.quito_gobiernoabierto import transparency as common

DATASET_TYPE = "presupuesto"
TYPE_FQ = f"+dataset_type:{DATASET_TYPE}"
#: The largest CSV read to draw a chart (5 MB: a year's budget by item is far smaller).
MAX_CSV_BYTES = 5 * 1024 * 1024
#: Stages of the budget cycle in their order (the schema's ``budget_stage`` choices).
STAGE_ORDER = ("proforma", "inicial", "codificado", "certificado", "comprometido", "devengado", "pagado")
CONCEPTS = {"value": "amount", "phase:id": "stage", "phase:label": "stage_label",
            "direction": "direction", "value-currency:code": "currency"}


# ------------------------------------------------------------------ queries

def years(context: dict) -> list[int]:
    return common.facet_years(context, TYPE_FQ, "fiscal_year")


def budgets(context: dict, year: int) -> list[dict]:
    found = common.search_all(context, f'{TYPE_FQ} +fiscal_year:"{int(year)}"')
    return sorted(found, key=lambda d: common.sort_key(d.get("title") or d["name"]))


# ------------------------------------------------------------- reading CSVs

def mapped_columns(resource: dict) -> dict[str, str]:
    """{role: column} from the resource's Fiscal Data Package mapping
    (roles: amount, stage, stage_label, direction, currency)."""
    out: dict[str, str] = {}
    for row in resource.get("fdp_mapping") or []:
        role = CONCEPTS.get(str(row.get("concept") or ""))
        if role and row.get("column"):
            out.setdefault(role, str(row["column"]).strip())
    return out


def upload_path(resource: dict) -> Optional[str]:
    """The local file of an uploaded resource (None for a link)."""
    if resource.get("url_type") != "upload":
        return None
    from ckan.lib.uploader import get_resource_uploader

    return get_resource_uploader(resource).get_path(resource["id"])


def _key(row: dict, columns: dict) -> tuple[str, str]:
    stage = row.get(columns.get("stage", ""), "") or row.get(columns.get("stage_label", ""), "")
    return str(row.get(columns.get("direction", ""), "") or "").strip().lower(), str(stage or "").strip()


@functools.lru_cache(maxsize=32)
def _sums(path: str, mtime: float, size: int, columns: tuple) -> tuple[dict, int]:
    """({(direction, stage): total}, rows skipped) of a CSV; cached per file version."""
    wanted, totals, skipped = dict(columns), {}, 0
    with io.open(path, encoding="utf-8-sig", newline="") as f:
        for row in csv.DictReader(f):
            amount = common.parse_amount(row.get(wanted["amount"]))
            key = _key(row, wanted)
            if amount is None or not key[1]:
                skipped += 1
                continue
            totals[key] = totals.get(key, Decimal(0)) + amount
    return totals, skipped


def resource_amounts(resource: dict) -> dict:
    """The resource's amounts by (direction, stage), or why they could not be read
    (``problem``: ``link``, ``mapping``, ``too_large``, ``unreadable``)."""
    columns = mapped_columns(resource)
    if "amount" not in columns or not ({"stage", "stage_label"} & set(columns)):
        return {"problem": "mapping"}
    path = upload_path(resource)
    if not path:
        return {"problem": "link"}
    try:
        info = os.stat(path)
        if info.st_size > MAX_CSV_BYTES:
            return {"problem": "too_large"}
        totals, skipped = _sums(path, info.st_mtime, info.st_size, tuple(sorted(columns.items())))
    except (OSError, UnicodeDecodeError, csv.Error):
        return {"problem": "unreadable"}
    return {"totals": totals, "skipped": skipped}


# ------------------------------------------------------------------ figures

def money(amount: Decimal, currency: str) -> str:
    if currency in ("", "USD"):
        return common.usd(amount)
    return f"{currency}\u00a0{common.number(amount)}"


def _stage_rank(stage: str) -> tuple:
    return (STAGE_ORDER.index(stage), "") if stage in STAGE_ORDER else (len(STAGE_ORDER), stage)


def series(totals: dict, dataset: dict, labels: dict) -> list[dict]:
    """One series per direction (revenue, expenditure): the amounts by stage, in cycle order."""
    natures = dataset.get("budget_nature") or []
    default = natures[0] if isinstance(natures, list) and len(natures) == 1 else ""
    currency = str(dataset.get("currency") or "USD")
    by_direction: dict[str, dict] = {}
    for (direction, stage), amount in totals.items():
        stages = by_direction.setdefault(direction or default, {})
        stages[stage] = stages.get(stage, Decimal(0)) + amount
    out = []
    for direction in sorted(by_direction):
        stages = by_direction[direction]
        bars = [{"stage": s, "label": labels["stage"].get(s, s), "amount": stages[s],
                 "text": money(stages[s], currency)} for s in sorted(stages, key=_stage_rank)]
        out.append({"direction": direction, "direction_label": labels["nature"].get(direction, direction),
                    "bars": bars, "chart": bar_chart(bars)})
    return out


def _problem_text(problem: str, resource: dict) -> str:
    name = resource.get("name") or resource.get("id")
    texts = {
        "link": tk._("{name}: the file is a link, not an upload; its amounts are not charted here."),
        "mapping": tk._("{name}: its columns are not mapped to an amount and a stage."),
        "too_large": tk._("{name}: the file is too large to chart here; download it to see the amounts."),
        "unreadable": tk._("{name}: the file could not be read as CSV."),
    }
    return texts[problem].format(name=name)


def dataset_figures(dataset: dict, labels: dict) -> dict:
    """A budget's charts (amounts summed over its CSV resources) and notes on files not read."""
    totals: dict = {}
    notes = []
    for resource in dataset.get("resources") or []:
        if not resource.get("fdp_mapping"):
            continue
        found = resource_amounts(resource)
        if "problem" in found:
            notes.append(_problem_text(found["problem"], resource))
            continue
        for key, amount in found["totals"].items():
            totals[key] = totals.get(key, Decimal(0)) + amount
    return {"series": series(totals, dataset, labels), "notes": notes}


# -------------------------------------------------------------------- chart

CHART = {"width": 720, "label_width": 230, "value_width": 170, "bar_height": 26, "gap": 12, "pad": 8}


def bar_chart(bars: list[dict]) -> dict:
    """Geometry of a horizontal bar chart (an inline SVG drawn by the template):
    the stage's name at the left, its bar, its amount at the right."""
    c = CHART
    span = c["width"] - c["label_width"] - c["value_width"] - 2 * c["pad"]
    top = max((b["amount"] for b in bars), default=Decimal(0))
    shapes = []
    for i, bar in enumerate(bars):
        y = c["pad"] + i * (c["bar_height"] + c["gap"])
        width = round(float(bar["amount"] / top) * span, 1) if top > 0 and bar["amount"] > 0 else 0
        shapes.append({**bar, "x": c["label_width"], "y": y, "width": width, "height": c["bar_height"],
                       "label_x": c["label_width"] - c["pad"], "text_y": y + c["bar_height"] // 2 + 5,
                       "value_x": c["label_width"] + width + c["pad"]})
    height = 2 * c["pad"] + len(bars) * (c["bar_height"] + c["gap"]) - (c["gap"] if bars else 0)
    return {"width": c["width"], "height": height, "bars": shapes}


# --------------------------------------------------------------------- page

def _labels() -> dict:
    return {"stage": common.choice_labels(DATASET_TYPE, "budget_stage"),
            "nature": common.choice_labels(DATASET_TYPE, "budget_nature"),
            "period": common.choice_labels(DATASET_TYPE, "period_type")}


def budget(dataset: dict, labels: dict) -> dict:
    stages = dataset.get("budget_stage") or []
    period = str(dataset.get("period_type") or "annual")
    return {"name": dataset["name"], "title": dataset.get("title") or dataset["name"],
            "url": tk.h.url_for(f"{dataset.get('type') or DATASET_TYPE}.read", id=dataset["name"]),
            "organization": (dataset.get("organization") or {}).get("title") or "",
            "stages": [labels["stage"].get(s, s) for s in (stages if isinstance(stages, list) else [stages])],
            "period": labels["period"].get(period, period), "period_number": dataset.get("period_number") or "",
            "currency": dataset.get("currency") or "USD", "private": bool(dataset.get("private")),
            **dataset_figures(dataset, labels)}


def page(context: dict, all_years: list[int], year: Optional[int]) -> dict[str, Any]:
    """Everything ``transparency/budget.html`` shows (``all_years``: from ``years``)."""
    tabs = [{"year": y, "current": y == year, "url": tk.h.url_for("quito_transparency.budget", year=y)}
            for y in all_years]
    if year is None:
        return {"years": tabs, "year": None, "budgets": []}
    labels = _labels()
    return {"years": tabs, "year": year, "budgets": [budget(d, labels) for d in budgets(context, year)]}
