"""Map layers: the ``capa_geografica`` dataset fields read from GeoJSON, and
the helpers the other layer formats share (Shapefile in ``shp``, KML/KMZ in
``kml``, GeoPackage in ``gpkg``).

Metadata keys (``schemas/datasets/capa_geografica.yaml``):
``geometry_type`` (point, line, polygon, or mixed when layers or features
differ), ``crs`` ("EPSG:32717", only when the code is one the portal's
``quito_crs`` accepts) and ``spatial_coverage`` (the extent in WGS 84
degrees, reprojected with pyproj from the layer's CRS). The resource gets
``format``, ``mimetype``, ``crs`` (any EPSG code found), ``feature_count``
and ``layers`` (name, geometry_type, feature_count, crs, bbox in the layer's
own coordinates, fields).
"""
from __future__ import annotations

import json
import math
import os
import re
from dataclasses import dataclass, field
from typing import Callable, Optional

from ckanext.quito_gobiernoabierto.inspectors.base import (
    InspectionError, Limits, _, bbox_text, guarded, spatial_coverage, valid_wgs84_bbox)

WGS84 = 4326
GEOMETRY_TYPES = ("point", "line", "polygon")
#: GeoJSON and KML geometry names (lower case) -> the schema's choices.
GEOMETRY_NAMES = {
    "point": "point", "multipoint": "point", "linestring": "line", "multilinestring": "line",
    "linearring": "line", "polygon": "polygon", "multipolygon": "polygon",
}
#: Nesting depth of the positions of each GeoJSON geometry.
DEPTHS = {"Point": 0, "MultiPoint": 1, "LineString": 1, "MultiLineString": 2, "Polygon": 2, "MultiPolygon": 3}


class GeometryError(ValueError):
    pass


class Extent:
    """The bounding box of the positions seen so far."""

    def __init__(self) -> None:
        self.bounds: Optional[list] = None

    def add(self, x: float, y: float) -> None:
        if not (math.isfinite(x) and math.isfinite(y)):
            raise GeometryError()
        if self.bounds is None:
            self.bounds = [x, y, x, y]
        else:
            b = self.bounds
            self.bounds = [min(b[0], x), min(b[1], y), max(b[2], x), max(b[3], y)]

    def add_box(self, box) -> None:
        if box:
            self.add(box[0], box[1])
            self.add(box[2], box[3])


@dataclass
class Layer:
    """What was found in one layer of a file."""

    name: str
    epsg: Optional[int] = None
    types: set = field(default_factory=set)
    count: int = 0
    extent: Extent = field(default_factory=Extent)
    fields: list = field(default_factory=list)


def add_feature(layer: Layer, read: Callable[[Layer], None]) -> bool:
    """Let ``read`` add one feature's geometry to a scratch layer, then merge
    it into ``layer``; False (and nothing merged) when it is malformed."""
    scratch = Layer(layer.name)
    try:
        read(scratch)
    except GeometryError:
        return False
    layer.types |= scratch.types
    layer.extent.add_box(scratch.extent.bounds)
    return True


# ---------------------------------------------------------------- CRS

def epsg_from_wkt(wkt: str) -> Optional[int]:
    """The EPSG code of a WKT CRS (OGC or ESRI, as in .prj files)."""
    try:
        from pyproj import CRS
        code = CRS.from_wkt(wkt).to_epsg(min_confidence=70)
        if code:
            return int(code)
    except Exception:  # pyproj missing or WKT it cannot read
        pass
    codes = re.findall(r'AUTHORITY\s*\[\s*"EPSG"\s*,\s*"?(\d+)"?\s*\]', wkt, re.IGNORECASE)
    return int(codes[-1]) if codes else None


def to_wgs84(bbox: list, epsg: Optional[int]) -> Optional[list]:
    """A bbox in the layer's CRS as WGS 84 degrees, None when unknown."""
    if not bbox or epsg is None:
        return None
    if epsg == WGS84:
        return list(bbox)
    try:
        from pyproj import Transformer
        transformer = Transformer.from_crs(f"EPSG:{epsg}", f"EPSG:{WGS84}", always_xy=True)
        return list(transformer.transform_bounds(*bbox, densify_pts=21))
    except Exception:
        return None


def portal_crs(code: int) -> bool:
    """Whether ``quito_crs`` accepts the code."""
    from ckanext.quito_gobiernoabierto.datasets.geo import EPSG_CODES

    return str(code) in EPSG_CODES


# ---------------------------------------------------------------- result

def _layer_facts(layer: Layer) -> dict:
    types = sorted(layer.types)
    return {
        "name": layer.name, "feature_count": layer.count, "fields": layer.fields,
        "geometry_type": types[0] if len(types) == 1 else "mixed" if types else None,
        "crs": f"EPSG:{layer.epsg}" if layer.epsg else None,
        "bbox": bbox_text(layer.extent.bounds) if layer.extent.bounds else None,
    }


def _crs(result, layers: list) -> None:
    codes = [layer.epsg for layer in layers if layer.epsg]
    if len(set(codes)) > 1:
        result.warn(_("The layers use different coordinate reference systems: {codes}.")
                    .format(codes=", ".join(f"EPSG:{c}" for c in sorted(set(codes)))))
    if not codes:
        return
    result.resource["crs"] = f"EPSG:{codes[0]}"
    if portal_crs(codes[0]):
        result.metadata["crs"] = f"EPSG:{codes[0]}"
    else:
        result.warn(_("EPSG:{code} is not one of the coordinate reference systems the portal knows; choose the "
                      "CRS by hand or reproject the layer.").format(code=codes[0]))


