"""GeoPackage map layers, read with the standard library's sqlite3 (no GDAL).

Each row of ``gpkg_contents`` with data_type "features" is a layer; its CRS
comes from ``gpkg_geometry_columns.srs_id`` and ``gpkg_spatial_ref_sys``
(organization EPSG, or the WKT definition through pyproj), its geometry
types and extent from its geometry blobs (GeoPackage header + WKB), its
count from ``COUNT(*)``. The database is opened read-only and immutable,
with a time budget on every query (a layer may be a view). Metadata and
resource keys as in ``geo``.
"""
from __future__ import annotations

import pathlib
import sqlite3
import struct
import time
from typing import Optional

from ckanext.quito_gobiernoabierto.inspectors.base import InspectionError, Limits, _, guarded
from ckanext.quito_gobiernoabierto.inspectors.geo import (
    Extent, GeometryError, Layer, add_feature, epsg_from_wkt, finish)

#: Seconds all the queries on one file may take together.
QUERY_SECONDS = 120
#: WKB base type -> the schema's choices (curves and surfaces included).
WKB_TYPES = {1: "point", 4: "point", 2: "line", 5: "line", 8: "line", 9: "line", 11: "line", 13: "line",
             3: "polygon", 6: "polygon", 10: "polygon", 12: "polygon", 14: "polygon", 15: "polygon",
             16: "polygon", 17: "polygon"}
ENVELOPE_DOUBLES = {0: 0, 1: 4, 2: 6, 3: 6, 4: 8}
LAYERS_SQL = (
    "SELECT c.table_name, g.column_name, g.srs_id FROM gpkg_contents c "
    "JOIN gpkg_geometry_columns g ON g.table_name = c.table_name "
    "WHERE c.data_type = 'features' ORDER BY c.table_name")


def quote(name: str) -> str:
    """An SQL identifier, quoted."""
    return '"' + str(name).replace('"', '""') + '"'


def connect(path: str) -> sqlite3.Connection:
    """A read-only connection that gives up after ``QUERY_SECONDS``."""
    uri = pathlib.Path(path).absolute().as_uri() + "?mode=ro&immutable=1"
    connection = sqlite3.connect(uri, uri=True)
    deadline = time.monotonic() + QUERY_SECONDS
    connection.set_progress_handler(lambda: int(time.monotonic() > deadline), 10000)
    connection.execute("PRAGMA trusted_schema = OFF")
    return connection


# ---------------------------------------------------------------- WKB

def _positions(data: bytes, offset: int, order: str, count: int, dims: int, extent: Extent) -> int:
    values = struct.unpack_from(f"{order}{count * dims}d", data, offset)
    for index in range(0, len(values), dims):
        x, y = values[index], values[index + 1]
        if x == x and y == y:  # NaN marks an empty point
            extent.add(x, y)
    return offset + 8 * count * dims


def _count(data: bytes, offset: int, order: str) -> tuple:
    return struct.unpack_from(f"{order}I", data, offset)[0], offset + 4


