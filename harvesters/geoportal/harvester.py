"""``quito_geoportal``: each layer of the municipal geoportal (ArcGIS REST
services directory, or OGC WMS / WFS capabilities) as a ``capa_geografica``.

Source configuration (JSON; all optional but ``kind``)::

    {"kind": "arcgis",                 // arcgis | wms | wfs
     "dependency": "secretaria-de-territorio-habitat-y-vivienda",
     "defaults": {"license_id": "cc-by-4.0", "geometry_type": "polygon"},
     "removed": "keep",                // keep | delete: layers no longer served
     "max_removals": 0.5, "timeout": 20}

A crawl that fails, or that could not read every folder and service, deletes
nothing. A layer whose description is the one imported last time is left
alone (``unchanged``).
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Optional

import ckan.plugins.toolkit as tk
from ckan.plugins.toolkit import _
from ckanext.harvest.harvesters.base import HarvesterBase
from ckanext.harvest.model import HarvestGatherError, HarvestObject, HarvestObjectError, HarvestObjectExtra

from ..files import gather as files_gather
from ..files import importer
from ..files.gather import status as gather_status
from ..files.config import ConfigErrors, load_json
from . import crawl_arcgis, crawl_wfs, crawl_wms, layer_to_dataset
from .http import Fetcher, SourceError
from .records import LayerRecord

KINDS = ("arcgis", "wms", "wfs")
KEYS = {"kind", "dependency", "defaults", "removed", "max_removals", "timeout"}


@dataclass
class GeoportalConfig:
    kind: str
    dependency: Optional[str] = None
    defaults: dict = field(default_factory=dict)
    removed: str = "keep"
    max_removals: float = 0.5
    timeout: float = 20.0


def parse_config(text: Optional[str]) -> GeoportalConfig:
    data = load_json(text if isinstance(text, str) else "")
    errors = [] if isinstance(data, dict) else [_("The configuration must be a JSON object ({...}).")]
    data = data if isinstance(data, dict) else {}
    if set(data) - KEYS:
        errors.append(_("Unknown setting(s): {names}.").format(names=", ".join(sorted(set(data) - KEYS))))
    if data.get("kind") not in KINDS:
        errors.append(_('"{key}" is required: one of {allowed}.').format(key="kind", allowed=", ".join(KINDS)))
    if data.get("removed", "keep") not in ("keep", "delete"):
        errors.append(_('"{key}" must be one of {allowed} (got "{value}").').format(
            key="removed", allowed="keep, delete", value=data.get("removed")))
    if not isinstance(data.get("defaults", {}), dict):
        errors.append(_('"defaults" must be an object of dataset fields.'))
    dependency = data.get("dependency")
    if dependency is not None and not (isinstance(dependency, str) and dependency.strip()):
        errors.append(_('"{key}" must be a non-empty text.').format(key="dependency"))
    errors += _number_errors(data)
    if errors:
        raise ConfigErrors(errors)
    return GeoportalConfig(**data)


def _number_errors(data: dict) -> list:
    out = []
    for key, low, high in (("max_removals", 0, 1), ("timeout", 1, 600)):
        value = data.get(key)
        if value is not None and (isinstance(value, bool) or not isinstance(value, (int, float))
                                  or not low <= value <= high):
            out.append(_('"{key}" must be between {low} and {high}.').format(key=key, low=low, high=high))
    return out


def crawl(url: str, cfg: GeoportalConfig, errors: list) -> list[LayerRecord]:
    fetcher = Fetcher(timeout=cfg.timeout)
    if cfg.kind == "arcgis":
        return crawl_arcgis(url, fetcher=fetcher, errors=errors)
    if cfg.kind == "wfs":
        return crawl_wfs(url, fetcher=fetcher, errors=errors)
    return crawl_wms(url, fetcher=fetcher)



class QuitoGeoportalHarvester(HarvesterBase):
    """Layers of the municipal geoportal as map-layer datasets."""

    def info(self):
        return {"name": "quito_geoportal", "title": _("Municipal geoportal (ArcGIS REST, WMS, WFS)"),
                "description": _("Each layer published by an ArcGIS REST services directory or an OGC "
                                 "WMS/WFS service becomes a map layer with its extent, CRS and services."),
                "form_config_interface": "Text"}

    def validate_config(self, config):
        try:
            parse_config(config)
        except ConfigErrors as error:
            raise ValueError("\n".join(error.errors))
        return config

    def gather_stage(self, harvest_job):
        source = harvest_job.source
        try:
            cfg = parse_config(source.config)
            owner = files_gather.dependency(cfg, source)
            errors: list = []
            records = crawl(source.url, cfg, errors)
        except (ConfigErrors, SourceError) as error:
            HarvestGatherError.create(str(error), harvest_job)
            return []
        for url, message in errors:
            HarvestGatherError.create(f"{url}: {message}", harvest_job)
        previous = files_gather.current_objects(source.id)
        ids = [self._object(harvest_job, record, previous.get(record.guid), owner) for record in records]
        if not errors:  # an incomplete crawl never removes anything
            ids += files_gather.removals(harvest_job, cfg, previous, {r.guid for r in records})
        return ids

    @staticmethod
    def _object(job, record: LayerRecord, previous, owner: dict) -> str:
        # As JSON gives it back (tuples become lists), to compare with the last import.
        content = json.loads(json.dumps({"record": record.to_dict(), "owner": owner}))
        same = previous is not None and files_gather.stored(previous).get("record") == content["record"]
        obj = HarvestObject(guid=record.guid, job=job, content=json.dumps(content),
                            package_id=previous.package_id if previous is not None else None,
                            extras=[HarvestObjectExtra(key=files_gather.STATUS,
                                                       value="unchanged" if same else "changed")])
        obj.save()
        return obj.id

    def fetch_stage(self, harvest_object):
        return "unchanged" if gather_status(harvest_object) == "unchanged" else True

    def import_stage(self, harvest_object):
        user = self._get_user_name()
        if gather_status(harvest_object) == "delete":
            return importer.delete(harvest_object, user)
        content = json.loads(harvest_object.content)
        cfg = parse_config(harvest_object.source.config)
        try:
            saved = save_layer(content, cfg, harvest_object.package_id, user)
        except tk.ValidationError as error:
            HarvestObjectError.create(_("The dataset was not saved: {errors}").format(
                errors=json.dumps(error.error_dict, ensure_ascii=False)), harvest_object, "Import")
            return False
        importer.make_current(harvest_object, saved["id"])
        harvest_object.save()
        return True


def save_layer(content: dict, cfg: GeoportalConfig, package_id: Optional[str], user: str) -> dict:
    """Create the layer's dataset, or update it keeping its name and the
    resources a steward added (harvested services are matched by URL)."""
    record = LayerRecord.from_dict(content["record"])
    data = layer_to_dataset(record, dict(cfg.defaults, owner_org=content["owner"]["name"]))
    current = importer.existing(package_id, user)
    if current is None:
        return tk.get_action("package_create")(importer.context(user), data)
    harvested = {r["url"] for r in data["resources"]}
    kept = [r for r in current.get("resources", []) if r.get("url") not in harvested]
    by_url = {r.get("url"): r for r in current.get("resources", [])}
    resources = [dict(by_url.get(r["url"], {}), **r) for r in data["resources"]] + kept
    merged = dict(current, **data)
    merged.update(name=current["name"], resources=resources)
    return tk.get_action("package_update")(importer.context(user), merged)
