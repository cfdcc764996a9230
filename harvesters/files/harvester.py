"""``quito_files``: the ckanext-harvest harvester (gather / fetch / import)."""
from __future__ import annotations

import json
import logging

import ckan.plugins.toolkit as tk
from ckan.plugins.toolkit import _
from ckanext.harvest.harvesters.base import HarvesterBase
from ckanext.harvest.model import HarvestObjectError

from . import config as source_config
from . import fetch, gather, importer
from .gather import status as gather_status

log = logging.getLogger(__name__)


def known_types() -> set:
    """The dataset types this portal serves (scheming's)."""
    try:
        return set(tk.get_action("scheming_dataset_schema_list")({}, {}))
    except KeyError:
        return set()



@tk.blanket.config_declarations("config_declaration.yaml")
class QuitoFilesHarvester(HarvesterBase):
    """Files of a municipal dependency: a web folder, a manifest or a shared folder."""

    def info(self):
        return {"name": "quito_files",
                "title": _("Files of a municipal dependency"),
                "description": _("Publishes the files a dependency puts in a web folder (auto-index), "
                                 "lists in a manifest (CSV/JSON) or shares in a folder, as datasets "
                                 "of the right type (LOTAIP, GTFS, map layers, budgets...)."),
                "form_config_interface": "Text"}

    def validate_config(self, config):
        """Checked when the source is saved: every problem, each on its line."""
        try:
            parsed = source_config.parse(config, known_types())
        except source_config.ConfigErrors as error:
            raise ValueError("\n".join(error.errors))
        if parsed.kind == "folder" and parsed.resources == "link":
            raise ValueError(_('A shared folder cannot be linked to: use "resources": "upload".'))
        return config

    def gather_stage(self, harvest_job):
        return gather.gather(harvest_job, known_types())

    def fetch_stage(self, harvest_object):
        status = gather_status(harvest_object)
        if status == "unchanged":
            return "unchanged"
        if status == "delete":
            return True
        content = json.loads(harvest_object.content)
        cfg = source_config.parse(harvest_object.source.config)
        content = fetch.fetch(harvest_object, content, cfg)
        harvest_object.content = json.dumps(content)
        harvest_object.save()
        for message in content["errors"]:
            HarvestObjectError.create(message, harvest_object, "Fetch")
        for found in content["inspections"].values():
            for message in found["errors"]:
                HarvestObjectError.create(f"{found['path']}: {message}", harvest_object, "Fetch")
        return True

    def import_stage(self, harvest_object):
        user = self._get_user_name()
        if gather_status(harvest_object) == "delete":
            return importer.delete(harvest_object, user)
        return self._import(harvest_object, user)

    def _import(self, harvest_object, user):
        content = json.loads(harvest_object.content)
        cfg = source_config.parse(harvest_object.source.config)
        plan = importer.PlannedDataset.from_json(content["plan"])
        plan.fields.setdefault("notes", importer.default_notes(content.get("dependency_title") or
                                                               plan.fields.get("owner_org", ""),
                                                               harvest_object.source.url))
        if not any(entry for entry in (content.get("files") or {}).values()) and not harvest_object.package_id:
            HarvestObjectError.create(_("No file of this dataset could be downloaded; it was not created."),
                                      harvest_object, "Import")
            return False
        if not any(e.get("changed") for e in content["files"].values()) and harvest_object.package_id:
            importer.finish(harvest_object, content, content.get("resource_ids") or {})
            importer.make_current(harvest_object, harvest_object.package_id)
            harvest_object.save()
            return "unchanged"
        try:
            saved, ids = importer.save(plan, content, cfg, harvest_object.package_id, user)
        except tk.ValidationError as error:
            HarvestObjectError.create(_("The dataset was not saved: {errors}").format(
                errors=_describe(error.error_dict)), harvest_object, "Import")
            return False
        importer.make_current(harvest_object, saved["id"])
        importer.finish(harvest_object, content, ids)
        harvest_object.save()
        return True


def _describe(errors: dict) -> str:
    parts = []
    for field, messages in errors.items():
        if isinstance(messages, list) and messages and isinstance(messages[0], dict):
            messages = [f"{k}: {v}" for item in messages for k, v in item.items()]
        parts.append(f"{field}: {'; '.join(str(m) for m in messages) if isinstance(messages, list) else messages}")
    return " | ".join(parts)
