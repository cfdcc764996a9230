"""Map layers: the capa_geografica fields (geometry_type, crs,
spatial_coverage) and the layer facts from Shapefile, GeoJSON, KML, KMZ and
GeoPackage files."""
import json
import sqlite3

import pytest
import yaml

from ckanext.quito_gobiernoabierto import package_path
from ckanext.quito_gobiernoabierto.inspectors import inspect
from ckanext.quito_gobiernoabierto.inspectors import gpkg
from ckanext.quito_gobiernoabierto.inspectors.geo import epsg_from_wkt, inspect_geojson
from ckanext.quito_gobiernoabierto.inspectors.kml import inspect_kml, inspect_kmz
from ckanext.quito_gobiernoabierto.inspectors.shp import inspect_shapefile

from . import builders

STATIONS_BBOX = "-78.556,-0.2958,-78.4865,-0.1545"
#: The UTM 17S zones (772000,9962000 - 781000,9979000 m) in WGS 84 degrees.
ZONES_BBOX = "-78.556338,-0.343483,-78.475502,-0.189808"
STATIONS = {"geometry_type": "point", "crs": "EPSG:4326", "spatial_coverage": [{"bbox": STATIONS_BBOX}]}


def _layer(name, geometry_type, count, crs, bbox, fields):
    return {"name": name, "geometry_type": geometry_type, "feature_count": count, "crs": crs, "bbox": bbox,
            "fields": fields}


def test_geometry_choices_exist_in_the_schema():
    with open(package_path("schemas", "datasets", "capa_geografica.yaml"), encoding="utf-8") as f:
        schema = yaml.safe_load(f)
    field = next(f for f in schema["dataset_fields"] if f["field_name"] == "geometry_type")
    assert {"point", "line", "polygon", "mixed"} <= {c["value"] for c in field["choices"]}


# ---------------------------------------------------------------- Shapefile

def test_zipped_shapefile_of_points(tmp_path):
    result = inspect(builders.shapefile_zip(tmp_path / "estaciones.zip"), "estaciones.zip")
    assert result.kind == "shapefile"
    assert (result.errors, result.warnings) == ([], [])
    assert result.metadata == STATIONS
    assert result.resource == {
        "size": result.resource["size"], "format": "SHP", "mimetype": "application/zip", "crs": "EPSG:4326",
        "feature_count": 4,
        "layers": [_layer("estaciones_trolebus", "point", 4, "EPSG:4326", STATIONS_BBOX, ["NOMBRE", "NOTA"])]}


def test_zipped_shapefile_in_utm_is_reprojected(tmp_path):
    result = inspect(builders.shapefile_zip(tmp_path / "zonas.zip", "zonas", "polygons"), "zonas.zip")
    assert result.metadata == {"geometry_type": "polygon", "crs": "EPSG:32717",
                               "spatial_coverage": [{"bbox": ZONES_BBOX}]}
    assert result.resource["layers"] == [
        _layer("zonas", "polygon", 2, "EPSG:32717", "772000,9962000,781000,9979000", ["NOMBRE", "NOTA"])]


def test_zip_with_two_shapefiles(tmp_path):
    members = {f"capas/Estaciones{ext}": data for ext, data in builders.shapefile_parts().items()}
    members.update({f"capas/Zonas{ext}": data for ext, data in builders.shapefile_parts("polygons").items()})
    result = inspect(builders.write_zip(tmp_path / "capas.zip", members), "capas.zip")
    assert result.kind == "shapefile"
    assert result.warnings == ["The layers use different coordinate reference systems: EPSG:4326, EPSG:32717."]
    assert result.metadata == {"geometry_type": "mixed", "crs": "EPSG:4326",
                               "spatial_coverage": [{"bbox": "-78.556338,-0.343483,-78.475502,-0.1545"}]}
    assert [(x["name"], x["geometry_type"], x["crs"]) for x in result.resource["layers"]] == [
        ("Estaciones", "point", "EPSG:4326"), ("Zonas", "polygon", "EPSG:32717")]
    assert result.resource["feature_count"] == 6


