"""Stewards publish only in their own dependency; a parent's steward does not
reach a child's datasets; sysadmins reach all. Tested through the web API."""
import pytest

from ckan.tests import factories

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db")

ROLES = ["anonymous", "member_a", "editor_a", "admin_a", "admin_parent", "editor_b", "sysadmin"]
ALLOWED = {  # role -> (create in A, update A's dataset, delete A's dataset, read A's private dataset)
    "anonymous": (False, False, False, False),
    "member_a": (False, False, False, True),
    "editor_a": (True, True, True, True),
    "admin_a": (True, True, True, True),
    "admin_parent": (False, False, False, False),
    "editor_b": (False, False, False, False),
    "sysadmin": (True, True, True, True),
}


@pytest.fixture
def world():
    users = {r: factories.User() for r in ROLES if r not in ("anonymous", "sysadmin")}
    users["sysadmin"] = factories.Sysadmin()
    parent = factories.Organization(name="secretaria-de-movilidad", kind="secretaria",
                                    users=[{"name": users["admin_parent"]["name"], "capacity": "admin"}])
    org_a = factories.Organization(
        name="empresa-de-pasajeros", kind="empresa_publica_metropolitana", parent=parent["name"],
        users=[{"name": users["member_a"]["name"], "capacity": "member"},
               {"name": users["editor_a"]["name"], "capacity": "editor"},
               {"name": users["admin_a"]["name"], "capacity": "admin"}])
    factories.Organization(name="agencia-de-transito", kind="agencia", parent=parent["name"],
                           users=[{"name": users["editor_b"]["name"], "capacity": "editor"}])
    tokens = {r: factories.APIToken(user=u["name"])["token"] for r, u in users.items()}
    return {"org_a": org_a, "tokens": tokens}


def call(app, world, role, action, data):
    headers = {"Authorization": world["tokens"][role]} if role != "anonymous" else {}
    return app.post(f"/api/3/action/{action}", json=data, headers=headers)


@pytest.mark.parametrize("role", ROLES)
def test_authorization_matrix(app, world, role):
    org_a = world["org_a"]["id"]
    private = factories.Dataset(owner_org=org_a, private=True)
    created = call(app, world, role, "package_create",
                   {"name": f"creado-{role.replace('_', '-')}", "title": "Creado", "notes": "Descripción.",
                    "owner_org": org_a})
    updated = call(app, world, role, "package_patch", {"id": private["id"], "title": "Nuevo título"})
    read = call(app, world, role, "package_show", {"id": private["id"]})
    victim = factories.Dataset(owner_org=org_a)
    deleted = call(app, world, role, "package_delete", {"id": victim["id"]})
    got = tuple(r.status_code == 200 for r in (created, updated, deleted, read))
    assert got == ALLOWED[role], dict(zip(("create", "update", "delete", "read"), got))
    for res, ok in zip((created, updated, deleted, read), got):
        assert ok or res.status_code == 403


def test_stewards_cannot_publish_in_another_dependency(app, world):
    res = call(app, world, "editor_b", "package_create", {"name": "intruso", "owner_org": world["org_a"]["id"]})
    assert res.status_code == 403


def test_private_datasets_of_a_child_stay_out_of_the_parents_search(app, world):
    factories.Dataset(owner_org=world["org_a"]["id"], private=True, title="Tarifas internas")
    res = call(app, world, "admin_parent", "package_search", {"q": "tarifas", "include_private": True})
    assert res.json["result"]["count"] == 0
    res = call(app, world, "editor_a", "package_search", {"q": "tarifas", "include_private": True})
    assert res.json["result"]["count"] == 1
