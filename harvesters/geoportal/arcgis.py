"""Crawling an ArcGIS REST services directory (ArcGIS Server / Enterprise).

``<base>/rest/services?f=json`` lists folders and services; each folder
``?f=json`` lists more services; each MapServer/FeatureServer ``?f=json``
lists its layers; each layer ``<service>/<id>?f=json`` describes itself.
Group layers are skipped (their sublayers are kept), and so are tables and
layers without a geometry. Every layer found becomes a :class:`LayerRecord`.

A failure of the directory itself raises :class:`SourceError`. A failure of
one folder, service or layer raises too, unless the caller passes an
``errors`` list: then it is recorded there as (url, message) and the crawl
goes on (a harvester may prefer a partial crawl to none).
"""
from __future__ import annotations

from datetime import datetime, timezone
from typing import Optional
from urllib.parse import quote, urlsplit, urlunsplit

from .http import Fetcher, SourceError, collect
from .records import LayerRecord, parse_epsg, valid_bbox, wgs84_bbox
from .text import _, plain_text, scale_from_text

SERVICE_TYPES = ("MapServer", "FeatureServer")

GEOMETRY_TYPES = {
    "esriGeometryPoint": "point",
    "esriGeometryMultipoint": "point",
    "esriGeometryPolyline": "line",
    "esriGeometryPolygon": "polygon",
    "esriGeometryEnvelope": "polygon",
}
RASTER_LAYER_TYPES = {"Raster Layer", "Mosaic Layer", "Raster Catalog Layer"}

MAX_FOLDER_DEPTH = 3

ErrorList = Optional[list]


def services_root(url: str) -> str:
    """``https://host/arcgis/rest/services`` from the site, the REST root or
    any URL below it (query and fragment dropped)."""
    parts = urlsplit(url.strip())
    path = parts.path.rstrip("/")
    marker = path.lower().find("/rest/services")
    path = path[:marker + len("/rest/services")] if marker >= 0 else path + "/rest/services"
    return urlunsplit((parts.scheme, parts.netloc, path, "", ""))


def get_json(fetcher: Fetcher, url: str) -> dict:
    """``url?f=json`` as a dict; ArcGIS error answers become SourceError."""
    full = f"{url}?f=json"
    data = fetcher.json(full)
    if not isinstance(data, dict):
        raise SourceError(_("{url} did not answer a JSON object.").format(url=full), url=full, kind="not_json")
    error = data.get("error")
    if isinstance(error, dict):
        raise SourceError(_("{url} answered the ArcGIS error {code}: {message}").format(
            url=full, code=error.get("code", "?"), message=error.get("message", "")), url=full, kind="service")
    return data


def crawl_arcgis(url: str, *, fetcher: Optional[Fetcher] = None, errors: ErrorList = None) -> list[LayerRecord]:
    """Every published layer of the ArcGIS REST services directory at ``url``."""
    fetcher = fetcher or Fetcher()
    root = services_root(url)
    directory = get_json(fetcher, root)
    if not isinstance(directory.get("services"), list) and not isinstance(directory.get("folders"), list):
        raise SourceError(_("{url} is not an ArcGIS REST services directory.").format(url=root),
                          url=root, kind="service")
    records: list[LayerRecord] = []
    for service_url, service_type in list_services(fetcher, root, directory, errors):
        records += collect(errors, service_url,
                          lambda: crawl_service(fetcher, service_url, service_type, errors), [])
    return records


def _service_entries(root: str, listing: dict) -> list[tuple[str, str]]:
    found = []
    for service in listing.get("services") or []:
        if isinstance(service, dict) and service.get("type") in SERVICE_TYPES and service.get("name"):
            found.append((f"{root}/{quote(str(service['name']), safe='/')}/{service['type']}", service["type"]))
    return found


def list_services(fetcher: Fetcher, root: str, directory: dict, errors: ErrorList,
                  depth: int = 0) -> list[tuple[str, str]]:
    """(service URL, service type) of the MapServers and FeatureServers of a
    listing and of its folders, in the order the directory gives them."""
    found = _service_entries(root, directory)
    if depth >= MAX_FOLDER_DEPTH:
        return found
    for folder in directory.get("folders") or []:
        folder_url = f"{root}/{quote(str(folder), safe='/')}"
        listing = collect(errors, folder_url, lambda: get_json(fetcher, folder_url), {})
        # service names in a folder listing already start with the folder
        found += _service_entries(root, {"services": listing.get("services")})
        nested = [f for f in listing.get("folders") or [] if isinstance(f, str)]
        if nested:
            found += list_services(fetcher, root, {"folders": nested}, errors, depth + 1)
    return found


def _is_group(layer: dict) -> bool:
    return layer.get("type") == "Group Layer" or bool(layer.get("subLayerIds"))


