"""Private datasets, drafts and deleted datasets never leak through the action
API (issue 9, "Holding up"): search and its facets, the lists, ``*_show`` by
id, autocomplete, tags, dependencies and their counts, ``group_tree`` and the
activity streams. Each view is checked for an anonymous visitor, a logged-in
stranger, a member of the dependency and a sysadmin: the last two do see
what the first two do not (see ``access_world.py`` for the world)."""
import json
from collections import Counter

import pytest

import ckan.plugins.toolkit as tk

from . import access_world
from .access_world import (INSIDERS, ORG, VIEWERS, VISIBLE, WORDS, headers, keys_mentioned, keys_named,
                           readable, searchable)

# the world's fixtures, for this module
module_app = access_world.module_app
shared_app = access_world.shared_app
world = access_world.world

pytestmark = pytest.mark.usefixtures("with_plugins")

ALL_FLAGS = {"include_private": "true", "include_drafts": "true", "include_deleted": "true"}
FACETS = ["tags", "organization", "res_format", "dataset_type", "res_name", "res_extras_month"]


@pytest.fixture
def app(shared_app):
    return shared_app


def api(app, world, role, action, **params):
    return app.get(f"/api/3/action/{action}", query_string=params, headers=headers(world, role))


def result(app, world, role, action, **params):
    res = api(app, world, role, action, **params)
    assert res.status_code == 200, (action, res.status_code, res.body[:300])
    return res.json["result"]


def names(datasets) -> list:
    return [d["name"] for d in datasets]


# -- search ------------------------------------------------------------------------------------
@pytest.mark.parametrize("role", VIEWERS)
def test_search_by_each_distinctive_word(app, world, role):
    found = set()
    for key, (word, _, _) in WORDS.items():
        hits = keys_named(names(result(app, world, role, "package_search", q=word, **ALL_FLAGS)["results"]))
        assert hits <= {key}, (word, hits)
        found |= hits
    assert found == searchable(role, drafts=True)


@pytest.mark.parametrize("role", VIEWERS)
def test_search_include_flags(app, world, role):
    def found(**flags):
        return keys_named(names(result(app, world, role, "package_search", rows=50, **flags)["results"]))

    assert found() == set(VISIBLE)
    assert found(include_private="true") == searchable(role)
    assert found(include_private="true", include_deleted="true") == searchable(role)
    assert found(**ALL_FLAGS) == searchable(role, drafts=True)
    # asking for other states by hand still goes through the permission labels
    drafts = searchable(role, drafts=True) - searchable(role)
    assert found(fq="+state:(draft OR deleted)", include_private="true") == drafts


def expected_facets(keys: set) -> dict:
    """Facet counts over these datasets: one per dataset, however many files of a format (or a
    name) it has; none for a field no dataset has (regressions: search/hot.py, search/facets.py)."""
    return {"tags": {WORDS[k][1]: 1 for k in keys}, "organization": {ORG: len(keys)},
            "res_format": dict(Counter(WORDS[k][2] for k in keys)),
            "dataset_type": dict(Counter("lotaip" if k.startswith("lotaip") else "dataset" for k in keys)),
            "res_name": {WORDS[k][0]: 1 for k in keys}, "res_extras_month": {}}


@pytest.mark.parametrize("role", VIEWERS)
def test_facet_counts_leave_hidden_datasets_out(app, world, role):
    res = result(app, world, role, "package_search", rows=0, **{"facet.field": json.dumps(FACETS)}, **ALL_FLAGS)
    assert res["facets"] == expected_facets(searchable(role, drafts=True))
    narrow = result(app, world, role, "package_search", rows=0, include_private="true",
                    **{"facet.field": json.dumps(FACETS)})
    assert narrow["facets"] == expected_facets(searchable(role))


# -- lists and shows -------------------------------------------------------------------------------
@pytest.mark.parametrize("role", VIEWERS)
def test_package_lists(app, world, role):
    assert keys_named(result(app, world, role, "package_list")) == set(VISIBLE)
    current = result(app, world, role, "current_package_list_with_resources", limit=50)
    private = {"private", "lotaip_private"} if role == "sysadmin" else set()  # CKAN: sysadmins' include private
    assert keys_named(names(current)) == set(VISIBLE) | private


@pytest.mark.parametrize("role", VIEWERS)
def test_package_and_resource_show_by_id(app, world, role):
    for key, dataset in world["datasets"].items():
        shown = api(app, world, role, "package_show", id=dataset["id"])
        resource = api(app, world, role, "resource_show", id=dataset["resources"][0]["id"])
        if key in readable(role):
            assert (shown.status_code, resource.status_code) == (200, 200), key
            assert shown.json["result"]["name"] == dataset["name"]
        else:
            assert shown.status_code in (403, 404) and resource.status_code in (403, 404), key
            assert not keys_mentioned(shown.body + resource.body), key


@pytest.mark.parametrize("role", VIEWERS)
def test_dataset_autocomplete(app, world, role):
    found = set()
    for prefix in ("datos", "lotaip"):
        found |= keys_named(names(result(app, world, role, "package_autocomplete", q=prefix, limit=20)))
        old = app.get("/api/2/util/dataset/autocomplete", query_string={"incomplete": prefix, "limit": 20},
                      headers=headers(world, role))
        assert keys_named(names(old.json["ResultSet"]["Result"])) == keys_named(
            names(result(app, world, role, "package_autocomplete", q=prefix, limit=20)))
    assert found == searchable(role)


