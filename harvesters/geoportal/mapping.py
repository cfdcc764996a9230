"""A :class:`LayerRecord` as a ``capa_geografica`` dataset dict for
``package_create`` (``schemas/datasets/capa_geografica.yaml``).

The texts this module writes into datasets (resource names, descriptions,
lineage) are dataset content, in the portal's content language (Spanish),
not interface messages: they do not depend on the language of a request.
"""
from __future__ import annotations

import hashlib
import re
import unicodedata
from typing import Optional

from .records import LayerRecord
from .text import clean_tags

NAME_MAX = 100          # CKAN's limit for dataset names
HASH_LENGTH = 8

SERVICE_FORMATS = {"arcgis_rest": "ArcGIS REST", "wms": "WMS", "wfs": "WFS"}


def _slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text or "").encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def dataset_name(record: LayerRecord) -> str:
    """``<title slug>-<8 hex of the guid's SHA-1>``: stable for a layer, unique
    between layers of the same title, at most 100 characters.
    It changes with the title: on update keep the dataset's existing name."""
    digest = hashlib.sha1(record.guid.encode("utf-8")).hexdigest()[:HASH_LENGTH]
    slug = _slug(record.title)[:NAME_MAX - HASH_LENGTH - 1].rstrip("-") or "capa"
    return f"{slug}-{digest}"


def _number(value: float) -> str:
    text = f"{value:.6f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def bbox_text(bbox) -> str:
    """"minx,miny,maxx,maxy" with at most 6 decimals (about 10 cm), the
    bounding-box form the ``quito_geometry`` validator reads."""
    return ",".join(_number(v) for v in bbox)


def _service(record: LayerRecord, protocol: str, url: str, name: str, description: str,
             endpoint: str) -> dict:
    return {
        "name": name, "description": description, "url": url, "format": SERVICE_FORMATS[protocol],
        "distribution_kind": "service", "service_protocol": protocol, "layer_name": record.layer_name,
        "access_services": [{"title": record.service_title or endpoint, "endpoint_url": [endpoint]}],
    }


def _arcgis_resources(record: LayerRecord) -> list[dict]:
    resources = [_service(
        record, "arcgis_rest", record.layer_url, f"Servicio ArcGIS REST ({record.service_type})",
        f"Capa {record.layer_name} del servicio {record.service_type} «{record.service_title}».",
        record.service_url)]
    if record.wms_url:
        endpoint = record.wms_url.split("?", 1)[0]
        resources.append(_service(record, "wms", record.wms_url, "Servicio WMS",
                                  f"La misma capa por WMS: capa {record.layer_name}.", endpoint))
    if record.geojson_url:
        limit = (f" El servicio entrega como máximo {record.max_record_count} entidades por consulta."
                 if record.max_record_count else "")
        resources.append({
            "name": "Descarga GeoJSON", "url": record.geojson_url, "format": "GeoJSON",
            "mimetype": "application/geo+json", "distribution_kind": "file",
            "description": f"Consulta de las entidades de la capa en GeoJSON (WGS 84).{limit}"})
    return resources


def resources_for(record: LayerRecord) -> list[dict]:
    """The distributions of a layer: its service(s) and, where the service
    offers one, a GeoJSON download."""
    if record.source == "arcgis":
        return _arcgis_resources(record)
    protocol = "wms" if record.source == "wms" else "wfs"
    what = "Mapa" if protocol == "wms" else "Entidades"
    request = "GetCapabilities" if protocol == "wms" else "GetFeature"
    return [_service(record, protocol, record.layer_url, f"Servicio {SERVICE_FORMATS[protocol]}",
                     f"{what} de la capa {record.layer_name} ({request}).", record.service_url)]


def notes_for(record: LayerRecord) -> str:
    """The layer's description, or a sentence naming the layer and its service."""
    if record.description:
        return record.description
    service = record.service_title or record.service_url
    return f"Capa «{record.title}» del servicio {record.service_type} «{service}» del geoportal municipal."


def lineage_for(record: LayerRecord) -> str:
    """Where the layer was taken from, and the source the service credits."""
    text = f"Capa publicada en el geoportal municipal: {record.service_type} {record.service_url}"
    text += f" (capa {record.layer_name})."
    if record.attribution:
        text += f" Fuente: {record.attribution.rstrip('.')}."
    if record.bbox is None and record.bbox_native:
        text += f" Extensión en {record.bbox_crs}: {bbox_text(record.bbox_native)}."
    return text


def layer_to_dataset(record: LayerRecord, defaults: Optional[dict] = None) -> dict:
    """The ``capa_geografica`` dataset of a layer. ``defaults`` fill the fields
    the record leaves empty (``owner_org``, ``license_id``, ``geometry_type``
    for a WMS layer, ``crs``...): a key is taken from ``defaults`` only when
    the record gives no value for it."""
    data = {
        "type": "capa_geografica",
        "name": dataset_name(record),
        "title": record.title,
        "notes": notes_for(record),
        "geometry_type": record.geometry_type,
        "crs": f"EPSG:{record.epsg}" if record.epsg else None,
        "scale_denominator": str(record.scale_denominator) if record.scale_denominator else None,
        "lineage": lineage_for(record),
        "modified": record.modified,
        "tags": [{"name": tag} for tag in clean_tags(record.keywords)],
        "resources": resources_for(record),
    }
    if record.bbox:
        data["spatial_coverage"] = [{"bbox": bbox_text(record.bbox)}]
    for key, value in (defaults or {}).items():
        if data.get(key) in (None, "", []):
            data[key] = value
    return {key: value for key, value in data.items() if value is not None}
