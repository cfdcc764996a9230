"""``quito_dcat_ap``: the Quito profile, run after ``euro_dcat_ap_3``.

Configure ``ckanext.dcat.rdf.profiles = euro_dcat_ap_3 quito_dcat_ap``. The
standard profile writes and reads the DCAT-AP 3 terms; this one adds, for
every Quito dataset type and driven by its scheming schema:

- the type (``qgov:datasetType`` and a ``dct:type`` concept);
- every field DCAT-AP has no term for, under ``qgov:`` (see ``values.py``);
- the publisher from the organigram, and the contact point, coverage,
  language and standards inferred when the dataset states none;
- vocabulary IRIs (formats, media types, licences), typed as the DCAT-AP 3
  range shapes require;
- LOTAIP years grouped in a ``dcat:DatasetSeries`` (``series.py``) and map
  services as ``dcat:DataService`` (``services.py``), both derived.

Parsing reverses it, so a harvester recreates each dataset with its fields.
"""
from __future__ import annotations

from ckanext.dcat.profiles.base import RDFProfile

from .. import catalog, distributions, export, parse, ranges, series, services, turtle
from .. import schema as schemas
from ..vocab import ORG, QGOV


class QuitoDCATAPProfile(RDFProfile):

    def graph_from_dataset(self, dataset_dict, dataset_ref):
        graph = self.g
        turtle.install(graph)  # Turtle written by our writer: same graph, ~5x faster
        graph.bind("qgov", QGOV)
        graph.bind("org", ORG)
        schema = schemas.dataset_schema(dataset_dict.get("type") or "dataset")
        export.write_identity(graph, dataset_ref, dataset_dict, schema)
        export.write_fields(graph, dataset_ref, dataset_dict, schemas.own_fields(schema))
        export.mark_derived(graph, dataset_ref, export.write_defaults(self, dataset_dict, dataset_ref, schema))
        licence = export.dataset_licence(dataset_dict)
        resource_fields = schemas.own_fields(schema, "resource")
        for position, resource in enumerate(dataset_dict.get("resources") or []):
            distributions.write(graph, resource, position, resource_fields, licence)
            services.write(graph, dataset_ref, resource)
        series.write(self, dataset_ref, dataset_dict)
        ranges.complete(graph, dataset_ref, schema)

    def parse_dataset(self, dataset_dict, dataset_ref):
        return parse.read_dataset(self.g, dataset_dict, dataset_ref)

    def graph_from_catalog(self, catalog_dict, catalog_ref):
        turtle.install(self.g)
        catalog.complete(self, catalog_ref)
