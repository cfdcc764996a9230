"""``quito_files`` sources other than a plain auto-index: a manifest, a shared
folder, hostile listings, a slow server, and the ``ckan quito harvest run``
command."""
import json

import pytest

from ckan.cli.cli import ckan
from ckan.tests import factories

from .files_support import PLUGINS, create_source, datasets, harvest_ini, publish, run
from .fixture_servers import FileTreeServer, FixtureServer, Reply

pytestmark = [pytest.mark.ckan_config("ckan.plugins", PLUGINS),
              pytest.mark.usefixtures("with_plugins", "clean_db", "with_request_context")]

SMALL_TREE = {"lotaip/2016/01/c-remuneraciones.csv": "lotaip-sgp-c-2016-01.csv",
              "capas/estaciones-trolebus.geojson": "capa_geografica-estaciones-trolebus-muestra.geojson"}


@pytest.fixture
def org():
    return factories.Organization(name="sgp", title="Secretaría General de Planificación", kind="secretaria")


class HostileListing(FixtureServer):
    """An auto-index page whose links try to leave the source."""

    LINKS = ["../../etc/passwd", "/etc/passwd", "%2e%2e/%2e%2e/secreto.csv", "http://203.0.113.7/x.csv",
             "sub%5C..%5C..%5Cwin.csv", "ok/"]

    def respond(self, method, path, query, headers):
        if path == "/publico/":
            links = "".join(f'<a href="{href}">{href}</a>' for href in self.LINKS)
            return Reply(200, f"<html><body>{links}</body></html>".encode())
        if path == "/publico/ok/":
            return Reply(200, b'<html><body><a href="../">Parent Directory</a></body></html>')
        return Reply(404, b"")


def test_a_manifest_lists_files_with_their_metadata(start_server, tmp_path, org):
    publish(tmp_path, SMALL_TREE)
    rows = [{"path": "lotaip/2016/01/c-remuneraciones.csv"},
            {"path": "capas/estaciones-trolebus.geojson", "title": "Estaciones del Trolebús (muestra)",
             "description": "Paradas del corredor Trolebús, datos de muestra."}]
    (tmp_path / "manifiesto.json").write_text(json.dumps({"files": rows}), encoding="utf-8")
    server = start_server(FileTreeServer(tmp_path))
    result = run(create_source(server.url + "/manifiesto.json", org, kind="manifest"))
    assert (result["created"], result["errors"]) == (2, 0), result
    layer = next(d for d in datasets(org).values() if d["type"] == "capa_geografica")
    assert (layer["title"], layer["notes"]) == ("Estaciones del Trolebús (muestra)",
                                                "Paradas del corredor Trolebús, datos de muestra.")


def test_a_manifest_row_outside_its_folder_is_refused(start_server, tmp_path, org):
    publish(tmp_path / "publico", SMALL_TREE)
    rows = "path\nlotaip/2016/01/c-remuneraciones.csv\n../secreto.csv\nhttp://203.0.113.7/x.csv\n"
    (tmp_path / "publico" / "manifiesto.csv").write_text(rows, encoding="utf-8")
    server = start_server(FileTreeServer(tmp_path))
    result = run(create_source(server.url + "/publico/manifiesto.csv", org, kind="manifest"))
    assert result["created"] == 1
    refused = next(m for m in result["gather_errors"] if m.startswith("Nombres de archivo rechazados"))
    assert "../secreto.csv" in refused and "203.0.113.7" in refused


@pytest.mark.ckan_config("ckanext.quito.harvest.folder_roots", "/nonexistent-root")
def test_a_shared_folder_outside_the_allowed_roots_is_refused(tmp_path, org):
    publish(tmp_path, SMALL_TREE)
    result = run(create_source(str(tmp_path), org, kind="folder"))
    assert result["created"] == 0
    assert "folder_roots" in result["gather_errors"][0]


def test_a_shared_folder_under_an_allowed_root_is_harvested(tmp_path, org, ckan_config, monkeypatch):
    publish(tmp_path / "compartido", SMALL_TREE)
    (tmp_path / "compartido" / "enlace.csv").symlink_to("/etc/hostname")
    monkeypatch.setitem(ckan_config, "ckanext.quito.harvest.folder_roots", str(tmp_path))
    source = create_source(str(tmp_path / "compartido"), org, kind="folder")
    result = run(source)
    assert (result["created"], result["errors"]) == (2, 0), result
    assert any("enlace.csv" in m for m in result["gather_errors"])
    assert run(source)["unchanged"] == 2


def test_hostile_links_never_leave_the_source(start_server, org):
    server = start_server(HostileListing())
    result = run(create_source(server.url + "/publico/", org))
    assert result["created"] == 0
    assert [path for method, path in server.log if "passwd" in path or "secreto" in path] == []
    assert any("Nombres de archivo rechazados" in m and "secreto.csv" in m for m in result["gather_errors"])


def test_a_slow_source_times_out_and_deletes_nothing(start_server, tmp_path, org):
    publish(tmp_path, SMALL_TREE)
    server = start_server(FileTreeServer(tmp_path))
    source = create_source(server.url + "/", org, timeout=1, removed="delete")
    run(source)
    server.set_fault("slow", seconds=3)
    result = run(source)
    assert any("sin respuesta en 1.0 s" in m for m in result["gather_errors"])
    assert (result["deleted"], len(datasets(org))) == (0, 2)


def test_a_file_over_the_size_limit_is_reported(start_server, tmp_path, org):
    publish(tmp_path, SMALL_TREE)
    server = start_server(FileTreeServer(tmp_path))
    result = run(create_source(server.url + "/", org, max_file_size=1000))
    assert any("supera el límite de 0.0 MB" in m for m in result["object_errors"])


def test_the_command_runs_a_source_and_prints_a_summary(cli, start_server, tmp_path, org, ckan_config):
    publish(tmp_path / "tree", SMALL_TREE)
    server = start_server(FileTreeServer(tmp_path / "tree"))
    source = create_source(server.url + "/", org)
    cli.env["CKAN_INI"] = harvest_ini(tmp_path, ckan_config)
    first = cli.invoke(ckan, ["quito", "harvest", "run", source["name"], "--quiet"])
    assert first.exit_code == 0, first.output
    assert first.output.startswith("created 2, updated 0, unchanged 0, deleted 0, errors 0")
    second = cli.invoke(ckan, ["quito", "harvest", "run", source["name"], "--quiet"])
    assert second.output.startswith("created 0, updated 0, unchanged 2, deleted 0, errors 0")
    missing = cli.invoke(ckan, ["quito", "harvest", "run", "no-such-source"])
    assert missing.exit_code != 0
