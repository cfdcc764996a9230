"""Where the previews' browser files are served from (``public/``).

The vendored libraries keep their version in the folder name (see
``public/vendor/README.md``); templates get these paths, never a CDN address.
"""
from __future__ import annotations

LEAFLET = "/vendor/leaflet-1.9.4"
CHARTJS = "/vendor/chartjs-4.6.1"
TOGEOJSON = "/vendor/togeojson-7.1.3"
OWN = "/quito/previews"

#: Static paths each view's template loads, by name.
FILES = {
    "leaflet_js": f"{LEAFLET}/leaflet.js",
    "leaflet_css": f"{LEAFLET}/leaflet.css",
    "togeojson_js": f"{TOGEOJSON}/togeojson.umd.js",
    "chartjs_js": f"{CHARTJS}/chart.umd.min.js",
    "map_js": f"{OWN}/map-preview.js",
    "chart_js": f"{OWN}/chart-preview.js",
    "css": f"{OWN}/previews.css",
}