def read_wkb(data: bytes, offset: int, extent: Extent, types: set) -> int:
    """Add one WKB geometry's types and positions; the offset after it."""
    order = "<" if data[offset] == 1 else ">"
    code, offset = _count(data, offset + 1, order)
    dims = 2 + bool(code & 0x80000000) + bool(code & 0x40000000)
    if code & 0x20000000:  # EWKB SRID
        offset += 4
    code &= 0x0FFFFFFF
    dims += {0: 0, 1: 1, 2: 1, 3: 2}.get(code // 1000, 0)
    base = code % 1000
    if base in WKB_TYPES:
        types.add(WKB_TYPES[base])
    if base == 1:
        return _positions(data, offset, order, 1, dims, extent)
    count, offset = _count(data, offset, order)
    if base == 2:
        return _positions(data, offset, order, count, dims, extent)
    if base == 3:
        for _ring in range(count):
            points, offset = _count(data, offset, order)
            offset = _positions(data, offset, order, points, dims, extent)
        return offset
    if base in (4, 5, 6, 7):
        for _member in range(count):
            offset = read_wkb(data, offset, extent, types)
        return offset
    raise GeometryError()


def read_blob(blob: bytes, extent: Extent, types: set) -> None:
    """A GeoPackage geometry blob: header (with its optional envelope), then WKB."""
    if not isinstance(blob, bytes) or len(blob) < 8 or blob[:2] != b"GP":
        raise GeometryError()
    flags = blob[3]
    if flags & 0x10:  # empty geometry
        return
    envelope = ENVELOPE_DOUBLES.get((flags >> 1) & 0x07)
    if envelope is None:
        raise GeometryError()
    try:
        read_wkb(blob, 8 + 8 * envelope, extent, types)
    except (struct.error, IndexError):
        raise GeometryError()


# ---------------------------------------------------------------- layers

def layer_epsg(connection: sqlite3.Connection, srs_id: int) -> Optional[int]:
    """The EPSG code of a GeoPackage srs_id (None when unknown)."""
    row = connection.execute("SELECT organization, organization_coordsys_id, definition "
                             "FROM gpkg_spatial_ref_sys WHERE srs_id = ?", (srs_id,)).fetchone()
    if row is None:
        return None
    organization, code, definition = row
    if str(organization).upper() == "EPSG" and code and int(code) > 0:
        return int(code)
    return epsg_from_wkt(definition) if definition and definition != "undefined" else None


def read_layer(connection: sqlite3.Connection, table: str, column: str, srs_id: int,
               limits: Limits, result) -> Layer:
    """One feature layer: CRS, count, fields, geometry types and extent."""
    layer = Layer(table, epsg=layer_epsg(connection, srs_id))
    if layer.epsg is None:
        result.warn(_("The coordinate reference system of {name} could not be matched to an EPSG code.")
                    .format(name=table))
    layer.count = connection.execute(f"SELECT COUNT(*) FROM {quote(table)}").fetchone()[0]
    layer.fields = [row[1] for row in connection.execute(f"PRAGMA table_info({quote(table)})")
                    if row[1] != column]
    broken = 0
    query = f"SELECT {quote(column)} FROM {quote(table)} WHERE {quote(column)} IS NOT NULL LIMIT ?"
    for (blob,) in connection.execute(query, (limits.max_rows,)):
        if not add_feature(layer, lambda scratch: read_blob(blob, scratch.extent, scratch.types)):
            broken += 1
    if broken:
        result.error(_("Features with malformed geometries: {count}.").format(count=broken))
    if layer.count > limits.max_rows:
        result.warn(_("Only the first {limit} features of {name} were read; its figures are partial.")
                    .format(limit=limits.max_rows, name=table))
    return layer


def read_layers(connection: sqlite3.Connection, limits: Limits, result) -> list:
    """Every feature layer of the GeoPackage."""
    tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'view')")}
    missing = [t for t in ("gpkg_contents", "gpkg_geometry_columns", "gpkg_spatial_ref_sys") if t not in tables]
    if missing:
        raise InspectionError(_("The SQLite database is not a GeoPackage: it lacks the tables {tables}.")
                              .format(tables=", ".join(missing)))
    rows = connection.execute(LAYERS_SQL).fetchall()
    if not rows:
        raise InspectionError(_("The GeoPackage holds no feature layer."))
    return [read_layer(connection, table, column, srs_id, limits, result) for table, column, srs_id in rows]


@guarded("geopackage")
def inspect_geopackage(path: str, limits: Limits, result) -> None:
    """A GeoPackage (.gpkg): every feature layer."""
    try:
        connection = connect(path)
        try:
            layers = read_layers(connection, limits, result)
        finally:
            connection.close()
    except sqlite3.OperationalError as error:
        if "interrupted" in str(error):
            raise InspectionError(_("Reading the GeoPackage took longer than {seconds} seconds.")
                                  .format(seconds=QUERY_SECONDS))
        raise InspectionError(_("The GeoPackage is damaged or incomplete ({detail}).").format(detail=error))
    except sqlite3.DatabaseError as error:
        raise InspectionError(_("The GeoPackage is damaged or incomplete ({detail}).").format(detail=error))
    finish(result, layers, "GPKG", "application/geopackage+sqlite3")
