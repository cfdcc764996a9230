"""Harvest jobs after a fault (issue 9): a run killed half-way, and the
harvest queue (Redis) unavailable. Found by ``make reliability``; each test is
the regression test of one of its findings."""
import pytest

import ckan.model as model
import ckan.plugins.toolkit as tk
from ckan.tests import factories

from ckanext.quito_gobiernoabierto.logic import harvest_run

from .files_support import PLUGINS, create_source, datasets, harvest_ini, publish, run
from .fixture_servers import FileTreeServer

pytestmark = [pytest.mark.ckan_config("ckan.plugins", PLUGINS),
              pytest.mark.usefixtures("with_plugins", "clean_db", "with_request_context")]

#: A port nothing listens on (discard): connections are refused at once.
NO_REDIS = "redis://127.0.0.1:9/0"


class Killed(BaseException):
    """Stands for SIGKILL: nothing after it runs, nothing catches it."""


@pytest.fixture
def server(start_server, tmp_path):
    root = tmp_path / "sgp"
    publish(root)
    return start_server(FileTreeServer(root))


@pytest.fixture
def org():
    return factories.Organization(name="sgp", title="Secretaría General de Planificación", kind="secretaria")


@pytest.fixture
def killed_run(monkeypatch, server, org):
    """A source whose first run was killed after creating one dataset."""
    from ckanext.quito_gobiernoabierto.harvesters.files import importer

    source = create_source(server.url + "/", org)
    real = importer.make_current

    def die(obj, package_id):
        monkeypatch.setattr(importer, "make_current", real)
        raise Killed()

    monkeypatch.setattr(importer, "make_current", die)
    with pytest.raises(Killed):
        run(source)
    model.Session.rollback()
    model.Session.remove()
    return source


def test_killed_run_leaves_an_unlinked_dataset_and_a_running_job(killed_run, org):
    assert len(datasets(org)) == 1
    job = tk.get_action("harvest_job_list")({"ignore_auth": True}, {"source_id": killed_run["id"]})[0]
    assert job["status"] == "Running"


def test_a_source_blocked_by_a_killed_run_is_reported_with_the_job(killed_run):
    with pytest.raises(harvest_run.Blocked) as blocked:
        run(killed_run)
    assert blocked.value.job["status"] == "Running"
    assert blocked.value.job["objects"] >= 1


def test_rerun_after_a_kill_completes_without_duplicates(killed_run, org):
    result = harvest_run.run(killed_run["id"], abort_unfinished=True)
    assert (result["created"], result["errors"]) == (5, 0), result["object_errors"]
    found = datasets(org)
    assert len(found) == 5
    assert all(d["resources"] for d in found.values())
    names = [p.name for p in model.Session.query(model.Package).filter(model.Package.state == "active")]
    assert len(names) == len(set(names))
    jobs = tk.get_action("harvest_job_list")({"ignore_auth": True}, {"source_id": killed_run["id"]})
    assert {j["status"] for j in jobs} == {"Finished"}
    again = run(killed_run)
    assert (again["created"], again["updated"], again["unchanged"]) == (0, 0, 5)


def test_a_stewards_dataset_with_the_same_name_is_never_taken_over(server, org):
    steward = factories.User()
    tk.get_action("organization_member_create")(
        {"ignore_auth": True}, {"id": org["id"], "username": steward["name"], "role": "editor"})
    mine = tk.get_action("package_create")({"user": steward["name"]}, {
        "name": "lotaip-sgp-c-2016", "title": "Mi conjunto", "owner_org": org["id"], "notes": "del editor"})
    result = run(create_source(server.url + "/", org))
    assert (result["created"], result["errors"]) == (4, 1)
    kept = tk.get_action("package_show")({"ignore_auth": True}, {"id": mine["id"]})
    assert (kept["title"], kept["notes"], kept["resources"]) == ("Mi conjunto", "del editor", [])


def test_cli_names_the_blocking_job_and_the_way_out(killed_run, cli, ckan_config, tmp_path):
    from ckan.cli.cli import ckan

    cli.env["CKAN_INI"] = harvest_ini(tmp_path, ckan_config)
    result = cli.invoke(ckan, ["quito", "harvest", "run", killed_run["name"], "-q"])
    assert result.exit_code == 1
    assert "unfinished job" in result.output and "--abort-unfinished" in result.output
    result = cli.invoke(ckan, ["quito", "harvest", "run", killed_run["name"], "-q", "--abort-unfinished"])
    assert result.exit_code == 0, result.output
    assert "created 5" in result.output


def test_cli_run_with_the_queue_down_imports_and_closes_its_job(server, org, ckan_config, monkeypatch):
    monkeypatch.setitem(ckan_config, "ckan.redis.url", NO_REDIS)
    source = create_source(server.url + "/", org)
    result = run(source)
    assert (result["created"], result["errors"]) == (5, 0), result["object_errors"]
    job = tk.get_action("harvest_job_list")({"ignore_auth": True}, {"source_id": source["id"]})[0]
    assert job["status"] == "Finished"
