"""Harvest sources on the portal (issue 9, "Holding up"): a dependency's
editors and admins manage its sources (ckanext-harvest's rule); anonymous
visitors, strangers and editors of another dependency are refused; a source
without a dependency is the sysadmins' alone, and running or aborting jobs
across sources too (regressions: logic/harvest_auth.py)."""
import json

import pytest

import ckan.plugins.toolkit as tk
from ckan.tests import factories

from tests.harvest.files_support import PLUGINS

pytestmark = [pytest.mark.ckan_config("ckan.plugins", PLUGINS), pytest.mark.usefixtures("with_plugins", "clean_db")]

ROLES = ("anonymous", "stranger", "other_editor", "editor", "admin", "sysadmin")
#: Who manages the sources of the dependency ``sgp``.
MANAGERS = ("editor", "admin", "sysadmin")
REFUSED_UNOWNED = "Solo los administradores del sistema pueden gestionar fuentes de cosecha que no pertenecen a"


@pytest.fixture
def harvest_site():
    """Two dependencies with their editors, a stranger, a sysadmin, tokens, a
    source of ``sgp`` with a job, and a source without a dependency."""
    users = {"stranger": factories.User(), "other_editor": factories.User(), "editor": factories.User(),
             "admin": factories.User(), "sysadmin": factories.Sysadmin()}
    sgp = factories.Organization(name="sgp", kind="secretaria", users=[
        {"name": users["editor"]["name"], "capacity": "editor"}, {"name": users["admin"]["name"], "capacity": "admin"}])
    factories.Organization(name="otra", kind="secretaria",
                           users=[{"name": users["other_editor"]["name"], "capacity": "editor"}])
    root = {"user": users["sysadmin"]["name"]}
    owned = tk.get_action("harvest_source_create")(dict(root), source("fuente-sgp", sgp["id"]))
    unowned = tk.get_action("harvest_source_create")(dict(root), source("fuente-huerfana", None))
    job = tk.get_action("harvest_job_create")(dict(root), {"source_id": owned["id"], "run": False})
    tokens = {role: factories.APIToken(user=user["name"])["token"] for role, user in users.items()}
    return {"sgp": sgp, "owned": owned, "unowned": unowned, "job": job, "tokens": tokens}


def source(name: str, owner_org) -> dict:
    data = {"name": name, "title": name.replace("-", " ").capitalize(), "url": f"http://127.0.0.1:9/{name}/",
            "source_type": "quito_files", "config": json.dumps({"kind": "listing"})}
    return dict(data, owner_org=owner_org) if owner_org else data


def call(app, site, role, action, data):
    headers = {"Authorization": site["tokens"][role]} if role != "anonymous" else {}
    return app.post(f"/api/3/action/{action}", json=data, headers=headers)


def outcome(res) -> str:
    assert res.status_code in (200, 403), (res.status_code, res.body[:300])
    return "ok" if res.status_code == 200 else "refused"


@pytest.mark.parametrize("role", ROLES)
def test_sources_of_a_dependency(app, harvest_site, role):
    site, owned = harvest_site, harvest_site["owned"]["id"]
    steps = [
        ("create", "harvest_source_create", source("nueva-fuente", site["sgp"]["id"])),
        ("patch", "harvest_source_patch", {"id": owned, "title": "Fuente renombrada"}),
        ("update", "harvest_source_update", {**source("fuente-sgp", site["sgp"]["id"]), "id": owned}),
        ("clear", "harvest_source_clear", {"id": owned}),  # also removes the pending job
        ("job", "harvest_job_create", {"source_id": owned, "run": False}),
        ("delete", "harvest_source_delete", {"id": owned}),
    ]
    got = {step: outcome(call(app, site, role, action, data)) for step, action, data in steps}
    expected = "ok" if role in MANAGERS else "refused"
    assert got == {step: expected for step, _, _ in steps}


@pytest.mark.parametrize("role", ROLES)
def test_sources_without_a_dependency_are_the_sysadmins(app, harvest_site, role):
    site, unowned = harvest_site, harvest_site["unowned"]["id"]
    steps = [
        ("create", "harvest_source_create", source("otra-huerfana", None)),
        ("patch", "harvest_source_patch", {"id": unowned, "url": "http://169.254.169.254/"}),
        ("package_patch", "package_patch", {"id": unowned, "title": "Cambiada"}),
        ("job", "harvest_job_create", {"source_id": unowned, "run": False}),
        ("clear", "harvest_source_clear", {"id": unowned}),
        ("delete", "harvest_source_delete", {"id": unowned}),
    ]
    responses = {step: call(app, site, role, action, data) for step, action, data in steps}
    got = {step: outcome(res) for step, res in responses.items()}
    expected = "ok" if role == "sysadmin" else "refused"
    assert got == {step: expected for step, _, _ in steps}
    if role in ("stranger", "editor"):
        assert REFUSED_UNOWNED in responses["patch"].json["error"]["message"]


@pytest.mark.parametrize("role", ROLES)
def test_running_and_aborting_jobs_is_for_sysadmins(app, harvest_site, role):
    site = harvest_site
    run = call(app, site, role, "harvest_jobs_run", {"source_id": site["owned"]["id"]})
    abort = call(app, site, role, "harvest_job_abort", {"id": site["job"]["id"]})
    expected = "ok" if role == "sysadmin" else "refused"
    assert (outcome(run), outcome(abort)) == (expected, expected)
    if role == "anonymous":
        assert "Solo los administradores del sistema pueden hacer esto." in run.json["error"]["message"]


