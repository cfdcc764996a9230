"""Council sessions: plenary or commission, kind, date-derived year, documents."""
import pytest

import ckan.plugins.toolkit as tk
from ckan.tests import factories

from .conftest import field_errors

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")


@pytest.fixture
def council():
    return factories.Organization(name="secretaria-general-del-concejo", title="Secretaría General del Concejo",
                                  kind="secretaria")


def session(council, **fields):
    data = dict(type="sesion_concejo", name="sesion-ordinaria-2016-03-10", title="Sesión ordinaria, 10 de marzo de 2016",
                notes="Sesión ordinaria del pleno.", owner_org=council["name"], session_date="2016-03-10",
                session_kind="ordinaria", council_body="pleno", session_number="45", venue="Salón de la Ciudad",
                resources=[{"url": "http://example.org/orden.pdf", "name": "Orden del día", "format": "PDF",
                            "document_kind": "orden_del_dia"},
                           {"url": "http://example.org/acta.pdf", "name": "Acta", "format": "PDF", "document_kind": "acta"}])
    data.update(fields)
    return data


def test_round_trip(council):
    sysadmin = factories.Sysadmin()
    ctx = {"user": sysadmin["name"]}
    created = tk.get_action("package_create")(dict(ctx), session(council))
    shown = tk.get_action("package_show")(dict(ctx), {"id": created["id"]})
    for key, value in dict(session_date="2016-03-10", session_kind="ordinaria", council_body="pleno",
                           session_number="45", venue="Salón de la Ciudad", session_year="2016").items():
        assert shown[key] == value, key
    assert [r["document_kind"] for r in shown["resources"]] == ["orden_del_dia", "acta"]
    shown.update(council_body="comision", commission="Comisión de Salud", session_date="2017-01-12",
                 session_year="1999")
    updated = tk.get_action("package_update")(dict(ctx), shown)
    assert (updated["commission"], updated["session_year"]) == ("Comisión de Salud", "2017")


@pytest.mark.parametrize("fields,field,message", [
    ({"session_kind": "secreta"}, "session_kind", "Choose one of the listed values"),
    ({"session_date": "2016-13-45"}, "session_date", "Date format incorrect"),
    ({"session_date": ""}, "session_date", "Missing value"),
    ({"council_body": "comision"}, "commission", "Name the commission"),
    ({"council_body": "pleno", "commission": "Comisión de Salud"}, "commission", "plenary session has no commission"),
    ({"session_number": "-3"}, "session_number", "cannot be negative"),
])
def test_bad_values_are_rejected(council, fields, field, message):
    sysadmin = factories.Sysadmin()
    with pytest.raises(tk.ValidationError) as excinfo:
        tk.get_action("package_create")({"user": sysadmin["name"]}, session(council, **fields))
    assert message in str(field_errors(excinfo)[field])


def test_bad_document_kind_is_rejected(council):
    sysadmin = factories.Sysadmin()
    data = session(council, resources=[{"url": "http://example.org/x.pdf", "name": "X", "document_kind": "memo"}])
    with pytest.raises(tk.ValidationError) as excinfo:
        tk.get_action("package_create")({"user": sysadmin["name"]}, data)
    assert "Choose one of the listed values" in str(field_errors(excinfo)["resources"])


def test_facets_and_filters(app, council):
    sysadmin = factories.Sysadmin()
    ctx = {"user": sysadmin["name"]}
    for date, kind in (("2016-03-04", "extraordinaria"), ("2016-03-10", "ordinaria"), ("2017-02-02", "ordinaria")):
        tk.get_action("package_create")(dict(ctx), session(council, name=f"s-{date}", session_date=date, session_kind=kind))
    result = tk.get_action("package_search")(dict(ctx), {
        "fq": "+dataset_type:sesion_concejo +session_year:2016",
        "facet.field": ["session_kind", "session_year"]})
    assert result["count"] == 2
    assert result["facets"]["session_kind"] == {"extraordinaria": 1, "ordinaria": 1}
    api = app.get("/api/3/action/package_search", query_string={
        "fq": "+dataset_type:sesion_concejo", "facet.field": '["session_kind"]'}).json["result"]
    items = {i["name"]: i["display_name"] for i in api["search_facets"]["session_kind"]["items"]}
    assert items == {"extraordinaria": "Extraordinaria", "ordinaria": "Ordinaria"}


def test_pages(app, council):
    sysadmin = factories.SysadminWithToken()
    tk.get_action("package_create")({"user": sysadmin["name"]}, session(council))
    page = app.get("/sesion_concejo/sesion-ordinaria-2016-03-10").body
    assert "Ordinaria" in page and "Pleno del Concejo Metropolitano" in page and "Tipo de sesión" in page
    assert "Ordinary" in app.get("/en/sesion_concejo/sesion-ordinaria-2016-03-10").body
    search = app.get("/sesion_concejo/").body
    assert "Tipo de sesión" in search and "Ordinaria" in search
    form = app.get("/sesion_concejo/new", headers={"Authorization": sysadmin["token"]}).body
    assert 'name="session_date"' in form and 'name="commission"' in form
