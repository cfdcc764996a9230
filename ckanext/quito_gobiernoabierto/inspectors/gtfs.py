"""GTFS feeds: the ``gtfs`` dataset fields read from a feed zip.

Metadata keys (``schemas/datasets/gtfs.yaml``): ``agency`` (agency.txt
names, "; "-separated), ``transport_modes`` (schema choices, from
routes.txt), ``feed_version`` (feed_info.txt), ``service_start_date`` and
``service_end_date`` (ISO dates: calendar.txt and the days calendar_dates.txt
adds; feed_info.txt's feed_start_date/feed_end_date when there is neither),
``route_count``, ``stop_count`` (every row of stops.txt), ``trip_count``,
``spatial_coverage`` (the stops' bbox), ``validation_status``,
``validation_date`` and ``validation_tool``.

Tables are streamed row by row from the zip (stop_times.txt is never held
in memory; only the ids of stops and trips are). The feed's structure and
references are checked here (``gtfs_checks``); MobilityData's full rule set
runs through ``gtfs_validation`` when the gtfs-validator package is there.

Transport modes: route_type 11 and 800 are trolleybus (``trolebus``); 1 and
400-404 metro; 3, 200-209 and 700-799 bus. A bus route is told apart by its
names and description, since route_type cannot say it: "alimentador" means a
feeder bus (``bus``), "trole" the Trolebús corridor (``trolebus``, for feeds
that code it as bus), "ecovía", "BRT", "metrobús" or "corredor" a BRT
corridor (``ecovia``). Other types (tram, rail, aerial lift...) have no
choice in the schema: they are left out with a warning.
"""
from __future__ import annotations

import csv
import datetime
import io
import re
import unicodedata
import zipfile
from typing import Generator, Iterator, Optional

from ckanext.quito_gobiernoabierto.inspectors import gtfs_checks, gtfs_validation
from ckanext.quito_gobiernoabierto.inspectors.archive import base_name, files, open_member, open_zip
from ckanext.quito_gobiernoabierto.inspectors.base import (
    InspectionError, Limits, _, count_text, guarded, spatial_coverage, valid_wgs84_bbox)

#: Own checks only, when the gtfs-validator package is missing or disabled.
OWN_TOOL = "ckanext-quito-gobiernoabierto GTFS checks"
MODE_ORDER = ("trolebus", "ecovia", "metro", "bus")
FEEDER_WORDS = ("alimentador",)
TROLLEY_WORDS = ("trole",)
BRT_WORDS = ("ecovia", "brt", "metrobus", "corredor")


class Feed:
    """The tables of a checked GTFS zip, read as streams of dict rows."""

    def __init__(self, archive: zipfile.ZipFile, limits: Limits, result):
        self.archive, self.limits, self.result = archive, limits, result
        #: Tables not read to their end (unreadable, or past ``max_rows``).
        self.incomplete: set = set()
        self.members = self._members()

    def _members(self) -> dict:
        root: dict = {}
        nested: dict = {}
        for info in files(self.archive):
            target = nested if "/" in info.filename.replace("\\", "/") else root
            target.setdefault(base_name(info), info)
        moved = [name for name in nested if name in gtfs_checks.GTFS_FILES and name not in root]
        if moved:
            self.result.warn(_("The GTFS files are inside a folder of the zip; they should be at its root."))
        return {**{name: nested[name] for name in moved}, **root}

    def has(self, name: str) -> bool:
        """Whether the feed holds the table ``name``."""
        return name in self.members

    def known(self, ids: set, *names: str) -> Optional[set]:
        """``ids`` when the tables they come from were read whole, else None
        (references to them are then not checked)."""
        return None if self.incomplete.intersection(names) else ids

    def rows(self, name: str) -> Iterator[dict]:
        """The rows of one table, stripped; nothing when it is absent.
        Unreadable tables become errors; rows past ``max_rows`` a warning."""
        info = self.members.get(name)
        if info is None:
            return
        self.incomplete.add(name)
        try:
            if (yield from self._read(name, info)):
                self.incomplete.discard(name)
        except UnicodeDecodeError:
            self.result.error(_("{name} is not UTF-8 text.").format(name=name))
        except csv.Error as error:
            self.result.error(_("{name} is not a valid CSV file ({detail}).").format(name=name, detail=error))
        except InspectionError as error:
            self.result.error(str(error))
        except (zipfile.BadZipFile, EOFError, OSError, ValueError):
            self.result.error(_("The file {name} inside the ZIP archive is damaged or incomplete.").format(name=name))

    def _read(self, name: str, info: zipfile.ZipInfo) -> Generator[dict, None, bool]:
        """The rows; returns whether the table was read to its end."""
        with open_member(self.archive, info) as raw:
            reader = csv.reader(io.TextIOWrapper(raw, encoding="utf-8-sig", newline=""))
            header = [column.strip() for column in next(reader, [])]
            gtfs_checks.check_columns(self.result, name, header)
            for number, values in enumerate(reader):
                if number >= self.limits.max_rows:
                    self.result.warn(_("Only the first {limit} rows of {name} were read; its figures are partial.")
                                     .format(limit=self.limits.max_rows, name=name))
                    return False
                if values:
                    yield {key: value.strip() for key, value in zip(header, values)}
        return True


