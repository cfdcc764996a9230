"""Map layers: geometry type, EPSG code, spatial extent (GeoJSON/WKT/bbox,
found by ``ext_bbox``), scale, lineage, file and service distributions."""
import json

import pytest

import ckan.plugins.toolkit as tk
from ckan.tests import factories

from ckanext.quito_gobiernoabierto.datasets import compose, geo

from .conftest import field_errors

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")

QUITO_BOX = {"type": "Polygon", "coordinates": [[[-78.8, -0.45], [-78.2, -0.45], [-78.2, 0.2], [-78.8, 0.2],
                                                 [-78.8, -0.45]]]}
SERVICE = {"url": "https://example.org/geoserver/wms", "name": "Servicio WMS", "distribution_kind": "service",
           "service_protocol": "wms", "layer_name": "quito:parroquias",
           "access_services": [{"title": "Geoservicio de prueba",
                                "endpoint_url": ["https://example.org/geoserver/wms"]}]}


def layer(dependency, **fields):
    data = dict(type="capa_geografica", name="parroquias", title="Parroquias del DMQ", notes="Capa de prueba.",
                owner_org=dependency["name"], geometry_type="polygon", crs="32717", scale_denominator="1:25.000",
                lineage="Digitalizada de la cartografía 1:25 000.",
                spatial_coverage=[{"text": "DMQ", "bbox": "-78.8,-0.45,-78.2,0.2",
                                   "geom": "POLYGON ((-78.8 -0.45, -78.2 -0.45, -78.2 0.2, -78.8 0.2, -78.8 -0.45))",
                                   "centroid": '{"type": "Point", "coordinates": [-78.5, -0.125]}'}],
                resources=[{"url": "http://example.org/parroquias.geojson", "name": "GeoJSON", "format": "GeoJSON"},
                           dict(SERVICE)])
    data.update(fields)
    return data


def test_shares_the_fields_of_common_yaml_plus_access_services():
    common = compose.compose(compose.load_module_path("ckanext.quito_gobiernoabierto.schemas:datasets/common.yaml"))
    schema = tk.h.scheming_get_dataset_schema("capa_geografica")
    names = [f["field_name"] for f in schema["dataset_fields"]]
    assert names[:len(common["dataset_fields"])] == [f["field_name"] for f in common["dataset_fields"]]
    resource_names = [f["field_name"] for f in schema["resource_fields"]]
    assert resource_names[:len(common["resource_fields"]) + 1] == (
        [f["field_name"] for f in common["resource_fields"]] + ["access_services"])


def test_round_trip_keeps_every_field(call_as, dependency):
    created = call_as("package_create", **layer(dependency))
    shown = call_as("package_show", id=created["id"])
    assert (shown["geometry_type"], shown["crs"], shown["scale_denominator"]) == ("polygon", "EPSG:32717", "25000")
    assert shown["lineage"] == "Digitalizada de la cartografía 1:25 000."
    coverage = shown["spatial_coverage"][0]
    assert coverage["text"] == "DMQ"
    assert json.loads(coverage["bbox"]) == QUITO_BOX == json.loads(coverage["geom"])
    assert json.loads(coverage["centroid"]) == {"type": "Point", "coordinates": [-78.5, -0.125]}
    file, service = shown["resources"]
    assert (file["distribution_kind"], file.get("service_protocol")) == ("file", None)
    assert (service["distribution_kind"], service["service_protocol"], service["layer_name"], service["format"]) == (
        "service", "wms", "quito:parroquias", "WMS")
    assert service["access_services"][0]["endpoint_url"] == ["https://example.org/geoserver/wms"]
    shown.update(geometry_type="mixed", crs="EPSG:31992", scale_denominator="5000")
    shown["resources"][1].update(service_protocol="arcgis_rest", layer_name="3", format="")
    call_as("package_update", **shown)
    again = call_as("package_show", id=created["id"])
    assert (again["geometry_type"], again["crs"], again["scale_denominator"]) == ("mixed", "EPSG:31992", "5000")
    assert (again["resources"][1]["service_protocol"], again["resources"][1]["layer_name"]) == ("arcgis_rest", "3")
    assert again["spatial_coverage"] == shown["spatial_coverage"]


@pytest.mark.parametrize("fields,field,message", [
    ({"geometry_type": "circle"}, "geometry_type", "Choose one of the listed values"),
    ({"geometry_type": ""}, "geometry_type", "Missing value"),
    ({"crs": "WGS84"}, "crs", "as an EPSG code"),
    ({"crs": "EPSG:99999"}, "crs", "EPSG:99999 is not one of the coordinate reference systems"),
    ({"crs": ""}, "crs", "Missing value"),
    ({"scale_denominator": "0"}, "scale_denominator", "greater than zero"),
    ({"scale_denominator": "grande"}, "scale_denominator", "greater than zero"),
])
def test_bad_values_are_rejected(call_as, dependency, fields, field, message):
    with pytest.raises(tk.ValidationError) as excinfo:
        call_as("package_create", **layer(dependency, **fields))
    assert message in str(field_errors(excinfo)[field])


