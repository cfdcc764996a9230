"""GTFS feeds: the gtfs dataset fields read from a feed zip, the portal's own
checks and the external validator's verdict."""
import subprocess

import pytest
import yaml

from ckanext.quito_gobiernoabierto import package_path
from ckanext.quito_gobiernoabierto.inspectors import Limits, inspect
from ckanext.quito_gobiernoabierto.inspectors import gtfs_validation
from ckanext.quito_gobiernoabierto.inspectors.gtfs import OWN_TOOL, inspect_gtfs, route_mode

from . import builders

TOOL = "gtfs-validator 0.1.2 (MobilityData rules v8.0.1)"
FEED_FIELDS = {
    "agency": builders.AGENCY,
    "transport_modes": ["trolebus", "ecovia", "bus"],
    "feed_version": "2025.1",
    "service_start_date": "2025-01-06",
    "service_end_date": "2026-01-03",
    "route_count": "3",
    "stop_count": "8",
    "trip_count": "4",
    "spatial_coverage": [{"bbox": "-78.556,-0.3306,-78.4781,-0.1545"}],
}


def _schema_choices(field_name):
    with open(package_path("schemas", "datasets", "gtfs.yaml"), encoding="utf-8") as f:
        schema = yaml.safe_load(f)
    field = next(f for f in schema["dataset_fields"] if f["field_name"] == field_name)
    return [choice["value"] for choice in field["choices"]]


def test_valid_feed_gives_every_field(tmp_path, today):
    result = inspect(builders.gtfs_zip(tmp_path / "trolebus.zip"), "trolebus.zip")
    assert result.kind == "gtfs"
    assert result.errors == [] and result.warnings == []
    assert result.metadata == {**FEED_FIELDS, "validation_status": "valid", "validation_date": "2025-03-03",
                               "validation_tool": TOOL}
    assert result.resource["format"] == "GTFS"
    assert result.resource["mimetype"] == "application/zip"
    assert result.resource["files"] == ["agency.txt", "calendar.txt", "calendar_dates.txt", "feed_info.txt",
                                        "routes.txt", "stop_times.txt", "stops.txt", "trips.txt"]
    assert result.fatal is False


def test_values_are_in_the_schema_format(tmp_path, fast):
    """The schema's own validators accept the values unchanged (choices,
    counts, bbox)."""
    from ckanext.quito_gobiernoabierto.datasets.common import quito_non_negative_integer
    from ckanext.quito_gobiernoabierto.datasets.geo import quito_geometry

    metadata = inspect_gtfs(builders.gtfs_zip(tmp_path / "feed.zip"), fast).metadata
    assert set(metadata["transport_modes"]) <= set(_schema_choices("transport_modes"))
    assert metadata["validation_status"] in _schema_choices("validation_status")
    for key in ("route_count", "stop_count", "trip_count"):
        assert quito_non_negative_integer(metadata[key], {}) == metadata[key]
    geometry = quito_geometry(metadata["spatial_coverage"][0]["bbox"], {})
    assert geometry == ('{"type":"Polygon","coordinates":[[[-78.556,-0.3306],[-78.4781,-0.3306],'
                        '[-78.4781,-0.1545],[-78.556,-0.1545],[-78.556,-0.3306]]]}')


def test_without_the_validator_the_own_checks_decide(tmp_path, fast, today):
    result = inspect_gtfs(builders.gtfs_zip(tmp_path / "feed.zip"), fast)
    assert result.metadata["validation_tool"] == OWN_TOOL == "ckanext-quito-gobiernoabierto GTFS checks"
    assert result.metadata["validation_status"] == "valid"
    assert result.metadata["validation_date"] == "2025-03-03"


@pytest.mark.parametrize("route_type,text,mode", [
    (11, "", "trolebus"), (800, "", "trolebus"), (1, "Metro de Quito", "metro"), (401, "", "metro"),
    (3, "Ecovía Río Coca - La Marín", "ecovia"), (3, "Metrobús-Q Corredor Central Norte", "ecovia"),
    (3, "BRT Sur Oriental", "ecovia"), (3, "Trole Quitumbe", "trolebus"),
    (3, "Alimentador Trolebús Guamaní", "bus"), (3, "Carcelén - La Y", "bus"), (700, "", "bus"),
    (715, "Bus a pedido", "bus"), (200, "Interparroquial", "bus"), (0, "Tranvía", None), (6, "Quito Cables", None),
    (2, "Tren", None),
])
def test_route_modes(route_type, text, mode):
    assert route_mode(route_type, text) == mode


