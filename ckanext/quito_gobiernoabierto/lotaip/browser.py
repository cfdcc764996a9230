"""Queries and grids of the LOTAIP browser.

A ``lotaip`` dataset is one dependency's publication of one literal (2004
law) or numeral (2023 law) for one year; each resource is the file of a
month (``month``), and under the 2023 law each month has three files
(``lotaip_file_role``: dataset, metadata, dictionary).

Completeness rule (also written on the page): a dependency's row counts the
months published out of the months expected. Expected months are the twelve
of a past year, January up to the current month (included) for the current
year, none for a future year. A month counts as published when its file is
there; under the 2023 law, when its three files are there (a month with only
some of them is shown as incomplete and does not count).

Data comes only from ``package_search`` as the viewing user: private
publications appear only to users allowed to see them, and the search
engine may be Solr or ``quito_search``.
"""
from __future__ import annotations

import datetime
from typing import Any, Optional

import ckan.plugins.toolkit as tk

from ckanext.quito_gobiernoabierto import transparency as common
from ckanext.quito_gobiernoabierto.datasets.lotaip import subject
from ckanext.quito_gobiernoabierto.datasets.lotaip_catalogue import FILE_ROLES, REGIMES, Regime

TYPE_FQ = "+dataset_type:lotaip"
#: The year tabs start here (the 2017 portal listed 2010 to 2016).
FIRST_YEAR = 2010
MONTHS = range(1, 13)


# ------------------------------------------------------------------ queries

def years(context: dict) -> list[int]:
    """Years with LOTAIP publications the user may see, from 2010, newest first."""
    return common.facet_years(context, TYPE_FQ, "lotaip_year", FIRST_YEAR)


def publications(context: dict, year: int, law: Optional[str] = None) -> list[dict]:
    """The year's publications (of one law if given) the user may see."""
    fq = f'{TYPE_FQ} +lotaip_year:"{int(year)}"'
    if law:
        fq += f' +lotaip_regime:"{law}"'
    return common.search_all(context, fq)


def laws_of_year(year: int) -> list[Regime]:
    """The laws in force in a year (both in 2023)."""
    return [r for r in REGIMES.values()
            if r.first_year <= year and (r.last_year is None or year <= r.last_year)]


def expected_months(year: int, today: Optional[datetime.date] = None) -> int:
    """12 for a past year, up to the current month for the current year, 0 for a future one."""
    today = today or common.today()
    if year < today.year:
        return 12
    return today.month if year == today.year else 0


# -------------------------------------------------------------- month cells

def _month_of(resource: dict) -> Optional[int]:
    text = str(resource.get("month") or "").strip()
    return int(text) if text.isdigit() and 1 <= int(text) <= 12 else None


def files_by_month(datasets: list[dict]) -> dict[int, list[dict]]:
    """The resources of one or more datasets, by month."""
    out: dict[int, list[dict]] = {}
    for dataset in datasets:
        for resource in dataset.get("resources") or []:
            month = _month_of(resource)
            if month is not None:
                out.setdefault(month, []).append(resource)
    return out


def role_labels() -> dict:
    """Short names of the 2023 law's three files of a month."""
    return {"dataset": tk._("Data"), "metadata": tk._("Metadata"), "dictionary": tk._("Dictionary")}


def _link(resource: dict, label: str, role: str = "") -> dict:
    return {"url": resource.get("url") or "", "label": label, "role": role,
            "name": resource.get("name") or "", "format": resource.get("format") or ""}


def _files_2023(resources: list[dict]) -> tuple[list[dict], list[str]]:
    """(links in role order, labels of the missing roles) of a month under the 2023 law."""
    by_role: dict[str, dict] = {}
    for resource in resources:
        by_role.setdefault(str(resource.get("lotaip_file_role") or ""), resource)
    labels = role_labels()
    links = [_link(by_role[r], labels[r], r) for r in FILE_ROLES if r in by_role]
    return links, [labels[r] for r in FILE_ROLES if r not in by_role]


def month_cell(resources: list[dict], month: int, regime: str, expected: int) -> dict:
    """One month of a dependency's row: its links and its state
    (``published``, ``incomplete``, ``missing`` or ``not_due``)."""
    if regime == "2023":
        links, missing_roles = _files_2023(resources)
    else:
        links, missing_roles = [_link(r, tk._("File")) for r in resources], []
    if links and not missing_roles:
        state = "published"
    elif links:
        state = "incomplete"
    else:
        state = "missing" if month <= expected else "not_due"
    return {"month": month, "state": state, "links": links, "missing_roles": missing_roles}


# ------------------------------------------------------------ rows and tables

