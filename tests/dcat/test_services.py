"""Map-layer services as dcat:DataService (dcat/services.py): derived from a
service resource's protocol and layer, linked by dcat:accessService, never
parsed back into access_services, left out when the resource states its own
access services, and valid against the DCAT-AP 3.0.1 shapes."""
import json

import pytest
import rdflib
from rdflib import Literal, URIRef
from rdflib.namespace import RDF

import ckan.plugins.toolkit as tk
from ckan.tests import factories
from ckanext.dcat.processors import RDFSerializer
from ckanext.dcat.profiles.base import DCAT, DCT, RDFProfile
from ckanext.dcat.utils import dataset_uri, resource_uri

from ckanext.quito_gobiernoabierto.dcat import series, services
from ckanext.quito_gobiernoabierto.dcat.vocab import QGOV

from .helpers import PROFILES, PROFILES_SETTING, differences, round_trip, serialize, synthetic, violations

pytestmark = [pytest.mark.usefixtures("with_plugins"),
              pytest.mark.ckan_config("ckanext.dcat.rdf.profiles", PROFILES_SETTING)]

WMS_URL = "https://geo.quito.gob.ec/geoserver/ows?map=dmq&request=GetMap&LAYERS=quito:parroquias&width=256"
ARCGIS_URL = "https://sig.quito.gob.ec/arcgis/rest/services/Catastro/MapServer"
EXPLICIT = [{"title": "Geoservicio de prueba", "endpoint_url": ["https://example.org/geoserver/wms"]}]


def layer(organizations, **service):
    """A synthetic map layer: a GeoJSON file and a WMS service (``service`` overrides)."""
    data = synthetic(tk.h.scheming_get_dataset_schema("capa_geografica"), organizations["secretaria-de-ambiente"])
    file, web = data["resources"]
    file.update(distribution_kind="file", service_protocol=None, layer_name=None, format="GeoJSON")
    web.update(distribution_kind="service", service_protocol="wms", layer_name="quito:parroquias", url=WMS_URL,
               format="WMS", name="Parroquias (WMS)", description="Límites parroquiales del DMQ.")
    web.update(service)
    return data


def service_of(g, resource):
    found = list(g.objects(URIRef(resource_uri(resource)), DCAT.accessService))
    assert len(found) <= 1, found
    return found[0] if found else None


@pytest.mark.parametrize("protocol, url, standard, description", [
    ("wms", WMS_URL, "http://www.opengeospatial.org/standards/wms",
     "https://geo.quito.gob.ec/geoserver/ows?map=dmq&SERVICE=WMS&REQUEST=GetCapabilities"),
    ("wfs", "https://geo.quito.gob.ec/geoserver/wfs", "http://www.opengeospatial.org/standards/wfs",
     "https://geo.quito.gob.ec/geoserver/wfs?SERVICE=WFS&REQUEST=GetCapabilities"),
    ("wmts", "https://geo.quito.gob.ec/geoserver/gwc/service/wmts?request=GetTile&tilematrix=5",
     "http://www.opengeospatial.org/standards/wmts",
     "https://geo.quito.gob.ec/geoserver/gwc/service/wmts?SERVICE=WMTS&REQUEST=GetCapabilities"),
    ("arcgis_rest", ARCGIS_URL, "http://www.esri.com/library/whitepapers/pdfs/geoservices-rest-spec.pdf",
     ARCGIS_URL + "?f=json"),
])
def test_service_of_each_protocol(organizations, protocol, url, standard, description):
    data = layer(organizations, service_protocol=protocol, url=url)
    g = serialize(data).g
    ref = service_of(g, data["resources"][1])
    assert ref == URIRef(resource_uri(data["resources"][1]) + "#service")
    assert (ref, RDF.type, DCAT.DataService) in g
    assert g.value(ref, DCAT.endpointURL) == URIRef(url)
    assert g.value(ref, DCAT.endpointDescription) == URIRef(description)
    assert list(g.objects(ref, DCT.conformsTo)) == [URIRef(standard)]
    assert (URIRef(standard), RDF.type, DCT.Standard) in g and g.value(URIRef(standard), DCT.title)
    assert list(g.objects(ref, DCAT.servesDataset)) == [URIRef(dataset_uri(data))]
    label = services.PROTOCOLS[protocol].label
    assert set(g.objects(ref, DCT.title)) == {Literal(f"Servicio {label} de la capa quito:parroquias", lang="es"),
                                              Literal(f"{label} service of the layer quito:parroquias", lang="en")}


def test_service_shares_publisher_contact_themes_and_licence(organizations):
    data = layer(organizations)
    g = serialize(data).g
    dataset, ref = URIRef(dataset_uri(data)), service_of(g, data["resources"][1])
    for predicate in (DCT.publisher, DCAT.contactPoint, DCAT.theme, DCAT.keyword):
        assert set(g.objects(ref, predicate)) == set(g.objects(dataset, predicate)) != set(), predicate
    assert g.value(ref, DCT.license) == URIRef("http://publications.europa.eu/resource/authority/licence/CC_BY_4_0")
    assert g.value(ref, DCT.description) == Literal("Límites parroquiales del DMQ.")
    distribution = URIRef(resource_uri(data["resources"][1]))
    assert Literal("access_services") in set(g.objects(distribution, QGOV.derived))