# -- tags (regression: CKAN lists the tags of every dataset; logic/tags.py) ---------------------------
@pytest.mark.parametrize("role", VIEWERS)
def test_tags_of_hidden_datasets_are_not_listed(app, world, role):
    expected = {WORDS[k][1] for k in searchable(role, drafts=True)}
    assert set(result(app, world, role, "tag_list")) == expected
    assert {t["name"] for t in result(app, world, role, "tag_list", all_fields="true")} == expected
    assert set(result(app, world, role, "tag_autocomplete", q="etiqueta")) == expected
    found = result(app, world, role, "tag_search", q="etiqueta")
    assert ({t["name"] for t in found["results"]}, found["count"]) == (expected, len(expected))
    page = result(app, world, role, "tag_search", q="etiqueta", limit=1, offset=1)
    assert (len(page["results"]), page["count"]) == (1, len(expected))
    old = app.get("/api/2/util/tag/autocomplete", query_string={"incomplete": "etiqueta"},
                  headers=headers(world, role))
    assert {t["Name"] for t in old.json["ResultSet"]["Result"]} == expected


@pytest.mark.parametrize("role", ["anonymous", "member"])
def test_tag_show_lists_only_visible_datasets(app, world, role):
    shown = result(app, world, role, "tag_show", id=WORDS["private"][1], include_datasets="true")
    assert shown["packages"] == []  # CKAN's tag_show lists public datasets only, whoever asks
    public = result(app, world, role, "tag_show", id=WORDS["public"][1], include_datasets="true")
    assert names(public["packages"]) == ["datos-zafiro"]


# -- dependencies ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("role", VIEWERS)
def test_dependency_counts_and_datasets(app, world, role):
    shown = result(app, world, role, "organization_show", id=ORG, include_datasets="true")
    assert keys_named(names(shown["packages"])) == searchable(role)
    assert shown["package_count"] == len(searchable(role))
    listed = result(app, world, role, "organization_list", all_fields="true")
    assert {o["name"]: o["package_count"] for o in listed} == {ORG: len(searchable(role))}


@pytest.mark.parametrize("role", VIEWERS)
def test_dependency_members_are_only_readable_datasets(app, world, role):
    """Regression: CKAN lists every dataset of a dependency, private ones included (logic/visibility.py)."""
    members = result(app, world, role, "member_list", id=ORG, object_type="package")
    by_id = {d["id"]: k for k, d in world["datasets"].items()}
    assert {by_id[m[0]] for m in members} == searchable(role)


@pytest.mark.parametrize("role", ["anonymous", "stranger"])
def test_group_tree_shows_dependencies_not_datasets(app, world, role):
    tree = result(app, world, role, "group_tree", type="organization")
    assert [node["name"] for node in tree] == [ORG]
    assert not keys_mentioned(json.dumps(tree))


# -- activity streams (regression for the deleted dataset: logic/activity_labels.py) ----------------------
def activity_keys(activities) -> set:
    return keys_named(a["data"]["package"]["name"] for a in activities if "package" in (a.get("data") or {}))


def all_activity_ids(world: dict, dataset_id: str) -> list:
    sysadmin = {"user": world["people"]["sysadmin"]["name"]}
    acts = tk.get_action("package_activity_list")(sysadmin, {"id": dataset_id, "limit": 100})
    return [a["id"] for a in acts]


@pytest.mark.parametrize("role", VIEWERS)
def test_package_activity_and_activity_show(app, world, role):
    for key, dataset in world["datasets"].items():
        listed = api(app, world, role, "package_activity_list", id=dataset["id"])
        shown = [app.post("/api/3/action/activity_show", json={"id": i, "include_data": False},
                          headers=headers(world, role)) for i in all_activity_ids(world, dataset["id"])]
        assert shown, key
        if key in readable(role):
            assert listed.status_code == 200 and listed.json["result"], key
            assert all(s.status_code == 200 for s in shown), (key, [s.body[:200] for s in shown])
        else:
            assert listed.status_code == 403, key
            assert all(s.status_code == 403 for s in shown), key
            assert not keys_mentioned(listed.body + "".join(s.body for s in shown)), key


def hidden_in_streams(role: str) -> set:
    """Besides the public datasets, what a role sees of the dependency in its
    streams: its members its drafts and its deleted dataset (CKAN leaves
    private datasets out of a dependency's stream altogether)."""
    return {"draft", "lotaip_draft", "deleted"} if role in INSIDERS else set()


@pytest.mark.parametrize("role", VIEWERS)
def test_dependency_and_recent_streams(app, world, role):
    stream = result(app, world, role, "organization_activity_list", id=ORG, limit=100)
    assert activity_keys(stream) == set(VISIBLE) | hidden_in_streams(role)
    recent = activity_keys(result(app, world, role, "recently_changed_packages_activity_list", limit=100))
    if role in INSIDERS:
        assert recent >= set(VISIBLE) | {"private", "draft", "deleted"}
    else:
        assert recent == set(VISIBLE)


@pytest.mark.parametrize("role", ["stranger", "member"])
def test_dashboard_of_a_follower(app, world, role):
    for action, target in (("follow_group", ORG), ("follow_dataset", world["datasets"]["public"]["id"])):
        res = app.post(f"/api/3/action/{action}", json={"id": target}, headers=headers(world, role))
        assert res.status_code == 200, res.body
    stream = result(app, world, role, "dashboard_activity_list", limit=100)
    assert activity_keys(stream) == set(VISIBLE) | ({"deleted"} if role in INSIDERS else set())
