"""What this portal adds to ckanext-dcat's RDF harvester (``dcat_rdf``).

- A harvested dataset lands in the dependency that publishes it at the source
  (the profile reads it back as ``owner_org``, the organization's name) when
  this portal has that organization, else in the harvest source's own.
- A dataset whose harvested content is the one of its last import, and which
  nobody edited here since, is left alone: a harvest of an unchanged source
  writes nothing (ckanext-dcat would update every dataset on every run).
- A catalogue page that cannot be downloaded ends the gather stage, as
  ckanext-dcat does, and the datasets already gathered from earlier pages are
  dropped: they would never be imported and would keep the job "Running".
"""
from __future__ import annotations

import json
from typing import Optional

import ckan.model as model
from ckanext.harvest.model import HarvestObject


def place(harvest_object: HarvestObject, dataset_dict: dict) -> None:
    """Set ``owner_org`` to the named organization of this portal, if any,
    else to the harvest source's organization (or none)."""
    wanted = dataset_dict.get("owner_org")
    group = model.Group.get(wanted) if wanted else None
    if group is not None and group.is_organization and group.state == "active":
        dataset_dict["owner_org"] = group.id
        return
    source = model.Package.get(harvest_object.harvest_source_id)
    if source is not None and source.owner_org:
        dataset_dict["owner_org"] = source.owner_org
    else:
        dataset_dict.pop("owner_org", None)


def last_import(harvest_object: HarvestObject, package_id: str) -> Optional[HarvestObject]:
    """The latest completed import of the same dataset from the same source."""
    return (model.Session.query(HarvestObject)
            .filter(HarvestObject.guid == harvest_object.guid,
                    HarvestObject.harvest_source_id == harvest_object.harvest_source_id,
                    HarvestObject.id != harvest_object.id,
                    HarvestObject.package_id == package_id,
                    HarvestObject.state == "COMPLETE",
                    HarvestObject.import_finished.isnot(None))
            .order_by(HarvestObject.import_finished.desc())
            .first())


def unchanged(harvest_object: HarvestObject, package_id: str) -> bool:
    """True when the source sends what it sent at the last import and the
    dataset was not modified here after that import."""
    previous = last_import(harvest_object, package_id)
    package = model.Package.get(package_id)
    if previous is None or previous.content is None or package is None or package.state != "active":
        return False
    if package.metadata_modified > previous.import_finished:
        return False
    return json.loads(previous.content) == json.loads(harvest_object.content)


def drop_unimported(harvest_job) -> int:
    """Delete the objects this job gathered and has not processed yet."""
    waiting = (model.Session.query(HarvestObject)
               .filter(HarvestObject.harvest_job_id == harvest_job.id,
                       HarvestObject.state == "WAITING"))
    count = 0
    for harvest_object in waiting:
        model.Session.delete(harvest_object)
        count += 1
    model.Session.commit()
    return count
