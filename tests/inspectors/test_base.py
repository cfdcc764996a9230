"""What the inspectors share: choosing the inspector, the never-raise
guarantee, messages outside a CKAN app, and the formats of values."""
import pytest

from ckanext.quito_gobiernoabierto.inspectors import Inspection, Limits, inspect
from ckanext.quito_gobiernoabierto.inspectors import base, gtfs, sniff

from . import builders


def test_messages_without_a_ckan_app():
    assert base._("The file is empty.") == "The file is empty."


def test_messages_are_translated_in_a_request(app):
    """Inside a Spanish request the portal's catalogue answers (a msgid the
    catalogue already holds: the inspectors' own arrive with ``make i18n``)."""
    import flask_babel

    with app.flask_app.test_request_context(), flask_babel.force_locale("es"):
        assert base._("Valid") == "Válido"


def test_messages_fall_back_when_gettext_fails(monkeypatch):
    import ckan.plugins.toolkit as tk

    def broken(message):
        raise RuntimeError("Working outside of application context.")

    monkeypatch.setattr(tk, "_", broken)
    assert base._("The file is empty.") == "The file is empty."


@pytest.mark.parametrize("bbox,text", [
    ([-78.556, -0.3306, -78.4781, -0.1545], "-78.556,-0.3306,-78.4781,-0.1545"),
    ([-78.5563478154578, -0.3615611852124484, -78.39469593216691, -0.0000000001],
     "-78.556348,-0.361561,-78.394696,0"),
    ([772000.0, 9962000.0, 781000.0, 9979000.0], "772000,9962000,781000,9979000"),
    ([1e-7, -2.5e-7, 10, 20], "0,0,10,20"),
])
def test_bbox_text(bbox, text):
    assert base.bbox_text(bbox) == text


def test_describe_uses_the_first_cause():
    try:
        try:
            raise KeyError("xl/workbook.xml")
        except KeyError as error:
            raise ValueError("Unable to read workbook\nsee the exception") from error
    except ValueError as error:
        assert base.describe(error) == "KeyError: 'xl/workbook.xml'"
    assert base.describe(ValueError("line one\nline two")) == "ValueError: line one"
    assert base.describe(MemoryError()) == "MemoryError"


def test_limits_defaults():
    limits = Limits()
    assert (limits.max_file_size, limits.max_uncompressed_size) == (512 * 2**20, 1024 * 2**20)
    assert (limits.max_compression_ratio, limits.max_members, limits.max_rows) == (100.0, 1000, 5_000_000)


def test_inspection_records_each_message_once():
    result = Inspection("csv")
    result.warn("w")
    result.warn("w")
    result.error("e")
    assert (result.ok, result.fatal, result.warnings) == (False, False, ["w"])
    result.fail("f")
    assert (result.errors, result.fatal) == (["e", "f"], True)


# ---------------------------------------------------------------- choosing the inspector

@pytest.mark.parametrize("head,family", [
    (b"PK\x03\x04rest", "zip"), (b"SQLite format 3\x00...", "sqlite"), (b"\x00\x00\x27\x0a\x00", "shp"),
    (b"%PDF-1.7", "pdf"), (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "ole"), (b'\xef\xbb\xbf {"type": 1}', "json"),
    (b"  [1, 2]", "json"), (b"<?xml version='1.0'?><kml/>", "xml"), (b"a;b\r\n1;2", "text"),
    (b"\xff\xfea\x00;\x00", "text"), (b"a\x00b", "binary"),
])
def test_content_family(head, family):
    assert sniff.content_family(head) == family


def test_kinds_from_names_and_content(tmp_path):
    gtfs_zip = builders.gtfs_zip(tmp_path / "a.zip")
    shapes = builders.shapefile_zip(tmp_path / "b.zip")
    kml = tmp_path / "c.kml"
    kml.write_text(builders.kml_text())
    csv = builders.write_csv(tmp_path / "d", builders.AIR_QUALITY)
    assert sniff.choose_kind(gtfs_zip, "feed.zip") == "gtfs"
    assert sniff.choose_kind(gtfs_zip, "feed") == "gtfs"
    assert sniff.choose_kind(shapes, "capa.zip") == "shapefile"
    assert sniff.choose_kind(str(kml), "capa.kml") == "kml"
    assert sniff.choose_kind(csv, "descarga") == "csv"
    assert sniff.choose_kind(csv, "datos.txt") == "csv"


def test_text_with_another_extension_is_not_inspected(tmp_path):
    path = tmp_path / "acta.md"
    path.write_text("# Acta de la sesión\n\nTexto.")
    assert inspect(path, "acta.md").errors == ["The portal cannot inspect this kind of file (plain text)."]


def test_zip_with_nothing_known(tmp_path):
    path = builders.write_zip(tmp_path / "varios.zip", {"LEEME.txt": "hola", "foto.jpg": b"\xff\xd8"})
    result = inspect(path, "varios.zip")
    assert result.kind == "zip"
    assert result.errors == ["The ZIP archive holds no GTFS feed, shapefile, KML file or spreadsheet."]
    assert result.resource["members"] == ["LEEME.txt", "foto.jpg"]


def test_kind_given_by_the_harvester(tmp_path):
    result = inspect(builders.gtfs_zip(tmp_path / "descarga.bin"), "descarga.bin", Limits(validator_timeout=0),
                     kind="gtfs")
    assert result.kind == "gtfs"
    assert result.metadata["route_count"] == "3"
    unknown = inspect(builders.gtfs_zip(tmp_path / "x.zip"), "x.zip", kind="netcdf")
    assert unknown.errors == ["The portal cannot inspect this kind of file (netcdf)."]


def test_an_unexpected_failure_is_an_error_not_an_exception(tmp_path, monkeypatch):
    def boom(feed):
        raise RuntimeError("boom")

    monkeypatch.setattr(gtfs, "read_feed", boom)
    result = inspect(builders.gtfs_zip(tmp_path / "feed.zip"), "feed.zip", Limits(validator_timeout=0))
    assert result.errors == ["The file could not be read (RuntimeError: boom)."]
    assert result.fatal


def test_accepts_path_objects(tmp_path):
    result = inspect(tmp_path / "x.csv", "x.csv")
    assert result.errors == ["The file could not be opened: it does not exist or cannot be read."]
