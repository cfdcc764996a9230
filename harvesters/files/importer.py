"""Import: the planned dataset becomes a CKAN dataset through the same
actions a data steward uses (``package_create`` / ``package_update`` /
``package_delete``), so validation, permissions labels, indexing and the
activity stream are CKAN's own.

- Harvested fields are written over the dataset's; fields a steward added
  that the harvest does not give are kept, and so are resources the steward
  added by hand.
- A resource is matched to its file by the layout's key (kept in the harvest
  object), so a renamed file updates its resource.
- Files are uploaded (a copy in the portal) or linked, per the source's
  ``resources`` setting; an unchanged file is not uploaded again.
- A new dataset that fails validation is not left half-made (purged), and a
  failed update changes nothing: CKAN validates the whole dataset first.
- A dataset created by a run that was killed before it could record the
  link (harvest object) is taken over by the next run (:func:`adopt`)
  instead of failing with "That URL is already in use".
"""
from __future__ import annotations

import json
import os
from typing import Optional

import ckan.model as model
import ckan.plugins.toolkit as tk
from ckanext.harvest.model import HarvestObject
from werkzeug.datastructures import FileStorage

from . import fetch
from .plan import PlannedDataset, PlannedResource

RESOURCE_CORE = ("name", "description", "format", "mimetype", "url")


def context(user: str) -> dict:
    return {"user": user, "ignore_auth": True, "model": model, "session": model.Session}


def existing(package_id: Optional[str], user: str) -> Optional[dict]:
    if not package_id:
        return None
    try:
        found = tk.get_action("package_show")(context(user), {"id": package_id})
    except tk.ObjectNotFound:
        return None
    return found if found.get("state") == "active" else None


def N_(text: str) -> str:
    return text


#: The description of a harvested dataset whose source gives none (content,
#: so written in the portal's default language).
DEFAULT_NOTES = N_("Files published by {dependency} at its source ({source}), harvested by the portal. "
                   "The fields were read from the files and their names; see each resource for the file.")


def default_notes(dependency: str, source_url: str) -> str:
    from ckanext.quito_gobiernoabierto.datasets.lotaip import _catalogue

    translations = _catalogue(tk.config.get("ckan.locale_default") or "es")
    return translations.gettext(DEFAULT_NOTES).format(dependency=dependency, source=source_url)


def dataset_fields(plan: PlannedDataset, content: dict) -> dict:
    """Defaults of the source (those of this type), then what the files say,
    then what the layout and the manifest give."""
    fields = dict(plan.defaults)
    for found in (content.get("inspections") or {}).values():
        fields.update(found.get("metadata") or {})
    fields.update(plan.fields)
    fields["type"] = plan.dataset_type
    return fields


def resource_dict(resource: PlannedResource, entry: Optional[dict], found: Optional[dict],
                  base: Optional[dict], cfg, handles: list) -> dict:
    """The resource as it goes to CKAN, with its upload when the file changed."""
    out = dict(base or {})
    out.update({k: v for k, v in (found or {}).get("resource", {}).items() if k in ("format", "mimetype")})
    out.update(resource.fields)
    out.setdefault("name", resource.file.path.rsplit("/", 1)[-1])
    changed = entry is not None and (entry.get("changed") or base is None)
    if cfg.resources == "link" and resource.file.url.startswith(("http://", "https://")):
        out["url"], out["url_type"] = resource.file.url, None
    elif changed and os.path.exists(entry.get("local") or ""):
        handle = open(entry["local"], "rb")
        handles.append(handle)
        out["upload"] = FileStorage(handle, filename=resource.file.path.rsplit("/", 1)[-1])
        out["url"] = ""
    return out


