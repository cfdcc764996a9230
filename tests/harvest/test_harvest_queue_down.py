"""Creating a harvest job through the API while the harvest queue (Redis)
is down (issue 9, found by ``make reliability``): a 503 with a clear message,
and no job left behind to block the source."""
import pytest

import ckan.plugins.toolkit as tk
from ckan.tests import factories

from .files_support import PLUGINS, create_source

pytestmark = [pytest.mark.ckan_config("ckan.plugins", PLUGINS), pytest.mark.usefixtures("with_plugins", "clean_db")]

#: A port nothing listens on (discard): connections are refused at once.
NO_REDIS = "redis://127.0.0.1:9/0"
SOURCE_URL = "http://127.0.0.1:9/archivos/"


@pytest.fixture
def source():
    org = factories.Organization(name="sgp", title="Secretaría General de Planificación", kind="secretaria")
    return create_source(SOURCE_URL, org)


@pytest.fixture
def queue_down(app, ckan_config, monkeypatch):
    """Redis unreachable from here on (set after the app is made: making it
    applies CKAN_REDIS_URL from the environment over the configuration)."""
    monkeypatch.setitem(ckan_config, "ckan.redis.url", NO_REDIS)
    return monkeypatch


@pytest.fixture
def token():
    return factories.APIToken(user=factories.Sysadmin()["name"])["token"]


def test_job_create_with_the_queue_down_is_a_503_and_leaves_no_job(app, source, token, queue_down):
    res = app.post("/api/3/action/harvest_job_create", json={"source_id": source["id"]},
                   headers={"Authorization": token}, status=503)
    assert res.headers["Retry-After"] == "30"
    error = res.json["error"]
    assert error["__type"] == "Service Unavailable"
    assert "cola de cosechas no está disponible" in error["message"]
    assert tk.get_action("harvest_job_list")({"ignore_auth": True}, {"source_id": source["id"]}) == []


def test_job_create_works_again_when_the_queue_is_back(app, source, token, queue_down):
    app.post("/api/3/action/harvest_job_create", json={"source_id": source["id"]},
             headers={"Authorization": token}, status=503)
    queue_down.undo()
    res = app.post("/api/3/action/harvest_job_create", json={"source_id": source["id"]},
                   headers={"Authorization": token}, status=200)
    assert res.json["result"]["status"] == "Running"
