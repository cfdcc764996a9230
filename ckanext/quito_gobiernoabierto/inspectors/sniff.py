"""Which inspector a file needs: its extension says what it should be, its
first bytes what it is. When the two disagree (a PDF named ``.csv``) the
file is refused rather than read as something it is not."""
from __future__ import annotations

import os
import zipfile
from typing import Callable, Optional

from ckanext.quito_gobiernoabierto.inspectors.base import Inspection, InspectionError, Limits, _

HEAD_SIZE = 8192

EXTENSION_KINDS = {
    ".csv": "csv", ".tsv": "csv", ".txt": "csv", ".xlsx": "xlsx", ".geojson": "geojson", ".json": "geojson",
    ".kml": "kml", ".kmz": "kmz", ".gpkg": "geopackage", ".shp": "shapefile",
}
ZIP_KINDS = {"gtfs", "shapefile", "kmz", "xlsx"}
#: The kinds each content family may be inspected as.
FAMILY_KINDS = {
    "zip": ZIP_KINDS, "sqlite": {"geopackage"}, "shp": {"shapefile"}, "json": {"geojson"},
    "xml": {"kml"}, "text": {"csv"},
}
MAGIC = (
    (b"PK\x03\x04", "zip"), (b"PK\x05\x06", "zip"), (b"SQLite format 3\x00", "sqlite"),
    (b"\x00\x00\x27\x0a", "shp"), (b"%PDF", "pdf"), (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "ole"),
)
TEXT_BOMS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")


def content_family(head: bytes) -> str:
    """zip, sqlite, shp, pdf, ole, json, xml, text or binary."""
    for magic, family in MAGIC:
        if head.startswith(magic):
            return family
    if head.startswith(TEXT_BOMS[1:]):
        return "text"
    if b"\x00" in head:
        return "binary"
    start = head[3:] if head.startswith(TEXT_BOMS[0]) else head
    start = start.lstrip()
    if start[:1] in (b"{", b"["):
        return "json"
    if start[:1] == b"<":
        return "xml"
    return "text"


def family_label(family: str) -> str:
    """What a content family is, in words for a message."""
    labels = {
        "zip": _("a ZIP archive"), "sqlite": _("a SQLite database"), "shp": _("a shapefile geometry file"),
        "pdf": _("a PDF document"), "ole": _("an old Office document (XLS, DOC)"), "json": _("JSON"),
        "xml": _("XML"), "text": _("plain text"), "binary": _("binary data"),
    }
    return labels.get(family, family)


def _zip_kind(path: str) -> Optional[str]:
    from ckanext.quito_gobiernoabierto.inspectors.archive import zip_kind

    try:
        with zipfile.ZipFile(path) as archive:
            return zip_kind(archive.namelist())
    except Exception:  # damaged: the inspector chosen will say so
        return None


def choose_kind(path: str, filename: str) -> str:
    """The inspector kind for a file; InspectionError when its extension and
    content disagree or nothing can inspect it."""
    with open(path, "rb") as f:
        family = content_family(f.read(HEAD_SIZE))
    extension = os.path.splitext(filename or "")[1].lower()
    expected = EXTENSION_KINDS.get(extension)
    if family == "zip" and (expected is None or expected in ZIP_KINDS):
        return expected or _zip_kind(path) or "zip"
    allowed = FAMILY_KINDS.get(family, set())
    if expected in allowed:
        return expected
    # Without an extension the content decides; a name with another
    # extension (.md, .docx...) is only trusted for self-describing binaries.
    if expected is None and len(allowed) == 1 and (not extension or family in ("sqlite", "shp")):
        return next(iter(allowed))
    if expected is None:
        raise InspectionError(_("The portal cannot inspect this kind of file ({content}).")
                              .format(content=family_label(family)))
    raise InspectionError(_("The file's extension ({extension}) does not match its content, which looks like "
                            "{content}.").format(extension=extension, content=family_label(family)))


def _unknown(kind: str) -> Callable[..., Inspection]:
    def run(path, limits: Optional[Limits] = None) -> Inspection:
        result = Inspection(kind)
        result.fail(_("The portal cannot inspect this kind of file ({content}).").format(content=kind))
        return result
    return run


def inspector(kind: str) -> Callable[..., Inspection]:
    """The ``inspect_x(path, limits)`` function of a kind."""
    from ckanext.quito_gobiernoabierto.inspectors import archive, geo, gpkg, gtfs, kml, shp, tabular

    inspectors = {
        "gtfs": gtfs.inspect_gtfs, "shapefile": shp.inspect_shapefile, "geojson": geo.inspect_geojson,
        "kml": kml.inspect_kml, "kmz": kml.inspect_kmz, "geopackage": gpkg.inspect_geopackage,
        "csv": tabular.inspect_csv, "xlsx": tabular.inspect_xlsx, "zip": archive.inspect_zip,
    }
    return inspectors.get(kind) or _unknown(kind)
