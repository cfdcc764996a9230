"""API tokens, CSRF and what only sysadmins (or a source's own dependency)
may do (issue 9, "Holding up"); and a dataset leaving public view taking its
history with it. Harvest sources: ``test_access_harvest.py``."""
import datetime
import re

import pytest
from freezegun import freeze_time

import ckan.plugins.toolkit as tk
from ckan.tests import factories

from tests.conftest import ROOT

from . import access_world
from .access_world import ORG

fresh_world = access_world.fresh_world  # the world's fixture, for this module

PASSWORD = "Quito-prueba-2026"
SMALL_ORGANIGRAM = f"{ROOT}/tests/organigram/fixtures/small.yaml"


def token_header(token):
    return {"Authorization": token} if token else {}


def activity_names(app, token, action, **params):
    res = app.get(f"/api/3/action/{action}", query_string=params, headers=token_header(token))
    assert res.status_code == 200, res.body
    return {a["data"]["package"]["name"] for a in res.json["result"] if "package" in (a.get("data") or {})}


# -- a dataset withdrawn from public view (regression: logic/activity_labels.py) -------------------------
@pytest.mark.usefixtures("with_plugins")
def test_making_a_dataset_private_hides_its_history(app, fresh_world):
    world, name = fresh_world, fresh_world["datasets"]["public"]["name"]
    assert name in activity_names(app, None, "recently_changed_packages_activity_list")
    tk.get_action("package_patch")({"user": world["people"]["editor"]["name"]}, {"id": name, "private": True})
    assert name not in activity_names(app, None, "recently_changed_packages_activity_list")
    assert name not in activity_names(app, world["tokens"]["stranger"], "organization_activity_list", id=ORG)
    assert name in activity_names(app, world["tokens"]["member"], "recently_changed_packages_activity_list")


# -- API tokens --------------------------------------------------------------------------------------------
@pytest.fixture
def site(clean_db, clean_index):
    """A dependency with a private dataset, a member who may read it and an editor."""
    member = factories.User(name="miembro", password=PASSWORD)
    editor = factories.User(name="editora", password=PASSWORD)
    org = factories.Organization(name=ORG, kind="secretaria", users=[
        {"name": "miembro", "capacity": "member"}, {"name": "editora", "capacity": "editor"}])
    private = factories.Dataset(name="datos-obsidiana", title="Registro Obsidiana", owner_org=org["id"], private=True)
    return {"org": org, "member": member, "editor": editor, "private": private}


def reads_private(app, site, token) -> bool:
    res = app.get("/api/3/action/package_show", query_string={"id": site["private"]["id"]},
                  headers=token_header(token))
    assert res.status_code in (200, 403), res.status_code
    return res.status_code == 200


@pytest.mark.usefixtures("with_plugins")
def test_a_revoked_token_no_longer_works(app, site):
    token = factories.APIToken(user="miembro")["token"]
    assert reads_private(app, site, token)
    res = app.post("/api/3/action/api_token_revoke", json={"token": token}, headers=token_header(token))
    assert res.status_code == 200, res.body
    assert not reads_private(app, site, token)
    found = app.get("/api/3/action/package_search", query_string={"q": "obsidiana", "include_private": "true"},
                    headers=token_header(token)).json["result"]
    assert found["count"] == 0
    assert not reads_private(app, site, "not-a-token")


@pytest.mark.usefixtures("with_plugins")
@pytest.mark.ckan_config("ckan.plugins", "activity quito_search quito_datasets scheming_organizations dcat "
                                         "structured_data quito_gobiernoabierto expire_api_token")
def test_an_expired_token_no_longer_works(app, site):
    """Tokens expire with CKAN's ``expire_api_token`` plugin (not loaded by default: see the report)."""
    created = tk.get_action("api_token_create")({"user": "miembro"},
                                                {"user": "miembro", "name": "una-hora", "expires_in": 1, "unit": 3600})
    assert reads_private(app, site, created["token"])
    later = datetime.datetime.utcnow() + datetime.timedelta(hours=2)
    with freeze_time(later):
        assert not reads_private(app, site, created["token"])


@pytest.mark.usefixtures("with_plugins")
def test_collaborators_of_a_dataset_refuse_anonymous_callers(app, site):
    """Regression: CKAN's check asserts a user and answered anonymous API callers with a 500."""
    res = app.get("/api/3/action/package_collaborator_list", query_string={"id": site["private"]["id"]})
    assert res.status_code == 403 and "Inicie sesión para hacer esto." in res.json["error"]["message"]
    token = factories.APIToken(user="miembro")["token"]
    res = app.get("/api/3/action/package_collaborator_list", query_string={"id": site["private"]["id"]},
                  headers=token_header(token))
    assert res.status_code == 403