def build(plan: PlannedDataset, content: dict, cfg, current: Optional[dict], handles: list) -> tuple[dict, list]:
    """The full dataset dict and the resource keys, in the order sent."""
    data = dict(current or {})
    data.update(dataset_fields(plan, content))
    if current:
        data["name"] = current["name"]
    by_id = {r["id"]: r for r in (current or {}).get("resources", [])}
    ids = content.get("resource_ids") or {}
    files, inspections = content.get("files") or {}, content.get("inspections") or {}
    resources, keys = [], []
    for resource in plan.resources:
        base = by_id.pop(ids.get(resource.key), None)
        entry = files.get(resource.key)
        if entry is None and base is None:
            continue  # could not be downloaded, and never was: reported by fetch
        resources.append(resource_dict(resource, entry, inspections.get(resource.key), base, cfg, handles))
        keys.append(resource.key)
    removed = {ids[k] for k in ids if k not in keys} if cfg.removed == "delete" else set()
    resources += [r for rid, r in by_id.items() if rid not in removed]
    data["resources"] = resources
    return data, keys


def save(plan: PlannedDataset, content: dict, cfg, package_id: Optional[str], user: str) -> tuple[dict, dict]:
    """Create or update the dataset; returns it and the key -> resource id map."""
    handles: list = []
    try:
        current = existing(package_id, user) if package_id else adopt(plan, user)
        data, keys = build(plan, content, cfg, current, handles)
        if current is None:
            saved = _create(data, user)
        else:
            saved = tk.get_action("package_update")(context(user), data)
    finally:
        for handle in handles:
            handle.close()
    ids = {key: saved["resources"][i]["id"] for i, key in enumerate(keys)}
    return saved, ids


def adopt(plan: PlannedDataset, user: str) -> Optional[dict]:
    """The dataset an interrupted run created for this plan, if there is one:
    same name and dependency, created by the harvest's user, and linked to no
    harvest object. A steward's dataset with that name is never taken."""
    name, org = plan.fields.get("name"), model.Group.get(plan.fields.get("owner_org") or "")
    package = model.Package.get(name) if name else None
    harvester = model.User.get(user)
    if package is None or org is None or harvester is None or package.state != "active":
        return None
    if package.owner_org != org.id or package.creator_user_id != harvester.id:
        return None
    linked = model.Session.query(HarvestObject.id).filter(HarvestObject.package_id == package.id).first()
    return None if linked else existing(package.id, user)


def _create(data: dict, user: str) -> dict:
    """package_create without resources, then the resources with their
    uploads; a failure on the way removes the new dataset entirely."""
    resources = data.pop("resources", [])
    created = tk.get_action("package_create")(context(user), dict(data))
    try:
        return tk.get_action("package_update")(context(user), dict(created, resources=resources))
    except Exception:
        model.Session.rollback()
        tk.get_action("dataset_purge")(context(user), {"id": created["id"]})
        raise


def make_current(obj: HarvestObject, package_id: str) -> None:
    """This object is now the dataset's last import (ckanext-harvest's links)."""
    (model.Session.query(HarvestObject)
     .filter(HarvestObject.guid == obj.guid, HarvestObject.harvest_source_id == obj.harvest_source_id,
             HarvestObject.current.is_(True), HarvestObject.id != obj.id)
     .update({"current": False}, synchronize_session=False))
    obj.package_id, obj.current = package_id, True


def delete(obj: HarvestObject, user: str) -> bool:
    """The dataset's files are gone from the source (removal policy "delete");
    the object is saved as the record of the deletion."""
    if existing(obj.package_id, user) is not None:
        tk.get_action("package_delete")(context(user), {"id": obj.package_id})
    (model.Session.query(HarvestObject)
     .filter(HarvestObject.guid == obj.guid, HarvestObject.harvest_source_id == obj.harvest_source_id)
     .update({"current": False}, synchronize_session=False))
    obj.current = False
    obj.save()
    return True


def finish(obj: HarvestObject, content: dict, ids: dict) -> None:
    """Keep what the next run compares with, and drop the downloaded copies."""
    for entry in (content.get("files") or {}).values():
        entry.pop("local", None)
    obj.content = json.dumps(dict(content, resource_ids=ids, inspections={}))
    fetch.clear(fetch.cache_dir(obj.harvest_source_id, obj.id))