@pytest.mark.parametrize("role", ["anonymous", "stranger", "other_editor"])
def test_harvest_pages_refuse_others(app, harvest_site, role):
    owned = harvest_site["owned"]
    env = {"environ_overrides": {"REMOTE_USER": name_of(role, harvest_site)}} if role != "anonymous" else {}
    for path in (f"/harvest/admin/{owned['id']}", f"/harvest/edit/{owned['name']}"):
        assert app.get(path, follow_redirects=False, **env).status_code == 403, path
    for path in guarded_paths(harvest_site):  # forms only (POST)
        assert app.get(path, follow_redirects=False, **env).status_code == 405, path
    assert tk.get_action("harvest_source_show")({"ignore_auth": True}, {"id": owned["id"]})["active"]


def name_of(role: str, site: dict) -> str:
    from ckan.lib.api_token import get_user_from_token

    return get_user_from_token(site["tokens"][role]).name


def test_the_source_form_needs_the_csrf_token(app, harvest_site):
    env = {"environ_overrides": {"REMOTE_USER": name_of("editor", harvest_site)}}
    res = app.post("/harvest/new", data=source("por-formulario", harvest_site["sgp"]["id"]), **env)
    assert res.status_code == 400
    with pytest.raises(tk.ObjectNotFound):
        tk.get_action("harvest_source_show")({"ignore_auth": True}, {"id": "por-formulario"})


def guarded_paths(site: dict) -> list[str]:
    """The views that change a source: run, clear, delete (and clear), stop a job."""
    owned, job = site["owned"], site["job"]
    return [f"/harvest/clear/{owned['id']}", f"/harvest/refresh/{owned['id']}", f"/harvest/delete/{owned['id']}",
            f"/harvest/delete/{owned['id']}?clear=True", f"/harvest/{owned['name']}/job/{job['id']}/abort"]


def source_state(site: dict) -> tuple:
    owned = site["owned"]
    shown = tk.get_action("harvest_source_show")({"ignore_auth": True}, {"id": owned["id"]})
    jobs = tk.get_action("harvest_job_list")({"ignore_auth": True}, {"source_id": owned["id"]})
    return shown["active"], [(j["id"], j["status"]) for j in jobs]


def test_a_link_cannot_run_clear_delete_or_stop_a_source(app, harvest_site):
    """ckanext-harvest answers GET on these views: a link or an image elsewhere
    would act with a logged-in editor's cookies (views/harvest_guard.py)."""
    env = {"environ_overrides": {"REMOTE_USER": name_of("editor", harvest_site)}}
    before = source_state(harvest_site)
    for path in guarded_paths(harvest_site):
        res = app.get(path, follow_redirects=False, **env)
        assert res.status_code == 405, path
        assert "use su bot" in res.get_data(as_text=True), path
    assert source_state(harvest_site) == before == (True, [(harvest_site["job"]["id"], "New")])


def test_delete_and_stop_are_forms_with_the_csrf_token(app, harvest_site):
    """Without the token a POST is refused; the buttons' forms carry it and act."""
    env = {"environ_overrides": {"REMOTE_USER": name_of("editor", harvest_site)}}
    owned, job = harvest_site["owned"], harvest_site["job"]
    browser = app.test_client()
    for path in (f"/harvest/delete/{owned['id']}", f"/harvest/{owned['name']}/job/{job['id']}/abort"):
        assert browser.post(path, data={}, follow_redirects=False, **env).status_code == 400, path
    assert source_state(harvest_site) == (True, [(job["id"], "New")])
    root = {"environ_overrides": {"REMOTE_USER": name_of("sysadmin", harvest_site)}}  # stopping jobs: sysadmins
    token = csrf_token(browser, root, f"/harvest/admin/{owned['id']}")
    res = browser.post(f"/harvest/{owned['name']}/job/{job['id']}/abort", data={"_csrf_token": token},
                       follow_redirects=False, **root)
    assert res.status_code == 302
    token = csrf_token(browser, env, f"/harvest/admin/{owned['id']}")
    assert source_state(harvest_site)[1] == [(job["id"], "Finished")]
    res = browser.post(f"/harvest/delete/{owned['id']}", data={"_csrf_token": token}, follow_redirects=False, **env)
    assert res.status_code == 302
    assert source_state(harvest_site)[0] is False


def csrf_token(browser, env: dict, page: str) -> str:
    import re

    html = browser.get(page, **env).get_data(as_text=True)
    found = re.search(r'name="_csrf_token" content="([^"]+)"', html)
    assert found, f"no CSRF token on {page}"
    return found.group(1)


def test_the_source_page_buttons_post_forms(app, harvest_site):
    """Reharvest, Stop and Clear are confirm-action buttons (a form with the
    CSRF token), translated; Stop shows while a job runs."""
    from ckanext.harvest.model import HarvestJob

    job = HarvestJob.get(harvest_site["job"]["id"])
    job.status = "Running"
    job.save()
    owned = harvest_site["owned"]
    env = {"environ_overrides": {"REMOTE_USER": name_of("sysadmin", harvest_site)}}
    html = app.get(f"/harvest/admin/{owned['id']}", **env).get_data(as_text=True)
    import re

    buttons = re.findall(r'<a href="(/harvest/[^"]+)"[^>]*data-module="confirm-action"', html)
    assert sorted(buttons) == sorted([f"/harvest/{owned['name']}/job/{job.id}/abort", f"/harvest/clear/{owned['id']}"])
    assert "Detener" in html and "¿Detenerla?" in html and "Vaciar" in html
