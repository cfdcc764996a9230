"""Public-transport feeds: agency, modes, service period, counts, extent,
validation; the demo feed's declared figures match its zip."""
import io
import json
import os
import zipfile

import pytest

import ckan.plugins.toolkit as tk
from ckan.tests import factories

from ckanext.quito_gobiernoabierto import package_path
from ckanext.quito_gobiernoabierto.datasets import gtfs
from ckanext.quito_gobiernoabierto.logic import demo_datasets

from .conftest import field_errors

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")

DEMO = package_path("data", "demo")
FIELDS = dict(agency="Empresa Pública Metropolitana de Transporte de Pasajeros de Quito",
              transport_modes=["trolebus", "ecovia"], feed_version="2017.1",
              service_start_date="2017-01-02", service_end_date="2017-12-29",
              route_count="2", stop_count="15", trip_count="8",
              validation_status="warnings", validation_date="2017-01-10",
              validation_tool="MobilityData GTFS Validator 4.0")


def feed(dependency, **fields):
    data = dict(type="gtfs", name="gtfs-quito", title="GTFS del sistema de transporte", notes="Feed de prueba.",
                owner_org=dependency["name"], spatial_coverage=[{"bbox": "-78.56,-0.30,-78.47,-0.15"}], **FIELDS,
                resources=[{"url": "http://example.org/gtfs.zip", "name": "Feed", "format": "GTFS"}])
    data.update(fields)
    return data


def test_round_trip_keeps_every_field(call_as, dependency):
    created = call_as("package_create", **feed(dependency))
    shown = call_as("package_show", id=created["id"])
    for key, value in FIELDS.items():
        assert shown[key] == value, key
    assert json.loads(shown["spatial_coverage"][0]["bbox"])["coordinates"][0][2] == [-78.47, -0.15]
    shown.update(transport_modes=["metro"], service_end_date="2018-06-30", trip_count="120",
                 validation_status="valid")
    call_as("package_update", **shown)
    again = call_as("package_show", id=created["id"])
    for key, value in dict(transport_modes=["metro"], service_end_date="2018-06-30", trip_count="120",
                           validation_status="valid", agency=FIELDS["agency"]).items():
        assert again[key] == value, key


@pytest.mark.parametrize("fields,field,message", [
    ({"agency": ""}, "agency", "Missing value"),
    ({"transport_modes": ["teleferico"]}, "transport_modes", "Choose one of the listed values"),
    ({"transport_modes": []}, "transport_modes", "Missing value"),
    ({"service_end_date": "2016-12-31"}, "service_end_date", "The end date cannot be earlier than the start date"),
    ({"service_start_date": "2017-02-30"}, "service_start_date", "Date format incorrect"),
    ({"route_count": "-1"}, "route_count", "cannot be negative"),
    ({"stop_count": "1.5"}, "stop_count", "whole number"),
    ({"trip_count": "muchos"}, "trip_count", "Enter a number"),
    ({"validation_status": "ok"}, "validation_status", "Choose one of the listed values"),
    ({"validation_date": "ayer"}, "validation_date", "Date format incorrect"),
])
def test_bad_values_are_rejected(call_as, dependency, fields, field, message):
    with pytest.raises(tk.ValidationError) as excinfo:
        call_as("package_create", **feed(dependency, **fields))
    assert message in str(field_errors(excinfo)[field])


def test_bad_extent_is_rejected(call_as, dependency):
    with pytest.raises(tk.ValidationError) as excinfo:
        call_as("package_create", **feed(dependency, spatial_coverage=[{"bbox": "Quito"}]))
    assert "Enter a geometry as GeoJSON" in str(field_errors(excinfo)["spatial_coverage"])


def test_facets_filters_and_map_search(app, call_as, dependency):
    call_as("package_create", **feed(dependency))
    call_as("package_create", **feed(dependency, name="metro", transport_modes=["metro"], validation_status="valid",
                                     spatial_coverage=[{"bbox": "-78.55,-0.29,-78.47,-0.10"}]))
    result = tk.get_action("package_search")({}, {
        "fq": "+dataset_type:gtfs", "facet.field": ["transport_modes", "validation_status", "organization"]})
    assert result["facets"]["transport_modes"] == {"trolebus": 1, "ecovia": 1, "metro": 1}
    assert result["facets"]["validation_status"] == {"warnings": 1, "valid": 1}
    assert result["facets"]["organization"] == {dependency["name"]: 2}
    trole = tk.get_action("package_search")({}, {"fq": "+dataset_type:gtfs +transport_modes:trolebus"})
    assert [d["name"] for d in trole["results"]] == ["gtfs-quito"]
    north = tk.get_action("package_search")({}, {"fq": "+dataset_type:gtfs",
                                                 "extras": {"ext_bbox": "-78.5,-0.13,-78.48,-0.11"}})
    assert [d["name"] for d in north["results"]] == ["metro"]
    api = app.get("/api/3/action/package_search", query_string={
        "fq": "+dataset_type:gtfs", "facet.field": '["transport_modes"]'}).json["result"]
    items = {i["name"]: i["display_name"] for i in api["search_facets"]["transport_modes"]["items"]}
    assert items == {"trolebus": "Trolebús", "ecovia": "Bus de tránsito rápido (Ecovía y otros corredores BRT)",
                     "metro": "Metro (Metro de Quito)"}


