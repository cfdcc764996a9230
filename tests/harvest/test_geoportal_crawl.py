"""The geoportal crawler against the fake ArcGIS and OGC servers: records
field by field, the dataset dicts they map to (checked by the
``capa_geografica`` schema's validators, without creating datasets), and
every fault of a source ending in a SourceError with a clear message."""
import json

import pytest

from ckanext.quito_gobiernoabierto.harvesters.geoportal import (
    Fetcher, LayerRecord, SourceError, crawl_arcgis, crawl_wfs, crawl_wms, dataset_name, layer_to_dataset)

from . import fixture_documents as docs

MAPSERVER, FEATURESERVER = docs.MAPSERVER, docs.FEATURESERVER


def by_title(records):
    return {r.title: r for r in records}


# ---------------------------------------------------------------- ArcGIS

def test_arcgis_crawl_keeps_sublayers_and_skips_groups_tables_and_other_services(arcgis_server):
    records = crawl_arcgis(arcgis_server.url + "/arcgis")
    assert [r.guid for r in records] == [arcgis_server.url_for(p) for p in (
        f"{FEATURESERVER}/0", f"{MAPSERVER}/1", f"{MAPSERVER}/2", f"{MAPSERVER}/3")]
    assert [path for _, path in arcgis_server.log] == [
        "/arcgis/rest/services?f=json", "/arcgis/rest/services/Movilidad?f=json",
        "/arcgis/rest/services/Territorio?f=json", f"{FEATURESERVER}?f=json", f"{FEATURESERVER}/0?f=json",
        f"{MAPSERVER}?f=json", f"{MAPSERVER}/1?f=json", f"{MAPSERVER}/2?f=json", f"{MAPSERVER}/3?f=json"]


def test_arcgis_point_layer_in_wgs84(arcgis_server):
    record = by_title(crawl_arcgis(arcgis_server.services_url))["Estaciones del Trolebús (muestra)"]
    service = arcgis_server.url_for(MAPSERVER)
    assert record.to_dict() == {
        "guid": f"{service}/1", "source": "arcgis", "title": "Estaciones del Trolebús (muestra)",
        "service_url": service, "service_type": "MapServer", "layer_url": f"{service}/1", "layer_name": "1",
        "description": "Estaciones del Trolebús, de Quitumbe a El Labrador.\n" + docs.SAMPLE,
        "service_title": "Cartografía base del DMQ (muestra)", "geometry_type": "point",
        "native_geometry_type": "esriGeometryPoint", "epsg": 4326, "crs_list": ["EPSG:4326"],
        "bbox": (-78.556, -0.2958, -78.4865, -0.1545), "bbox_native": None, "bbox_crs": "",
        "min_scale_denominator": 500.0, "max_scale_denominator": 50000.0, "scale_denominator": None,
        "attribution": "MDMQ, Secretaría de Territorio (muestra)", "keywords": ["cartografía", "límites", "DMQ"],
        "fields": ["OBJECTID", "nombre"], "max_record_count": 1000, "modified": None,
        "wms_url": arcgis_server.url_for("/arcgis/services/Territorio/Cartografia_Base/MapServer/WMSServer"
                                         "?request=GetCapabilities&service=WMS"),
        "geojson_url": f"{service}/1/query?where=1%3D1&outFields=*&f=geojson",
    }


def test_arcgis_web_mercator_extents_become_wgs84(arcgis_server):
    records = by_title(crawl_arcgis(arcgis_server.services_url))
    vias, zonales = records["Vías principales (muestra)"], records["Administraciones zonales (muestra)"]
    assert (vias.geometry_type, vias.epsg, vias.bbox) == ("line", 3857, (-78.58, -0.33, -78.4, -0.05))
    assert (vias.modified, vias.fields) == ("2024-05-01T12:00:00", ["OBJECTID", "nombre", "tipo_via"])
    assert (zonales.geometry_type, zonales.epsg, zonales.bbox) == ("polygon", 3857, (-78.6, -0.36, -78.33, 0.03))
    assert (zonales.scale_denominator, zonales.bbox_native, zonales.bbox_crs) == (25000, None, "")


