"""Pure functions of the geoportal crawler: CRS codes, Web Mercator,
scales and tags out of text, HTML descriptions, URLs and dataset names."""
import pytest

from ckanext.quito_gobiernoabierto.harvesters.geoportal import LayerRecord, dataset_name
from ckanext.quito_gobiernoabierto.harvesters.geoportal.arcgis import services_root
from ckanext.quito_gobiernoabierto.harvesters.geoportal.mapping import bbox_text
from ckanext.quito_gobiernoabierto.harvesters.geoportal.ogc import ogc_base
from ckanext.quito_gobiernoabierto.harvesters.geoportal.records import mercator_to_wgs84, parse_epsg, wgs84_bbox
from ckanext.quito_gobiernoabierto.harvesters.geoportal.text import clean_tags, plain_text, scale_from_text


@pytest.mark.parametrize("url,root", [
    ("https://geo.quito.gob.ec/arcgis", "https://geo.quito.gob.ec/arcgis/rest/services"),
    ("https://geo.quito.gob.ec/arcgis/rest/services/", "https://geo.quito.gob.ec/arcgis/rest/services"),
    ("https://geo.quito.gob.ec/server/rest/services/Territorio/X/MapServer?f=pjson",
     "https://geo.quito.gob.ec/server/rest/services"),
])
def test_services_root(url, root):
    assert services_root(url) == root


@pytest.mark.parametrize("text,code", [
    ("EPSG:32717", 32717), ("urn:ogc:def:crs:EPSG::4326", 4326), ("urn:x-ogc:def:crs:EPSG:6.9:32717", 32717),
    ("http://www.opengis.net/def/crs/EPSG/0/31992", 31992), ("http://www.opengis.net/gml/srs/epsg.xml#4326", 4326),
    ("CRS:84", 4326), ("EPSG:900913", 3857), ("102100", 3857), ("AUTO:42001", None), ("", None),
])
def test_parse_epsg(text, code):
    assert parse_epsg(text) == code


def test_mercator_to_wgs84():
    assert mercator_to_wgs84(0, 0) == (0.0, 0.0)
    assert mercator_to_wgs84(20037508.342789244, 20037508.342789244) == (180.0, 85.0511288)
    assert mercator_to_wgs84(-8738580.0, -22263.0) == (-78.4999998, -0.1999915)


def test_dataset_names_are_stable_short_and_unique():
    long_title = "Áreas de intervención valorativa del Plan de Uso y Gestión del Suelo " * 3
    first = LayerRecord(guid="https://g/MapServer/1", source="arcgis", title=long_title, service_url="https://g",
                        service_type="MapServer", layer_url="https://g/MapServer/1", layer_name="1")
    second = LayerRecord(**{**first.to_dict(), "guid": "https://g/MapServer/2"})
    assert dataset_name(first) == dataset_name(LayerRecord.from_dict(first.to_dict()))
    assert dataset_name(first) != dataset_name(second)
    # cut at 91 characters, then the dash left at the cut dropped
    assert dataset_name(first) == ("areas-de-intervencion-valorativa-del-plan-de-uso-y-gestion-del-suelo-areas-de-"
                                   "intervencion-360f7d3a")
    assert dataset_name(LayerRecord(**{**first.to_dict(), "title": "¿?"})) == "capa-360f7d3a"


@pytest.mark.parametrize("url,base", [
    ("https://geo.quito.gob.ec/geoserver/wms?SERVICE=WMS&request=GetCapabilities&VERSION=1.1.1",
     "https://geo.quito.gob.ec/geoserver/wms"),
    ("https://geo.quito.gob.ec/cgi-bin/mapserv?map=/maps/dmq.map&service=WFS&typeName=a",
     "https://geo.quito.gob.ec/cgi-bin/mapserv?map=%2Fmaps%2Fdmq.map"),
])
def test_ogc_base_keeps_only_vendor_parameters(url, base):
    assert ogc_base(url) == base


def test_wgs84_bbox_only_for_crs_it_can_convert():
    assert wgs84_bbox((-78.6, -0.36, -78.33, 0.03), 4326) == (-78.6, -0.36, -78.33, 0.03)
    assert wgs84_bbox((-78.6, -0.36, -78.33, 0.03), 4674) == (-78.6, -0.36, -78.33, 0.03)  # SIRGAS 2000
    assert wgs84_bbox((770000.0, 9962000.0, 790000.0, 9990000.0), 32717) is None
    assert wgs84_bbox((-78.6, -0.36, -78.33, 0.03), 4248) is None  # PSAD56: hundreds of metres off
    assert wgs84_bbox((770000.0, 9962000.0, 790000.0, 9990000.0), 4326) is None  # not degrees


def test_bbox_text():
    assert bbox_text((-78.58000001, -0.0000001, -78.4, 0.05)) == "-78.58,0,-78.4,0.05"


@pytest.mark.parametrize("text,scale", [
    ("Escala 1:5.000.", 5000), ("escala 1: 25 000 (fuente IGM)", 25000), ("Escala 1:5000, año 2010", 5000),
    ("Cartografía a escala de 1:1.000.000", 1000000), ("Escala 1:50000", 50000), ("sin escala", None),
    ("1:5000 sin la palabra", None), ("Escala 1:0", None),
])
def test_scale_from_text(text, scale):
    assert scale_from_text(text) == scale


def test_clean_tags():
    assert clean_tags(["a", "Límites", "límites", "vías/calles", "quito:movilidad", " DMQ "]) == [
        "Límites", "vías calles", "quito movilidad", "DMQ"]
    assert clean_tags([f"k{i}" for i in range(30)], limit=3) == ["k0", "k1", "k2"]


def test_plain_text():
    assert plain_text("<p>Datos de <b>muestra</b> &amp; pruebas</p><p>Segunda&nbsp;línea</p>") == (
        "Datos de muestra & pruebas\nSegunda línea")
    assert plain_text("Sin etiquetas &lt;ni&gt; HTML") == "Sin etiquetas <ni> HTML"
    assert plain_text(None) == ""