# -- CSRF ----------------------------------------------------------------------------------------------------
def csrf_token(client, path: str) -> str:
    found = re.search(r'name="_csrf_token" value="([^"]+)"', client.get(path).get_data(as_text=True))
    assert found, f"no CSRF field on {path}"
    return found.group(1)


@pytest.fixture
def session(app, site):
    """A browser logged in through the login form (a session cookie, no API token)."""
    client = app.test_client()
    res = client.post("/user/login", data={"login": "editora", "password": PASSWORD,
                                           "_csrf_token": csrf_token(client, "/user/login")}, follow_redirects=False)
    assert res.status_code == 302 and "/user/login" not in res.headers["Location"]
    return client


def new_dataset(site, name):
    return {"name": name, "title": "Nuevo", "notes": "Datos nuevos.", "owner_org": site["org"]["id"]}


@pytest.mark.xfail(strict=True, reason=(
    "CKAN 2.11 core: flask_app.load_user_from_request sets g.login_via_auth_header for every request "
    "without a session user, before looking for a token, so every anonymous request (the login form "
    "included) is exempt from CSRF; requests of a logged-in session are checked (tests below)"))
@pytest.mark.usefixtures("with_plugins")
def test_login_form_needs_the_csrf_token(app, site):
    res = app.test_client().post("/user/login", data={"login": "editora", "password": PASSWORD},
                                 follow_redirects=False)
    assert res.status_code == 400 and "CSRF" in res.get_data(as_text=True)


@pytest.mark.usefixtures("with_plugins")
def test_an_api_post_with_a_session_cookie_needs_the_csrf_token(session, site):
    refused = session.post("/api/3/action/package_create", json=new_dataset(site, "sin-token"))
    assert refused.status_code == 400 and "CSRF" in refused.get_data(as_text=True)
    token = csrf_token(session, "/dataset/new")
    accepted = session.post("/api/3/action/package_create", json=new_dataset(site, "con-token"),
                            headers={"X-CSRFToken": token})
    assert accepted.status_code == 200, accepted.get_data(as_text=True)[:300]
    assert tk.get_action("package_show")({"ignore_auth": True}, {"id": "con-token"})["name"] == "con-token"
    with pytest.raises(tk.ObjectNotFound):
        tk.get_action("package_show")({"ignore_auth": True}, {"id": "sin-token"})


@pytest.mark.usefixtures("with_plugins")
def test_a_web_form_post_needs_the_csrf_token(session, site):
    def tokens():
        return [t["name"] for t in tk.get_action("api_token_list")({"ignore_auth": True}, {"user_id": "editora"})]

    refused = session.post("/user/editora/api-tokens", data={"name": "sin-csrf"})
    assert refused.status_code == 400 and tokens() == []
    refused = session.post("/dataset/new", data={**new_dataset(site, "formulario"), "save": "continue"})
    assert refused.status_code == 400
    token = csrf_token(session, "/user/editora/api-tokens")
    accepted = session.post("/user/editora/api-tokens", data={"name": "con-csrf", "_csrf_token": token})
    assert accepted.status_code == 200 and tokens() == ["con-csrf"]


# -- the organigram: sysadmins only ------------------------------------------------------------------------------
@pytest.mark.usefixtures("with_plugins", "clean_db")
@pytest.mark.parametrize("role", ["anonymous", "stranger", "member", "admin", "sysadmin"])
def test_organigram_load_is_for_sysadmins_only(app, role):
    users = {"stranger": factories.User(), "member": factories.User(), "admin": factories.User(),
             "sysadmin": factories.Sysadmin()}
    factories.Organization(name=ORG, kind="secretaria", users=[
        {"name": users["member"]["name"], "capacity": "member"}, {"name": users["admin"]["name"], "capacity": "admin"}])
    token = factories.APIToken(user=users[role]["name"])["token"] if role != "anonymous" else None
    with open(SMALL_ORGANIGRAM, encoding="utf-8") as f:
        res = app.post("/api/3/action/quito_organigram_load", json={"content": f.read()}, headers=token_header(token))
    if role == "sysadmin":
        assert res.status_code == 200 and len(res.json["result"]["created"]) == 5
    else:
        assert res.status_code == 403
        assert "Solo los administradores del sistema pueden cargar el organigrama." in res.json["error"]["message"]
        assert tk.get_action("organization_list")({"ignore_auth": True}, {}) == [ORG]