def test_arcgis_utm_layer_keeps_its_native_extent(arcgis_server):
    (record,) = [r for r in crawl_arcgis(arcgis_server.services_url) if r.service_type == "FeatureServer"]
    assert (record.title, record.geometry_type, record.epsg) == ("Paradas de buses alimentadores (muestra)",
                                                                  "point", 32717)
    assert (record.bbox, record.bbox_native, record.bbox_crs) == (
        None, (770000.0, 9962000.0, 790000.0, 9990000.0), "EPSG:32717")
    assert (record.service_title, record.keywords) == ("Paradas", ["movilidad", "buses alimentadores"])
    assert (record.modified, record.max_record_count, record.wms_url) == ("2024-05-31T16:00:00", 2000, "")
    assert record.attribution == "Secretaría de Movilidad (muestra)"


def test_arcgis_error_answer_is_a_source_error(arcgis_server):
    arcgis_server.documents[docs.ROOT] = {"error": {"code": 499, "message": "Token Required", "details": []}}
    with pytest.raises(SourceError) as excinfo:
        crawl_arcgis(arcgis_server.services_url)
    assert str(excinfo.value) == f"{arcgis_server.services_url}?f=json answered the ArcGIS error 499: Token Required"
    assert excinfo.value.kind == "service"


def test_a_json_that_is_no_directory_is_refused(arcgis_server):
    arcgis_server.documents[docs.ROOT] = {"currentVersion": 11.1}
    with pytest.raises(SourceError, match="is not an ArcGIS REST services directory"):
        crawl_arcgis(arcgis_server.services_url)


def test_a_broken_layer_stops_the_crawl_or_is_collected(arcgis_server):
    del arcgis_server.documents[f"{MAPSERVER}/2"]
    with pytest.raises(SourceError, match="answered the ArcGIS error 404: Service not found"):
        crawl_arcgis(arcgis_server.services_url)
    errors = []
    records = crawl_arcgis(arcgis_server.services_url, errors=errors)
    assert [r.layer_name for r in records] == ["0", "1", "3"]
    assert errors == [(arcgis_server.url_for(f"{MAPSERVER}/2"), f"{arcgis_server.url_for(MAPSERVER)}/2?f=json "
                       "answered the ArcGIS error 404: Service not found")]


def test_record_round_trips_through_json(arcgis_server):
    record = crawl_arcgis(arcgis_server.services_url)[0]
    assert LayerRecord.from_dict(json.loads(json.dumps(record.to_dict()))) == record


# ---------------------------------------------------------------- OGC

def test_wms_130_named_leaf_layers(ogc_server):
    records = crawl_wms(ogc_server.wms_url + "?SERVICE=WMS&REQUEST=GetCapabilities")
    caps = ogc_server.url_for("/geoserver/wms?service=WMS&request=GetCapabilities&version=1.3.0")
    assert [r.layer_name for r in records] == ["quito:parroquias", "quito:ciclovias"]  # group skipped
    parroquias, ciclovias = records
    assert parroquias.to_dict() == {
        "guid": f"{ogc_server.wms_url}#wms:quito:parroquias", "source": "wms",
        "title": "Parroquias del DMQ (muestra)", "service_url": ogc_server.wms_url, "service_type": "WMS",
        "layer_url": caps, "layer_name": "quito:parroquias",
        "description": "Límites aproximados de las parroquias urbanas y rurales. Escala 1:25.000. Datos de muestra.",
        "service_title": "Geoportal DMQ, WMS (muestra)", "geometry_type": None, "native_geometry_type": "",
        "epsg": 32717, "crs_list": ["EPSG:32717", "EPSG:4326", "EPSG:3857", "CRS:84"],
        "bbox": (-78.6, -0.36, -78.33, 0.03), "bbox_native": None, "bbox_crs": "",
        "min_scale_denominator": 1000.0, "max_scale_denominator": 250000.0, "scale_denominator": 25000,
        "attribution": "Secretaría de Territorio (muestra)", "keywords": ["parroquias", "límites", "WMS", "Quito"],
        "fields": [], "max_record_count": None, "modified": None, "wms_url": "", "geojson_url": "",
    }
    assert (ciclovias.epsg, ciclovias.crs_list, ciclovias.bbox) == (
        4326, ["EPSG:4326", "EPSG:3857", "CRS:84"], (-78.52, -0.24, -78.47, -0.12))
    assert (ciclovias.attribution, ciclovias.keywords) == ("Secretaría de Territorio, Hábitat y Vivienda",
                                                           ["WMS", "Quito"])


