"""Reading OGC GetCapabilities documents into :class:`LayerRecord` s.

- WMS 1.3.0 and 1.1.1: every named layer that has no named sublayers (a
  named layer with children is a layer group, skipped like ArcGIS group
  layers). CRS/SRS lists, the geographic box, attribution and scale range
  are inherited from parent layers as the WMS specification says.
- WFS 2.0.0, 1.1.0 (and 1.0.0): every FeatureType. With ``describe=True``
  the crawler also asks DescribeFeatureType for the geometry type, which
  GetCapabilities does not give.

Elements are matched by local name, so the namespaces of the different
versions need no table. XML is parsed by :func:`http.parse_xml` (no DTD,
no entities).
"""
from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import Optional
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from .http import Fetcher, SourceError, collect
from .records import LayerRecord, parse_epsg, valid_bbox
from .text import _, clean_tags, plain_text, scale_from_text

#: Query parameters of an OGC request, dropped from a base URL (case-insensitive).
OGC_PARAMS = {"service", "request", "version", "acceptversions", "layers", "typename", "typenames"}

GML_GEOMETRIES = {
    "PointPropertyType": "point", "MultiPointPropertyType": "point",
    "LineStringPropertyType": "line", "MultiLineStringPropertyType": "line",
    "CurvePropertyType": "line", "MultiCurvePropertyType": "line",
    "PolygonPropertyType": "polygon", "MultiPolygonPropertyType": "polygon",
    "SurfacePropertyType": "polygon", "MultiSurfacePropertyType": "polygon",
    "GeometryPropertyType": None, "MultiGeometryPropertyType": None,
}


# ---------------------------------------------------------------- URLs and XML

def ogc_base(url: str) -> str:
    """The service endpoint of ``url``: OGC request parameters removed,
    others (e.g. MapServer's ``map=``) kept."""
    parts = urlsplit(url.strip())
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k.lower() not in OGC_PARAMS]
    return urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(query), ""))


def request_url(base: str, **params: str) -> str:
    """``base`` with OGC request parameters added."""
    return f"{base}{'&' if urlsplit(base).query else '?'}{urlencode(params)}"


def _local(tag) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _kids(element: Optional[ET.Element], name: str) -> list[ET.Element]:
    return [child for child in element if _local(child.tag) == name] if element is not None else []


def _kid(element: Optional[ET.Element], *path: str) -> Optional[ET.Element]:
    for name in path:
        found = _kids(element, name)
        element = found[0] if found else None
    return element


def _text(element: Optional[ET.Element], *path: str) -> str:
    found = _kid(element, *path)
    return " ".join((found.text or "").split()) if found is not None else ""


def _check_root(root: ET.Element, url: str, expected: tuple[str, ...], kind: str) -> None:
    """SourceError for an OGC exception report or a document of another kind."""
    name = _local(root.tag)
    if name in ("ServiceExceptionReport", "ExceptionReport"):
        texts = ("".join(e.itertext()) for e in root.iter() if _local(e.tag) in ("ServiceException", "ExceptionText"))
        detail = " ".join(" ".join(texts).split())
        raise SourceError(_("{url} answered an OGC exception: {detail}").format(url=url, detail=detail or name),
                          url=url, kind="service")
    if name not in expected:
        raise SourceError(_("{url} is not a {kind} capabilities document (its root element is {tag}).")
                          .format(url=url, kind=kind, tag=name), url=url, kind="service")


def _keywords(element: Optional[ET.Element]) -> list[str]:
    """Keywords of a WMS KeywordList or an OWS Keywords element."""
    lists = _kids(element, "KeywordList") + _kids(element, "Keywords")
    return [" ".join((k.text or "").split()) for kl in lists for k in _kids(kl, "Keyword") if (k.text or "").strip()]


def _first_epsg(codes: list[str]) -> Optional[int]:
    return next((code for code in map(parse_epsg, codes) if code), None)


# ---------------------------------------------------------------- WMS

