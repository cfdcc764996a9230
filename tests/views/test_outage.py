"""The database unreachable (issue 9: PostgreSQL restarted mid-load): pages
and API calls answer 503 with ``Retry-After`` and a translated message, never
an error naming a search server; once it is back everything answers again
without help."""
import psycopg2
import psycopg2.errors
import pytest
import sqlalchemy as sa

import ckan.model as model
from ckan.tests import factories

from ckanext.quito_gobiernoabierto import outage

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db")

MESSAGE = "su base de datos no está disponible"


def _refuse(*args, **kwargs):
    raise psycopg2.OperationalError("connection to server at \"127.0.0.1\", port 5432 failed: Connection refused")


@pytest.fixture
def database_down(app):
    """New connections are refused and the pooled ones are gone, as while
    PostgreSQL restarts; undone at the end of the test."""
    engine = model.meta.engine
    model.Session.remove()
    engine.dispose()
    sa.event.listen(engine, "do_connect", _refuse)
    yield
    sa.event.remove(engine, "do_connect", _refuse)
    engine.dispose()


@pytest.fixture
def dataset():
    return factories.Dataset(title="Calidad del aire", owner_org=factories.Organization(kind="secretaria")["id"])


@pytest.mark.parametrize("path", ["/api/3/action/package_search?q=aire", "/api/3/action/package_show?id=x",
                                  "/api/3/action/organization_list"])
def test_api_answers_503_in_json(app, dataset, database_down, path):
    res = app.get(path, status=503)
    assert res.headers["Retry-After"] == "5"
    assert res.json["success"] is False
    assert res.json["error"]["__type"] == "Service Unavailable"
    assert MESSAGE in res.json["error"]["message"]
    assert "solr" not in res.body.lower()


@pytest.mark.parametrize("path", ["/", "/dataset/", "/transparencia/lotaip"])
def test_pages_answer_503_with_a_translated_page(app, dataset, database_down, path):
    res = app.get(path, status=503)
    assert res.headers["Retry-After"] == "5"
    assert res.headers["Content-Type"].startswith("text/html")
    assert "Servicio no disponible temporalmente" in res.body and MESSAGE in res.body


def test_english_visitors_read_it_in_english(app, dataset, database_down):
    res = app.get("/en/dataset/", status=503)
    assert "its database is not available" in res.body


def test_the_site_answers_again_once_the_database_is_back(app, dataset, ckan_config):
    engine = model.meta.engine
    model.Session.remove()
    engine.dispose()
    sa.event.listen(engine, "do_connect", _refuse)
    try:
        app.get("/api/3/action/package_search", status=503)
    finally:
        sa.event.remove(engine, "do_connect", _refuse)
    found = app.get("/api/3/action/package_search?q=aire", status=200).json["result"]
    assert [d["name"] for d in found["results"]] == [dataset["name"]]
    app.get("/dataset/", status=200)


def test_other_errors_are_not_called_an_outage():
    assert outage.is_unavailable(psycopg2.OperationalError("server closed the connection unexpectedly"))
    for server_side in (psycopg2.errors.AdminShutdown, psycopg2.errors.CannotConnectNow,
                        psycopg2.errors.ConnectionFailure):
        assert outage.is_unavailable(server_side("x"))
    for other in (psycopg2.errors.QueryCanceled("x"), psycopg2.errors.UniqueViolation("x"),
                  psycopg2.errors.SyntaxError("x"), ValueError("x")):
        assert not outage.is_unavailable(other)
    wrapped = sa.exc.OperationalError("SELECT 1", {}, psycopg2.errors.AdminShutdown("x"))
    assert outage.is_unavailable(wrapped)
