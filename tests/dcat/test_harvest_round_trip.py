"""Harvest round trip: a second portal harvests this one through ckanext-dcat's
RDF harvester (``dcat_rdf``) and ends with the same datasets.

The source is a real CKAN on loopback (``harvest_source_server.py``, its own
database and configuration, ``harvest-source.ini``: the test configuration
with catalogue pages of 10 datasets) loaded with the organigram and the demo
content. A loopback proxy stands in front of it, so that chosen requests can
fail. The target is this test process (its own database), with
``harvest dcat_rdf_harvester quito_dcat_harvest`` added and the organigram
loaded; each harvest runs the gather, fetch and import stages synchronously.

The tests share one source and one target (set up by the first test that
needs them); each leaves both in step, so any of them can run alone.
"""
import os
from types import SimpleNamespace

import pytest
import sqlalchemy
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

import ckan.model as model
import ckan.plugins.toolkit as tk
from ckanext.activity.model import Activity

from ckanext.quito_gobiernoabierto import package_path
from ckanext.quito_gobiernoabierto.dcat import harvest
from ckanext.quito_gobiernoabierto.logic.demo import site_context
from ckanext.quito_gobiernoabierto.organigram import loader, source as organigram

from .harvest_support import FailingProxy, SourcePortal, copy_differences, run_harvest
from .helpers import PROFILES_SETTING, differences, registered_types

TARGET_PLUGINS = ("activity quito_search quito_datasets scheming_organizations dcat structured_data "
                  "quito_gobiernoabierto harvest dcat_rdf_harvester quito_dcat_harvest")
pytestmark = [pytest.mark.usefixtures("with_plugins"),
              pytest.mark.ckan_config("ckan.plugins", TARGET_PLUGINS),
              pytest.mark.ckan_config("ckanext.dcat.rdf.profiles", PROFILES_SETTING),
              pytest.mark.ckan_config("ckan.harvest.mq.type", "redis")]

#: The source's database: same server and role as the tests', its own name.
SOURCE_DB = os.environ.get("QUITO_HARVEST_SOURCE_DB", "ckan_quito_harvest_src")
HARVEST_SOURCE_ORG = "secretaria-general-de-planificacion"


@pytest.fixture(scope="module")
def source(tmp_path_factory):
    """(source portal, proxy in front of it); the portal starts loading at once."""
    folder = tmp_path_factory.mktemp("harvest-source")
    database = make_url(tk.config["sqlalchemy.url"]).set(database=SOURCE_DB)
    try:
        sqlalchemy.create_engine(database, poolclass=NullPool).connect().close()
    except sqlalchemy.exc.OperationalError as error:
        pytest.fail(f"the source portal's database is not there (scripts/setup.sh creates it): {error}")
    proxy = FailingProxy().start()
    portal = SourcePortal(database.render_as_string(hide_password=False),
                          os.environ.get("QUITO_HARVEST_SOURCE_REDIS", "redis://127.0.0.1:6379/2"),
                          proxy.url, str(folder / "storage"), str(folder / "server.log")).start()
    yield portal, proxy
    portal.stop()
    proxy.stop()


@pytest.fixture(scope="module")
def shared():
    return {}


@pytest.fixture
def world(request, with_plugins, source, shared):
    """The target harvested once from the source (first use in the module)."""
    portal, proxy = source
    if not shared:
        request.getfixturevalue("clean_db")
        request.getfixturevalue("clean_index")
        rows = organigram.read(package_path("data", "organigrama-dmq.yaml"))
        assert loader.load(rows, site_context()).problems == []
        proxy.upstream_port = portal.ready()["port"]
        harvest_source = tk.get_action("harvest_source_create")(site_context(), {
            "name": "portal-quito", "title": "Portal de Gobierno Abierto (fuente)", "source_type": "dcat_rdf",
            "url": proxy.url + "/catalog.ttl", "owner_org": HARVEST_SOURCE_ORG})
        shared.update(source_id=harvest_source["id"], first=run_harvest(harvest_source["id"]))
    proxy.failing.clear()
    return SimpleNamespace(portal=portal, proxy=proxy, **shared)


def source_names(portal) -> list[str]:
    """The names of the source's active datasets."""
    found = portal.action("package_search", q="*:*", rows=1000, fl="name", fq="-dataset_type:harvest")
    return sorted(d["name"] for d in found["results"])


def source_datasets(portal) -> dict:
    """Name -> package_show of every active dataset of the source."""
    return {name: portal.action("package_show", id=name) for name in source_names(portal)}


def target_datasets() -> dict:
    """Name -> package_show of every active dataset here (harvest sources aside)."""
    names = [name for (name,) in model.Session.query(model.Package.name)
             .filter(model.Package.state == "active", model.Package.type != "harvest")]
    return {name: tk.get_action("package_show")({"ignore_auth": True}, {"id": name}) for name in names}


