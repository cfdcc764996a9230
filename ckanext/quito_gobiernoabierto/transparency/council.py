"""``/transparencia/concejo-abierto``: the sessions of the Metropolitan
Council and its commissions (``sesion_concejo``) of a year, grouped by month,
newest first, each with its agenda and minutes (resources by
``document_kind``), as the 2017 portal's "Sesiones del Concejo" showed them.
"""
from __future__ import annotations

from typing import Any, Optional

import ckan.plugins.toolkit as tk

from ckanext.quito_gobiernoabierto import transparency as common

DATASET_TYPE = "sesion_concejo"
TYPE_FQ = f"+dataset_type:{DATASET_TYPE}"
#: Order of a session's documents; other kinds follow.
DOCUMENT_ORDER = ("orden_del_dia", "acta", "resolucion", "anexo")


def years(context: dict) -> list[int]:
    """Years with sessions the user may see, newest first."""
    return common.facet_years(context, TYPE_FQ, "session_year")


def sessions(context: dict, year: int) -> list[dict]:
    return common.search_all(context, f'{TYPE_FQ} +session_year:"{int(year)}"')


def _document(resource: dict, kinds: dict) -> dict:
    kind = str(resource.get("document_kind") or "")
    return {"url": resource.get("url") or "", "kind": kind, "name": resource.get("name") or "",
            "kind_label": kinds.get(kind) or resource.get("name") or tk._("Document"),
            "format": resource.get("format") or ""}


def documents(dataset: dict, kinds: dict) -> list[dict]:
    """The session's documents: agenda, minutes, resolutions, annexes, then the rest."""
    docs = [_document(r, kinds) for r in dataset.get("resources") or []]
    rank = {kind: i for i, kind in enumerate(DOCUMENT_ORDER)}
    return sorted(docs, key=lambda d: rank.get(d["kind"], len(DOCUMENT_ORDER)))


def _labels() -> dict:
    return {"kind": common.choice_labels(DATASET_TYPE, "session_kind"),
            "body": common.choice_labels(DATASET_TYPE, "council_body"),
            "document": common.choice_labels(DATASET_TYPE, "document_kind", resource=True)}


def session(dataset: dict, labels: dict) -> dict:
    """What the page shows of a session."""
    date = str(dataset.get("session_date") or "")[:10]
    kind, body = str(dataset.get("session_kind") or ""), str(dataset.get("council_body") or "")
    docs = documents(dataset, labels["document"])
    return {
        "name": dataset["name"], "title": dataset.get("title") or dataset["name"],
        "url": tk.h.url_for(f"{dataset.get('type') or DATASET_TYPE}.read", id=dataset["name"]),
        "date": date, "date_text": common.long_date(date) if date else tk._("No date"),
        "kind": kind, "kind_label": labels["kind"].get(kind, kind),
        "body": body, "body_label": labels["body"].get(body, body),
        "commission": dataset.get("commission") or "", "number": dataset.get("session_number") or "",
        "venue": dataset.get("venue") or "", "private": bool(dataset.get("private")),
        "agenda": [d for d in docs if d["kind"] == "orden_del_dia"],
        "minutes": [d for d in docs if d["kind"] == "acta"],
        "other_documents": [d for d in docs if d["kind"] not in ("orden_del_dia", "acta")],
    }


def by_month(found: list[dict]) -> list[dict]:
    """Sessions grouped by month, newest month (and session) first."""
    shaped = sorted(found, key=lambda s: (s["date"], s["title"]), reverse=True)
    months: dict[str, dict] = {}
    for item in shaped:
        key = item["date"][:7]
        if key not in months:
            months[key] = {"key": key, "label": _month_label(key), "sessions": []}
        months[key]["sessions"].append(item)
    return list(months.values())


def _month_label(key: str) -> str:
    """``2016-03`` as "marzo de 2016" / "March 2016"."""
    year, _, month = key.partition("-")
    if not (year.isdigit() and month.isdigit()):
        return tk._("No date")
    text = tk._("{month} {year}").format(month=common.month_name(int(month)), year=year)
    return text[:1].upper() + text[1:]


def page(context: dict, all_years: list[int], year: Optional[int]) -> dict[str, Any]:
    """Everything ``transparency/council.html`` shows (``all_years``: from ``years``)."""
    tabs = [{"year": y, "current": y == year, "url": tk.h.url_for("quito_transparency.council", year=y)}
            for y in all_years]
    if year is None:
        return {"years": tabs, "year": None, "months": [], "count": 0}
    labels = _labels()
    found = [session(d, labels) for d in sessions(context, year)]
    return {"years": tabs, "year": year, "months": by_month(found), "count": len(found)}
