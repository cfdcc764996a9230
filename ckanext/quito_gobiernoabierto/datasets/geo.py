"""Map layers (``capa_geografica``): coordinate reference systems, geometries
of the spatial extent and the kind of each distribution (file or service).

Geometries are stored as GeoJSON (the form the search engine and
ckanext-dcat read), whether they were entered as GeoJSON, WKT or a bounding
box "minx,miny,maxx,maxy". Coordinates are WGS 84 degrees, longitude first.
"""
from __future__ import annotations

import json
import re
from typing import Any, Iterator

import ckan.plugins.toolkit as tk
from geomet import wkt

from ckanext.quito_gobiernoabierto.datasets.common import blank, parse_bbox

#: EPSG codes accepted for a layer: those used for Quito and Ecuador
#: (WGS 84, PSAD56, SIRGAS 1995 and SIRGAS 2000 with their UTM zones 17 and 18)
#: and the common web ones. Each code and name was checked against the EPSG
#: registry (epsg.io).
EPSG_CODES = {
    "4326": "WGS 84",
    "3857": "WGS 84 / Pseudo-Mercator",
    "32717": "WGS 84 / UTM zone 17S",
    "32718": "WGS 84 / UTM zone 18S",
    "32617": "WGS 84 / UTM zone 17N",
    "4248": "PSAD56",
    "24877": "PSAD56 / UTM zone 17S",
    "24878": "PSAD56 / UTM zone 18S",
    "4170": "SIRGAS 1995",
    "31992": "SIRGAS 1995 / UTM zone 17S",
    "31993": "SIRGAS 1995 / UTM zone 18S",
    "31986": "SIRGAS 1995 / UTM zone 17N",
    "4674": "SIRGAS 2000",
}

CRS_RE = re.compile(r"^(?:EPSG\s*:\s*)?([0-9]{4,6})$", re.IGNORECASE)
BBOX_RE = re.compile(r"^\s*-?[\d.]+(?:\s*[,\s]\s*-?[\d.]+){3}\s*$")

#: Nesting depth of the positions in each GeoJSON geometry type.
DEPTHS = {"Point": 0, "MultiPoint": 1, "LineString": 1, "MultiLineString": 2,
          "Polygon": 2, "MultiPolygon": 3}

SERVICE_FORMATS = {"wms": "WMS", "wfs": "WFS", "wmts": "WMTS", "arcgis_rest": "ArcGIS REST"}


# ---------------------------------------------------------------- CRS

def crs_label(code: str) -> str:
    return f"{EPSG_CODES[code]} (EPSG:{code})"


def quito_crs_choices(field: dict | None = None) -> list[dict]:
    """Choices of the CRS field (scheming ``choices_helper``)."""
    return [{"value": f"EPSG:{code}", "label": crs_label(code)} for code in EPSG_CODES]


def quito_crs(value: Any, context) -> Any:
    """An EPSG code of the portal's table, "EPSG:32717" or "32717" -> "EPSG:32717"."""
    if blank(value):
        return value
    match = CRS_RE.match(str(value).strip())
    if not match:
        raise tk.Invalid(tk._("Enter the coordinate reference system as an EPSG code, e.g. EPSG:32717 or 32717."))
    code = match.group(1)
    if code not in EPSG_CODES:
        known = ", ".join(f"EPSG:{c}" for c in EPSG_CODES)
        raise tk.Invalid(tk._("EPSG:{code} is not one of the coordinate reference systems the portal knows: {known}.")
                         .format(code=code, known=known))
    return f"EPSG:{code}"


# ---------------------------------------------------------------- geometries

class GeometryError(ValueError):
    pass


def _bbox_polygon(text: str) -> dict:
    minx, miny, maxx, maxy = parse_bbox(text)
    ring = [[minx, miny], [maxx, miny], [maxx, maxy], [minx, maxy], [minx, miny]]
    return {"type": "Polygon", "coordinates": [ring]}


def _parse(value: Any) -> dict:
    """A GeoJSON geometry dict from GeoJSON (dict or text), a bbox or WKT."""
    if isinstance(value, dict):
        return value
    text = str(value).strip()
    if text.startswith("{"):
        try:
            return json.loads(text)
        except ValueError:
            raise GeometryError()
    if BBOX_RE.match(text):
        return _bbox_polygon(text)
    try:
        return wkt.loads(text)
    except Exception:  # geomet raises ValueError, StopIteration, IndexError... on bad WKT
        raise GeometryError()