@pytest.mark.parametrize("change", [
    {"distribution_kind": "file", "service_protocol": None},
    {"layer_name": ""},
    {"service_protocol": None},
    {"service_protocol": "ftp"},
    {"url": "capa.zip"},  # an upload name, not a service endpoint
])
def test_no_service_unless_a_complete_web_service(organizations, change):
    data = layer(organizations, **change)
    g = serialize(data).g
    assert service_of(g, data["resources"][1]) is None
    assert list(g.subjects(RDF.type, DCAT.DataService)) == []


def test_file_resources_have_no_service(organizations):
    data = layer(organizations)
    assert service_of(serialize(data).g, data["resources"][0]) is None


@pytest.mark.parametrize("explicit", [EXPLICIT, '[{"title": "Geoservicio de prueba"}]'])
def test_explicit_access_services_win(organizations, explicit):
    data = layer(organizations, access_services=explicit)
    g = serialize(data).g
    ref = service_of(g, data["resources"][1])
    assert g.value(ref, DCT.title) == Literal("Geoservicio de prueba")  # ckanext-dcat's, alone
    assert Literal("access_services") not in set(g.objects(URIRef(resource_uri(data["resources"][1])), QGOV.derived))


def test_explicit_access_services_are_parsed_back(organizations):
    _, parsed = round_trip(layer(organizations, access_services=EXPLICIT))
    found = parsed["resources"][1]["access_services"]
    found = found if isinstance(found, list) else json.loads(found)
    assert [s["title"] for s in found] == ["Geoservicio de prueba"]


@pytest.mark.parametrize("_format", ["turtle", "xml", "json-ld"])
def test_derived_service_is_not_parsed_back(organizations, _format):
    original = layer(organizations)
    _, parsed = round_trip(original, _format)
    assert "access_services" not in parsed["resources"][1]
    diffs = differences(original, parsed, tk.h.scheming_get_dataset_schema("capa_geografica"))
    diffs = {k: v for k, v in diffs.items() if not k.endswith("uri")}
    assert diffs == {}


@pytest.mark.parametrize("url, expected", [
    ("https://geo.quito.gob.ec/geoserver/gwc/service/wmts/1.0.0/WMTSCapabilities.xml",
     "https://geo.quito.gob.ec/geoserver/gwc/service/wmts/1.0.0/WMTSCapabilities.xml"),
    ("https://geo.quito.gob.ec/wmts/capa/{TileMatrixSet}/{TileMatrix}/{TileRow}/{TileCol}.png", None),
])
def test_wmts_capabilities_document_or_template(url, expected):
    assert services.endpoint_description(url, services.PROTOCOLS["wmts"]) == expected


def test_listed_in_the_catalogue_with_a_series_and_valid(organizations, shapes, monkeypatch):
    """One catalogue page with a map service and a LOTAIP series: zero violations."""
    monkeypatch.setattr(RDFProfile, "_last_catalog_modification", lambda self: "2017-06-01T00:00:00")
    monkeypatch.setattr(series, "stored_series", lambda org_id: {})
    data = layer(organizations)
    publication = synthetic(tk.h.scheming_get_dataset_schema("lotaip"), organizations["secretaria-de-ambiente"])
    publication.update(lotaip_regime="2004", lotaip_literal="c", lotaip_year="2016")
    text = RDFSerializer(profiles=PROFILES).serialize_catalog({}, dataset_dicts=[data, publication], _format="turtle")
    g = rdflib.Graph().parse(data=text, format="turtle")
    service = URIRef(resource_uri(data["resources"][1]) + "#service")
    assert list(g.objects(URIRef("http://test.quito.local"), DCAT.service)) == [service]
    assert len(list(g.subjects(RDF.type, DCAT.DatasetSeries))) == 1
    assert violations(g, shapes) == []


def test_shacl_finds_a_broken_service(organizations, shapes):
    """The check can fail: a data service without its endpoint."""
    data = layer(organizations)
    g = serialize(data).g
    g.remove((service_of(g, data["resources"][1]), DCAT.endpointURL, None))
    assert any("endpointURL" in line for line in violations(g, shapes))


@pytest.fixture
def stored_layer(clean_db, clean_index):
    """A map layer in the database whose only resource is an ArcGIS REST service."""
    org = factories.Organization(name="secretaria-de-territorio-habitat-y-vivienda", title="Secretaría de Territorio",
                                 kind="secretaria")
    resource = {"url": ARCGIS_URL, "name": "Catastro (ArcGIS REST)", "distribution_kind": "service",
                "service_protocol": "arcgis_rest", "layer_name": "0"}
    return tk.get_action("package_create")(
        {"user": factories.Sysadmin()["name"]},
        dict(type="capa_geografica", name="catastro", title="Catastro", notes="Capa de prueba.",
             owner_org=org["name"], geometry_type="polygon", crs="EPSG:32717", resources=[resource]))


def test_dataset_endpoint_of_a_stored_layer(app, stored_layer, shapes):
    response = app.get(f"/dataset/{stored_layer['id']}.ttl")
    assert response.status_code == 200
    g = rdflib.Graph().parse(data=response.get_data(as_text=True), format="turtle")
    ref = service_of(g, stored_layer["resources"][0])
    assert g.value(ref, DCAT.endpointDescription) == URIRef(ARCGIS_URL + "?f=json")
    assert violations(g, shapes) == []
