"""``quito_datasets``: ckanext-scheming's dataset plugin, with Quito's types.

It *is* scheming's ``scheming_datasets`` plugin (a subclass, loaded instead
of it), with one difference: schemas may extend other schemas, such as
ckanext-dcat's DCAT-AP ones (``datasets/compose.py``). It adds each type's
search facets, labels facet values from the schemas' choices, accepts
only safe addresses in the fields shown as links (``datasets/links.py``)
and refuses uploads of types a browser would run (``datasets/uploads.py``).
"""
from __future__ import annotations

import ckan.plugins as p
import ckan.plugins.toolkit as tk
from ckanext.scheming.plugins import SchemingDatasetsPlugin, _expand_schemas

from ckanext.quito_gobiernoabierto.datasets import compose, facets, indexing, labels, links, uploads

DEFAULTS = {
    "scheming.dataset_schemas": " ".join(
        f"ckanext.quito_gobiernoabierto.schemas:datasets/{name}.yaml"
        for name in ("dataset", "lotaip", "indicador", "capa_geografica", "gtfs", "presupuesto",
                     "sesion_concejo", "proyecto_emblematico", "informe_gestion", "plan_operativo")),
    "scheming.presets": "ckanext.scheming:presets.json ckanext.dcat.schemas:presets.yaml "
                        "ckanext.quito_gobiernoabierto.schemas:presets.yaml",
}


@tk.blanket.config_declarations("../datasets/config_declaration.yaml")
class QuitoDatasetsPlugin(SchemingDatasetsPlugin):
    p.implements(p.IFacets, inherit=True)
    p.implements(p.IPackageController, inherit=True)

    # IConfigurer
    def update_config(self, config):
        for key, value in DEFAULTS.items():
            if key not in config:
                config[key] = value
        super().update_config(config)
        self._schemas = compose.compose_all(self._schemas)
        self._expanded_schemas = uploads.protect(links.protect(_expand_schemas(self._schemas)))

    # IFacets
    def dataset_facets(self, facets_dict, package_type):
        return facets.facets_for(self._expanded_schemas.get(package_type), package_type)

    # IPackageController
    def before_dataset_index(self, pkg_dict):
        schema = self._expanded_schemas.get(pkg_dict.get("type") or "dataset")
        return indexing.expand_multiple_values(pkg_dict, schema) if schema else pkg_dict

    def after_dataset_search(self, search_results, search_params):
        return labels.label_facet_items(search_results, labels.schema_of)
