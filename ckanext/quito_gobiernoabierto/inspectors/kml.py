"""KML and KMZ map layers (always WGS 84, EPSG:4326), streamed with
defusedxml so that a document type declaration, entity declarations and
external references are refused (XXE, entity-expansion bombs) and large
files are never held whole in memory.

Each Folder with placemarks is a layer (named after the folder), like
GDAL's KML driver; placemarks outside any folder belong to the Document's
layer. Metadata and resource keys as in ``geo``.
"""
from __future__ import annotations

import os
import xml.etree.ElementTree as ElementTree
from typing import IO, Optional

from defusedxml import DefusedXmlException
from defusedxml import ElementTree as SafeElementTree

from ckanext.quito_gobiernoabierto.inspectors.archive import base_name, files, member_errors, open_member, open_zip
from ckanext.quito_gobiernoabierto.inspectors.base import InspectionError, Limits, _, guarded
from ckanext.quito_gobiernoabierto.inspectors.geo import (
    GEOMETRY_NAMES, WGS84, GeometryError, Layer, add_feature, finish)

CONTAINERS = ("Document", "Folder")


def local(tag: str) -> str:
    """An element's name without its namespace."""
    return tag.rsplit("}", 1)[-1]


def add_coordinates(text: str, layer: Layer) -> None:
    """The positions of a KML ``coordinates`` element ("lon,lat[,alt] ...")."""
    for position in (text or "").split():
        parts = position.split(",")
        try:
            lon, lat = float(parts[0]), float(parts[1])
        except (ValueError, IndexError):
            raise GeometryError()
        if not (-180 <= lon <= 180 and -90 <= lat <= 90):
            raise GeometryError()
        layer.extent.add(lon, lat)


def add_placemark(element, layer: Layer) -> None:
    """Add one Placemark's geometry types and positions to ``layer``."""
    names = set()
    for child in element.iter():
        name = local(child.tag)
        names.add(name)
        if name == "coordinates":
            add_coordinates(child.text, layer)
    if "Polygon" in names:
        names.discard("LinearRing")  # the rings of the polygon
    if "Track" in names:
        names.add("LineString")
    types = {GEOMETRY_NAMES[n.lower()] for n in names if n[:1].isupper() and n.lower() in GEOMETRY_NAMES}
    layer.types |= types


class KmlReader:
    """The layers of one KML document, built while it is parsed."""

    def __init__(self, default_name: str, limits: Limits, result):
        self.default_name, self.limits, self.result = default_name, limits, result
        self.stack: list = []
        self.layers: dict = {}
        self.broken = self.placemarks = 0

    def layer_name(self) -> str:
        for entry in reversed(self.stack):
            if entry["tag"] in CONTAINERS and entry["name"]:
                return entry["name"]
        return self.default_name

    def start(self, element) -> None:
        self.stack.append({"tag": local(element.tag), "name": None})

    def end(self, element) -> None:
        tag = local(element.tag)
        self.stack.pop()
        if tag == "name" and self.stack and self.stack[-1]["tag"] in CONTAINERS:
            self.stack[-1]["name"] = (element.text or "").strip() or None
        elif tag == "Placemark":
            self.placemark(element)

    def placemark(self, element) -> None:
        self.placemarks += 1
        if self.placemarks > self.limits.max_rows:
            return
        name = self.layer_name()
        layer = self.layers.setdefault(name, Layer(name, epsg=WGS84))
        layer.count += 1
        if not add_feature(layer, lambda scratch: add_placemark(element, scratch)):
            self.broken += 1
        element.clear()

    def read(self, source: IO[bytes]) -> list:
        events = SafeElementTree.iterparse(source, events=("start", "end"), forbid_dtd=True)
        for number, (event, element) in enumerate(events):
            if number == 0 and local(element.tag) != "kml":
                raise InspectionError(_("The XML file is not KML: its root element is {root}.")
                                      .format(root=local(element.tag)))
            (self.start if event == "start" else self.end)(element)
        self.report()
        return list(self.layers.values())

    def report(self) -> None:
        if self.broken:
            self.result.error(_("Features with malformed geometries: {count}.").format(count=self.broken))
        if self.placemarks > self.limits.max_rows:
            self.result.warn(_("Only the first {limit} features of {name} were read; its figures are partial.")
                             .format(limit=self.limits.max_rows, name=self.default_name))


def read_kml(source: IO[bytes], name: str, limits: Limits, result) -> list:
    """The layers of a KML stream; InspectionError when it is unsafe or malformed."""
    try:
        return KmlReader(name, limits, result).read(source)
    except DefusedXmlException:
        raise InspectionError(_("The XML file declares a document type (DTD) or entities, which are not allowed "
                                "for security reasons (they may read local files or expand without end)."))
    except ElementTree.ParseError as error:
        raise InspectionError(_("The KML file is not well-formed XML ({detail}).").format(detail=error))


@guarded("kml")
def inspect_kml(path: str, limits: Limits, result) -> None:
    """A KML file."""
    with open(path, "rb") as source:
        layers = read_kml(source, os.path.splitext(os.path.basename(path))[0], limits, result)
    finish(result, layers, "KML", "application/vnd.google-earth.kml+xml")


def _main_document(members: list) -> Optional[object]:
    """doc.kml, or the first .kml at the root, or the first anywhere."""
    kmls = [info for info in members if base_name(info).endswith(".kml")]
    root = [info for info in kmls if "/" not in info.filename]
    named = [info for info in root if base_name(info) == "doc.kml"]
    return (named or root or kmls or [None])[0]


@guarded("kmz")
def inspect_kmz(path: str, limits: Limits, result) -> None:
    """A KMZ (zipped KML with its images): its main KML document."""
    with open_zip(path, limits) as archive:
        info = _main_document(files(archive))
        if info is None:
            raise InspectionError(_("The KMZ archive holds no KML document."))
        with member_errors(info.filename), open_member(archive, info) as source:
            layers = read_kml(source, os.path.splitext(base_name(info))[0], limits, result)
    finish(result, layers, "KMZ", "application/vnd.google-earth.kmz+xml")