def test_route_type_without_mode_is_a_warning(tmp_path, fast):
    routes = builders.gtfs_tables()["routes.txt"] + "K1,EPMTPQ,K1,Quito Cables Roldós - Ofelia,Teleférico,6\r\n"
    result = inspect_gtfs(builders.gtfs_zip(tmp_path / "feed.zip", replace={"routes.txt": routes}), fast)
    assert result.warnings == ["Routes of route_type 6 have no matching transport mode in the portal; add the "
                               "mode by hand if needed."]
    assert result.metadata["transport_modes"] == ["trolebus", "ecovia", "bus"]
    assert result.metadata["route_count"] == "4"
    assert result.metadata["validation_status"] == "warnings"


def test_missing_required_file(tmp_path, fast):
    result = inspect(builders.gtfs_zip(tmp_path / "feed.zip", drop=["stops.txt"]), "feed.zip", fast)
    assert result.kind == "gtfs"
    assert result.errors == ["The GTFS feed lacks required files: stops.txt."]
    assert result.metadata["validation_status"] == "errors"
    assert result.metadata["validation_tool"] == OWN_TOOL
    assert "agency" not in result.metadata


def test_missing_calendar(tmp_path, fast):
    result = inspect_gtfs(builders.gtfs_zip(tmp_path / "feed.zip", drop=["calendar.txt", "calendar_dates.txt"]),
                          fast)
    assert result.errors == ["The GTFS feed lacks required files: calendar.txt / calendar_dates.txt."]


def test_broken_references(tmp_path, fast):
    tables = builders.gtfs_tables()
    trips = tables["trips.txt"] + "X9,LAB,X9-LAB-0800\r\nC1,NOCHE,C1-NOCHE-2300\r\n"
    stop_times = tables["stop_times.txt"] + "FANTASMA,08:00:00,08:00:00,Q01,1\r\nC1-LAB-0600,07:00:00,07:00:00,Q99,5\r\n"
    feed = builders.gtfs_zip(tmp_path / "feed.zip", replace={"trips.txt": trips, "stop_times.txt": stop_times})
    result = inspect_gtfs(feed, fast)
    assert result.errors == [
        "trips.txt: trips that refer to routes missing from routes.txt: 1 (e.g. X9).",
        "trips.txt: trips that refer to services missing from calendar.txt and calendar_dates.txt: 1 (e.g. NOCHE).",
        "stop_times.txt: rows that refer to trips missing from trips.txt: 1 (e.g. FANTASMA).",
        "stop_times.txt: rows that refer to stops missing from stops.txt: 1 (e.g. Q99).",
    ]
    assert result.warnings == ["Trips without stop times: 2."]
    assert result.metadata["validation_status"] == "errors"
    assert result.metadata["trip_count"] == "6"


def test_broken_references_with_the_validator(tmp_path, today):
    stop_times = builders.gtfs_tables()["stop_times.txt"] + "C1-LAB-0600,07:00:00,07:00:00,Q99,5\r\n"
    result = inspect_gtfs(builders.gtfs_zip(tmp_path / "feed.zip", replace={"stop_times.txt": stop_times}))
    assert result.errors[0] == "stop_times.txt: rows that refer to stops missing from stops.txt: 1 (e.g. Q99)."
    assert result.errors[1].startswith("The GTFS validator found errors: ")
    assert "foreign_key_violation (1)" in result.errors[1]
    assert result.metadata["validation_status"] == "errors"
    assert result.metadata["validation_tool"] == TOOL


