"""``quito_geoportal`` end to end against the fake ArcGIS REST directory and
WMS/WFS on loopback: layers become map layers, re-runs change nothing, a
failing geoportal deletes nothing."""
import json

import pytest

import ckan.plugins.toolkit as tk
from ckan.tests import factories

from ckanext.quito_gobiernoabierto.logic import harvest_run

from .files_support import datasets, sysadmin_context

PLUGINS = ("activity quito_search quito_datasets scheming_organizations dcat structured_data "
           "quito_gobiernoabierto harvest quito_geoportal")

pytestmark = [pytest.mark.ckan_config("ckan.plugins", PLUGINS),
              pytest.mark.usefixtures("with_plugins", "clean_db", "with_request_context")]


@pytest.fixture
def org():
    return factories.Organization(name="territorio", title="Secretaría de Territorio, Hábitat y Vivienda",
                                  kind="secretaria")


def source(url: str, org: dict, name: str = "geoportal", **config) -> dict:
    return tk.get_action("harvest_source_create")(sysadmin_context(), {
        "name": name, "title": "Geoportal", "url": url, "source_type": "quito_geoportal",
        "owner_org": org["id"], "config": json.dumps(config)})


def layers(org: dict) -> list:
    return sorted((d for d in datasets(org).values() if d["type"] == "capa_geografica"), key=lambda d: d["name"])


def test_arcgis_layers_become_map_layers_and_a_rerun_changes_nothing(arcgis_server, org):
    harvest = source(arcgis_server.services_url, org, kind="arcgis", defaults={"license_id": "cc-by-4.0"})
    first = harvest_run.run(harvest["id"])
    assert first["errors"] == 0 and first["created"] >= 3, first
    found = layers(org)
    assert len(found) == first["created"]
    for layer in found:
        assert layer["crs"].startswith("EPSG:") and layer["geometry_type"] and layer["license_id"] == "cc-by-4.0"
        assert any(r.get("service_protocol") for r in layer["resources"])
    modified = [d["metadata_modified"] for d in found]
    again = harvest_run.run(harvest["id"])
    assert (again["unchanged"], again["created"], again["updated"]) == (first["created"], 0, 0)
    assert [d["metadata_modified"] for d in layers(org)] == modified


def test_wms_layers_take_the_geometry_from_the_defaults(ogc_server, org):
    harvest = source(ogc_server.wms_url, org, kind="wms", defaults={"geometry_type": "polygon"})
    result = harvest_run.run(harvest["id"])
    assert (result["created"], result["errors"]) == (2, 0), result
    assert {d["geometry_type"] for d in layers(org)} == {"polygon"}


@pytest.mark.parametrize("fault", [{"kind": "down"}, {"kind": "status", "code": 500}])
def test_a_failing_geoportal_deletes_nothing(arcgis_server, org, fault):
    harvest = source(arcgis_server.services_url, org, kind="arcgis", removed="delete")
    harvest_run.run(harvest["id"])
    before = [d["name"] for d in layers(org)]
    arcgis_server.set_fault(fault.pop("kind"), **fault)
    result = harvest_run.run(harvest["id"])
    assert result["gather_errors"] and result["deleted"] == 0
    assert [d["name"] for d in layers(org)] == before


def test_unsafe_capabilities_are_refused(ogc_server, org):
    harvest = source(ogc_server.url + "/xxe/wms", org, kind="wms")
    result = harvest_run.run(harvest["id"])
    assert result["created"] == 0 and result["gather_errors"]
    assert layers(org) == []


def test_bad_configuration_is_refused(arcgis_server, org):
    with pytest.raises(tk.ValidationError) as raised:
        source(arcgis_server.services_url, org, kind="csw", removed="never")
    text = str(raised.value.error_dict)
    assert '"kind" es obligatorio: uno de arcgis, wms, wfs' in text and '"removed" debe ser uno de' in text
