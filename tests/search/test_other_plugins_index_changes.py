"""Changes other plugins make in before_dataset_index reach the PostgreSQL index
(here ckanext-dcat flattening DCAT-AP subfields and exposing the geometry of
``spatial_coverage``), exactly as they would reach Solr."""
import json

import pytest

from ckan.tests import factories, helpers

GEOM = {"type": "Polygon", "coordinates": [[[-78.55, -0.30], [-78.45, -0.30], [-78.45, -0.20],
                                             [-78.55, -0.20], [-78.55, -0.30]]]}


@pytest.mark.ckan_config("ckan.plugins", "quito_search dcat scheming_datasets")
@pytest.mark.ckan_config("scheming.dataset_schemas", "ckanext.dcat.schemas:dcat_ap_full.yaml")
@pytest.mark.ckan_config("scheming.presets", "ckanext.scheming:presets.json ckanext.dcat.schemas:presets.yaml")
@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
def test_dcat_subfields_and_spatial_are_searchable():
    org = factories.Organization()
    factories.Dataset(
        name="limites-parroquiales", title="Límites parroquiales", notes="Parroquias del DMQ",
        owner_org=org["id"],
        spatial_coverage=[{"text": "Distrito Metropolitano de Quito", "geom": json.dumps(GEOM)}],
    )
    factories.Dataset(name="sin-extension", title="Sin extensión", notes="n", owner_org=org["id"])
    found = helpers.call_action("package_search", q='extras_spatial_coverage__text:"Metropolitano"')
    assert [d["name"] for d in found["results"]] == ["limites-parroquiales"]
    inside = helpers.call_action("package_search", extras={"ext_bbox": "-78.50,-0.25,-78.40,-0.10"})
    assert [d["name"] for d in inside["results"]] == ["limites-parroquiales"]
    shown = found["results"][0]
    assert shown["spatial_coverage"][0]["text"] == "Distrito Metropolitano de Quito"