def _coverage(result, layers: list) -> None:
    extent = Extent()
    for layer in layers:
        box = to_wgs84(layer.extent.bounds, layer.epsg)
        if layer.extent.bounds and not valid_wgs84_bbox(box):
            result.warn(_("The extent of layer {name} could not be expressed in WGS 84 degrees.")
                        .format(name=layer.name))
        elif box:
            extent.add_box(box)
    if extent.bounds:
        result.metadata["spatial_coverage"] = spatial_coverage(extent.bounds)


def finish(result, layers: list, format: str, mimetype: str) -> None:
    """Fill the metadata and resource facts from the layers read."""
    types = set().union(*(layer.types for layer in layers)) if layers else set()
    result.resource.update(format=format, mimetype=mimetype, layers=[_layer_facts(x) for x in layers],
                           feature_count=sum(layer.count for layer in layers))
    if not types:
        result.error(_("The file holds no geometries."))
    else:
        result.metadata["geometry_type"] = next(iter(types)) if len(types) == 1 else "mixed"
    _crs(result, layers)
    _coverage(result, layers)


# ---------------------------------------------------------------- GeoJSON

def geojson_epsg(document: dict) -> Optional[int]:
    """The code of a GeoJSON (2008) ``crs`` member; 4326 when absent."""
    crs = document.get("crs")
    if not crs:
        return WGS84
    name = str((crs.get("properties") or {}).get("name", "")) if isinstance(crs, dict) else ""
    if re.search(r"CRS:?84$", name, re.IGNORECASE):
        return WGS84
    match = re.search(r"EPSG:{1,2}(?:[\d.]*:)?(\d+)$", name, re.IGNORECASE)
    return int(match.group(1)) if match else None


def _positions(coords, depth: int, extent: Extent) -> None:
    if depth == 0:
        if coords == []:  # an empty geometry
            return
        if not (isinstance(coords, list) and len(coords) >= 2 and all(
                isinstance(c, (int, float)) and not isinstance(c, bool) for c in coords[:2])):
            raise GeometryError()
        extent.add(float(coords[0]), float(coords[1]))
        return
    if not isinstance(coords, list):
        raise GeometryError()
    for item in coords:
        _positions(item, depth - 1, extent)


def add_geometry(geometry, layer: Layer) -> None:
    """Count a GeoJSON geometry's type and extent into ``layer``."""
    if not isinstance(geometry, dict):
        raise GeometryError()
    kind = geometry.get("type")
    if kind == "GeometryCollection":
        for member in geometry.get("geometries") or []:
            add_geometry(member, layer)
        return
    if kind not in DEPTHS:
        raise GeometryError()
    _positions(geometry.get("coordinates"), DEPTHS[kind], layer.extent)
    layer.types.add(GEOMETRY_NAMES[kind.lower()])


def _features(document: dict) -> list:
    kind = document.get("type") if isinstance(document, dict) else None
    if kind == "FeatureCollection" and isinstance(document.get("features"), list):
        return document["features"]
    if kind == "Feature":
        return [document]
    if kind in DEPTHS or kind == "GeometryCollection":
        return [{"type": "Feature", "geometry": document}]
    raise InspectionError(_("The file is JSON but not GeoJSON: it holds no FeatureCollection, Feature or geometry."))


def _load_json(path: str, limits: Limits):
    if os.path.getsize(path) > limits.max_json_size:
        raise InspectionError(_("The GeoJSON file is too big to read ({size} MB; the limit is {limit} MB).").format(
            size=round(os.path.getsize(path) / 2**20, 1), limit=round(limits.max_json_size / 2**20, 1)))
    with open(path, "rb") as f:
        data = f.read()
    try:
        return json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise InspectionError(_("The GeoJSON file is not UTF-8 text."))
    except (ValueError, RecursionError) as error:
        raise InspectionError(_("The GeoJSON file is not valid JSON ({detail}).").format(detail=str(error)[:200]))


def _scan_features(features: list, layer: Layer, limits: Limits, result) -> None:
    names: dict = {}
    broken = 0
    for feature in features[:limits.max_rows]:
        geometry = feature.get("geometry") if isinstance(feature, dict) else None
        properties = feature.get("properties") if isinstance(feature, dict) else None
        if isinstance(properties, dict) and len(names) < 1000:
            names.update(dict.fromkeys(properties))
        layer.count += 1
        if geometry is not None and not add_feature(layer, lambda scratch: add_geometry(geometry, scratch)):
            broken += 1
    layer.fields = list(names)
    if broken:
        result.error(_("Features with malformed geometries: {count}.").format(count=broken))
    if len(features) > limits.max_rows:
        result.warn(_("Only the first {limit} features of {name} were read; its figures are partial.")
                    .format(limit=limits.max_rows, name=layer.name))


@guarded("geojson")
def inspect_geojson(path: str, limits: Limits, result) -> None:
    """A GeoJSON file: one layer, WGS 84 unless an old-style ``crs`` says otherwise."""
    document = _load_json(path, limits)
    features = _features(document)
    layer = Layer(str(document.get("name") or os.path.splitext(os.path.basename(path))[0]))
    layer.epsg = geojson_epsg(document)
    if layer.epsg is None:
        result.warn(_("The GeoJSON file's crs member names no EPSG code."))
    _scan_features(features, layer, limits, result)
    if layer.epsg == WGS84 and layer.extent.bounds and not valid_wgs84_bbox(layer.extent.bounds):
        result.error(_("The coordinates are not WGS 84 degrees (longitude, latitude) as GeoJSON requires; "
                       "reproject the layer or declare its CRS."))
        layer.extent = Extent()
    finish(result, [layer], "GeoJSON", "application/geo+json")
