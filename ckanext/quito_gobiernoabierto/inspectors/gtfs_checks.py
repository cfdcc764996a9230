"""The portal's own GTFS checks, made while the tables are read: required
files and columns, unique ids, references (routes -> agency, trips ->
routes and services, stop_times -> trips and stops), dates and stop
coordinates. Each kind of fault is reported once, with its count and up to
three examples. ``validation_fields`` turns the checks and the external
validator's report into the schema's validation fields.
"""
from __future__ import annotations

import datetime
from typing import Callable, Optional

from ckanext.quito_gobiernoabierto.inspectors.base import _

REQUIRED_FILES = ("agency.txt", "stops.txt", "routes.txt", "trips.txt", "stop_times.txt")
CALENDAR_FILES = ("calendar.txt", "calendar_dates.txt")
#: Every file name the GTFS Schedule reference defines.
GTFS_FILES = set(REQUIRED_FILES + CALENDAR_FILES) | {
    "feed_info.txt", "shapes.txt", "frequencies.txt", "transfers.txt", "fare_attributes.txt", "fare_rules.txt",
    "pathways.txt", "levels.txt", "translations.txt", "attributions.txt", "areas.txt", "stop_areas.txt",
    "networks.txt", "route_networks.txt", "fare_media.txt", "fare_products.txt", "fare_leg_rules.txt",
    "fare_leg_join_rules.txt", "fare_transfer_rules.txt", "timeframes.txt", "rider_categories.txt",
    "location_groups.txt", "location_group_stops.txt", "booking_rules.txt"}
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
REQUIRED_COLUMNS = {
    "agency.txt": ("agency_name", "agency_url", "agency_timezone"),
    "stops.txt": ("stop_id",),
    "routes.txt": ("route_id", "route_type"),
    "trips.txt": ("route_id", "service_id", "trip_id"),
    "stop_times.txt": ("trip_id", "stop_sequence"),
    "calendar.txt": ("service_id",) + WEEKDAYS + ("start_date", "end_date"),
    "calendar_dates.txt": ("service_id", "date", "exception_type"),
}
BASIC_ROUTE_TYPES = {0, 1, 2, 3, 4, 5, 6, 7, 11, 12}
EXAMPLES = 3


class Tally:
    """Faulty rows of one kind: their count and the first few examples."""

    def __init__(self) -> None:
        self.count = 0
        self.examples: list = []

    def add(self, example: str) -> None:
        self.count += 1
        if len(self.examples) < EXAMPLES:
            self.examples.append(example or "''")

    def report(self, result, message: str, **values) -> None:
        if self.count:
            result.error(message.format(count=self.count, examples=", ".join(self.examples), **values))


def check_files(has: Callable[[str], bool], result) -> bool:
    """Whether the required files are there (errors for those missing)."""
    missing = [name for name in REQUIRED_FILES if not has(name)]
    if not any(has(name) for name in CALENDAR_FILES):
        missing.append("calendar.txt / calendar_dates.txt")
    if missing:
        result.error(_("The GTFS feed lacks required files: {files}.").format(files=", ".join(missing)))
    return not missing


def check_columns(result, name: str, header: list) -> None:
    """An error when a table lacks columns the reference requires."""
    missing = [column for column in REQUIRED_COLUMNS.get(name, ()) if column not in header]
    if missing:
        result.error(_("{name} lacks required columns: {columns}.").format(name=name, columns=", ".join(missing)))


def _float(text: str) -> Optional[float]:
    try:
        value = float(text)
    except (TypeError, ValueError):
        return None
    return value if value == value and abs(value) != float("inf") else None


class RouteChecks:
    """routes.txt: unique route_id, a known route_type, an existing agency."""

    def __init__(self, agency_ids: set, agencies: int):
        self.agency_ids, self.agencies = agency_ids, agencies
        self.duplicates, self.types, self.agencies_missing = Tally(), Tally(), Tally()

    def row(self, row: dict, ids: set) -> Optional[int]:
        """The route's type (None when invalid)."""
        route_id = row.get("route_id", "")
        if route_id in ids:
            self.duplicates.add(route_id)
        agency = row.get("agency_id", "")
        if (agency or self.agencies > 1) and agency not in self.agency_ids:
            self.agencies_missing.add(route_id)
        text = row.get("route_type", "")
        route_type = int(text) if text.isdigit() else None
        if route_type is None or not (route_type in BASIC_ROUTE_TYPES or 100 <= route_type <= 1799):
            self.types.add(text)
            return None
        return route_type

    def report(self, result) -> None:
        self.duplicates.report(result, _("{name}: rows that repeat an id already used: {count} (e.g. {examples})."),
                               name="routes.txt")
        self.types.report(result, _("routes.txt: routes with an invalid route_type: {count} (e.g. {examples})."))
        self.agencies_missing.report(result, _("routes.txt: routes that refer to an agency missing from "
                                               "agency.txt: {count} (e.g. {examples})."))