@pytest.mark.parametrize("subfield,value,message", [
    ("bbox", "-200,-0.45,-78.2,0.2", "-180 <= minx"),
    ("geom", "not a geometry", "Enter a geometry as GeoJSON"),
    ("geom", '{"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1]]]}', "Enter a geometry as GeoJSON"),
    ("geom", "LINESTRING (-78.5 -95, -78.4 -0.1)", "latitude between -90 and 90"),
    ("centroid", '{"type": "Point", "coordinates": [-78.5]}', "Enter a geometry as GeoJSON"),
    ("centroid", '{"type": "Feature"}', "Enter a geometry as GeoJSON"),
])
def test_bad_geometries_are_rejected(call_as, dependency, subfield, value, message):
    coverage = [{"text": "DMQ", subfield: value}]
    with pytest.raises(tk.ValidationError) as excinfo:
        call_as("package_create", **layer(dependency, spatial_coverage=coverage))
    assert message in str(field_errors(excinfo)["spatial_coverage"])


@pytest.mark.parametrize("value,expected", [
    ("POINT (-78.5 -0.2)", {"type": "Point", "coordinates": [-78.5, -0.2]}),
    ({"type": "Point", "coordinates": [-78.5, -0.2, 2850]}, {"type": "Point", "coordinates": [-78.5, -0.2, 2850]}),
    ("MULTIPOLYGON (((0 0, 1 0, 1 1, 0 0)))",
     {"type": "MultiPolygon", "coordinates": [[[[0, 0], [1, 0], [1, 1], [0, 0]]]]}),
    ("GEOMETRYCOLLECTION (POINT (1 2), LINESTRING (0 0, 1 1))",
     {"type": "GeometryCollection", "geometries": [{"type": "Point", "coordinates": [1, 2]},
                                                   {"type": "LineString", "coordinates": [[0, 0], [1, 1]]}]}),
    ("-78.8 -0.45 -78.2 0.2", QUITO_BOX),
])
def test_geometry_forms_are_stored_as_geojson(value, expected):
    assert json.loads(geo.quito_geometry(value, {})) == expected


def test_crs_accepts_code_forms():
    assert [geo.quito_crs(v, {}) for v in ("4326", "epsg:4326", " EPSG: 24877 ")] == ["EPSG:4326", "EPSG:4326",
                                                                                   "EPSG:24877"]
    assert {c["value"] for c in geo.quito_crs_choices()} >= {"EPSG:4326", "EPSG:3857", "EPSG:32717", "EPSG:31992"}


@pytest.mark.parametrize("resource,field,message", [
    ({"service_protocol": None}, "service_protocol", "Choose the protocol of the service"),
    ({"layer_name": ""}, "layer_name", "Enter the name of the layer"),
    ({"distribution_kind": "file"}, "service_protocol", "Only a web service has a protocol"),
    ({"service_protocol": "gopher"}, "service_protocol", "Choose one of the listed values"),
    ({"distribution_kind": "stream"}, "distribution_kind", "Choose one of the listed values"),
])
def test_bad_distributions_are_rejected(call_as, dependency, resource, field, message):
    service = {k: v for k, v in {**SERVICE, **resource}.items() if v is not None}
    with pytest.raises(tk.ValidationError) as excinfo:
        call_as("package_create", **layer(dependency, resources=[service]))
    errors = field_errors(excinfo)["resources"][0]
    assert message in str(errors[field])


def test_spatial_search_finds_the_layer(call_as, dependency):
    call_as("package_create", **layer(dependency, spatial_coverage=[{"text": "DMQ", "bbox": "-78.8,-0.45,-78.2,0.2"}]))
    call_as("package_create", **layer(dependency, name="guayaquil", spatial_coverage=[
        {"geom": "POLYGON ((-80 -2.3, -79.8 -2.3, -79.8 -2.1, -80 -2.1, -80 -2.3))"}]))

    def found(box):
        result = tk.get_action("package_search")({}, {"fq": "+dataset_type:capa_geografica",
                                                      "extras": {"ext_bbox": box}})
        return sorted(d["name"] for d in result["results"])
    assert found("-78.6,-0.3,-78.4,-0.1") == ["parroquias"]
    assert found("-80.1,-2.4,-79.9,-2.2") == ["guayaquil"]
    assert found("-81,-3,-78,1") == ["guayaquil", "parroquias"]
    assert found("10,10,11,11") == []
    assert found("-78.3,0.1,-78.25,0.15") == ["parroquias"]  # a corner of the extent, far from its centre