def test_wms_111_with_its_bare_doctype(ogc_server):
    (record,) = crawl_wms(ogc_server.wms_url, version="1.1.1")
    assert (record.layer_name, record.epsg, record.crs_list) == (
        "quito:parroquias", 32717, ["EPSG:32717", "EPSG:4326", "EPSG:900913"])
    assert (record.bbox, record.service_title, record.keywords) == (
        (-78.6, -0.36, -78.33, 0.03), "Geoportal DMQ, WMS 1.1.1 (muestra)", ["parroquias"])
    assert record.layer_url.endswith("/geoserver/wms?service=WMS&request=GetCapabilities&version=1.1.1")


def test_wfs_200_feature_types_with_their_geometry(ogc_server):
    parroquias, paradas = crawl_wfs(ogc_server.wfs_url)
    assert parroquias.to_dict() == {
        "guid": f"{ogc_server.wfs_url}#wfs:quito:parroquias", "source": "wfs",
        "title": "Parroquias del DMQ (muestra)", "service_url": ogc_server.wfs_url, "service_type": "WFS",
        "layer_url": ogc_server.wfs_url + "?service=WFS&version=2.0.0&request=GetFeature&typeNames=quito%3Aparroquias",
        "layer_name": "quito:parroquias", "description": "Límites aproximados de las parroquias. Datos de muestra.",
        "service_title": "Geoportal DMQ, WFS (muestra)", "geometry_type": "polygon",
        "native_geometry_type": "gml:MultiSurfacePropertyType", "epsg": 32717,
        "crs_list": ["urn:ogc:def:crs:EPSG::32717", "urn:ogc:def:crs:EPSG::4326"],
        "bbox": (-78.6, -0.36, -78.33, 0.03), "bbox_native": None, "bbox_crs": "",
        "min_scale_denominator": None, "max_scale_denominator": None, "scale_denominator": None,
        "attribution": "Municipio del Distrito Metropolitano de Quito",
        "keywords": ["parroquias", "límites", "WFS", "Quito"], "fields": ["nombre", "codigo", "tipo"],
        "max_record_count": None, "modified": None, "wms_url": "", "geojson_url": "",
    }
    assert (paradas.layer_name, paradas.geometry_type, paradas.epsg, paradas.fields) == (
        "quito:paradas_trolebus", "point", 4326, ["codigo", "nombre"])
    assert paradas.bbox == (-78.556, -0.2958, -78.4865, -0.1545)


def test_wfs_110_uses_typename(ogc_server):
    (record,) = crawl_wfs(ogc_server.wfs_url, version="1.1.0")
    assert (record.epsg, record.geometry_type, record.service_title) == (
        32717, "polygon", "Geoportal DMQ, WFS 1.1.0 (muestra)")
    assert record.layer_url.endswith("?service=WFS&version=1.1.0&request=GetFeature&typeName=quito%3Aparroquias")
    assert ogc_server.log[-1] == ("GET", "/geoserver/wfs?service=WFS&version=1.1.0&request=DescribeFeatureType"
                                         "&typeName=quito%3Aparroquias")


