"""Demo publications of every dataset type, from ``data/demo/*.yaml``.

Each file holds ``datasets:``, a list of package dicts as ``package_create``
takes them (``owner_org`` is the dependency's name), with resources that
either link a ``url`` or upload a ``file`` from ``data/demo/files/``.
Loading is idempotent: a dataset whose given fields already match is left
alone, one that differs is updated, a missing one is created.
"""
from __future__ import annotations

import glob
import os
from typing import Any

import ckan.plugins.toolkit as tk
import yaml
from werkzeug.datastructures import FileStorage

from ckanext.quito_gobiernoabierto import package_path
from ckanext.quito_gobiernoabierto.logic.report import Report

RESOURCE_KEYS_COMPARED = ("name", "description", "format")


def read_entries(folder: str) -> list[dict]:
    entries: list[dict] = []
    for path in sorted(glob.glob(os.path.join(folder, "*.yaml"))):
        with open(path, encoding="utf-8") as f:
            entries += (yaml.safe_load(f) or {}).get("datasets", [])
    return entries


def _same(wanted: Any, actual: Any) -> bool:
    if isinstance(wanted, list) and isinstance(actual, list):
        return len(wanted) == len(actual) and all(_same(w, a) for w, a in zip(wanted, actual))
    if isinstance(wanted, dict) and isinstance(actual, dict):
        return all(_same(v, actual.get(k)) for k, v in wanted.items())
    return str(wanted) == str(actual)


def _resources_match(wanted: list, actual: list) -> bool:
    if len(wanted) != len(actual):
        return False
    for w, a in zip(wanted, actual):
        keys = [k for k in RESOURCE_KEYS_COMPARED if k in w] + ([] if "file" in w else ["url"])
        if not all(_same(w.get(k), a.get(k)) for k in keys):
            return False
    return True


def unchanged(entry: dict, current: dict) -> bool:
    fields = {k: v for k, v in entry.items() if k not in ("resources", "owner_org")}
    org = (current.get("organization") or {}).get("name")
    return (org == entry.get("owner_org") and _same(fields, current)
            and _resources_match(entry.get("resources", []), current.get("resources", [])))


def _upload(package_id: str, resource: dict, files: str, context: dict) -> None:
    """Create a resource from a file (uploads go through ``resource_create``)."""
    path = os.path.join(files, resource["file"])
    data = {k: v for k, v in resource.items() if k != "file"}
    with open(path, "rb") as stream:
        data.update(package_id=package_id, url=os.path.basename(path),
                    upload=FileStorage(stream=stream, filename=os.path.basename(path)))
        tk.get_action("resource_create")(dict(context), data)


def _split_resources(entry: dict, current: dict) -> tuple[list[dict], list[dict]]:
    """(resources to send with the dataset, files still to upload).
    Uploaded files already there are kept, matched by resource name."""
    existing = {r["name"]: r for r in (current or {}).get("resources", [])}
    send, uploads = [], []
    for resource in entry.get("resources", []):
        kept = existing.get(resource.get("name"))
        if "file" not in resource:
            send.append({**resource, **({"id": kept["id"]} if kept else {})})
        elif kept and kept.get("url_type") == "upload":
            send.append({**{k: v for k, v in resource.items() if k != "file"}, "id": kept["id"],
                         "url": kept["url"], "url_type": "upload"})
        else:
            uploads.append(resource)
    return send, uploads


def _save(entry: dict, current: dict, context: dict, files: str) -> None:
    send, uploads = _split_resources(entry, current)
    data = {**entry, "resources": send}
    if current:
        saved = tk.get_action("package_update")(dict(context), {**data, "id": current["id"]})
    else:
        saved = tk.get_action("package_create")(dict(context), data)
    for resource in uploads:
        _upload(saved["id"], resource, files, context)
    if uploads:
        _reorder(saved["id"], entry, context)


def _reorder(package_id: str, entry: dict, context: dict) -> None:
    shown = tk.get_action("package_show")(dict(context), {"id": package_id})
    by_name = {r["name"]: r["id"] for r in shown["resources"]}
    order = [by_name[r["name"]] for r in entry.get("resources", []) if r.get("name") in by_name]
    if order != [r["id"] for r in shown["resources"]]:
        tk.get_action("package_resource_reorder")(dict(context), {"id": package_id, "order": order})


def load_entry(entry: dict, context: dict, files: str, report: Report) -> None:
    name = entry["name"]
    try:
        current = tk.get_action("package_show")(dict(context), {"id": name})
    except tk.ObjectNotFound:
        current = None
    if current and current.get("state") == "active" and unchanged(entry, current):
        report.unchanged.append(name)
        return
    try:
        _save(entry, current, context, files)
    except tk.ValidationError as error:
        report.problems.append(f"{name}: {error.error_summary}")
        return
    (report.updated if current else report.created).append(name)


def load(context: dict, folder: str = "") -> Report:
    folder = folder or package_path("data", "demo")
    report = Report("demo datasets")
    for entry in read_entries(folder):
        load_entry(entry, context, os.path.join(folder, "files"), report)
    return report
