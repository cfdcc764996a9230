"""Fixture files for the inspector tests, all written from code into a
temporary folder: a small GTFS feed of Quito's Trolebús, Ecovía and a feeder
line, a layer of Trolebús stations in Shapefile, GeoJSON, KML, KMZ and
GeoPackage, and tables in CSV and XLSX. Every value is labelled sample data
("datos de ejemplo"), not official figures."""
from __future__ import annotations

import io
import json
import sqlite3
import struct
import zipfile

SAMPLE = "datos de ejemplo"

# ---------------------------------------------------------------- GTFS

AGENCY = "Empresa Pública Metropolitana de Transporte de Pasajeros de Quito (datos de ejemplo)"

#: stop_id -> (name, lat, lon): real-looking positions along the corridors.
STOPS = {
    "Q01": ("Terminal Quitumbe", -0.29580, -78.55600),
    "Q02": ("El Recreo", -0.25200, -78.52250),
    "Q03": ("Plaza del Teatro", -0.21950, -78.51050),
    "Q04": ("El Labrador", -0.15450, -78.48650),
    "E01": ("Río Coca", -0.16620, -78.47810),
    "E02": ("Baca Ortiz", -0.19810, -78.49250),
    "E03": ("La Marín", -0.22230, -78.50720),
    "A01": ("Guamaní", -0.33060, -78.55320),
}
#: trip_id -> (route_id, service_id, stops, minutes between stops).
TRIPS = {
    "C1-LAB-0600": ("C1", "LAB", ["Q01", "Q02", "Q03", "Q04"], 15),
    "C1-FDS-0700": ("C1", "FDS", ["Q01", "Q02", "Q03", "Q04"], 15),
    "E1-LAB-0615": ("E1", "LAB", ["E01", "E02", "E03"], 10),
    "A1-LAB-0550": ("A1", "LAB", ["A01", "Q01"], 12),
}


def _csv(rows: list) -> str:
    return "".join(",".join(str(v) for v in row) + "\r\n" for row in rows)


def _stop_times() -> list:
    rows = [["trip_id", "arrival_time", "departure_time", "stop_id", "stop_sequence"]]
    for trip_id, (_route, _service, stops, gap) in TRIPS.items():
        hour, minute = int(trip_id[-4:-2]), int(trip_id[-2:])
        for sequence, stop in enumerate(stops, start=1):
            total = hour * 60 + minute + gap * (sequence - 1)
            time = f"{total // 60:02d}:{total % 60:02d}:00"
            rows.append([trip_id, time, time, stop, sequence])
    return rows


def gtfs_tables() -> dict:
    """The feed's tables, file name -> CSV text."""
    return {
        "agency.txt": _csv([
            ["agency_id", "agency_name", "agency_url", "agency_timezone", "agency_lang"],
            ["EPMTPQ", f'"{AGENCY}"', "https://www.trolebus.gob.ec", "America/Guayaquil", "es"]]),
        "routes.txt": _csv([
            ["route_id", "agency_id", "route_short_name", "route_long_name", "route_desc", "route_type"],
            ["C1", "EPMTPQ", "C1", "Trolebús Quitumbe - El Labrador", "Corredor Central (datos de ejemplo)", 11],
            ["E1", "EPMTPQ", "E1", "Ecovía Río Coca - La Marín", "Corredor Oriental BRT (datos de ejemplo)", 3],
            ["A1", "EPMTPQ", "A1", "Alimentador Guamaní - Quitumbe", "Bus alimentador (datos de ejemplo)", 3]]),
        "stops.txt": _csv([["stop_id", "stop_name", "stop_lat", "stop_lon"]]
                          + [[sid, name, lat, lon] for sid, (name, lat, lon) in STOPS.items()]),
        "trips.txt": _csv([["route_id", "service_id", "trip_id"]]
                          + [[route, service, trip] for trip, (route, service, _s, _g) in TRIPS.items()]),
        "stop_times.txt": _csv(_stop_times()),
        "calendar.txt": _csv([
            ["service_id", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
             "start_date", "end_date"],
            ["LAB", 1, 1, 1, 1, 1, 0, 0, 20250106, 20251231],
            ["FDS", 0, 0, 0, 0, 0, 1, 1, 20250111, 20251228]]),
        "calendar_dates.txt": _csv([
            ["service_id", "date", "exception_type"],
            ["LAB", 20250303, 2],
            ["FDS", 20260103, 1]]),
        "feed_info.txt": _csv([
            ["feed_publisher_name", "feed_publisher_url", "feed_lang", "feed_start_date", "feed_end_date",
             "feed_version", "feed_contact_email"],
            ["Portal de Gobierno Abierto de Quito - DATOS DE EJEMPLO", "https://gobiernoabierto.quito.gob.ec",
             "es", 20250106, 20260103, "2025.1", "datos.abiertos@quito.gob.ec"]]),
    }


