"""What every file inspector shares: the result type, the safety limits, the
translatable-message helper and ``inspect``, which picks the inspector for a
downloaded file from its name and its first bytes.

An inspector never raises for a bad file: whatever is wrong with it
(unreadable, malformed, truncated, too big, unsafe) becomes a message in
``Inspection.errors``. Metadata values use the field names of the dataset
schemas (``schemas/datasets/*.yaml``) and are already in the form their
validators accept (ISO dates, counts as text, bbox "minx,miny,maxx,maxy").
"""
from __future__ import annotations

import functools
import logging
import os
from dataclasses import dataclass, field
from typing import Callable, Optional

log = logging.getLogger(__name__)

MIB = 1024 * 1024


def _(message: str) -> str:
    """Translate ``message`` with CKAN's gettext; the message itself when no
    CKAN app (or no translations) are active, so the inspectors run and test
    outside a CKAN process."""
    try:
        from ckan.plugins.toolkit import _ as ckan_gettext
        return ckan_gettext(message)
    except Exception:  # no app context, no babel, CKAN not importable
        return message


class InspectionError(Exception):
    """A fault that stops an inspection; its text (translated) goes to ``errors``."""


@dataclass(frozen=True)
class Limits:
    """Bounds on what an inspection reads. The defaults fit the portal's
    largest expected files (the city's GTFS feed, cadastral layers)."""

    #: Largest file accepted, in bytes.
    max_file_size: int = 512 * MIB
    #: Largest total size of a zip archive's members once uncompressed.
    max_uncompressed_size: int = 1024 * MIB
    #: Largest ratio uncompressed/compressed of a zip member (checked on
    #: members over ``ratio_min_size``; text compresses about 10 to 1).
    max_compression_ratio: float = 100.0
    #: Members smaller than this are not held to the ratio.
    ratio_min_size: int = 1 * MIB
    #: Most members a zip archive may hold.
    max_members: int = 1000
    #: Most rows (or features) scanned per table or layer; beyond it the
    #: counts are reported as partial.
    max_rows: int = 5_000_000
    #: Largest JSON document parsed whole (GeoJSON), in bytes.
    max_json_size: int = 128 * MIB
    #: Seconds the external GTFS validator may run; 0 skips it.
    validator_timeout: int = 600


@dataclass
class Inspection:
    """What an inspector learned from one file.

    ``metadata``: dataset fields (schema names, schema formats).
    ``resource``: facts about the file itself (format, mimetype, size,
    encoding, columns, rows, layers...).
    ``errors``: why the file is unusable or invalid; ``warnings``: what is
    odd but does not stop its use. ``fatal`` is set when the inspection had
    to stop early, so ``metadata`` is missing or partial.
    """

    kind: str
    metadata: dict = field(default_factory=dict)
    resource: dict = field(default_factory=dict)
    errors: list = field(default_factory=list)
    warnings: list = field(default_factory=list)
    fatal: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors

    def error(self, message: str) -> None:
        if message not in self.errors:
            self.errors.append(message)

    def warn(self, message: str) -> None:
        if message not in self.warnings:
            self.warnings.append(message)

    def fail(self, message: str) -> None:
        """Record an error that stopped the inspection."""
        self.error(message)
        self.fatal = True


def describe(error: BaseException) -> str:
    """A short technical description of an exception (of its first cause,
    when a library wrapped it), on one line."""
    while error.__cause__ is not None:
        error = error.__cause__
    message = str(error).strip().splitlines()
    text = f"{type(error).__name__}: {message[0]}" if message else type(error).__name__
    return text[:200]


def check_file(path: str, limits: Limits) -> int:
    """The size of ``path``; InspectionError when missing, empty or too big."""
    try:
        size = os.path.getsize(path)
        with open(path, "rb"):
            pass
    except OSError:
        raise InspectionError(_("The file could not be opened: it does not exist or cannot be read."))
    if not os.path.isfile(path):
        raise InspectionError(_("The file could not be opened: it does not exist or cannot be read."))
    if size == 0:
        raise InspectionError(_("The file is empty."))
    if size > limits.max_file_size:
        raise InspectionError(_("The file is too big to inspect ({size} MB; the limit is {limit} MB).").format(
            size=round(size / MIB, 1), limit=round(limits.max_file_size / MIB, 1)))
    return size


Inspector = Callable[[str, Limits, Inspection], None]


def guarded(kind: str) -> Callable[[Inspector], Callable[..., Inspection]]:
    """Turn ``func(path, limits, result)`` into ``inspect_x(path, limits=None)``
    that checks the file first and turns every exception into an error."""
    def wrap(func: Inspector) -> Callable[..., Inspection]:
        @functools.wraps(func)
        def run(path, limits: Optional[Limits] = None) -> Inspection:
            result, limits = Inspection(kind), limits or Limits()
            try:
                result.resource["size"] = check_file(os.fspath(path), limits)
                func(os.fspath(path), limits, result)
            except InspectionError as error:
                result.fail(str(error))
            except Exception as error:  # a bad file must never break the harvester
                log.warning("Inspecting %s failed", path, exc_info=True)
                result.fail(_("The file could not be read ({detail}).").format(detail=describe(error)))
            return result
        return run
    return wrap


# ---------------------------------------------------------------- numbers and extents

def count_text(number: int) -> str:
    """A count as the schema's ``quito_count`` fields store it."""
    return str(int(number))


def _coordinate(value: float) -> str:
    text = f"{value:.6f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def bbox_text(bbox) -> str:
    """``minx,miny,maxx,maxy`` with at most 6 decimals and no exponent, the
    form ``quito_geometry`` accepts."""
    return ",".join(_coordinate(float(v)) for v in bbox)


def valid_wgs84_bbox(bbox) -> bool:
    """Whether a bbox lies in WGS 84 degrees (longitude first)."""
    if not bbox or len(bbox) != 4:
        return False
    minx, miny, maxx, maxy = bbox
    return -180 <= minx <= maxx <= 180 and -90 <= miny <= maxy <= 90


def spatial_coverage(bbox) -> list:
    """The ``spatial_coverage`` repeating field holding one bbox."""
    return [{"bbox": bbox_text(bbox)}]


# ---------------------------------------------------------------- dispatch

def inspect(path, filename: Optional[str] = None, limits: Optional[Limits] = None,
            kind: Optional[str] = None) -> Inspection:
    """Inspect the file at ``path`` (its original name ``filename`` gives the
    extension) with the inspector its extension and content call for.
    ``kind`` ("gtfs", "shapefile", "geojson", "kml", "kmz", "geopackage",
    "csv", "xlsx") skips the guess, e.g. when a harvester knows it fetched a
    GTFS feed. Never raises."""
    from ckanext.quito_gobiernoabierto.inspectors import sniff

    limits = limits or Limits()
    path = os.fspath(path)
    try:
        check_file(path, limits)
        chosen = kind or sniff.choose_kind(path, filename or os.path.basename(path))
    except InspectionError as error:
        result = Inspection(kind or "unknown")
        result.fail(str(error))
        return result
    except Exception as error:
        log.warning("Sniffing %s failed", path, exc_info=True)
        result = Inspection("unknown")
        result.fail(_("The file could not be read ({detail}).").format(detail=describe(error)))
        return result
    return sniff.inspector(chosen)(path, limits)