def test_wfs_without_describe_asks_only_capabilities(ogc_server):
    records = crawl_wfs(ogc_server.wfs_url, describe=False)
    assert [r.geometry_type for r in records] == [None, None]
    assert len(ogc_server.log) == 1


def test_ogc_exception_report_is_a_source_error(ogc_server):
    ogc_server.documents.pop("wms:1.3.0")
    with pytest.raises(SourceError, match="answered an OGC exception: Unknown request") as excinfo:
        crawl_wms(ogc_server.wms_url)
    assert excinfo.value.kind == "service"


def test_wfs_document_at_a_wms_address_is_refused(ogc_server):
    ogc_server.documents["wms:1.3.0"] = docs.WFS_200
    with pytest.raises(SourceError, match="is not a WMS capabilities document "
                                          r"\(its root element is WFS_Capabilities\)"):
        crawl_wms(ogc_server.wms_url)


# ---------------------------------------------------------------- faults

FAULTS = [
    ("down", {}, "down", "cannot be reached (it refused the connection or does not exist)"),
    ("status", {"code": 500}, "status", "answered HTTP 500."),
    ("status", {"code": 404, "path": "Movilidad"}, "status", "Movilidad?f=json answered HTTP 404."),
    ("slow", {"seconds": 3}, "timeout", "did not answer within 0.5 seconds."),
    ("truncate", {"mode": "cut"}, "not_json", "did not answer JSON ("),
    ("truncate", {"mode": "short"}, "broken", "The connection broke while reading"),
    ("huge", {"size": 3 * 1024 * 1024}, "too_big", "is bigger than the limit of 1048576 bytes; it was not read."),
    ("redirect_outside", {}, "redirect", "redirected to http://203.0.113.7/geoportal/, outside 127.0.0.1: "
                                         "the redirect was refused."),
]


@pytest.mark.parametrize("fault,options,kind,message", FAULTS, ids=[f"{f[0]}-{f[2]}" for f in FAULTS])
def test_arcgis_faults_are_source_errors(arcgis_server, fault, options, kind, message):
    arcgis_server.set_fault(fault, **options)
    fetcher = Fetcher(timeout=0.5, max_bytes=1024 * 1024)
    with pytest.raises(SourceError) as excinfo:
        crawl_arcgis(arcgis_server.services_url, fetcher=fetcher)
    assert excinfo.value.kind == kind
    assert message in str(excinfo.value)


def test_html_instead_of_json(arcgis_server):
    with pytest.raises(SourceError) as excinfo:
        Fetcher().json(arcgis_server.services_url)  # no f=json: the HTML directory page
    assert str(excinfo.value) == f"{arcgis_server.services_url} did not answer JSON (it looks like HTML or XML)."


def test_redirect_within_the_server_is_followed(file_tree_server):
    assert Fetcher().text(file_tree_server.url_for("/Numeral%206")).startswith("<!DOCTYPE HTML PUBLIC")
    assert [p for _, p in file_tree_server.log] == ["/Numeral%206", "/Numeral%206/"]


@pytest.mark.parametrize("path", ["/xxe/wms", "/bomb/wms"])
def test_xml_declaring_entities_is_refused(ogc_server, path):
    with pytest.raises(SourceError) as excinfo:
        crawl_wms(ogc_server.url_for(path))
    assert excinfo.value.kind == "unsafe_xml"
    assert str(excinfo.value).endswith("declares a DTD or entities in its XML; such documents are refused for safety.")


def test_truncated_xml_is_not_xml(ogc_server):
    ogc_server.set_fault("truncate", mode="cut")
    with pytest.raises(SourceError, match=r"did not answer XML \(") as excinfo:
        crawl_wms(ogc_server.wms_url)
    assert excinfo.value.kind == "not_xml"


