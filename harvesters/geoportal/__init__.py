"""The municipal geoportal crawler (ArcGIS Enterprise, plus any WMS/WFS).

- :func:`crawl_arcgis` walks an ArcGIS REST services directory,
  :func:`crawl_wms` / :func:`crawl_wfs` read OGC GetCapabilities; all return
  :class:`LayerRecord` s.
- :func:`layer_to_dataset` turns a record into a ``capa_geografica`` dataset
  dict for ``package_create``.
- Every network or format failure is a :class:`SourceError` with a message
  for people (``http.py``).

The ckanext-harvest class (``quito_geoportal``) is built on these.
"""
from .arcgis import crawl_arcgis
from .http import Fetcher, SourceError
from .mapping import dataset_name, layer_to_dataset
from .ogc import crawl_wfs, crawl_wms
from .records import LayerRecord

__all__ = ["Fetcher", "LayerRecord", "SourceError", "crawl_arcgis", "crawl_wfs", "crawl_wms",
           "dataset_name", "layer_to_dataset"]
