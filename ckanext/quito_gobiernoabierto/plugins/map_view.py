"""``quito_map_view``: GeoJSON and KML resources on an offline Leaflet map
(``previews/map.py``)."""
from __future__ import annotations

from ckanext.quito_gobiernoabierto.previews import map as preview
from ckanext.quito_gobiernoabierto.previews.plugin import PreviewViewPlugin


class QuitoMapViewPlugin(PreviewViewPlugin):
    preview = preview
    template = "previews/map.html"