def test_lone_shp_beside_its_siblings(tmp_path):
    for extension, data in builders.shapefile_parts().items():
        target = tmp_path / f"estaciones{extension.upper() if extension == '.dbf' else extension}"
        target.write_bytes(data.encode() if isinstance(data, str) else data)
    result = inspect(tmp_path / "estaciones.shp", "estaciones.shp")
    assert result.kind == "shapefile"
    assert result.metadata == STATIONS
    assert result.resource["mimetype"] == "application/octet-stream"
    assert result.resource["feature_count"] == 4


def test_shapefile_without_dbf(tmp_path):
    result = inspect_shapefile(builders.shapefile_zip(tmp_path / "e.zip", drop=[".dbf"]))
    assert result.errors == ["The shapefile estaciones_trolebus lacks required files: .dbf."]
    assert result.fatal


def test_shapefile_without_prj(tmp_path):
    result = inspect_shapefile(builders.shapefile_zip(tmp_path / "e.zip", drop=[".prj"]))
    assert result.errors == []
    assert result.warnings == [
        "The shapefile estaciones_trolebus has no .prj file, so its coordinate reference system is unknown.",
        "The extent of layer estaciones_trolebus could not be expressed in WGS 84 degrees."]
    assert result.metadata == {"geometry_type": "point"}


def test_truncated_shp(tmp_path):
    parts = builders.shapefile_parts("polygons")
    parts[".shp"] = parts[".shp"][:150]
    path = builders.write_zip(tmp_path / "zonas.zip", {f"zonas{ext}": data for ext, data in parts.items()})
    result = inspect_shapefile(path)
    assert len(result.errors) == 1
    assert result.errors[0].startswith("The shapefile zonas is damaged or incomplete (")
    assert result.fatal


def test_zip_without_shapefile(tmp_path):
    result = inspect_shapefile(builders.write_zip(tmp_path / "capa.zip", {"LEEME.txt": "nada"}))
    assert result.errors == ["The ZIP archive holds no shapefile (.shp)."]


# ---------------------------------------------------------------- GeoJSON

def test_geojson(tmp_path):
    result = inspect(builders.write_geojson(tmp_path / "estaciones.geojson"), "estaciones.geojson")
    assert result.kind == "geojson"
    assert (result.errors, result.warnings) == ([], [])
    assert result.metadata == STATIONS
    assert result.resource["format"] == "GeoJSON"
    assert result.resource["mimetype"] == "application/geo+json"
    assert result.resource["layers"] == [
        _layer("estaciones_trolebus", "point", 4, "EPSG:4326", STATIONS_BBOX, ["nombre", "nota"])]


def test_geojson_with_a_crs_member(tmp_path):
    document = {"type": "FeatureCollection",
                "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::32717"}},
                "features": [{"type": "Feature", "properties": {"nombre": name},
                              "geometry": {"type": "Polygon", "coordinates": [[list(p) for p in ring]]}}
                             for name, ring in builders.ZONES_UTM]}
    result = inspect_geojson(builders.write_geojson(tmp_path / "zonas.geojson", document))
    assert result.metadata == {"geometry_type": "polygon", "crs": "EPSG:32717",
                               "spatial_coverage": [{"bbox": ZONES_BBOX}]}


def test_geojson_crs_the_portal_does_not_know(tmp_path):
    document = builders.geojson_document({"type": "name", "properties": {"name": "EPSG:4258"}})
    result = inspect_geojson(builders.write_geojson(tmp_path / "e.geojson", document))
    assert result.warnings == ["EPSG:4258 is not one of the coordinate reference systems the portal knows; choose "
                               "the CRS by hand or reproject the layer."]
    assert "crs" not in result.metadata
    assert result.resource["crs"] == "EPSG:4258"
    assert result.metadata["spatial_coverage"] == [{"bbox": STATIONS_BBOX}]