def write_zip(path, members: dict) -> str:
    """A deflated zip of ``members`` (name -> text or bytes)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content.encode("utf-8") if isinstance(content, str) else content)
    return str(path)


def gtfs_zip(path, drop=(), replace=None) -> str:
    """The sample feed, without the files in ``drop`` and with ``replace``
    (name -> text) swapped in."""
    tables = {name: text for name, text in gtfs_tables().items() if name not in drop}
    tables.update(replace or {})
    return write_zip(path, tables)


# ---------------------------------------------------------------- layers

#: Trolebús stations as (name, lon, lat), WGS 84.
STATIONS = [(STOPS[s][0], STOPS[s][2], STOPS[s][1]) for s in ("Q01", "Q02", "Q03", "Q04")]
UTM17S_PRJ = (
    'PROJCS["WGS_1984_UTM_Zone_17S",GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,'
    '298.257223563]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Transverse_Mercator"],'
    'PARAMETER["False_Easting",500000.0],PARAMETER["False_Northing",10000000.0],PARAMETER["Central_Meridian",-81.0],'
    'PARAMETER["Scale_Factor",0.9996],PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]')
#: Two polygons of the administraciones zonales sample, in UTM 17S metres.
ZONES_UTM = [
    ("Eloy Alfaro (datos de ejemplo)", [(772000, 9962000), (778000, 9962000), (778000, 9972000),
                                         (772000, 9972000), (772000, 9962000)]),
    ("Manuela Sáenz (datos de ejemplo)", [(776000, 9972000), (781000, 9972000), (781000, 9979000),
                                           (776000, 9979000), (776000, 9972000)]),
]


def shapefile_parts(kind: str = "points") -> dict:
    """The .shp/.shx/.dbf/.prj/.cpg bytes of the stations (WGS 84 points)
    or of the zones (UTM 17S polygons)."""
    import shapefile

    shp, shx, dbf = io.BytesIO(), io.BytesIO(), io.BytesIO()
    shape_type = shapefile.POINT if kind == "points" else shapefile.POLYGON
    with shapefile.Writer(shp=shp, shx=shx, dbf=dbf, shapeType=shape_type, encoding="utf-8") as writer:
        writer.field("NOMBRE", "C", size=60)
        writer.field("NOTA", "C", size=30)
        if kind == "points":
            for name, lon, lat in STATIONS:
                writer.point(lon, lat)
                writer.record(name, SAMPLE)
        else:
            for name, ring in ZONES_UTM:
                writer.poly([ring])
                writer.record(name, SAMPLE)
    prj = 'GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,298.257223563]],' \
          'PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]]' if kind == "points" else UTM17S_PRJ
    return {".shp": shp.getvalue(), ".shx": shx.getvalue(), ".dbf": dbf.getvalue(), ".prj": prj, ".cpg": "UTF-8"}


def shapefile_zip(path, stem: str = "estaciones_trolebus", kind: str = "points", drop=()) -> str:
    parts = shapefile_parts(kind)
    return write_zip(path, {f"{stem}{ext}": data for ext, data in parts.items() if ext not in drop})


def geojson_document(crs: dict | None = None) -> dict:
    features = [{"type": "Feature", "properties": {"nombre": name, "nota": SAMPLE},
                 "geometry": {"type": "Point", "coordinates": [lon, lat]}} for name, lon, lat in STATIONS]
    document = {"type": "FeatureCollection", "name": "estaciones_trolebus", "features": features}
    if crs:
        document["crs"] = crs
    return document


def write_geojson(path, document=None) -> str:
    path.write_text(json.dumps(document or geojson_document(), ensure_ascii=False), encoding="utf-8")
    return str(path)


def kml_text() -> str:
    """Stations in one folder, the line between them in another."""
    points = "".join(
        f"<Placemark><name>{name}</name><Point><coordinates>{lon},{lat},0</coordinates></Point></Placemark>"
        for name, lon, lat in STATIONS)
    line = " ".join(f"{lon},{lat}" for _n, lon, lat in STATIONS)
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<kml xmlns="http://www.opengis.net/kml/2.2"><Document>'
            f"<name>Trolebús ({SAMPLE})</name>"
            f"<Folder><name>Estaciones</name>{points}</Folder>"
            f"<Folder><name>Recorrido</name><Placemark><name>Corredor Central</name>"
            f"<LineString><coordinates>{line}</coordinates></LineString></Placemark></Folder>"
            "</Document></kml>")


# ---------------------------------------------------------------- GeoPackage

GPKG_TABLES = """
CREATE TABLE gpkg_spatial_ref_sys (srs_name TEXT NOT NULL, srs_id INTEGER PRIMARY KEY, organization TEXT NOT NULL,
  organization_coordsys_id INTEGER NOT NULL, definition TEXT NOT NULL, description TEXT);
CREATE TABLE gpkg_contents (table_name TEXT PRIMARY KEY, data_type TEXT NOT NULL, identifier TEXT UNIQUE,
  description TEXT DEFAULT '', last_change DATETIME NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
  min_x DOUBLE, min_y DOUBLE, max_x DOUBLE, max_y DOUBLE, srs_id INTEGER);