def _organization(dataset: dict) -> dict:
    org = dataset.get("organization") or {}
    return {"name": org.get("name") or "", "title": org.get("title") or org.get("name") or tk._("No dependency")}


def dependency_row(org: dict, datasets: list[dict], regime: str, expected: int) -> dict:
    """A dependency's 12 months of one literal, with its completeness."""
    by_month = files_by_month(datasets)
    cells = [month_cell(by_month.get(m, []), m, regime, expected) for m in MONTHS]
    published = sum(1 for c in cells if c["state"] == "published" and c["month"] <= expected)
    private = any(d.get("private") for d in datasets)
    return {**org, "cells": cells, "published": published, "expected": expected,
            "percent": common.percent(published, expected), "private": private,
            "datasets": [d["name"] for d in datasets]}


def literal_sections(datasets: list[dict], regime: Regime, expected: int) -> list[dict]:
    """One section per literal of the law that has publications, in the law's order."""
    grouped: dict[str, dict[str, list]] = {}
    orgs: dict[str, dict] = {}
    for dataset in datasets:
        org = _organization(dataset)
        orgs[org["name"]] = org
        grouped.setdefault(str(dataset.get("lotaip_literal")), {}).setdefault(org["name"], []).append(dataset)
    sections = []
    for item in regime.items:
        by_org = grouped.get(item.code)
        if not by_org:
            continue
        rows = [dependency_row(orgs[name], found, regime.key, expected) for name, found in by_org.items()]
        rows.sort(key=lambda row: common.sort_key(row["title"]))
        sections.append({"code": item.code, "subject": subject(regime.key, item.code), "rows": rows})
    return sections


def law_sections(datasets: list[dict], year: int, law: Optional[str], expected: int) -> list[dict]:
    """A section per law in force in the year (or the one asked for), with its
    literals that have publications and the codes of those that have none."""
    out = []
    for regime in laws_of_year(year):
        if law and regime.key != law:
            continue
        own = [d for d in datasets if str(d.get("lotaip_regime")) == regime.key]
        literals = literal_sections(own, regime, expected)
        done = {s["code"] for s in literals}
        out.append({"key": regime.key, "label": tk._(regime.label), "kind": regime.kind, "literals": literals,
                    "without": [i.code for i in regime.items if i.code not in done]})
    return out


def summary(laws: list[dict]) -> list[dict]:
    """Per dependency, over all its literals of the year: published / expected months."""
    totals: dict[str, dict] = {}
    for law in laws:
        for literal in law["literals"]:
            for row in literal["rows"]:
                entry = totals.setdefault(row["name"], {"name": row["name"], "title": row["title"],
                                                        "published": 0, "expected": 0, "literals": 0})
                entry["published"] += row["published"]
                entry["expected"] += row["expected"]
                entry["literals"] += 1
    rows = sorted(totals.values(), key=lambda e: common.sort_key(e["title"]))
    for entry in rows:
        entry["percent"] = common.percent(entry["published"], entry["expected"])
    return rows


# --------------------------------------------------------------------- page

def _tabs(all_years: list[int], year: Optional[int]) -> list[dict]:
    return [{"year": y, "current": y == year, "url": tk.h.url_for("quito_transparency.lotaip", year=y)}
            for y in all_years]


def _law_options(year: int, law: Optional[str]) -> list[dict]:
    """Links to show one law or both, for a year when both were in force."""
    laws = laws_of_year(year)
    if len(laws) < 2:
        return []
    options = [{"key": None, "label": tk._("Both laws"), "current": not law,
                "url": tk.h.url_for("quito_transparency.lotaip", year=year)}]
    return options + [{"key": r.key, "label": tk._(r.label), "current": law == r.key,
                       "url": tk.h.url_for("quito_transparency.lotaip", year=year, law=r.key)} for r in laws]


def months_header() -> list[dict]:
    return [{"number": m, "short": common.month_name(m, "abbreviated"), "long": common.month_name(m)}
            for m in MONTHS]


def page(context: dict, all_years: list[int], year: Optional[int], law: Optional[str]) -> dict[str, Any]:
    """Everything ``transparency/lotaip.html`` shows (``all_years``: from ``years``)."""
    data: dict[str, Any] = {"years": _tabs(all_years, year), "year": year, "law": law,
                            "laws": [], "summary": [], "law_options": [], "months": months_header()}
    if year is None:
        return data
    expected = expected_months(year)
    datasets = publications(context, year, law)
    laws = law_sections(datasets, year, law, expected)
    data.update(laws=laws, summary=summary(laws), expected=expected, count=len(datasets),
                law_options=_law_options(year, law), current_year=common.today().year)
    return data