def test_geojson_with_projected_coordinates_and_no_crs(tmp_path):
    document = {"type": "Feature", "properties": {}, "geometry": {"type": "Point", "coordinates": [776000, 9970000]}}
    result = inspect_geojson(builders.write_geojson(tmp_path / "p.geojson", document))
    assert result.errors == ["The coordinates are not WGS 84 degrees (longitude, latitude) as GeoJSON requires; "
                             "reproject the layer or declare its CRS."]
    assert "spatial_coverage" not in result.metadata


def test_geojson_mixed_and_malformed_geometries(tmp_path):
    document = builders.geojson_document()
    document["features"].append({"type": "Feature", "properties": {"nombre": "Corredor"},
                                 "geometry": {"type": "LineString", "coordinates": [[-78.55, -0.29], [-78.49, -0.15]]}})
    document["features"].append({"type": "Feature", "properties": {},
                                 "geometry": {"type": "LineString", "coordinates": [[-70.0, -0.29], ["x", None]]}})
    document["features"].append({"type": "Feature", "properties": {}, "geometry": None})
    document["features"].append({"type": "Feature", "properties": {},
                                 "geometry": {"type": "Point", "coordinates": []}})
    result = inspect_geojson(builders.write_geojson(tmp_path / "m.geojson", document))
    assert result.metadata == {"geometry_type": "mixed", "crs": "EPSG:4326",
                               "spatial_coverage": [{"bbox": "-78.556,-0.2958,-78.4865,-0.15"}]}  # no -70: malformed
    assert result.errors == ["Features with malformed geometries: 1."]
    assert result.resource["feature_count"] == 8


def test_json_that_is_not_geojson(tmp_path):
    path = tmp_path / "datos.json"
    path.write_text(json.dumps({"registros": [1, 2]}))
    result = inspect(path, "datos.json")
    assert result.errors == ["The file is JSON but not GeoJSON: it holds no FeatureCollection, Feature or geometry."]


def test_truncated_geojson(tmp_path):
    path = tmp_path / "e.geojson"
    path.write_text(json.dumps(builders.geojson_document())[:300])
    result = inspect_geojson(path)
    assert result.errors[0].startswith("The GeoJSON file is not valid JSON (")
    assert result.fatal


# ---------------------------------------------------------------- KML / KMZ

KML_LAYERS = [_layer("Estaciones", "point", 4, "EPSG:4326", STATIONS_BBOX, []),
              _layer("Recorrido", "line", 1, "EPSG:4326", STATIONS_BBOX, [])]


def test_kml(tmp_path):
    path = tmp_path / "trolebus.kml"
    path.write_text(builders.kml_text(), encoding="utf-8")
    result = inspect(path, "trolebus.kml")
    assert result.kind == "kml"
    assert (result.errors, result.warnings) == ([], [])
    assert result.metadata == {**STATIONS, "geometry_type": "mixed"}
    assert result.resource["layers"] == KML_LAYERS
    assert result.resource["feature_count"] == 5
    assert result.resource["mimetype"] == "application/vnd.google-earth.kml+xml"


def test_kmz(tmp_path):
    path = builders.write_zip(tmp_path / "trolebus.kmz", {"doc.kml": builders.kml_text(),
                                                          "files/icono.png": b"\x89PNG\r\n\x1a\n"})
    result = inspect(path, "trolebus.kmz")
    assert result.kind == "kmz"
    assert result.errors == []
    assert result.metadata == {**STATIONS, "geometry_type": "mixed"}
    assert result.resource["format"] == "KMZ"
    assert result.resource["layers"] == KML_LAYERS


def test_kmz_without_kml(tmp_path):
    result = inspect_kmz(builders.write_zip(tmp_path / "mapa.kmz", {"icono.png": b"\x89PNG"}))
    assert result.errors == ["The KMZ archive holds no KML document."]