def crawl_wms(url: str, *, version: str = "1.3.0", fetcher: Optional[Fetcher] = None) -> list[LayerRecord]:
    """The named layers of the WMS at ``url`` (its endpoint or GetCapabilities URL)."""
    base = ogc_base(url)
    caps_url = request_url(base, service="WMS", request="GetCapabilities", version=version)
    root = (fetcher or Fetcher()).xml(caps_url)
    return parse_wms_capabilities(root, base, caps_url)


def _wms_bbox(layer: ET.Element) -> Optional[tuple]:
    box = _kid(layer, "EX_GeographicBoundingBox")
    if box is not None:
        return valid_bbox([_text(box, k) for k in ("westBoundLongitude", "southBoundLatitude",
                                                    "eastBoundLongitude", "northBoundLatitude")])
    box = _kid(layer, "LatLonBoundingBox")
    return valid_bbox([box.get(k) for k in ("minx", "miny", "maxx", "maxy")]) if box is not None else None


def _number(text: str) -> Optional[float]:
    try:
        value = float(text)
    except ValueError:
        return None
    return value if value > 0 else None


def _inherit(layer: ET.Element, parent: dict) -> dict:
    """What a WMS layer takes from its parent, with its own values applied."""
    own_crs = [code for e in _kids(layer, "CRS") + _kids(layer, "SRS") for code in (e.text or "").split()]
    return {
        "own_crs": own_crs,
        "crs": own_crs + [c for c in parent.get("crs", []) if c not in own_crs],
        "bbox": _wms_bbox(layer) or parent.get("bbox"),
        "attribution": _text(layer, "Attribution", "Title") or parent.get("attribution", ""),
        "min": _number(_text(layer, "MinScaleDenominator")) or parent.get("min"),
        "max": _number(_text(layer, "MaxScaleDenominator")) or parent.get("max"),
    }


def _wms_layers(layer: ET.Element, parent: dict):
    """(element, inherited values) of the named leaf layers under ``layer``."""
    state = _inherit(layer, parent)
    children = _kids(layer, "Layer")
    named_children = [c for c in children if _text(c, "Name") or _kids(c, "Layer")]
    if _text(layer, "Name") and not named_children:
        yield layer, state
    for child in children:
        yield from _wms_layers(child, state)


def parse_wms_capabilities(root: ET.Element, base: str, caps_url: str = "") -> list[LayerRecord]:
    """Records of the named leaf layers of a WMS 1.3.0 / 1.1.1 capabilities document."""
    caps_url = caps_url or request_url(base, service="WMS", request="GetCapabilities")
    _check_root(root, caps_url, ("WMS_Capabilities", "WMT_MS_Capabilities"), "WMS")
    service = _kid(root, "Service")
    service_title = _text(service, "Title")
    provider = _text(service, "ContactInformation", "ContactPersonPrimary", "ContactOrganization")
    top = _kid(root, "Capability", "Layer")
    records = []
    for layer, state in (_wms_layers(top, {}) if top is not None else []):
        name = _text(layer, "Name")
        description = plain_text(_text(layer, "Abstract"))
        attribution = state["attribution"] or provider
        records.append(LayerRecord(
            guid=f"{base}#wms:{name}", source="wms", title=_text(layer, "Title") or name, service_url=base,
            service_type="WMS", layer_url=caps_url, layer_name=name, description=description,
            service_title=service_title, epsg=_first_epsg(state["crs"]), crs_list=state["crs"],
            bbox=state["bbox"], min_scale_denominator=state["min"], max_scale_denominator=state["max"],
            scale_denominator=scale_from_text(description, attribution), attribution=attribution,
            keywords=clean_tags(_keywords(layer) + _keywords(service))))
    return records


# ---------------------------------------------------------------- WFS

def crawl_wfs(url: str, *, version: str = "2.0.0", fetcher: Optional[Fetcher] = None, describe: bool = True,
              errors: Optional[list] = None) -> list[LayerRecord]:
    """The feature types of the WFS at ``url``; with ``describe``, their
    geometry type and attribute names from DescribeFeatureType (a failure
    there raises, or with an ``errors`` list is recorded and the geometry left unknown)."""
    fetcher = fetcher or Fetcher()
    base = ogc_base(url)
    caps_url = request_url(base, service="WFS", request="GetCapabilities", version=version)
    root = fetcher.xml(caps_url)
    records = parse_wfs_capabilities(root, base, caps_url)
    version = root.get("version") or version
    for record in records if describe else []:
        describe_url = request_url(base, service="WFS", version=version, request="DescribeFeatureType",
                                   **{_type_param(version): record.layer_name})
        schema = collect(errors, describe_url, lambda: fetcher.xml(describe_url), None)
        if schema is not None:
            record.geometry_type, record.native_geometry_type, record.fields = geometry_from_schema(schema)
    return records