# ---------------------------------------------------------------- values

def iso_date(text: str) -> Optional[str]:
    """A GTFS date (YYYYMMDD) as ISO text, or None when it is not one."""
    if not re.fullmatch(r"\d{8}", text or ""):
        return None
    try:
        return datetime.datetime.strptime(text, "%Y%m%d").date().isoformat()
    except ValueError:
        return None


def _plain(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def route_mode(route_type: int, text: str = "") -> Optional[str]:
    """The schema's transport mode of a route (see the module's docstring)."""
    if route_type in (11, 800):
        return "trolebus"
    if route_type == 1 or 400 <= route_type <= 404:
        return "metro"
    if route_type == 3 or 200 <= route_type <= 209 or 700 <= route_type <= 799:
        words = _plain(text)
        if any(w in words for w in FEEDER_WORDS):
            return "bus"
        if any(w in words for w in TROLLEY_WORDS):
            return "trolebus"
        if any(re.search(rf"\b{w}", words) for w in BRT_WORDS):
            return "ecovia"
        return "bus"
    return None


# ---------------------------------------------------------------- tables

def read_agencies(feed: Feed, state: dict) -> None:
    """agency.txt: the agencies' names and ids."""
    names, ids = [], set()
    for row in feed.rows("agency.txt"):
        name = row.get("agency_name", "")
        if name and name not in names:
            names.append(name)
        ids.add(row.get("agency_id", ""))
    if not names:
        feed.result.error(_("agency.txt names no agency."))
    state.update(agencies=names, agency_ids=ids)


def read_routes(feed: Feed, state: dict) -> None:
    """routes.txt: route ids and transport modes (checked)."""
    modes, unmapped, ids = set(), set(), set()
    checks = gtfs_checks.RouteChecks(state.get("agency_ids", set()), len(state.get("agencies", [])))
    for row in feed.rows("routes.txt"):
        route_type = checks.row(row, ids)
        text = " ".join(row.get(k, "") for k in ("route_short_name", "route_long_name", "route_desc"))
        mode = route_mode(route_type, text) if route_type is not None else None
        if mode:
            modes.add(mode)
        elif route_type is not None:
            unmapped.add(route_type)
        ids.add(row.get("route_id", ""))
    checks.report(feed.result)
    state.update(route_ids=ids, modes=modes, unmapped_route_types=unmapped)


def read_stops(feed: Feed, state: dict) -> None:
    """stops.txt: stop ids, count and extent (checked)."""
    ids, bounds, count = set(), None, 0
    checks = gtfs_checks.StopChecks()
    for row in feed.rows("stops.txt"):
        count += 1
        point = checks.row(row, ids)
        ids.add(row.get("stop_id", ""))
        if point:
            x, y = point
            bounds = [x, y, x, y] if bounds is None else [
                min(bounds[0], x), min(bounds[1], y), max(bounds[2], x), max(bounds[3], y)]
    checks.report(feed.result)
    state.update(stop_ids=ids, stop_count=count, bbox=bounds)


def read_calendars(feed: Feed, state: dict) -> None:
    """calendar.txt and calendar_dates.txt: service ids and service days."""
    days, services = [], set()
    checks = gtfs_checks.DateChecks()
    for row in feed.rows("calendar.txt"):
        services.add(row.get("service_id", ""))
        days += [checks.date(iso_date, "calendar.txt", row, key) for key in ("start_date", "end_date")]
    for row in feed.rows("calendar_dates.txt"):
        services.add(row.get("service_id", ""))
        day = checks.date(iso_date, "calendar_dates.txt", row, "date")
        if row.get("exception_type") == "1":
            days.append(day)
    checks.report(feed.result)
    days = [d for d in days if d]
    state.update(service_ids=services, service_days=(min(days), max(days)) if days else None)


def read_trips(feed: Feed, state: dict) -> None:
    """trips.txt: trip ids (checked against routes and services)."""
    ids: set = set()
    checks = gtfs_checks.TripChecks(feed.known(state["route_ids"], "routes.txt"),
                                    feed.known(state["service_ids"], "calendar.txt", "calendar_dates.txt"))
    for row in feed.rows("trips.txt"):
        checks.row(row, ids)
        ids.add(row.get("trip_id", ""))
    checks.report(feed.result)
    state.update(trip_ids=ids)


def read_stop_times(feed: Feed, state: dict) -> None:
    """stop_times.txt, streamed: references to trips and stops."""
    checks = gtfs_checks.StopTimeChecks(feed.known(state["trip_ids"], "trips.txt"),
                                        feed.known(state["stop_ids"], "stops.txt"))
    for row in feed.rows("stop_times.txt"):
        checks.row(row)
    checks.report(feed.result, complete=feed.known(state["trip_ids"], "stop_times.txt") is not None)


def read_feed_info(feed: Feed, state: dict) -> None:
    """feed_info.txt: version and declared service window."""
    info = next(feed.rows("feed_info.txt"), {})
    checks = gtfs_checks.DateChecks()
    start, end = (checks.date(iso_date, "feed_info.txt", info, key) if info.get(key) else None
                  for key in ("feed_start_date", "feed_end_date"))
    checks.report(feed.result)
    state.update(feed_version=info.get("feed_version") or None, feed_window=(start, end))


# ---------------------------------------------------------------- metadata

def service_dates(state: dict) -> tuple:
    """First and last service day (see the module's docstring)."""
    if state.get("service_days"):
        return state["service_days"]
    return state.get("feed_window") or (None, None)


def _modes(state: dict, result) -> list:
    for route_type in sorted(state.get("unmapped_route_types", ())):
        result.warn(_("Routes of route_type {type} have no matching transport mode in the portal; add the mode "
                      "by hand if needed.").format(type=route_type))
    return [mode for mode in MODE_ORDER if mode in state.get("modes", ())]


def describe_feed(state: dict, result) -> dict:
    """The dataset fields read from the tables (validation apart)."""
    start, end = service_dates(state)
    values = {
        "agency": "; ".join(state.get("agencies", [])) or None,
        "transport_modes": _modes(state, result) or None,
        "feed_version": state.get("feed_version"),
        "service_start_date": start,
        "service_end_date": end,
        "route_count": count_text(len(state.get("route_ids", ()))),
        "stop_count": count_text(state.get("stop_count", 0)),
        "trip_count": count_text(len(state.get("trip_ids", ()))),
    }
    if valid_wgs84_bbox(state.get("bbox")):
        values["spatial_coverage"] = spatial_coverage(state["bbox"])
    return {key: value for key, value in values.items() if value is not None}


def read_feed(feed: Feed) -> dict:
    """Read every table in dependency order; the summary state."""
    state: dict = {}
    for step in (read_agencies, read_routes, read_stops, read_calendars, read_trips, read_stop_times,
                 read_feed_info):
        step(feed, state)
    return state


@guarded("gtfs")
def inspect_gtfs(path: str, limits: Limits, result) -> None:
    """Inspect the GTFS zip at ``path`` (see the module's docstring)."""
    result.resource.update(format="GTFS", mimetype="application/zip")
    with open_zip(path, limits) as archive:
        feed = Feed(archive, limits, result)
        result.resource["files"] = sorted(info.filename for info in feed.members.values())
        complete = gtfs_checks.check_files(feed.has, result)
        if complete:
            result.metadata.update(describe_feed(read_feed(feed), result))
    report = gtfs_validation.validate(path, limits.validator_timeout) if complete else None
    result.metadata.update(gtfs_checks.validation_fields(result, report, OWN_TOOL))