def snapshot() -> dict:
    """What a harvest that changes nothing leaves as it was."""
    packages = model.Session.query(model.Package.name, model.Package.state, model.Package.metadata_modified)
    return {"packages": sorted(packages.all()), "activities": model.Session.query(Activity).count(),
            "resources": model.Session.query(model.Resource).count()}


def guid(dataset: dict) -> str:
    return {e["key"]: e["value"] for e in dataset.get("extras") or []}["guid"]


def test_first_harvest_recreates_every_dataset(world):
    assert world.first["gather_errors"] == []
    assert [o for o in world.first["objects"] if o["state"] != "COMPLETE" or o["errors"]] == []
    origin, copies = source_datasets(world.portal), target_datasets()
    assert sorted(copies) == sorted(origin)
    assert {d["type"] for d in copies.values()} == {d["type"] for d in origin.values()}
    assert set(registered_types()) - {"dataset"} <= {d["type"] for d in origin.values()}  # every Quito type
    failures = {}
    for name, original in origin.items():
        copy = copies[name]
        diffs = differences(original, copy, tk.h.scheming_get_dataset_schema(original["type"]))
        diffs.update(copy_differences(original, copy))
        # A copy whose type has a ``uri`` field keeps there the URIs it was harvested from.
        uri = f"{world.proxy.url}/dataset/{original['id']}"
        assert diffs.pop("uri", (None, uri)) == (None, uri)
        for position, resource in enumerate(original["resources"]):
            resource_uri = f"{uri}/resource/{resource['id']}"
            assert diffs.pop(f"resources[{position}].uri", (None, resource_uri)) == (None, resource_uri)
        if diffs:
            failures[name] = diffs
        assert guid(copy) == uri
    assert failures == {}


def test_second_run_changes_nothing(world):
    before = snapshot()
    run = run_harvest(world.source_id)
    assert run["status"] == "Finished" and run["gather_errors"] == []
    assert {(o["state"], o["report_status"]) for o in run["objects"]} == {("COMPLETE", "not modified")}
    assert len(run["objects"]) == len(target_datasets())
    assert snapshot() == before


def test_dataset_deleted_at_source_is_removed(world):
    name = world.portal.ready()["datasets"][0]
    world.portal.action("package_delete", id=name)
    run = run_harvest(world.source_id)
    assert run["gather_errors"] == []
    deleted = [o for o in run["objects"] if o["report_status"] == "deleted"]
    assert len(deleted) == 1
    assert tk.get_action("package_show")({"ignore_auth": True}, {"id": name})["state"] == "deleted"
    assert name not in target_datasets()
    assert {o["report_status"] for o in run["objects"] if o not in deleted} == {"not modified"}
    assert sorted(target_datasets()) == source_names(world.portal)


def test_changes_reach_the_target_and_local_edits_are_undone(world):
    changed, edited = world.portal.ready()["datasets"][1:3]
    notes = "Descripción revisada en la fuente."
    world.portal.action("package_patch", id=changed, notes=notes)
    original = tk.get_action("package_show")({"ignore_auth": True}, {"id": edited})["notes"]
    tk.get_action("package_patch")(site_context(), {"id": edited, "notes": "Editado en el destino."})
    run = run_harvest(world.source_id)
    statuses = {o["package_id"]: o["report_status"] for o in run["objects"]}
    copies = target_datasets()
    assert copies[changed]["notes"] == notes
    assert copies[edited]["notes"] == original
    assert {statuses.pop(copies[changed]["id"]), statuses.pop(copies[edited]["id"])} == {"updated"}
    assert set(statuses.values()) == {"not modified"}


def test_failing_source_deletes_nothing(world):
    name = world.portal.ready()["datasets"][-1]
    world.portal.action("package_delete", id=name)
    before = snapshot()
    world.proxy.failing.add("page=2")
    world.proxy.seen.clear()
    run = run_harvest(world.source_id)
    assert [s for _, path, s in world.proxy.seen if "page=" not in path] == [200, 200]  # HEAD, GET page 1
    assert {s for _, path, s in world.proxy.seen if "page=2" in path} == {500}
    assert run["status"] == "Finished"
    assert len(run["gather_errors"]) == 1 and "500" in run["gather_errors"][0]
    assert run["objects"] == []  # page 1's datasets were gathered, then dropped
    assert snapshot() == before
    assert name in target_datasets()
    # Once the source answers again, the next run catches up.
    world.proxy.failing.clear()
    run = run_harvest(world.source_id)
    assert run["gather_errors"] == [] and name not in target_datasets()


def test_dataset_lands_in_its_dependency_or_the_source_organization(world):
    stand_in = SimpleNamespace(harvest_source_id=world.source_id)
    own = model.Group.get(HARVEST_SOURCE_ORG).id
    known = {"owner_org": "emaseo"}
    harvest.place(stand_in, known)
    assert known["owner_org"] == model.Group.get("emaseo").id
    unknown = {"owner_org": "dependencia-que-no-existe-aqui"}
    harvest.place(stand_in, unknown)
    assert unknown["owner_org"] == own