def test_pages(app, call_as, dependency):
    call_as("package_create", **feed(dependency))
    page = app.get("/gtfs/gtfs-quito").body
    for text in ("Operador de transporte", "Modos de transporte", "Trolebús", "Fecha de fin del servicio",
                 "Número de paradas", "15", "Válido con advertencias", "MobilityData GTFS Validator 4.0"):
        assert text in page, text
    english = app.get("/en/gtfs/gtfs-quito").body
    for text in ("Transit agency", "Trolleybus (Trolebús)", "Valid with warnings", "Number of trips"):
        assert text in english, text
    search = app.get("/gtfs/").body
    for text in ("Modos de transporte", "Estado de validación", "Trolebús"):
        assert text in search, text
    token = factories.APIToken(user="steward")["token"]
    form = app.get("/gtfs/new", headers={"Authorization": token}).body
    for name in ("agency", "transport_modes", "feed_version", "service_start_date", "service_end_date",
                 "route_count", "stop_count", "trip_count", "validation_status", "validation_date",
                 "spatial_coverage-0-bbox"):
        assert f'name="{name}"' in form, name


def test_summary_of_the_demo_feed_matches_its_publication():
    entry = [e for e in demo_datasets.read_entries(DEMO) if e.get("type") == "gtfs"][0]
    summary = gtfs.quito_gtfs_summary(os.path.join(DEMO, "files", entry["resources"][0]["file"]))
    for key in ("route_count", "stop_count", "trip_count", "service_start_date", "service_end_date", "feed_version"):
        assert str(summary[key]) == str(entry[key]), key
    assert summary["agencies"] == [entry["agency"]]
    assert summary["route_types"] == ["11", "3"]  # trolleybus, bus (Ecovía)
    minx, miny, maxx, maxy = summary["bbox"]
    ring = json.loads(entry["spatial_coverage"][0]["bbox"])["coordinates"][0]
    assert ring[0] == [minx, miny] and ring[2] == [maxx, maxy]
    with zipfile.ZipFile(os.path.join(DEMO, "files", entry["resources"][0]["file"])) as archive:
        assert "DATOS DE MUESTRA" in archive.read("LEEME.txt").decode("utf-8")
        assert "MUESTRA" in archive.read("feed_info.txt").decode("utf-8")


def _zip(files: dict) -> io.BytesIO:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in files.items():
            archive.writestr(name, text)
    buffer.seek(0)
    return buffer


def test_summary_reads_calendar_dates_and_rejects_non_feeds():
    files = {"agency.txt": "agency_name,agency_url,agency_timezone\nA,http://a,America/Guayaquil\n",
             "stops.txt": "stop_id,stop_name,stop_lat,stop_lon\n1,X,-0.2,-78.5\n2,Y,,\n",
             "routes.txt": "route_id,route_type\nR,3\n", "trips.txt": "route_id,service_id,trip_id\nR,S,T\n",
             "stop_times.txt": "trip_id,stop_id,stop_sequence\nT,1,1\n",
             "calendar_dates.txt": "service_id,date,exception_type\nS,20180105,1\nS,20180101,1\nS,20190101,2\n"}
    summary = gtfs.quito_gtfs_summary(_zip(files))
    assert (summary["stop_count"], summary["service_start_date"], summary["service_end_date"]) == (
        2, "2018-01-01", "2018-01-05")
    assert summary["bbox"] == [-78.5, -0.2, -78.5, -0.2] and summary["feed_version"] is None
    with pytest.raises(gtfs.GTFSError, match="missing GTFS files"):
        gtfs.quito_gtfs_summary(_zip({"agency.txt": "agency_name\nA\n"}))
    with pytest.raises(gtfs.GTFSError, match="not a zip"):
        gtfs.quito_gtfs_summary(io.BytesIO(b"agency_name\n"))


def test_demo_feed_loads_twice(load_demo):
    entries, _ = load_demo("gtfs.yaml")
    assert len(entries) == 1
    shown = tk.get_action("package_show")({}, {"id": entries[0]["name"]})
    assert (shown["organization"]["name"], shown["sample_data"]) == ("epmtpq", "true")
    assert "Datos de muestra" in shown["notes"]
    found = tk.get_action("package_search")({}, {"fq": "+dataset_type:gtfs",
                                                 "extras": {"ext_bbox": "-78.52,-0.23,-78.50,-0.21"}})
    assert found["count"] == 1
