"""``quito_dcat_harvest``: the portal's additions to ckanext-dcat's RDF
harvester (load it beside ``harvest dcat_rdf_harvester``): harvested datasets
land in their dependency, unchanged datasets are not rewritten, a gather that
fails on a later page leaves no half-gathered job behind (``dcat/harvest.py``).
"""
from __future__ import annotations

import ckan.plugins as p
from ckanext.dcat.interfaces import IDCATRDFHarvester

from ckanext.quito_gobiernoabierto.dcat import harvest


class QuitoDCATHarvestPlugin(p.SingletonPlugin):
    p.implements(IDCATRDFHarvester, inherit=True)

    def after_download(self, content, harvest_job):
        if not content:
            harvest.drop_unimported(harvest_job)
        return content, []

    def before_create(self, harvest_object, dataset_dict, temp_dict):
        harvest.place(harvest_object, dataset_dict)

    def before_update(self, harvest_object, dataset_dict, temp_dict):
        harvest.place(harvest_object, dataset_dict)
        if harvest.unchanged(harvest_object, dataset_dict["id"]):
            # ckanext-dcat skips a dataset whose dict comes back empty; the
            # object must still point at the dataset (deletions use it).
            harvest_object.package_id = dataset_dict["id"]
            dataset_dict.clear()
