"""``quito_files`` end to end: a dependency's web folder (an Apache
auto-index on loopback) harvested into datasets of the right types, re-runs,
changes and faults."""
import os

import pytest

import ckan.plugins.toolkit as tk
from ckan.tests import factories

from .files_support import PLUGINS, create_source, datasets, file_requests, publish, run
from .fixture_servers import FileTreeServer

pytestmark = [pytest.mark.ckan_config("ckan.plugins", PLUGINS),
              pytest.mark.usefixtures("with_plugins", "clean_db", "with_request_context")]


@pytest.fixture
def published(tmp_path):
    root = tmp_path / "sgp"
    publish(root)
    return root


@pytest.fixture
def server(start_server, published):
    return start_server(FileTreeServer(published))


@pytest.fixture
def org():
    return factories.Organization(name="sgp", title="Secretaría General de Planificación", kind="secretaria")


def test_first_harvest_creates_each_type_in_the_dependency(server, org):
    source = create_source(server.url + "/", org)
    result = run(source)
    assert (result["created"], result["errors"]) == (5, 0), result["object_errors"]
    found = datasets(org)
    assert set(found) >= {"lotaip-sgp-c-2016", "lotaip-sgp-c-2015", "lotaip-sgp-n3-2024"}
    lotaip = found["lotaip-sgp-c-2016"]
    assert (lotaip["type"], lotaip["lotaip_regime"], lotaip["lotaip_literal"], str(lotaip["lotaip_year"])) == \
        ("lotaip", "2004", "c", "2016")
    assert sorted(r["month"] for r in lotaip["resources"]) == ["1", "7"]
    assert all(r["url_type"] == "upload" for r in lotaip["resources"])
    numeral = found["lotaip-sgp-n3-2024"]
    assert sorted(r["lotaip_file_role"] for r in numeral["resources"]) == ["dataset", "dictionary", "metadata"]
    gtfs = next(d for d in found.values() if d["type"] == "gtfs")
    assert gtfs["route_count"] and gtfs["stop_count"] and gtfs["service_start_date"]
    layer = next(d for d in found.values() if d["type"] == "capa_geografica")
    assert layer["geometry_type"] and layer["crs"]


def test_unchanged_source_downloads_nothing_and_changes_nothing(server, org):
    source = create_source(server.url + "/", org)
    run(source)
    before = {name: d["metadata_modified"] for name, d in datasets(org).items()}
    server.log.clear()
    result = run(source)
    assert (result["created"], result["updated"], result["unchanged"], result["errors"]) == (0, 0, 5, 0)
    assert file_requests(server) == []
    assert {name: d["metadata_modified"] for name, d in datasets(org).items()} == before


def test_a_changed_file_updates_only_its_dataset(server, org, published):
    source = create_source(server.url + "/", org)
    run(source)
    before = {name: d["metadata_modified"] for name, d in datasets(org).items()}
    changed = published / "lotaip" / "2016" / "07" / "c-remuneraciones.csv"
    changed.write_text(changed.read_text(encoding="utf-8") + "Total;;;\n", encoding="utf-8")
    os.utime(changed, (2_000_000_000, 2_000_000_000))
    server.log.clear()
    result = run(source)
    assert (result["updated"], result["unchanged"]) == (1, 4)
    assert file_requests(server) == ["/lotaip/2016/07/c-remuneraciones.csv"]
    after = {name: d["metadata_modified"] for name, d in datasets(org).items()}
    assert [name for name in after if after[name] != before[name]] == ["lotaip-sgp-c-2016"]


@pytest.mark.parametrize("fault", [
    {"kind": "down"},
    {"kind": "status", "code": 500, "path": "^/lotaip/$"},
    {"kind": "truncate", "mode": "cut", "path": "/$"},
    {"kind": "truncate", "mode": "short", "path": "^/$"},
])
def test_a_failing_source_deletes_nothing(server, org, fault):
    source = create_source(server.url + "/", org, removed="delete")
    run(source)
    names = set(datasets(org))
    kind = fault.pop("kind")
    server.set_fault(kind, **fault)
    result = run(source)
    assert result["gather_errors"], result
    assert (result["deleted"], result["created"], result["updated"]) == (0, 0, 0)
    assert set(datasets(org)) == names


def test_removed_files_are_deleted_only_under_the_delete_policy(server, org, published):
    source = create_source(server.url + "/", org, removed="delete")
    run(source)
    os.remove(published / "gtfs" / "gtfs-trolebus.zip")
    result = run(source)
    assert (result["deleted"], result["unchanged"]) == (1, 4), result["object_errors"]
    assert not any(d["type"] == "gtfs" for d in datasets(org).values())


def test_too_many_removals_at_once_delete_nothing(server, org, published):
    source = create_source(server.url + "/", org, removed="delete", max_removals=0.2)
    run(source)
    for folder in ("lotaip", "gtfs"):
        for path in (published / folder).rglob("*.*"):
            path.unlink()
    result = run(source)
    assert result["deleted"] == 0
    assert any("max_removals" in message for message in result["gather_errors"])
    assert len(datasets(org)) == 5


def test_a_file_that_fails_to_download_is_reported_and_the_rest_harvested(server, org):
    server.set_fault("status", code=500, path="gtfs-trolebus.zip$")
    source = create_source(server.url + "/", org)
    result = run(source)
    assert (result["created"], result["errors"]) == (4, 1)
    assert any("gtfs-trolebus.zip" in message and "500" in message for message in result["object_errors"])


def test_a_malformed_file_is_reported_on_its_object_and_loses_nothing(server, org, published):
    source = create_source(server.url + "/", org)
    run(source)
    before = datasets(org)
    (published / "gtfs" / "gtfs-trolebus.zip").write_bytes(b"PK\x03\x04 this is not a zip")
    os.utime(published / "gtfs" / "gtfs-trolebus.zip", (2_000_000_000, 2_000_000_000))
    result = run(source)
    assert (result["unchanged"], result["updated"], result["errors"]) == (5, 0, 1), result["object_errors"]
    assert [m.split(":")[0] for m in result["object_errors"]] == ["gtfs/gtfs-trolebus.zip"]
    gtfs = next(d for d in datasets(org).values() if d["type"] == "gtfs")
    assert gtfs["metadata_modified"] == next(d for d in before.values() if d["type"] == "gtfs")["metadata_modified"]


def test_bad_configuration_is_refused_with_every_problem(server, org):
    with pytest.raises(tk.ValidationError) as raised:
        create_source(server.url + "/", org, kind="ftp", max_file_size="lots", rules=[{"pattern": "("}])
    text = str(raised.value.error_dict)
    # In the portal's default language (Spanish), every problem at once.
    assert '"kind" debe ser uno de listing, manifest, folder (se recibió "ftp")' in text
    assert '"max_file_size" debe ser un tamaño como 200MB' in text
    assert 'Regla 1: una regla necesita \\"pattern\\", \\"type\\" y \\"guid\\"' in text or \
        'Regla 1: una regla necesita "pattern", "type" y "guid"' in text