CREATE TABLE gpkg_geometry_columns (table_name TEXT NOT NULL, column_name TEXT NOT NULL,
  geometry_type_name TEXT NOT NULL, srs_id INTEGER NOT NULL, z TINYINT NOT NULL, m TINYINT NOT NULL,
  CONSTRAINT pk_geom_cols PRIMARY KEY (table_name, column_name));
INSERT INTO gpkg_spatial_ref_sys VALUES
  ('Undefined cartesian SRS', -1, 'NONE', -1, 'undefined', NULL),
  ('Undefined geographic SRS', 0, 'NONE', 0, 'undefined', NULL),
  ('WGS 84 geodetic', 4326, 'EPSG', 4326, 'GEOGCS["WGS 84",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,
    298.257223563]],PRIMEM["Greenwich",0],UNIT["degree",0.0174532925199433],AUTHORITY["EPSG","4326"]]', NULL),
  ('WGS 84 / UTM zone 17S', 32717, 'EPSG', 32717, 'PROJCS["WGS 84 / UTM zone 17S"]', NULL);
"""


def gpkg_blob(wkb: bytes, srs_id: int, envelope=None) -> bytes:
    """A GeoPackage geometry blob: little-endian header, optional xy envelope, WKB."""
    flags = 0x01 | (0x02 if envelope else 0)
    header = b"GP" + bytes([0, flags]) + struct.pack("<i", srs_id)
    return header + (struct.pack("<4d", *envelope) if envelope else b"") + wkb


def wkb_point(x: float, y: float) -> bytes:
    return struct.pack("<BIdd", 1, 1, x, y)


def wkb_polygon(ring: list) -> bytes:
    return struct.pack("<BII", 1, 3, 1) + struct.pack("<I", len(ring)) + b"".join(
        struct.pack("<dd", x, y) for x, y in ring)


def write_geopackage(path) -> str:
    """Two layers: stations (points, EPSG:4326) and zones (polygons, EPSG:32717)."""
    connection = sqlite3.connect(str(path))
    connection.execute("PRAGMA application_id = 1196444487")  # "GPKG"
    connection.execute("PRAGMA user_version = 10400")
    connection.executescript(GPKG_TABLES)
    connection.executescript(
        "CREATE TABLE estaciones (fid INTEGER PRIMARY KEY AUTOINCREMENT, geom POINT, nombre TEXT, nota TEXT);"
        "CREATE TABLE zonas (fid INTEGER PRIMARY KEY AUTOINCREMENT, geom POLYGON, nombre TEXT);"
        "INSERT INTO gpkg_contents (table_name, data_type, identifier, srs_id) VALUES "
        "('estaciones', 'features', 'estaciones', 4326), ('zonas', 'features', 'zonas', 32717);"
        "INSERT INTO gpkg_geometry_columns VALUES ('estaciones', 'geom', 'POINT', 4326, 0, 0),"
        " ('zonas', 'geom', 'POLYGON', 32717, 0, 0);")
    for name, lon, lat in STATIONS:
        connection.execute("INSERT INTO estaciones (geom, nombre, nota) VALUES (?, ?, ?)",
                           (gpkg_blob(wkb_point(lon, lat), 4326), name, SAMPLE))
    for name, ring in ZONES_UTM:
        xs, ys = [p[0] for p in ring], [p[1] for p in ring]
        connection.execute("INSERT INTO zonas (geom, nombre) VALUES (?, ?)",
                           (gpkg_blob(wkb_polygon(ring), 32717, (min(xs), max(xs), min(ys), max(ys))), name))
    connection.commit()
    connection.close()
    return str(path)


# ---------------------------------------------------------------- tables

AIR_QUALITY = [
    ["fecha", "estación", "contaminante", "concentración_µg_m3", "nota"],
    ["2025-01-06", "Belisario", "PM2,5", "14,2", SAMPLE],
    ["2025-01-06", "Carapungo", "PM2,5", "11,8", SAMPLE],
    ["2025-01-07", "El Camal", "NO₂", "21", SAMPLE],
]
LATIN1_ROWS = [
    ["año", "administración_zonal", "parroquia", "población"],
    ["2010", "Eloy Alfaro", "La Magdalena", "32758"],
    ["2010", "Manuela Sáenz", "San Juan", "54614"],
    ["2010", "Niña María", "Ñañacuchu", "1200"],
]


def write_csv(path, rows: list, encoding: str = "utf-8", delimiter: str = ";") -> str:
    path.write_bytes("".join(delimiter.join(row) + "\r\n" for row in rows).encode(encoding))
    return str(path)


def write_xlsx(path) -> str:
    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Viajes"
    sheet.append(["fecha", "línea", "pasajeros", "tarifa_usd", "nota"])
    import datetime
    for day, line, riders in ((6, "Trolebús", 210345), (6, "Ecovía", 98120), (7, "Trolebús", 208877)):
        sheet.append([datetime.date(2025, 1, day), line, riders, 0.35, SAMPLE])
    notes = workbook.create_sheet("Notas")
    notes.append(["campo", "descripción"])
    notes.append(["pasajeros", "Validaciones de tarjeta por día (datos de ejemplo)"])
    workbook.save(str(path))
    return str(path)
