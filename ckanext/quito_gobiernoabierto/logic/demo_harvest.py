"""Demo harvest sources: shared folders shipped in ``data/demo/harvest/``
(sample data), one per dependency, harvested by ``quito_files`` when the
demo loads. Needs the ``harvest`` and ``quito_files`` plugins and the folder
among ``ckanext.quito.harvest.folder_roots`` (``scripts/setup.sh`` sets both).
"""
from __future__ import annotations

import json
import os

import ckan.plugins as p
import ckan.plugins.toolkit as tk

from ckanext.quito_gobiernoabierto import package_path
from ckanext.quito_gobiernoabierto.logic.report import Report

ROOT = package_path("data", "demo", "harvest")
#: Settings of every demo source (the folder's name is the dependency).
CONFIG = {"kind": "folder", "layout": "auto", "license_id": "cc-by-4.0", "exclude": ["LEEME.txt"],
          "fields": {"sample_data": "true"}}


def source_name(dependency: str) -> str:
    return f"archivos-{dependency}-muestra"[:100]


def ensure_source(context: dict, dependency: str, report: Report) -> dict:
    """The dependency's demo source, created once; it follows the shipped
    folder if the package moved (another checkout, a reinstall)."""
    folder = os.path.join(ROOT, dependency)
    try:
        source = tk.get_action("harvest_source_show")(context, {"id": source_name(dependency)})
    except tk.ObjectNotFound:
        source = None
    if source is not None:
        if source["url"] != folder:
            source = tk.get_action("harvest_source_patch")(context, {"id": source["id"], "url": folder})
            report.updated.append(f"harvest source {source['name']} (folder {folder})")
        return source
    org = tk.get_action("organization_show")(context, {"id": dependency})
    source = tk.get_action("harvest_source_create")(context, {
        "name": source_name(dependency), "title": f"Carpeta compartida de {org['title']} (muestra)",
        "url": folder, "source_type": "quito_files", "owner_org": org["id"],
        "config": json.dumps(CONFIG), "frequency": "MANUAL"})
    report.created.append(f"harvest source {source['name']}")
    return source


def load(context: dict) -> Report:
    from ckanext.quito_gobiernoabierto.logic import harvest_run

    report = Report("demo harvest")
    if not (p.plugin_loaded("harvest") and p.plugin_loaded("quito_files")):
        report.problems.append("plugins harvest and quito_files not loaded: demo harvest skipped")
        return report
    for dependency in sorted(os.listdir(ROOT)):
        source = ensure_source(context, dependency, report)
        result = harvest_run.run(source["id"])
        report.updated += [f"{source['name']}: {result['created']} datasets created, {result['updated']} updated"]
        if not result["created"] and not result["updated"]:
            report.updated.pop()
            report.unchanged.append(f"{source['name']} ({result['unchanged']} datasets)")
        report.problems += result["gather_errors"] + result["object_errors"]
    return report