def test_a_declared_length_over_the_limit_is_not_read(file_tree_server):
    with pytest.raises(SourceError, match=r"leeme\.txt is bigger than the limit of 10 bytes; it was not read\.$"):
        Fetcher(max_bytes=10).fetch(file_tree_server.url_for("/leeme.txt"))
    assert file_tree_server.responses == [("GET", "/leeme.txt", 200)]


def test_only_http_addresses():
    with pytest.raises(SourceError, match=r"^file:///etc/passwd\?service=WMS&request=GetCapabilities&version=1\.3\.0 "
                                          r"is not an http or https address\.$"):
        crawl_wms("file:///etc/passwd")
    with pytest.raises(SourceError, match=r"^ftp://geo\.quito\.gob\.ec/arcgis/rest/services\?f=json is not an http"):
        crawl_arcgis("ftp://geo.quito.gob.ec/arcgis")


# ---------------------------------------------------------------- mapping

def test_arcgis_layer_as_dataset(arcgis_server):
    record = by_title(crawl_arcgis(arcgis_server.services_url))["Administraciones zonales (muestra)"]
    service = arcgis_server.url_for(MAPSERVER)
    wms = arcgis_server.url_for("/arcgis/services/Territorio/Cartografia_Base/MapServer/WMSServer")
    data = layer_to_dataset(record, {"owner_org": "secretaria-de-territorio", "geometry_type": "mixed"})
    assert data == {
        "type": "capa_geografica", "name": "administraciones-zonales-muestra-" + dataset_name(record)[-8:],
        "title": "Administraciones zonales (muestra)", "notes": record.description, "geometry_type": "polygon",
        "crs": "EPSG:3857", "scale_denominator": "25000", "owner_org": "secretaria-de-territorio",
        "lineage": f"Capa publicada en el geoportal municipal: MapServer {service} (capa 3). "
                   "Fuente: MDMQ, Secretaría de Territorio (muestra).",
        "tags": [{"name": "cartografía"}, {"name": "límites"}, {"name": "DMQ"}],
        "spatial_coverage": [{"bbox": "-78.6,-0.36,-78.33,0.03"}],
        "resources": [
            {"name": "Servicio ArcGIS REST (MapServer)", "url": f"{service}/3", "format": "ArcGIS REST",
             "description": "Capa 3 del servicio MapServer «Cartografía base del DMQ (muestra)».",
             "distribution_kind": "service", "service_protocol": "arcgis_rest", "layer_name": "3",
             "access_services": [{"title": "Cartografía base del DMQ (muestra)", "endpoint_url": [service]}]},
            {"name": "Servicio WMS", "url": f"{wms}?request=GetCapabilities&service=WMS", "format": "WMS",
             "description": "La misma capa por WMS: capa 3.", "distribution_kind": "service",
             "service_protocol": "wms", "layer_name": "3",
             "access_services": [{"title": "Cartografía base del DMQ (muestra)", "endpoint_url": [wms]}]},
            {"name": "Descarga GeoJSON", "url": f"{service}/3/query?where=1%3D1&outFields=*&f=geojson",
             "format": "GeoJSON", "mimetype": "application/geo+json", "distribution_kind": "file",
             "description": "Consulta de las entidades de la capa en GeoJSON (WGS 84). El servicio entrega como "
                            "máximo 1000 entidades por consulta."},
        ],
    }


def test_utm_layer_without_wgs84_extent_says_it_in_the_lineage(arcgis_server):
    (record,) = [r for r in crawl_arcgis(arcgis_server.services_url) if r.epsg == 32717]
    data = layer_to_dataset(record)
    assert "spatial_coverage" not in data
    assert data["lineage"].endswith(" Fuente: Secretaría de Movilidad (muestra). "
                                    "Extensión en EPSG:32717: 770000,9962000,790000,9990000.")
    assert data["modified"] == "2024-05-31T16:00:00"


# ---------------------------------------------------------------- schema validation

