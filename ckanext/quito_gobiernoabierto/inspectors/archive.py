"""Safe reading of zip archives (GTFS feeds, zipped shapefiles, KMZ, XLSX).

Before anything is read, ``open_zip`` checks the whole central directory:
number of members, total uncompressed size, compression ratio of each
member, overlapping entries (zip bombs), unsafe member names (absolute
paths, ``..``), symbolic links and encryption. Members are then only read
as streams bounded by their declared size, never extracted under their own
names.
"""
from __future__ import annotations

import contextlib
import io
import re
import shutil
import stat
import zipfile
import zlib
from typing import IO, Iterator

from ckanext.quito_gobiernoabierto.inspectors.base import (
    MIB, InspectionError, Limits, _, guarded)

#: Names of the zip members the inspectors recognise (lower case, base names).
GTFS_MARKERS = {"agency.txt", "stops.txt", "routes.txt", "trips.txt", "stop_times.txt"}


def unsafe_name(name: str) -> bool:
    """An absolute path, a drive letter, a ``..`` component or a NUL byte."""
    path = name.replace("\\", "/")
    if path.startswith("/") or re.match(r"^[A-Za-z]:", path) or "\x00" in path:
        return True
    return any(part == ".." for part in path.split("/"))


def is_symlink(info: zipfile.ZipInfo) -> bool:
    """A member stored with Unix symbolic-link mode bits."""
    return stat.S_ISLNK(info.external_attr >> 16)


def _check_member(info: zipfile.ZipInfo, limits: Limits) -> None:
    name = info.orig_filename
    if unsafe_name(name) or unsafe_name(info.filename):
        raise InspectionError(_("The ZIP archive holds a file with an unsafe path ({name}): absolute paths "
                                "and '..' are not allowed.").format(name=name.replace("\x00", "")))
    if is_symlink(info):
        raise InspectionError(_("The ZIP archive holds a symbolic link ({name}), which is not allowed.")
                              .format(name=name))
    if info.flag_bits & 0x1:
        raise InspectionError(_("The ZIP archive holds an encrypted file ({name}).").format(name=name))
    ratio = info.file_size / max(info.compress_size, 1)
    if info.file_size >= limits.ratio_min_size and ratio > limits.max_compression_ratio:
        raise InspectionError(_("The ZIP archive holds a file that expands too much ({name}: {ratio} times its "
                                "compressed size; the limit is {limit}). It may be a zip bomb.").format(
            name=name, ratio=int(ratio), limit=int(limits.max_compression_ratio)))


def check_archive(archive: zipfile.ZipFile, size: int, limits: Limits) -> None:
    """Raise InspectionError when the archive is unsafe to read."""
    infos = archive.infolist()
    if len(infos) > limits.max_members:
        raise InspectionError(_("The ZIP archive holds too many files ({count}; the limit is {limit}).")
                              .format(count=len(infos), limit=limits.max_members))
    seen: set = set()
    for info in infos:
        _check_member(info, limits)
        key = info.filename.replace("\\", "/").lower()
        if key in seen:
            raise InspectionError(_("The ZIP archive holds the name {name} twice.").format(name=info.filename))
        seen.add(key)
    total = sum(info.file_size for info in infos)
    if total > limits.max_uncompressed_size:
        raise InspectionError(_("The ZIP archive would take {size} MB once uncompressed; the limit is {limit} MB. "
                                "It may be a zip bomb.").format(size=round(total / MIB, 1),
                                                                limit=round(limits.max_uncompressed_size / MIB, 1)))
    if sum(info.compress_size for info in infos) > size:
        raise InspectionError(_("The ZIP archive's entries overlap, as in a zip bomb."))


def open_zip(path: str, limits: Limits) -> zipfile.ZipFile:
    """The checked archive at ``path`` (close it after use)."""
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError, NotImplementedError):
        raise InspectionError(_("The file is not a valid ZIP archive: it is damaged or incomplete."))
    try:
        with open(path, "rb") as f:
            size = f.seek(0, io.SEEK_END)
        check_archive(archive, size, limits)
    except BaseException:
        archive.close()
        raise
    return archive


def files(archive: zipfile.ZipFile) -> list:
    """The members that are files (not folders, not macOS resource forks)."""
    return [info for info in archive.infolist()
            if not info.is_dir() and not info.filename.startswith("__MACOSX/")
            and not info.filename.rsplit("/", 1)[-1].startswith("._")]


def base_name(info: zipfile.ZipInfo) -> str:
    """The member's file name without folders, in lower case."""
    return info.filename.replace("\\", "/").rsplit("/", 1)[-1].lower()


def zip_kind(names: list) -> str | None:
    """Which inspector a zip's member names call for, or None."""
    lower = [n.replace("\\", "/").lower() for n in names]
    bases = {n.rsplit("/", 1)[-1] for n in lower}
    if "[content_types].xml" in lower and any(n.startswith("xl/") for n in lower):
        return "xlsx"
    if bases & GTFS_MARKERS:
        return "gtfs"
    if any(n.endswith(".shp") for n in bases):
        return "shapefile"
    if any(n.endswith(".kml") for n in bases):
        return "kmz"
    return None


@contextlib.contextmanager
def member_errors(name: str) -> Iterator[None]:
    """Turn the errors of a damaged member into an InspectionError."""
    try:
        yield
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError):
        raise InspectionError(_("The file {name} inside the ZIP archive is damaged or incomplete.")
                              .format(name=name))


def open_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> IO[bytes]:
    """A binary stream of one member (zipfile stops at its declared size and
    checks its CRC at the end)."""
    with member_errors(info.filename):
        return archive.open(info)


def copy_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, target: str) -> None:
    """Copy a member to the path ``target`` (chosen by the caller, never the
    member's own name)."""
    with member_errors(info.filename), archive.open(info) as source, open(target, "wb") as out:
        shutil.copyfileobj(source, out, 1024 * 1024)


@guarded("zip")
def inspect_zip(path: str, limits: Limits, result) -> None:
    """A zip holding none of the known kinds of files: checked for safety,
    then reported as not inspectable."""
    with open_zip(path, limits) as archive:
        names = [info.filename for info in files(archive)]
    result.resource.update(format="ZIP", mimetype="application/zip", members=names)
    result.fail(_("The ZIP archive holds no GTFS feed, shapefile, KML file or spreadsheet."))
