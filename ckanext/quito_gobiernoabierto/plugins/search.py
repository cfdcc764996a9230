"""``quito_search``: serves CKAN's ``package_search`` from PostgreSQL.

Thin wiring: it installs the engine behind CKAN's search seam when it loads,
and turns the ``ext_bbox`` search extra into the spatial filter the engine
(and a Solr with ckanext-spatial) understands. Remove the plugin and set
``solr_url`` to serve search from Solr instead.
"""
from __future__ import annotations

import ckan.plugins as p
import ckan.plugins.toolkit as tk

from ckanext.quito_gobiernoabierto.search import seam, spatial


@tk.blanket.config_declarations("../search/config_declaration.yaml")
class QuitoSearchPlugin(p.SingletonPlugin):
    p.implements(p.IConfigurer)
    p.implements(p.IConfigurable)
    p.implements(p.IPackageController, inherit=True)

    # IConfigurer: as early as possible, before any search runs
    def update_config(self, config):
        seam.install()
        allowed = list(config.get("ckan.search.solr_allowed_query_parsers") or [])
        if "field" not in allowed:
            config["ckan.search.solr_allowed_query_parsers"] = allowed + ["field"]

    # IConfigurable: again once every plugin module is imported
    def configure(self, config):
        seam.install()

    # IPackageController
    def before_dataset_search(self, search_params):
        extras = search_params.get("extras") or {}
        bbox = extras.get("ext_bbox")
        if not bbox:
            return search_params
        try:
            box = spatial.parse_bbox_param(bbox)
        except spatial.BBoxError as e:
            raise tk.ValidationError({"ext_bbox": [_bbox_message(e.code)]})
        fq = search_params.get("fq_list") or []
        search_params["fq_list"] = fq + ["{!field f=spatial_geom}" + spatial.envelope_body(box)]
        return search_params


def _bbox_message(code: str) -> str:
    if code == "range":
        return tk._("The bounding box must satisfy -180 <= minx <= maxx <= 180 "
                    "and -90 <= miny <= maxy <= 90.")
    return tk._("The bounding box must be four numbers: minx,miny,maxx,maxy.")
