"""``quito_map_view``: GeoJSON and KML files drawn with Leaflet, offline.

There is no tile server: the features are drawn over a plain background and
the map fits their bounds. The browser loads the file from the portal
itself (``common.portal_url``) and refuses one over the size limit, before
reading it when the size is known (here, from CKAN's record of the upload;
in the browser, from the response's Content-Length) and while reading it
otherwise. KML is converted to GeoJSON in the browser by the vendored
``@tmcw/togeojson``: the file is already on its way to the browser, so the
server parses no XML for the view and needs no endpoint of its own (a
browser's XML parser loads no external entity or DTD).

The page has a text alternative: the number of features, their geometry
types and extent (written by the script once the data is read), a list of
the features' names, and a link to the data.
"""
from __future__ import annotations

import ckan.plugins.toolkit as tk

from ckanext.quito_gobiernoabierto.previews import common

NAME = "quito_map_view"
LIMIT_KEY = "ckanext.quito.previews.map_max_bytes"
DEFAULT_LIMIT = 10 * 1024 * 1024
LIMIT_DESCRIPTION = "Largest GeoJSON or KML file (bytes) the map view loads; a larger one gets a download link."

GEOJSON = ({"geojson"}, {"application/geo+json", "application/vnd.geo+json"})
KML = ({"kml"}, {"application/vnd.google-earth.kml+xml"})


def info() -> dict:
    return common.view_info(NAME, tk._("Map"), tk._("Map"), "map", iframed=True)


def kind(resource: dict) -> str | None:
    """"geojson", "kml" or None."""
    if common.matches(resource, *GEOJSON):
        return "geojson"
    if common.matches(resource, *KML):
        return "kml"
    return None


def can_view(data_dict: dict) -> bool:
    """GeoJSON and KML files the portal serves itself, of any dataset type."""
    resource = data_dict["resource"]
    return kind(resource) is not None and common.portal_url(resource) is not None


def limit() -> int:
    return common.size_limit(LIMIT_KEY, DEFAULT_LIMIT)


def messages(max_bytes: int) -> dict:
    """Texts the script shows ({placeholders} filled in the browser)."""
    return {
        "loading": tk._("Loading the map data…"),
        "too_large": common.too_large_message(max_bytes),
        "failed": tk._("The map data could not be loaded or read. Download the file to open it "
                       "with a GIS program."),
        "empty": tk._("The file has no features with a geometry to draw."),
        "not_degrees": tk._("The coordinates are not longitudes and latitudes in degrees (WGS 84), "
                            "so they cannot be drawn on this map."),
        "summary": tk._("Features on the map: {count}. Geometry types: {types}. Extent in degrees "
                        "(WGS 84): west {west}, south {south}, east {east}, north {north}."),
        "feature": tk._("Feature {number}"),
    }


def template_vars(data_dict: dict) -> dict:
    resource = data_dict["resource"]
    url, max_bytes, size = common.portal_url(resource), limit(), common.known_size(resource)
    refused = common.too_large_message(max_bytes) if size is not None and size > max_bytes else None
    file_kind = kind(resource)
    config = {"url": url, "kind": file_kind, "maxBytes": max_bytes, "messages": messages(max_bytes)}
    return {
        "quito_map": config,
        "refused": refused,
        "data_url": url or resource.get("url"),
        "format_label": "KML" if file_kind == "kml" else "GeoJSON",
        "files": common.static_files(),
    }