def _positions(coords: Any, depth: int) -> Iterator[list]:
    """The positions of a coordinates array of the given nesting depth."""
    if depth == 0:
        if not (isinstance(coords, list) and len(coords) in (2, 3)
                and all(isinstance(c, (int, float)) and not isinstance(c, bool) for c in coords)):
            raise GeometryError()
        yield coords
        return
    if not isinstance(coords, list) or not coords:
        raise GeometryError()
    for item in coords:
        yield from _positions(item, depth - 1)


def _check_rings(geometry: dict) -> None:
    kind, coords = geometry["type"], geometry["coordinates"]
    polygons = [coords] if kind == "Polygon" else coords if kind == "MultiPolygon" else []
    for ring in (r for polygon in polygons for r in polygon):
        if len(ring) < 4 or ring[0] != ring[-1]:
            raise GeometryError()
    if kind == "LineString" and len(coords) < 2:
        raise GeometryError()


def check_geometry(geometry: Any) -> list[list]:
    """All positions of a GeoJSON geometry; GeometryError if malformed."""
    if not isinstance(geometry, dict):
        raise GeometryError()
    if geometry.get("type") == "GeometryCollection":
        members = geometry.get("geometries")
        if not isinstance(members, list) or not members:
            raise GeometryError()
        return [p for member in members for p in check_geometry(member)]
    if geometry.get("type") not in DEPTHS:
        raise GeometryError()
    positions = list(_positions(geometry.get("coordinates"), DEPTHS[geometry["type"]]))
    _check_rings(geometry)
    return positions


def quito_geometry(value: Any, context) -> Any:
    """A geometry as GeoJSON, WKT or bbox, stored as compact GeoJSON text."""
    if blank(value):
        return value
    try:
        geometry = _parse(value)
        positions = check_geometry(geometry)
    except GeometryError:
        raise tk.Invalid(tk._(
            'Enter a geometry as GeoJSON, e.g. {"type": "Point", "coordinates": [-78.5, -0.2]}, '
            "as WKT, e.g. POINT (-78.5 -0.2), or as a bounding box minx,miny,maxx,maxy."))
    if not all(-180 <= p[0] <= 180 and -90 <= p[1] <= 90 for p in positions):
        raise tk.Invalid(tk._("Coordinates must be WGS 84 degrees, longitude first: longitude between "
                              "-180 and 180, latitude between -90 and 90."))
    return json.dumps(geometry, separators=(",", ":"))


def quito_scale_denominator(value: Any, context) -> Any:
    """The denominator of the map scale: a whole number greater than zero."""
    if blank(value):
        return value
    text = str(value).strip().replace(" ", "")
    if text.startswith("1:"):
        text = text[2:]
    if re.fullmatch(r"\d{1,3}([.,]\d{3})+", text):  # thousands separators: 1:25.000
        text = re.sub(r"[.,]", "", text)
    if not re.fullmatch(r"[0-9]+", text) or int(text) == 0:
        raise tk.Invalid(tk._("Enter the scale denominator as a whole number greater than zero, e.g. 5000 for 1:5000."))
    return str(int(text))


# ---------------------------------------------------------------- distributions

def _sibling(key: tuple, name: str) -> tuple:
    return key[:-1] + (name,)


def quito_distribution(key, data, errors, context):
    """A service needs its protocol and layer name; a file has no protocol.
    A service without a format takes its protocol's name as format."""
    if errors.get(key):
        return
    kind = data.get(key)
    protocol_key, layer_key = _sibling(key, "service_protocol"), _sibling(key, "layer_name")
    protocol, layer = data.get(protocol_key), data.get(layer_key)
    if kind == "service":
        if blank(protocol):
            errors.setdefault(protocol_key, []).append(tk._("Choose the protocol of the service."))
        if blank(layer):
            errors.setdefault(layer_key, []).append(tk._("Enter the name of the layer in the service."))
        format_key = _sibling(key, "format")
        if blank(data.get(format_key)) and str(protocol) in SERVICE_FORMATS:
            data[format_key] = SERVICE_FORMATS[str(protocol)]
    elif not blank(protocol):
        errors.setdefault(protocol_key, []).append(
            tk._("Only a web service has a protocol: choose the web service kind or leave the protocol empty."))


VALIDATORS = {
    "quito_crs": quito_crs,
    "quito_geometry": quito_geometry,
    "quito_scale_denominator": quito_scale_denominator,
    "quito_distribution": quito_distribution,
}

HELPERS = {
    "quito_crs_choices": quito_crs_choices,
}
