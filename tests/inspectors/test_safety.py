"""Hostile and broken files: every fault becomes a clear error, nothing is
raised, nothing outside the file is read or written."""
import io
import os
import stat
import struct
import zipfile

import pytest

from ckanext.quito_gobiernoabierto.inspectors import Limits, inspect
from ckanext.quito_gobiernoabierto.inspectors.gtfs import inspect_gtfs
from ckanext.quito_gobiernoabierto.inspectors.kml import inspect_kml
from ckanext.quito_gobiernoabierto.inspectors.tabular import inspect_csv

from . import builders

NOT_A_ZIP = "The file is not a valid ZIP archive: it is damaged or incomplete."
DTD = ("The XML file declares a document type (DTD) or entities, which are not allowed for security reasons "
       "(they may read local files or expand without end).")
XXE_KML = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE kml [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<kml xmlns="http://www.opengis.net/kml/2.2"><Document><name>&xxe;</name>
<Placemark><Point><coordinates>-78.5,-0.2</coordinates></Point></Placemark></Document></kml>"""
LAUGHS = "".join(f'<!ENTITY lol{n} "{f"&lol{n - 1};" * 10}">' for n in range(1, 10))
BILLION_LAUGHS_KML = f"""<?xml version="1.0"?>
<!DOCTYPE kml [<!ENTITY lol0 "lol">{LAUGHS}]>
<kml xmlns="http://www.opengis.net/kml/2.2"><Document><name>&lol9;</name></Document></kml>"""


def _zip_with(path, info: zipfile.ZipInfo, data=b"x") -> str:
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("stops.txt", "stop_id\r\n")
        archive.writestr(info, data)
    return str(path)


# ---------------------------------------------------------------- files

def test_empty_file(tmp_path):
    path = tmp_path / "vacio.csv"
    path.write_bytes(b"")
    result = inspect(path, "vacio.csv")
    assert result.errors == ["The file is empty."]
    assert result.fatal
    assert inspect_csv(path).errors == ["The file is empty."]


def test_missing_file(tmp_path):
    result = inspect(tmp_path / "no_existe.csv", "no_existe.csv")
    assert result.errors == ["The file could not be opened: it does not exist or cannot be read."]


def test_file_over_the_size_limit(tmp_path):
    path = tmp_path / "enorme.csv"
    with open(path, "wb") as f:  # sparse: takes no disk space
        f.truncate(600 * 1024 * 1024)
    result = inspect(path, "enorme.csv")
    assert result.errors == ["The file is too big to inspect (600.0 MB; the limit is 512.0 MB)."]
    assert result.fatal


def test_pdf_named_csv(tmp_path):
    path = tmp_path / "datos.csv"
    path.write_bytes(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n")
    result = inspect(path, "datos.csv")
    assert result.errors == ["The file's extension (.csv) does not match its content, which looks like a PDF "
                             "document."]
    assert result.fatal


def test_zip_named_geojson(tmp_path):
    path = builders.gtfs_zip(tmp_path / "capa.geojson")
    assert inspect(path, "capa.geojson").errors == [
        "The file's extension (.geojson) does not match its content, which looks like a ZIP archive."]


# ---------------------------------------------------------------- damaged zips

def test_malformed_zip(tmp_path):
    path = tmp_path / "feed.zip"
    path.write_bytes(b"PK\x03\x04" + os.urandom(2000))
    result = inspect(path, "feed.zip")
    assert result.errors == [NOT_A_ZIP]
    assert result.fatal


def test_truncated_zip(tmp_path):
    data = open(builders.gtfs_zip(tmp_path / "full.zip"), "rb").read()
    path = tmp_path / "feed.zip"
    path.write_bytes(data[:len(data) // 2])
    assert inspect(path, "feed.zip").errors == [NOT_A_ZIP]
    gtfs = inspect(path, "feed.zip", kind="gtfs")
    assert (gtfs.kind, gtfs.errors) == ("gtfs", [NOT_A_ZIP])


def test_member_with_bad_checksum(tmp_path, fast):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        for name, text in builders.gtfs_tables().items():
            archive.writestr(name, text)
    path = tmp_path / "feed.zip"
    path.write_bytes(buffer.getvalue().replace(b"Terminal Quitumbe", b"Terminal Quitumbx"))
    result = inspect_gtfs(path, fast)
    assert "The file stops.txt inside the ZIP archive is damaged or incomplete." in result.errors
    assert result.metadata["validation_status"] == "errors"


# ---------------------------------------------------------------- zip bombs

def test_zip_bomb_member(tmp_path):
    path = builders.write_zip(tmp_path / "bomba.zip", {"stop_times.txt": b"0" * (30 * 1024 * 1024)})
    ratio = int(30 * 1024 * 1024 / zipfile.ZipFile(path).getinfo("stop_times.txt").compress_size)
    assert ratio > 100
    result = inspect(path, "bomba.zip")
    assert result.kind == "gtfs"
    assert result.errors == [f"The ZIP archive holds a file that expands too much (stop_times.txt: {ratio} times its "
                             "compressed size; the limit is 100). It may be a zip bomb."]
    assert result.fatal


def test_total_uncompressed_size(tmp_path):
    path = builders.gtfs_zip(tmp_path / "feed.zip")
    result = inspect(path, "feed.zip", Limits(max_uncompressed_size=1024 * 1024 // 10, validator_timeout=0))
    assert result.errors == []
    result = inspect(path, "feed.zip", Limits(max_uncompressed_size=1000, validator_timeout=0))
    assert result.errors == ["The ZIP archive would take 0.0 MB once uncompressed; the limit is 0.0 MB. It may be "
                             "a zip bomb."]


def test_too_many_members(tmp_path):
    result = inspect(builders.gtfs_zip(tmp_path / "feed.zip"), "feed.zip", Limits(max_members=3))
    assert result.errors == ["The ZIP archive holds too many files (8; the limit is 3)."]


def test_overlapping_entries(tmp_path):
    """Two central-directory entries over the same data: the non-recursive zip bomb."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr("stops.txt", os.urandom(20000))
    data = buffer.getvalue()
    start, end = data.index(b"PK\x01\x02"), data.index(b"PK\x05\x06")
    entry = data[start:end]
    eocd = data[end:end + 8] + struct.pack("<HHII", 2, 2, 2 * len(entry), start) + data[end + 20:]
    path = tmp_path / "feed.zip"
    path.write_bytes(data[:end] + entry.replace(b"stops.txt", b"trips.txt") + eocd)
    assert inspect(path, "feed.zip").errors == ["The ZIP archive's entries overlap, as in a zip bomb."]


# ---------------------------------------------------------------- member names

@pytest.mark.parametrize("name", ["../../etc/passwd", "/etc/passwd", "gtfs/../../../tmp/x.txt",
                                  "..\\..\\Windows\\evil.txt", "C:\\Windows\\evil.txt"])
def test_unsafe_member_names(tmp_path, name):
    path = _zip_with(tmp_path / "feed.zip", zipfile.ZipInfo(name))
    result = inspect(path, "feed.zip")
    assert result.errors == [f"The ZIP archive holds a file with an unsafe path ({name}): absolute paths and '..' "
                             "are not allowed."]
    assert result.fatal
    assert not os.path.exists(tmp_path.parent / "etc")


def test_symbolic_link_member(tmp_path):
    info = zipfile.ZipInfo("stops_link.txt")
    info.external_attr = (stat.S_IFLNK | 0o777) << 16
    result = inspect(_zip_with(tmp_path / "feed.zip", info, b"/etc/passwd"), "feed.zip")
    assert result.errors == ["The ZIP archive holds a symbolic link (stops_link.txt), which is not allowed."]


def test_encrypted_member(tmp_path):
    """The encryption flag set in the local and central headers of trips.txt
    (zipfile cannot write encrypted members)."""
    data = bytearray(open(_zip_with(tmp_path / "plain.zip", zipfile.ZipInfo("trips.txt")), "rb").read())
    for signature, flag_offset, name_offset in ((b"PK\x03\x04", 6, 30), (b"PK\x01\x02", 8, 46)):
        start = 0
        while (start := data.find(signature, start)) >= 0:
            if data[start + name_offset:start + name_offset + 9] == b"trips.txt":
                data[start + flag_offset] |= 0x1
            start += 4
    path = tmp_path / "feed.zip"
    path.write_bytes(bytes(data))
    result = inspect(path, "feed.zip")
    assert result.errors == ["The ZIP archive holds an encrypted file (trips.txt)."]


def test_repeated_member_name(tmp_path):
    with pytest.warns(UserWarning):
        path = _zip_with(tmp_path / "feed.zip", zipfile.ZipInfo("stops.txt"))
    assert inspect(path, "feed.zip").errors == ["The ZIP archive holds the name stops.txt twice."]


# ---------------------------------------------------------------- XML

def test_kml_with_an_external_entity(tmp_path):
    path = tmp_path / "xxe.kml"
    path.write_text(XXE_KML)
    result = inspect(path, "xxe.kml")
    assert result.errors == [DTD]
    assert "root:" not in repr(result)
    assert result.fatal


def test_kml_billion_laughs(tmp_path):
    path = tmp_path / "risas.kml"
    path.write_text(BILLION_LAUGHS_KML)
    assert inspect_kml(path).errors == [DTD]


def test_kmz_with_an_external_entity(tmp_path):
    path = builders.write_zip(tmp_path / "xxe.kmz", {"doc.kml": XXE_KML})
    assert inspect(path, "xxe.kmz").errors == [DTD]


def test_xlsx_with_an_external_entity(tmp_path):
    source = zipfile.ZipFile(builders.write_xlsx(tmp_path / "ok.xlsx"))
    members = {info.filename: source.read(info) for info in source.infolist()}
    sheet = members["xl/worksheets/sheet1.xml"].replace(b"<v>0.35</v>", b"<v>&xxe;</v>", 1)
    members["xl/worksheets/sheet1.xml"] = b'<!DOCTYPE worksheet [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>' + sheet
    result = inspect(builders.write_zip(tmp_path / "xxe.xlsx", members), "xxe.xlsx")
    assert result.errors == ["The spreadsheet is damaged or is not an XLSX workbook (EntitiesForbidden: "
                             "EntitiesForbidden(name='xxe', system_id='file:///etc/passwd', public_id=None))."]
    assert result.fatal
