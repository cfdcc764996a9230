"""Fetch: download the files of a dataset that changed, and inspect them.

Files whose change tokens are those of the last import are not downloaded.
A downloaded file whose SHA-256 is the one imported last time counts as
unchanged (a server that touched it). Each file lands in the harvest cache
(``<ckan.storage_path>/quito_harvest/<source>/<object>/``) under a safe name,
and is inspected: what the inspector learns, and why a file could not be
read, are kept in the object's content for the import stage and the report.
"""
from __future__ import annotations

import hashlib
import os
import re
import shutil
import tempfile
from typing import Optional

import ckan.plugins.toolkit as tk

from ckanext.quito_gobiernoabierto import inspectors

from . import transfer
from .plan import PlannedDataset, PlannedResource

#: The inspector kind forced per plan (others are chosen from the file).
FORCED_KIND = {"gtfs": "gtfs"}
#: Plans whose type needs what the inspector reads: an unreadable file is held back.
STRICT = ("gtfs", "geo")


def cache_dir(source_id: str, object_id: str) -> str:
    root = tk.config.get("ckanext.quito.harvest.cache_path") or os.path.join(
        tk.config.get("ckan.storage_path") or tempfile.gettempdir(), "quito_harvest")
    return os.path.join(root, _safe(source_id), _safe(object_id))


def _safe(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "_", name).strip("._") or "file"


def local_name(resource: PlannedResource) -> str:
    """A file name that cannot leave the cache folder, keeping the extension."""
    base = resource.file.path.rsplit("/", 1)[-1]
    digest = hashlib.sha1(resource.key.encode("utf-8")).hexdigest()[:8]
    return f"{digest}-{_safe(base)}"[:120]


def fetch(obj, content: dict, cfg, http=None) -> dict:
    """Download and inspect the changed files of ``content["plan"]``; returns
    the content with ``files`` (per resource key) and ``errors`` filled."""
    plan = PlannedDataset.from_json(content["plan"])
    before_tokens, before_files = content.get("previous_tokens") or {}, content.get("files") or {}
    folder = cache_dir(obj.harvest_source_id, obj.id)
    os.makedirs(folder, exist_ok=True)
    http = http or transfer.session()
    files, errors = {}, []
    for resource in plan.resources:
        same = before_tokens.get(resource.key) == content["tokens"].get(resource.key)
        if same and resource.key in before_files:
            files[resource.key] = dict(before_files[resource.key], changed=False)
            continue
        entry = _download(http, resource, folder, cfg, errors)
        if entry is not None:
            previous = before_files.get(resource.key) or {}
            entry["changed"] = entry["sha256"] != previous.get("sha256")
            files[resource.key] = entry
    inspections = _inspect(plan, files, cfg)
    _hold_back_unreadable(plan, files, before_files, inspections)
    return dict(content, files=files, errors=errors, inspections=inspections)


def _hold_back_unreadable(plan: PlannedDataset, files: dict, before_files: dict, inspections: dict) -> None:
    """A feed or layer the inspector could not read is not published: the
    version imported before stays (reported, nothing lost)."""
    if plan.inspect not in STRICT:
        return
    for key, found in inspections.items():
        if found.get("fatal"):
            files.pop(key, None)
            if key in before_files:
                files[key] = dict(before_files[key], changed=False)


def _download(http, resource: PlannedResource, folder: str, cfg, errors: list) -> Optional[dict]:
    target = os.path.join(folder, local_name(resource))
    try:
        sha256 = transfer.download(http, resource.file.url, target, cfg.timeout, cfg.max_file_size)
    except transfer.SourceError as error:
        errors.append(f"{resource.file.path}: {error}")
        return None
    return {"sha256": sha256, "local": target, "size": os.path.getsize(target), "path": resource.file.path}


def _inspect(plan: PlannedDataset, files: dict, cfg) -> dict:
    """Per resource key: what the inspector read (only files downloaded now)."""
    limits = inspectors.Limits(max_file_size=cfg.max_file_size)
    out = {}
    for resource in plan.resources:
        entry = files.get(resource.key)
        if not entry or not entry.get("changed") or not os.path.exists(entry.get("local") or ""):
            continue
        if plan.inspect is None and not _tabular(resource.file.path):
            continue
        found = inspectors.inspect(entry["local"], resource.file.path.rsplit("/", 1)[-1], limits,
                                   kind=FORCED_KIND.get(plan.inspect))
        out[resource.key] = {"kind": found.kind, "metadata": found.metadata, "resource": found.resource,
                             "errors": found.errors, "warnings": found.warnings, "fatal": found.fatal,
                             "path": resource.file.path}
    return out


def _tabular(path: str) -> bool:
    return path.lower().endswith((".csv", ".xlsx"))


def clear(folder: str) -> None:
    """Remove an object's cache folder (after its import)."""
    shutil.rmtree(folder, ignore_errors=True)
