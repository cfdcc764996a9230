"""Shapefile map layers, read with pyshp: a zip holding one or more
.shp/.shx/.dbf (with .prj and .cpg), or a lone .shp beside its siblings.

The CRS comes from the .prj (OGC or ESRI WKT, matched to an EPSG code by
pyproj), the geometry type from the shapes, the extent from the shapes'
boxes, the encoding of the .dbf from the .cpg. Zip members are copied to a
temporary folder under names of our own before pyshp opens them. Metadata
and resource keys as in ``geo``.
"""
from __future__ import annotations

import contextlib
import os
import struct
import tempfile
import warnings
from typing import Iterator, Optional

from ckanext.quito_gobiernoabierto.inspectors.archive import base_name, copy_member, files, open_zip
from ckanext.quito_gobiernoabierto.inspectors.base import InspectionError, Limits, _, guarded
from ckanext.quito_gobiernoabierto.inspectors.geo import Layer, epsg_from_wkt, finish

PARTS = (".shp", ".shx", ".dbf", ".prj", ".cpg")
#: Shapefile shape types (plain, Z and M) -> the schema's choices; 31 is MultiPatch.
SHAPE_TYPES = {1: "point", 8: "point", 11: "point", 18: "point", 21: "point", 28: "point",
               3: "line", 13: "line", 23: "line", 5: "polygon", 15: "polygon", 25: "polygon", 31: "polygon"}


def _siblings(folder: str, stem: str) -> dict:
    """Extension -> path of the files beside ``stem``.shp (any case)."""
    found = {}
    for name in os.listdir(folder or "."):
        base, extension = os.path.splitext(name)
        if base.lower() == stem.lower() and extension.lower() in PARTS:
            found[extension.lower()] = os.path.join(folder, name)
    return found


def _read_text(path: Optional[str], limit: int = 65536) -> str:
    if not path:
        return ""
    with open(path, "rb") as f:
        return f.read(limit).decode("latin-1").strip()


def _encoding(cpg: str) -> str:
    """The .dbf's encoding from its .cpg (e.g. "UTF-8", "1252"); latin-1 when unknown."""
    import codecs

    name = cpg.strip().lower()
    name = f"cp{name}" if name.isdigit() else name
    try:
        return codecs.lookup(name).name
    except LookupError:
        return "latin-1"


def read_shapefile(parts: dict, name: str, limits: Limits, result) -> Layer:
    """One shapefile layer from its parts (extension -> path)."""
    import shapefile

    missing = [ext for ext in (".shx", ".dbf") if ext not in parts]
    if missing:
        raise InspectionError(_("The shapefile {name} lacks required files: {parts}.").format(
            name=name, parts=", ".join(missing)))
    layer = Layer(name)
    prj = _read_text(parts.get(".prj"))
    layer.epsg = epsg_from_wkt(prj) if prj else None
    if not prj:
        result.warn(_("The shapefile {name} has no .prj file, so its coordinate reference system is unknown.")
                    .format(name=name))
    elif layer.epsg is None:
        result.warn(_("The coordinate reference system of {name} could not be matched to an EPSG code.")
                    .format(name=name))
    with contextlib.ExitStack() as stack, warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        opened = {ext: stack.enter_context(open(parts[ext], "rb")) for ext in (".shp", ".shx", ".dbf")}
        try:
            reader = stack.enter_context(shapefile.Reader(
                shp=opened[".shp"], shx=opened[".shx"], dbf=opened[".dbf"],
                encoding=_encoding(_read_text(parts.get(".cpg"))), encodingErrors="replace"))
            _scan_shapes(reader, layer, limits, result)
        except (shapefile.ShapefileException, EOFError, ValueError, IndexError, OSError) as error:
            raise InspectionError(_("The shapefile {name} is damaged or incomplete ({detail}).")
                                  .format(name=name, detail=str(error)[:200]))
    if caught:  # pyshp's warnings about inconsistent headers
        result.warn(_("The shapefile {name} may be damaged ({detail}).")
                    .format(name=name, detail=caught[0].category.__name__))
    return layer


def _scan_shapes(reader, layer: Layer, limits: Limits, result) -> None:
    layer.fields = [f[0] for f in reader.fields if f[0] != "DeletionFlag"]
    kind = SHAPE_TYPES.get(reader.shapeType)
    partial = False
    try:
        for number, shape in enumerate(reader.iterShapes()):
            if number >= limits.max_rows:
                result.warn(_("Only the first {limit} features of {name} were read; its figures are partial.")
                            .format(limit=limits.max_rows, name=layer.name))
                partial = True
                break
            layer.count += 1
            if shape.shapeType and shape.points:
                layer.types.add(SHAPE_TYPES.get(shape.shapeType, kind))
                layer.extent.add_box(shape.bbox if len(shape.points) > 1 else shape.points[0][:2] * 2)
    except struct.error as error:
        raise EOFError(str(error))
    layer.types.discard(None)
    if not partial and reader.numRecords != layer.count:
        result.warn(_("The .shp and .dbf files of {name} hold different numbers of records.").format(name=layer.name))


def _zip_layers(path: str, limits: Limits, result, folder: str) -> Iterator[Layer]:
    with open_zip(path, limits) as archive:
        members = files(archive)
        shps = [info for info in members if base_name(info).endswith(".shp")]
        if not shps:
            raise InspectionError(_("The ZIP archive holds no shapefile (.shp)."))
        for number, shp in enumerate(shps):
            prefix = shp.filename[:-4].lower()
            parts = {}
            for info in members:
                stem, extension = os.path.splitext(info.filename)
                if stem.lower() == prefix and extension.lower() in PARTS:
                    target = os.path.join(folder, f"layer{number}{extension.lower()}")
                    copy_member(archive, info, target)
                    parts[extension.lower()] = target
            yield read_shapefile(parts, shp.filename.replace("\\", "/").rsplit("/", 1)[-1][:-4], limits, result)


@guarded("shapefile")
def inspect_shapefile(path: str, limits: Limits, result) -> None:
    """A zipped shapefile (one layer per .shp) or a lone .shp with its siblings."""
    with open(path, "rb") as f:
        zipped = f.read(4) == b"PK\x03\x04"
    if zipped:
        with tempfile.TemporaryDirectory(prefix="quito-shp-") as folder:
            layers = list(_zip_layers(path, limits, result, folder))
        mimetype = "application/zip"
    else:
        stem = os.path.splitext(os.path.basename(path))[0]
        layers = [read_shapefile(_siblings(os.path.dirname(path), stem), stem, limits, result)]
        mimetype = "application/octet-stream"
    finish(result, layers, "SHP", mimetype)