def test_a_centroid_stands_for_the_extent_in_map_search(call_as, dependency):
    """ckanext-dcat indexes one geometry of spatial_coverage, the centroid
    when there is one: hence the help text asking to leave it empty."""
    call_as("package_create", **layer(dependency))
    result = tk.get_action("package_search")({}, {"extras": {"ext_bbox": "-78.3,0.1,-78.25,0.15"}})
    assert result["count"] == 0
    form_help = [f for f in tk.h.scheming_get_dataset_schema("capa_geografica")["dataset_fields"]
                 if f["field_name"] == "spatial_coverage"][0]["repeating_subfields"]
    assert "Leave it empty" in [f for f in form_help if f["field_name"] == "centroid"][0]["help_text"]


def test_facets_and_filters(app, call_as, dependency):
    call_as("package_create", **layer(dependency))
    call_as("package_create", **layer(dependency, name="paradas", geometry_type="point", crs="4326",
                                      resources=[{"url": "http://example.org/p.kml", "name": "KML", "format": "KML"}]))
    result = tk.get_action("package_search")({}, {
        "fq": "+dataset_type:capa_geografica", "facet.field": ["geometry_type", "crs", "res_format", "organization"]})
    assert result["facets"]["geometry_type"] == {"polygon": 1, "point": 1}
    assert result["facets"]["crs"] == {"EPSG:32717": 1, "EPSG:4326": 1}
    assert result["facets"]["res_format"] == {"GeoJSON": 1, "WMS": 1, "KML": 1}
    assert result["facets"]["organization"] == {dependency["name"]: 2}
    filtered = tk.get_action("package_search")({}, {"fq": '+dataset_type:capa_geografica +crs:"EPSG:4326"'})
    assert [d["name"] for d in filtered["results"]] == ["paradas"]
    api = app.get("/api/3/action/package_search", query_string={
        "fq": "+dataset_type:capa_geografica", "facet.field": '["crs", "geometry_type"]'}).json["result"]
    crs = {i["name"]: i["display_name"] for i in api["search_facets"]["crs"]["items"]}
    assert crs == {"EPSG:32717": "WGS 84 / UTM zone 17S (EPSG:32717)", "EPSG:4326": "WGS 84 (EPSG:4326)"}
    kinds = {i["name"]: i["display_name"] for i in api["search_facets"]["geometry_type"]["items"]}
    assert kinds == {"polygon": "Polígono", "point": "Punto"}


def test_pages(app, call_as, dependency):
    created = call_as("package_create", **layer(dependency))
    page = app.get("/capa_geografica/parroquias").body
    for text in ("Tipo de geometría", "Polígono", "Sistema de referencia de coordenadas",
                 "WGS 84 / UTM zone 17S (EPSG:32717)", "Denominador de escala", "25000", "Linaje"):
        assert text in page, text
    english = app.get("/en/capa_geografica/parroquias").body
    assert "Geometry type" in english and "Polygon" in english and "Scale denominator" in english
    service = created["resources"][1]
    resource_page = app.get(f"/capa_geografica/parroquias/resource/{service['id']}").body
    for text in ("Servicio web", "WMS (servicio web de mapas OGC)", "quito:parroquias"):
        assert text in resource_page, text
    search = app.get("/capa_geografica/").body
    for text in ("Tipo de geometría", "Sistema de referencia de coordenadas", "Formatos", "Polígono"):
        assert text in search, text
    token = factories.APIToken(user="steward")["token"]
    form = app.get("/capa_geografica/new", headers={"Authorization": token}).body
    for name in ("geometry_type", "crs", "scale_denominator", "lineage", "spatial_coverage-0-bbox"):
        assert f'name="{name}"' in form, name
    assert "WGS 84 / UTM zone 17S (EPSG:32717)" in form
    resource_form = app.get(f"/capa_geografica/{created['id']}/resource/new", headers={"Authorization": token}).body
    for name in ("distribution_kind", "service_protocol", "layer_name"):
        assert f'name="{name}"' in resource_form, name


def test_demo_layers_load_twice(load_demo):
    entries, _ = load_demo("capa_geografica.yaml")
    assert len(entries) == 3
    assert all(e["sample_data"] == "true" and "Datos de muestra" in e["notes"] for e in entries)
    quito = tk.get_action("package_search")({}, {"extras": {"ext_bbox": "-78.52,-0.23,-78.50,-0.21"}})
    assert {d["name"] for d in quito["results"]} == {e["name"] for e in entries}


def test_dcat_export_describes_the_extent_and_the_service(call_as, dependency):
    call_as("package_create", **layer(dependency, spatial_coverage=[{"text": "DMQ", "bbox": "-78.8,-0.45,-78.2,0.2"}]))
    turtle = tk.get_action("dcat_dataset_show")({}, {"id": "parroquias", "format": "turtle"})
    assert "dcat:bbox" in turtle and "POLYGON ((-78.8000 -0.4500" in turtle
    assert "dcat:DataService" in turtle and "https://example.org/geoserver/wms" in turtle
    assert "Geoservicio de prueba" in turtle