def validate_as_package_create(data: dict) -> tuple[dict, dict]:
    """The dataset dict through the ``capa_geografica`` schema the way
    ``package_create`` validates it (scheming's plugin, create schema), with
    nothing written to the database."""
    import ckan.model as model
    import ckan.plugins.toolkit as tk
    from ckan.lib.plugins import lookup_package_plugin

    plugin = lookup_package_plugin("capa_geografica")
    user = tk.get_action("get_site_user")({"ignore_auth": True}, {})["name"]
    context = {"model": model, "session": model.Session, "user": user, "ignore_auth": True}
    return plugin.validate(context, data, plugin.create_package_schema(), "package_create")


@pytest.mark.usefixtures("with_plugins", "clean_db")
def test_every_crawled_layer_maps_to_a_valid_capa_geografica(arcgis_server, ogc_server):
    import ckan.model as model
    from ckan.tests import factories

    organization = factories.Organization(name="secretaria-de-territorio", kind="secretaria")
    records = (crawl_arcgis(arcgis_server.services_url) + crawl_wms(ogc_server.wms_url)
               + crawl_wfs(ogc_server.wfs_url))
    defaults = {"owner_org": organization["name"], "geometry_type": "mixed", "license_id": "cc-by"}
    for record in records:
        valid, errors = validate_as_package_create(layer_to_dataset(record, defaults))
        assert errors == {}, (record.guid, errors)
    assert model.Session.query(model.Package).count() == 0

    zonales = by_title(records)["Administraciones zonales (muestra)"]
    valid, errors = validate_as_package_create(layer_to_dataset(zonales, defaults))
    assert (valid["crs"], valid["geometry_type"], valid["scale_denominator"]) == ("EPSG:3857", "polygon", "25000")
    assert json.loads(valid["spatial_coverage"][0]["bbox"]) == {"type": "Polygon", "coordinates": [
        [[-78.6, -0.36], [-78.33, -0.36], [-78.33, 0.03], [-78.6, 0.03], [-78.6, -0.36]]]}
    assert [(r["distribution_kind"], r.get("service_protocol"), r["format"]) for r in valid["resources"]] == [
        ("service", "arcgis_rest", "ArcGIS REST"), ("service", "wms", "WMS"), ("file", None, "GeoJSON")]
    assert valid["owner_org"] == organization["id"]


@pytest.mark.usefixtures("with_plugins", "clean_db")
def test_the_validators_catch_what_the_record_lacks(ogc_server):
    (record, _) = crawl_wms(ogc_server.wms_url)
    record.epsg = 2000  # a CRS the portal does not know
    valid, errors = validate_as_package_create(layer_to_dataset(record))
    assert errors["geometry_type"] == ["Missing value"]  # WMS does not say it and no default was given
    assert errors["crs"][0].startswith("EPSG:2000 is not one of the coordinate reference systems the portal knows")


@pytest.mark.parametrize("defused", [True, False], ids=["defusedxml", "stdlib"])
def test_external_dtd_is_never_fetched(ogc_server, monkeypatch, defused):
    from ckanext.quito_gobiernoabierto.harvesters.geoportal import http

    if not defused:  # the byte check alone must refuse entities when defusedxml is absent
        monkeypatch.setattr(http, "_defused_fromstring", None)
    dtd = ogc_server.url_for("/capabilities.dtd")
    ogc_server.documents["wms:1.3.0"] = docs.WMS_130.replace(
        '<?xml version="1.0" encoding="UTF-8"?>\n',
        f'<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE WMS_Capabilities SYSTEM "{dtd}">\n').replace(
        "<Title>Geoportal DMQ</Title>", "<Title>&nombre;</Title>")
    with pytest.raises(SourceError, match=r"did not answer XML \(undefined entity"):
        crawl_wms(ogc_server.wms_url)
    with pytest.raises(SourceError, match="such documents are refused for safety"):
        crawl_wms(ogc_server.url_for("/xxe/wms"))
    assert [path for _, path in ogc_server.log if "dtd" in path] == []
