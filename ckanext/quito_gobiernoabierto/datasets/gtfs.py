"""Public-transport feeds (``gtfs``): a summary read from a GTFS zip, to
check (or fill) the counts, service dates and extent a publication declares."""
from __future__ import annotations

import csv
import datetime
import io
import zipfile
from typing import IO, Iterator, Optional, Union

REQUIRED_FILES = ("agency.txt", "stops.txt", "routes.txt", "trips.txt", "stop_times.txt")


class GTFSError(ValueError):
    pass


def _rows(archive: zipfile.ZipFile, name: str) -> Iterator[dict]:
    """The rows of one GTFS table (empty when the file is absent)."""
    members = {info.filename.rsplit("/", 1)[-1]: info.filename for info in archive.infolist()}
    if name not in members:
        return
    with archive.open(members[name]) as raw:
        text = io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")
        for row in csv.DictReader(text):
            yield {k.strip(): (v or "").strip() for k, v in row.items() if k}


def _date(text: str) -> Optional[str]:
    try:
        return datetime.datetime.strptime(text, "%Y%m%d").date().isoformat()
    except ValueError:
        return None


def _service_dates(archive: zipfile.ZipFile) -> tuple[Optional[str], Optional[str]]:
    """First and last service day, from calendar.txt and calendar_dates.txt."""
    days = []
    for row in _rows(archive, "calendar.txt"):
        days += [_date(row.get("start_date", "")), _date(row.get("end_date", ""))]
    for row in _rows(archive, "calendar_dates.txt"):
        if row.get("exception_type") == "1":
            days.append(_date(row.get("date", "")))
    days = [d for d in days if d]
    return (min(days), max(days)) if days else (None, None)


def _bbox(stops: list[dict]) -> Optional[list[float]]:
    points = []
    for stop in stops:
        try:
            points.append((float(stop["stop_lon"]), float(stop["stop_lat"])))
        except (KeyError, ValueError):
            continue
    if not points:
        return None
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    return [min(xs), min(ys), max(xs), max(ys)]


def quito_gtfs_summary(source: Union[str, IO[bytes]]) -> dict:
    """Agencies, counts of routes, stops and trips, service dates and stop
    extent (minx, miny, maxx, maxy) of a GTFS zip (path or binary file)."""
    try:
        archive = zipfile.ZipFile(source)
    except (zipfile.BadZipFile, OSError) as error:
        raise GTFSError(f"not a zip file: {error}")
    with archive:
        names = {info.filename.rsplit("/", 1)[-1] for info in archive.infolist()}
        missing = [n for n in REQUIRED_FILES if n not in names]
        if missing or not names & {"calendar.txt", "calendar_dates.txt"}:
            raise GTFSError(f"missing GTFS files: {missing or ['calendar.txt or calendar_dates.txt']}")
        stops = list(_rows(archive, "stops.txt"))
        start, end = _service_dates(archive)
        feed_info = next(_rows(archive, "feed_info.txt"), {})
        return {
            "agencies": [row.get("agency_name", "") for row in _rows(archive, "agency.txt")],
            "route_count": sum(1 for _ in _rows(archive, "routes.txt")),
            "stop_count": len(stops),
            "trip_count": sum(1 for _ in _rows(archive, "trips.txt")),
            "route_types": sorted({row.get("route_type", "") for row in _rows(archive, "routes.txt")}),
            "service_start_date": start,
            "service_end_date": end,
            "feed_version": feed_info.get("feed_version") or None,
            "bbox": _bbox(stops),
        }
