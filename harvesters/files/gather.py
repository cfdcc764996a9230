"""Gather: list the source, plan its datasets, and decide per dataset.

One harvest object per planned dataset (guid = the plan's guid), marked:

- ``unchanged``: same files with the same change tokens as at its last import
  (or the source's update policy is ``never``): fetch and import do nothing;
- ``changed`` (new or modified): fetch downloads the files that changed;
- ``delete``: a dataset harvested before whose files are gone, only when the
  removal policy is ``delete``, the listing was complete, and no more than
  ``max_removals`` of the source's datasets would go in one run.

A listing that fails (``SourceError``) or a bad configuration ends the gather
with an error and no objects at all: nothing is changed or deleted.
"""
from __future__ import annotations

import json
import unicodedata
from typing import Optional

import ckan.model as model
from ckan.plugins.toolkit import _
from ckanext.harvest.model import HarvestGatherError, HarvestObject, HarvestObjectExtra

from . import config as source_config
from . import layouts, sources
from .plan import PlannedDataset
from .transfer import SourceError

STATUS = "status"
REPORTED_NAMES = 20


def gather(job, known_types: Optional[set] = None) -> list[str]:
    """The ids of the objects created for ``job`` (empty on a failed listing)."""
    source = job.source
    try:
        cfg = source_config.parse(source.config, known_types)
        owner = dependency(cfg, source)
        listing = sources.list_files(source.url, cfg)
    except (source_config.ConfigErrors, SourceError) as error:
        HarvestGatherError.create(str(error), job)
        return []
    _report_names(job, listing.refused, _("File names refused"))
    result = layouts.plan(listing.files, cfg, owner)
    _report_names(job, result.unmatched, _("Files no layout rule takes"))
    previous = current_objects(source.id)
    ids = [_object(job, plan, previous.get(plan.guid), cfg, owner) for plan in result.datasets]
    ids += removals(job, cfg, previous, {plan.guid for plan in result.datasets})
    return ids


def dependency(cfg, source) -> dict:
    """The organization that owns the harvested datasets."""
    package = model.Package.get(source.id)  # the source's dataset holds its organization
    wanted = cfg.dependency or (package.owner_org if package is not None else None)
    group = model.Group.get(wanted) if wanted else None
    if group is None or not group.is_organization or group.state != "active":
        raise source_config.ConfigErrors([_('"dependency": no active organization "{name}" in this portal.').format(
            name=wanted or "")])
    return {"id": group.id, "name": group.name, "title": group.title}


def printable(name: str) -> str:
    """A name as it can be reported: control characters and half surrogate
    pairs escaped (``\\x00``), as the database refuses them."""
    return "".join((f"\\x{ord(c):02x}" if ord(c) < 256 else f"\\u{ord(c):04x}")
                   if unicodedata.category(c) in ("Cc", "Cs") else c for c in name)


def _report_names(job, names: list, title: str) -> None:
    if not names:
        return
    shown = "; ".join(f"{printable(name)} ({reason})" for name, reason in names[:REPORTED_NAMES])
    more = len(names) - REPORTED_NAMES
    tail = (" " + _("and {count} more.").format(count=more)) if more > 0 else ""
    HarvestGatherError.create(f"{title} ({len(names)}): {shown}{tail}", job)


def status(obj: HarvestObject) -> str:
    """What gather decided for the object: changed, unchanged or delete."""
    return next((e.value for e in obj.extras if e.key == STATUS), "changed")


def current_objects(source_id: str) -> dict[str, HarvestObject]:
    """guid -> the object of the last import of each dataset still here."""
    query = (model.Session.query(HarvestObject)
             .join(model.Package, model.Package.id == HarvestObject.package_id)
             .filter(HarvestObject.harvest_source_id == source_id, HarvestObject.current.is_(True),
                     model.Package.state == "active"))
    return {obj.guid: obj for obj in query}


def stored(obj: Optional[HarvestObject]) -> dict:
    try:
        return json.loads(obj.content) if obj is not None and obj.content else {}
    except ValueError:
        return {}


def _object(job, plan: PlannedDataset, previous: Optional[HarvestObject], cfg, owner: dict) -> str:
    before = stored(previous)
    same = previous is not None and (before.get("tokens") == _comparable(plan.tokens()) or cfg.update == "never")
    content = {"plan": plan.to_json(), "tokens": _comparable(plan.tokens()),
               "previous_tokens": before.get("tokens", {}), "dependency_title": owner["title"],
               "files": before.get("files", {}), "resource_ids": before.get("resource_ids", {})}
    obj = HarvestObject(guid=plan.guid, job=job, content=json.dumps(content),
                        package_id=previous.package_id if previous is not None else None,
                        extras=[HarvestObjectExtra(key=STATUS, value="unchanged" if same else "changed")])
    obj.save()
    return obj.id


def _comparable(tokens: dict) -> dict:
    """Tokens as JSON gives them back (tuples become lists, keys strings)."""
    return json.loads(json.dumps(tokens, sort_keys=True))


def removals(job, cfg, previous: dict, planned: set) -> list[str]:
    gone = sorted(set(previous) - planned)
    if not gone or cfg.removed != "delete":
        return []
    if len(gone) > cfg.max_removals * len(previous):
        HarvestGatherError.create(_("{count} of {total} datasets are no longer at the source, more than "
                                    "max_removals allows; none was deleted.").format(count=len(gone),
                                                                                     total=len(previous)), job)
        return []
    ids = []
    for guid in gone:
        obj = HarvestObject(guid=guid, job=job, package_id=previous[guid].package_id,
                            content=previous[guid].content, extras=[HarvestObjectExtra(key=STATUS, value="delete")])
        obj.save()
        ids.append(obj.id)
    return ids