def _type_param(version: str) -> str:
    return "typeNames" if version.startswith("2") else "typeName"


def _wfs_bbox(feature_type: ET.Element) -> Optional[tuple]:
    box = _kid(feature_type, "WGS84BoundingBox")
    if box is not None:
        corners = (_text(box, "LowerCorner") + " " + _text(box, "UpperCorner")).split()
        return valid_bbox(corners) if len(corners) == 4 else None
    box = _kid(feature_type, "LatLongBoundingBox")  # WFS 1.0.0
    return valid_bbox([box.get(k) for k in ("minx", "miny", "maxx", "maxy")]) if box is not None else None


def _wfs_crs(feature_type: ET.Element) -> list[str]:
    names = ("DefaultCRS", "DefaultSRS", "SRS", "OtherCRS", "OtherSRS")
    return [" ".join((e.text or "").split()) for n in names for e in _kids(feature_type, n) if (e.text or "").strip()]


def _wfs_record(feature_type: ET.Element, base: str, version: str, service: dict) -> LayerRecord:
    name = _text(feature_type, "Name")
    description = plain_text(_text(feature_type, "Abstract"))
    crs = _wfs_crs(feature_type)
    return LayerRecord(
        guid=f"{base}#wfs:{name}", source="wfs", title=_text(feature_type, "Title") or name, service_url=base,
        service_type="WFS", layer_name=name, description=description, service_title=service["title"],
        layer_url=request_url(base, service="WFS", version=version, request="GetFeature", **{_type_param(version): name}),
        epsg=_first_epsg(crs), crs_list=crs, bbox=_wfs_bbox(feature_type), attribution=service["provider"],
        scale_denominator=scale_from_text(description, service["provider"]),
        keywords=clean_tags(_keywords(feature_type) + service["keywords"]))


def parse_wfs_capabilities(root: ET.Element, base: str, caps_url: str = "") -> list[LayerRecord]:
    """Records of the feature types of a WFS 2.0.0 / 1.1.0 / 1.0.0 capabilities document."""
    caps_url = caps_url or request_url(base, service="WFS", request="GetCapabilities")
    _check_root(root, caps_url, ("WFS_Capabilities",), "WFS")
    version = root.get("version") or "2.0.0"
    identification = _kid(root, "ServiceIdentification")
    if identification is None:
        identification = _kid(root, "Service")  # WFS 1.0.0
    service = {
        "title": _text(identification, "Title"),
        "keywords": _keywords(identification),
        "provider": _text(root, "ServiceProvider", "ProviderName"),
    }
    feature_types = _kids(_kid(root, "FeatureTypeList"), "FeatureType")
    return [_wfs_record(ft, base, version, service) for ft in feature_types if _text(ft, "Name")]


def geometry_from_schema(schema: ET.Element) -> tuple[Optional[str], str, list[str]]:
    """(geometry type, GML property type, attribute names) of a
    DescribeFeatureType XML schema; "mixed" when it has geometry properties
    of several kinds, None when only generic geometry."""
    kinds, natives, fields = set(), [], []
    properties = (e for ct in schema.iter() if _local(ct.tag) == "complexType"
                  for e in ct.iter() if _local(e.tag) == "element" and e.get("name"))
    for element in properties:
        type_name = (element.get("type") or "").rsplit(":", 1)[-1]
        if type_name in GML_GEOMETRIES:
            natives.append(element.get("type"))
            kinds.add(GML_GEOMETRIES[type_name])
        elif element.get("name") not in fields:
            fields.append(element.get("name"))
    known = sorted(k for k in kinds if k)
    geometry = known[0] if len(known) == 1 else ("mixed" if len(known) > 1 else None)
    return geometry, natives[0] if natives else "", fields