def crawl_service(fetcher: Fetcher, service_url: str, service_type: str,
                  errors: ErrorList = None) -> list[LayerRecord]:
    """The layers of one MapServer or FeatureServer (tables and group layers skipped)."""
    service = get_json(fetcher, service_url)
    records = []
    for entry in service.get("layers") or []:
        if not isinstance(entry, dict) or entry.get("id") is None or _is_group(entry):
            continue
        layer_url = f"{service_url}/{entry['id']}"
        layer = collect(errors, layer_url, lambda: get_json(fetcher, layer_url), None)
        record = layer_record(service_url, service_type, service, layer) if layer else None
        if record is not None:
            records.append(record)
    return records


def _geometry(layer: dict) -> Optional[str]:
    if layer.get("type") in RASTER_LAYER_TYPES:
        return "raster"
    return GEOMETRY_TYPES.get(layer.get("geometryType") or "")


def _extent(layer: dict, service: dict) -> tuple[Optional[tuple], Optional[int]]:
    """The layer's native extent and EPSG code (the service's when the layer has none)."""
    extent = layer.get("extent") if isinstance(layer.get("extent"), dict) else {}
    reference = extent.get("spatialReference") or service.get("spatialReference") or {}
    epsg = parse_epsg(reference.get("latestWkid") or reference.get("wkid"))
    bbox = valid_bbox([extent.get(k) for k in ("xmin", "ymin", "xmax", "ymax")]) if extent else None
    return bbox, epsg


def _modified(layer: dict) -> Optional[str]:
    stamp = (layer.get("editingInfo") or {}).get("lastEditDate")
    if not isinstance(stamp, (int, float)) or isinstance(stamp, bool) or stamp <= 0:
        return None
    return datetime.fromtimestamp(stamp / 1000, tz=timezone.utc).strftime("%Y-%m-%dT%H:%M:%S")


def _field_names(layer: dict) -> list[str]:
    return [str(f["name"]) for f in layer.get("fields") or [] if isinstance(f, dict) and f.get("name")]


def _positive_int(value) -> Optional[int]:
    return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else None


def _scale(value) -> Optional[float]:
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) and value > 0 else None


def _service_title(service_url: str, service: dict) -> str:
    title = (service.get("documentInfo") or {}).get("Title") or ""
    if not title:
        name = service_url.rstrip("/").rsplit("/", 2)[-2]
        title = name.replace("_", " ")
    return title.strip()


def _keywords(service: dict) -> list[str]:
    text = (service.get("documentInfo") or {}).get("Keywords") or ""
    return [k.strip() for k in str(text).replace(";", ",").split(",") if k.strip()]


def _alternates(service_url: str, service: dict, layer: dict, layer_url: str) -> tuple[str, str]:
    """The WMS GetCapabilities of a MapServer with WMS enabled, and the
    GeoJSON query of a layer whose service answers GeoJSON."""
    extensions = str(service.get("supportedExtensions") or "")
    wms = ""
    if "WMSServer" in extensions and "/rest/services/" in service_url:
        wms = service_url.replace("/rest/services/", "/services/", 1) + "/WMSServer?request=GetCapabilities&service=WMS"
    formats = str(layer.get("supportedQueryFormats") or service.get("supportedQueryFormats") or "")
    geojson = f"{layer_url}/query?where=1%3D1&outFields=*&f=geojson" if "geojson" in formats.lower() else ""
    return wms, geojson


def layer_record(service_url: str, service_type: str, service: dict, layer: dict) -> Optional[LayerRecord]:
    """The record of one layer's JSON; None for group layers, tables and
    layers without a geometry."""
    geometry = _geometry(layer)
    if _is_group(layer) or geometry is None or layer.get("id") is None:
        return None
    layer_url = f"{service_url}/{layer['id']}"
    native, epsg = _extent(layer, service)
    bbox = wgs84_bbox(native, epsg)
    description = plain_text(layer.get("description")) or plain_text(
        service.get("serviceDescription") or service.get("description"))
    attribution = plain_text(layer.get("copyrightText") or service.get("copyrightText"))
    wms, geojson = _alternates(service_url, service, layer, layer_url)
    return LayerRecord(
        guid=layer_url, source="arcgis", title=plain_text(layer.get("name")) or str(layer["id"]),
        service_url=service_url, service_type=service_type, layer_url=layer_url, layer_name=str(layer["id"]),
        description=description, service_title=_service_title(service_url, service),
        geometry_type=geometry, native_geometry_type=layer.get("geometryType") or layer.get("type") or "",
        epsg=epsg, crs_list=[f"EPSG:{epsg}"] if epsg else [], bbox=bbox,
        bbox_native=None if bbox else native, bbox_crs=f"EPSG:{epsg}" if (native and not bbox and epsg) else "",
        min_scale_denominator=_scale(layer.get("maxScale")), max_scale_denominator=_scale(layer.get("minScale")),
        scale_denominator=scale_from_text(description, attribution), attribution=attribution,
        keywords=_keywords(service), fields=_field_names(layer),
        max_record_count=_positive_int(layer.get("maxRecordCount") or service.get("maxRecordCount")),
        modified=_modified(layer), wms_url=wms, geojson_url=geojson)