def test_dates_coordinates_and_columns(tmp_path, fast):
    tables = builders.gtfs_tables()
    calendar = tables["calendar.txt"].replace("20251231", "20251340")
    stops = tables["stops.txt"].replace("-0.3306", "-95.2")
    routes = tables["routes.txt"].replace(",route_type\r\n", ",tipo\r\n")
    feed = builders.gtfs_zip(tmp_path / "feed.zip", replace={
        "calendar.txt": calendar, "stops.txt": stops, "routes.txt": routes})
    result = inspect_gtfs(feed, fast)
    assert result.errors == [
        "routes.txt lacks required columns: route_type.",
        "routes.txt: routes with an invalid route_type: 3 (e.g. '', '', '').",
        "stops.txt: stops with missing or out-of-range coordinates: 1 (e.g. A01).",
        "calendar.txt: dates that are not valid YYYYMMDD dates: 1 (e.g. 20251340).",
    ]
    assert result.metadata["spatial_coverage"] == [{"bbox": "-78.556,-0.2958,-78.4781,-0.1545"}]
    assert "transport_modes" not in result.metadata
    assert result.metadata["service_end_date"] == "2026-01-03"


def test_table_that_is_not_utf8(tmp_path, fast):
    stops = builders.gtfs_tables()["stops.txt"].encode("latin-1")
    result = inspect_gtfs(builders.gtfs_zip(tmp_path / "feed.zip", replace={"stops.txt": stops}), fast)
    assert result.errors[0] == "stops.txt is not UTF-8 text."
    assert result.metadata["validation_status"] == "errors"


def test_other_files_in_folders_are_ignored(tmp_path, fast):
    tables = {**builders.gtfs_tables(), "docs/LEEME.txt": "Datos de ejemplo.", "__MACOSX/._stops.txt": "x"}
    result = inspect_gtfs(builders.write_zip(tmp_path / "feed.zip", tables), fast)
    assert (result.errors, result.warnings) == ([], [])
    assert "docs/LEEME.txt" not in result.resource["files"]


def test_feed_inside_a_folder(tmp_path, fast):
    tables = {f"gtfs_quito/{name}": text for name, text in builders.gtfs_tables().items()}
    result = inspect_gtfs(builders.write_zip(tmp_path / "feed.zip", tables), fast)
    assert result.warnings == ["The GTFS files are inside a folder of the zip; they should be at its root."]
    assert {k: result.metadata[k] for k in FEED_FIELDS} == FEED_FIELDS


def test_feed_info_dates_when_there_is_no_calendar_day(tmp_path, fast):
    calendar = builders.gtfs_tables()["calendar.txt"].split("\r\n")[0] + "\r\n"
    dates = "service_id,date,exception_type\r\nLAB,20250303,2\r\n"
    feed = builders.gtfs_zip(tmp_path / "feed.zip", replace={"calendar.txt": calendar, "calendar_dates.txt": dates})
    metadata = inspect_gtfs(feed, fast).metadata
    assert (metadata["service_start_date"], metadata["service_end_date"]) == ("2025-01-06", "2026-01-03")


def test_row_limit_makes_figures_partial(tmp_path):
    result = inspect_gtfs(builders.gtfs_zip(tmp_path / "feed.zip"), Limits(max_rows=5, validator_timeout=0))
    assert result.warnings == ["Only the first 5 rows of stops.txt were read; its figures are partial.",
                               "Only the first 5 rows of stop_times.txt were read; its figures are partial."]
    assert result.errors == []  # no reference is checked against stops that were not read
    assert result.metadata["stop_count"] == "5"
    assert result.metadata["validation_status"] == "warnings"


def test_validator_that_times_out(tmp_path, monkeypatch, today):
    def too_slow(*args, **kwargs):
        raise subprocess.TimeoutExpired(args[0], kwargs["timeout"])

    monkeypatch.setattr(gtfs_validation.subprocess, "run", too_slow)
    result = inspect_gtfs(builders.gtfs_zip(tmp_path / "feed.zip"), Limits(validator_timeout=5))
    assert result.warnings == ["The GTFS validator could not finish (it took longer than 5 seconds); only the "
                               "portal's own checks were made."]
    assert result.metadata["validation_status"] == "warnings"
    assert result.metadata["validation_tool"] == OWN_TOOL


def test_validator_report_is_read(tmp_path, today):
    report = gtfs_validation.validate(builders.gtfs_zip(tmp_path / "feed.zip", drop=["feed_info.txt"]), 120, today)
    assert report.tool == TOOL
    assert report.failure is None
    assert report.errors == {}
    assert report.warnings == {"missing_recommended_file": 1}