class StopChecks:
    """stops.txt: unique stop_id, WGS 84 coordinates where they are required."""

    def __init__(self) -> None:
        self.duplicates, self.coordinates = Tally(), Tally()

    def row(self, row: dict, ids: set) -> Optional[tuple]:
        """The stop's (longitude, latitude), None when it has none."""
        stop_id = row.get("stop_id", "")
        if stop_id in ids:
            self.duplicates.add(stop_id)
        lat, lon = _float(row.get("stop_lat", "")), _float(row.get("stop_lon", ""))
        required = row.get("location_type", "") in ("", "0", "1", "2")
        if lat is None or lon is None or not (-90 <= lat <= 90 and -180 <= lon <= 180):
            if required or row.get("stop_lat") or row.get("stop_lon"):
                self.coordinates.add(stop_id)
            return None
        return lon, lat

    def report(self, result) -> None:
        self.duplicates.report(result, _("{name}: rows that repeat an id already used: {count} (e.g. {examples})."),
                               name="stops.txt")
        self.coordinates.report(result, _("stops.txt: stops with missing or out-of-range coordinates: "
                                          "{count} (e.g. {examples})."))


class DateChecks:
    """Dates of calendar.txt, calendar_dates.txt and feed_info.txt."""

    def __init__(self) -> None:
        self.tallies: dict = {}

    def date(self, parse: Callable[[str], Optional[str]], name: str, row: dict, key: str) -> Optional[str]:
        value = parse(row.get(key, ""))
        if value is None:
            self.tallies.setdefault(name, Tally()).add(row.get(key, ""))
        return value

    def report(self, result) -> None:
        for name, tally in self.tallies.items():
            tally.report(result, _("{name}: dates that are not valid YYYYMMDD dates: {count} (e.g. {examples})."),
                         name=name)


class TripChecks:
    """trips.txt: unique trip_id, existing route and service (not checked
    against tables that were not read whole: their ids are None)."""

    def __init__(self, route_ids: Optional[set], service_ids: Optional[set]):
        self.route_ids, self.service_ids = route_ids, service_ids
        self.duplicates, self.routes, self.services = Tally(), Tally(), Tally()

    def row(self, row: dict, ids: set) -> None:
        trip_id = row.get("trip_id", "")
        if trip_id in ids:
            self.duplicates.add(trip_id)
        if self.route_ids is not None and row.get("route_id", "") not in self.route_ids:
            self.routes.add(row.get("route_id", ""))
        if self.service_ids is not None and row.get("service_id", "") not in self.service_ids:
            self.services.add(row.get("service_id", ""))

    def report(self, result) -> None:
        self.duplicates.report(result, _("{name}: rows that repeat an id already used: {count} (e.g. {examples})."),
                               name="trips.txt")
        self.routes.report(result, _("trips.txt: trips that refer to routes missing from routes.txt: "
                                     "{count} (e.g. {examples})."))
        self.services.report(result, _("trips.txt: trips that refer to services missing from calendar.txt "
                                       "and calendar_dates.txt: {count} (e.g. {examples})."))


class StopTimeChecks:
    """stop_times.txt: existing trips and stops (None: not checked); trips
    that have stop times."""

    def __init__(self, trip_ids: Optional[set], stop_ids: Optional[set]):
        self.trip_ids, self.stop_ids = trip_ids, stop_ids
        self.trips, self.stops = Tally(), Tally()
        self.served: set = set()

    def row(self, row: dict) -> None:
        trip_id = row.get("trip_id", "")
        if self.trip_ids is not None:
            if trip_id in self.trip_ids:
                self.served.add(trip_id)
            else:
                self.trips.add(trip_id)
        flexible = row.get("location_id") or row.get("location_group_id")
        if self.stop_ids is not None and not flexible and row.get("stop_id", "") not in self.stop_ids:
            self.stops.add(row.get("stop_id", ""))

    def report(self, result, complete: bool) -> None:
        """Report the faults; trips without stop times only when
        stop_times.txt and trips.txt were read whole."""
        self.trips.report(result, _("stop_times.txt: rows that refer to trips missing from trips.txt: "
                                    "{count} (e.g. {examples})."))
        self.stops.report(result, _("stop_times.txt: rows that refer to stops missing from stops.txt: "
                                    "{count} (e.g. {examples})."))
        idle = len(self.trip_ids - self.served) if complete and self.trip_ids is not None else 0
        if idle:
            result.warn(_("Trips without stop times: {count}.").format(count=idle))


def _codes(notices: dict) -> str:
    return ", ".join(f"{code} ({count})" for code, count in sorted(notices.items()))


def validation_fields(result, report, own_tool: str, today: Optional[datetime.date] = None) -> dict:
    """``validation_status``, ``validation_date``, ``validation_tool`` from the
    inspection's findings and the external validator's report (None when it
    did not run): errors when anything is wrong, warnings when anything is
    odd, valid otherwise."""
    tool = own_tool
    if report is not None and report.failure:
        result.warn(_("The GTFS validator could not finish ({detail}); only the portal's own checks were made.")
                    .format(detail=report.failure))
    elif report is not None:
        tool = report.tool
        if report.errors:
            result.error(_("The GTFS validator found errors: {codes}.").format(codes=_codes(report.errors)))
        if report.warnings:
            result.warn(_("The GTFS validator found warnings: {codes}.").format(codes=_codes(report.warnings)))
    status = "errors" if result.errors else "warnings" if result.warnings else "valid"
    return {"validation_status": status, "validation_date": (today or datetime.date.today()).isoformat(),
            "validation_tool": tool}
