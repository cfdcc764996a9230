"""File inspectors: read what a harvested file holds (GTFS feed, map layer,
table) and return dataset metadata in the schemas' fields and formats,
resource facts, and the faults found.

``inspect(path, filename=None, limits=None, kind=None) -> Inspection`` picks
the inspector from the file's extension and first bytes (``kind`` forces
one: gtfs, shapefile, geojson, kml, kmz, geopackage, csv, xlsx). None of
them raises for a bad file. Modules: ``base`` (result, limits, dispatch),
``sniff`` (choice of inspector), ``archive`` (safe zips), ``gtfs`` with
``gtfs_checks`` and ``gtfs_validation``, ``geo`` (GeoJSON and shared layer
helpers), ``shp``, ``kml``, ``gpkg``, ``tabular`` (CSV, XLSX).
"""
from ckanext.quito_gobiernoabierto.inspectors.base import Inspection, Limits, inspect

__all__ = ["Inspection", "Limits", "inspect"]