def test_kml_that_is_not_kml(tmp_path):
    path = tmp_path / "x.kml"
    path.write_text('<?xml version="1.0"?><gpx><trk/></gpx>')
    assert inspect_kml(path).errors == ["The XML file is not KML: its root element is gpx."]


def test_truncated_kml(tmp_path):
    path = tmp_path / "t.kml"
    path.write_text(builders.kml_text()[:400])
    result = inspect_kml(path)
    assert result.errors[0].startswith("The KML file is not well-formed XML (")
    assert result.fatal


# ---------------------------------------------------------------- GeoPackage

def test_geopackage(tmp_path):
    result = inspect(builders.write_geopackage(tmp_path / "quito.gpkg"), "quito.gpkg")
    assert result.kind == "geopackage"
    assert result.errors == []
    assert result.warnings == ["The layers use different coordinate reference systems: EPSG:4326, EPSG:32717."]
    assert result.metadata == {"geometry_type": "mixed", "crs": "EPSG:4326",
                               "spatial_coverage": [{"bbox": "-78.556338,-0.343483,-78.475502,-0.1545"}]}
    assert result.resource["format"] == "GPKG"
    assert result.resource["mimetype"] == "application/geopackage+sqlite3"
    assert result.resource["layers"] == [
        _layer("estaciones", "point", 4, "EPSG:4326", STATIONS_BBOX, ["fid", "nombre", "nota"]),
        _layer("zonas", "polygon", 2, "EPSG:32717", "772000,9962000,781000,9979000", ["fid", "nombre"])]


def test_sqlite_that_is_not_a_geopackage(tmp_path):
    path = tmp_path / "datos.gpkg"
    connection = sqlite3.connect(path)
    connection.execute("CREATE TABLE t (x)")
    connection.commit()
    connection.close()
    assert inspect(path, "datos.gpkg").errors == [
        "The SQLite database is not a GeoPackage: it lacks the tables gpkg_contents, gpkg_geometry_columns, "
        "gpkg_spatial_ref_sys."]


def test_truncated_geopackage(tmp_path):
    path = tmp_path / "quito.gpkg"
    data = open(builders.write_geopackage(tmp_path / "full.gpkg"), "rb").read()
    path.write_bytes(data[:5000])
    result = inspect(path, "quito.gpkg")
    assert result.errors[0].startswith("The GeoPackage is damaged or incomplete (")
    assert result.fatal


def test_geopackage_layer_that_never_ends(tmp_path, monkeypatch):
    """A layer may be a view: an endless one is cut off by the time budget."""
    path = builders.write_geopackage(tmp_path / "bomba.gpkg")
    connection = sqlite3.connect(path)
    connection.executescript(
        "CREATE VIEW infinita AS WITH RECURSIVE r(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM r) "
        "SELECT x AS fid, NULL AS geom FROM r;"
        "INSERT INTO gpkg_contents (table_name, data_type, identifier, srs_id) "
        "VALUES ('infinita', 'features', 'infinita', 4326);"
        "INSERT INTO gpkg_geometry_columns VALUES ('infinita', 'geom', 'POINT', 4326, 0, 0);")
    connection.close()
    monkeypatch.setattr(gpkg, "QUERY_SECONDS", 1)
    assert gpkg.inspect_geopackage(path).errors == ["Reading the GeoPackage took longer than 1 seconds."]


# ---------------------------------------------------------------- CRS

@pytest.mark.parametrize("wkt,code", [
    (builders.UTM17S_PRJ, 32717),
    ('GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,298.257223563]],'
     'PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]]', 4326),
    ('PROJCS["PSAD56 / UTM zone 17S",GEOGCS["PSAD56",AUTHORITY["EPSG","4248"]],AUTHORITY["EPSG","24877"]]', 24877),
    ("not a CRS", None),
])
def test_epsg_from_wkt(wkt, code):
    assert epsg_from_wkt(wkt) == code
