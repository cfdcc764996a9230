"""The crawler's output: one :class:`LayerRecord` per published layer, the
same shape for ArcGIS REST, WMS and WFS sources, plus the coordinate
helpers the crawlers share (EPSG codes out of the many ways services write
them, Web Mercator to WGS 84)."""
from __future__ import annotations

import dataclasses
import math
import re
from dataclasses import dataclass, field
from typing import Optional

Bbox = tuple[float, float, float, float]

#: Earth radius of the Web Mercator projection (EPSG:3857), metres.
MERCATOR_RADIUS = 6378137.0

#: Codes ArcGIS and older OGC services use for Web Mercator.
MERCATOR_ALIASES = {102100, 102113, 900913, 3785, 3857}

#: Geographic CRSs whose longitudes and latitudes are WGS 84 ones for a
#: catalogue extent (SIRGAS differs from WGS 84 by centimetres).
WGS84_LIKE = {4326, 4170, 4674}

EPSG_PATTERNS = [
    re.compile(r"^EPSG:+(\d{4,6})$", re.IGNORECASE),
    re.compile(r"^urn:(?:x-)?ogc:def:crs:EPSG:[\d.]*:(\d{4,6})$", re.IGNORECASE),
    re.compile(r"^https?://www\.opengis\.net/def/crs/EPSG/[\d.]+/(\d{4,6})$", re.IGNORECASE),
    re.compile(r"^https?://www\.opengis\.net/gml/srs/epsg\.xml#(\d{4,6})$", re.IGNORECASE),
]
CRS84 = re.compile(r"^(?:CRS:84|urn:ogc:def:crs:OGC:[\d.]*:CRS84|https?://www\.opengis\.net/def/crs/OGC/[\d.]+/CRS84)$",
                   re.IGNORECASE)


@dataclass
class LayerRecord:
    """A layer of a geoportal service, as found by the crawler.

    ``geometry_type`` uses the values of the ``capa_geografica`` schema
    (point, line, polygon, raster, mixed) or is None when the service does
    not say it (WMS). ``bbox`` is WGS 84 (lon/lat: minx, miny, maxx, maxy)
    or None; when the layer's CRS could not be turned into WGS 84 here,
    ``bbox_native`` keeps the service's numbers in ``bbox_crs``.
    """

    guid: str
    source: str                      # "arcgis", "wms" or "wfs"
    title: str
    service_url: str                 # the MapServer/FeatureServer, or the OGC endpoint
    service_type: str                # "MapServer", "FeatureServer", "WMS" or "WFS"
    layer_url: str                   # ArcGIS layer URL; WMS GetCapabilities; WFS GetFeature
    layer_name: str                  # ArcGIS layer id, or the OGC layer/feature type Name
    description: str = ""
    service_title: str = ""
    geometry_type: Optional[str] = None
    native_geometry_type: str = ""   # e.g. esriGeometryPolyline, gml:MultiSurfacePropertyType
    epsg: Optional[int] = None
    crs_list: list[str] = field(default_factory=list)
    bbox: Optional[Bbox] = None
    bbox_native: Optional[Bbox] = None
    bbox_crs: str = ""               # "EPSG:32717" when bbox_native is set
    # Visibility range of the service (not the source map's scale): the smallest
    # and largest scale denominators at which the layer is drawn (ArcGIS maxScale
    # and minScale; WMS MinScaleDenominator and MaxScaleDenominator).
    min_scale_denominator: Optional[float] = None
    max_scale_denominator: Optional[float] = None
    scale_denominator: Optional[int] = None  # source map scale, when a text states it
    attribution: str = ""
    keywords: list[str] = field(default_factory=list)
    fields: list[str] = field(default_factory=list)
    max_record_count: Optional[int] = None
    modified: Optional[str] = None   # "YYYY-MM-DDTHH:MM:SS", UTC
    wms_url: str = ""                # an ArcGIS MapServer's WMS GetCapabilities, if enabled
    geojson_url: str = ""            # an ArcGIS layer's GeoJSON query, if supported

    def to_dict(self) -> dict:
        """Plain JSON-able dict (harvest object content)."""
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> "LayerRecord":
        """The record back from :meth:`to_dict` output (unknown keys ignored)."""
        names = {f.name for f in dataclasses.fields(cls)}
        values = {k: v for k, v in data.items() if k in names}
        for key in ("bbox", "bbox_native"):
            if values.get(key) is not None:
                values[key] = tuple(values[key])
        return cls(**values)


def parse_epsg(text) -> Optional[int]:
    """The EPSG code of a CRS written as EPSG:4326, urn:ogc:def:crs:EPSG::32717,
    http://www.opengis.net/def/crs/EPSG/0/4326, CRS:84 (-> 4326) or a bare
    number; Web Mercator aliases (102100, 900913...) give 3857."""
    value = str(text or "").strip()
    if CRS84.match(value):
        return 4326
    code = value if value.isdigit() else None
    for pattern in EPSG_PATTERNS:
        match = pattern.match(value)
        if match:
            code = match.group(1)
    if code is None:
        return None
    number = int(code)
    return 3857 if number in MERCATOR_ALIASES else number


def mercator_to_wgs84(x: float, y: float) -> tuple[float, float]:
    """Longitude and latitude (degrees) of a Web Mercator (EPSG:3857) point,
    by the spherical formulas of the projection."""
    lon = math.degrees(x / MERCATOR_RADIUS)
    lat = math.degrees(2 * math.atan(math.exp(y / MERCATOR_RADIUS)) - math.pi / 2)
    return round(max(-180.0, min(180.0, lon)), 7), round(max(-90.0, min(90.0, lat)), 7)  # 7 decimals: ~1 cm


def valid_bbox(values) -> Optional[Bbox]:
    """Four finite numbers with min <= max, as a tuple; None otherwise."""
    try:
        minx, miny, maxx, maxy = (float(v) for v in values)
    except (TypeError, ValueError):
        return None
    if not all(math.isfinite(v) for v in (minx, miny, maxx, maxy)) or minx > maxx or miny > maxy:
        return None
    return minx, miny, maxx, maxy


def wgs84_bbox(bbox: Optional[Bbox], epsg: Optional[int]) -> Optional[Bbox]:
    """The WGS 84 lon/lat box of a box in ``epsg`` when this module can
    convert it (geographic WGS 84-like CRSs, Web Mercator), else None."""
    if bbox is None:
        return None
    if epsg == 3857:
        minx, miny = mercator_to_wgs84(bbox[0], bbox[1])
        maxx, maxy = mercator_to_wgs84(bbox[2], bbox[3])
        return minx, miny, maxx, maxy
    if epsg in WGS84_LIKE and -180 <= bbox[0] <= bbox[2] <= 180 and -90 <= bbox[1] <= bbox[3] <= 90:
        return bbox
    return None
