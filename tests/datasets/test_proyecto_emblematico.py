"""Emblematic projects: beneficiaries, investment, status, zonal administrations."""
import pytest

import ckan.plugins.toolkit as tk
from ckan.tests import factories

from .conftest import field_errors

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")


@pytest.fixture
def zones():
    factories.Organization(name="administracion-zonal-calderon", title="Administración Zonal Calderón",
                           kind="administracion_zonal")
    factories.Organization(name="administracion-zonal-eugenio-espejo", title="Administración Zonal Eugenio Espejo",
                           kind="administracion_zonal")


def project(dependency, **fields):
    data = dict(type="proyecto_emblematico", name="intercambiador-carapungo", title="Intercambiador Carapungo",
                notes="Solución al tránsito vehicular.", owner_org=dependency["name"], beneficiaries="60000",
                beneficiaries_description="Todos los ciudadanos", investment="3545000.00",
                investment_note="Cifra con asterisco", project_status="en_ejecucion", location="Carapungo",
                zonal_administrations=["administracion-zonal-calderon"], project_start="2015-06-01",
                project_end="2017-12-31")
    data.update(fields)
    return data


def test_round_trip(call_as, dependency, zones):
    created = call_as("package_create", **project(dependency))
    shown = call_as("package_show", id=created["id"])
    expected = dict(beneficiaries="60000", beneficiaries_description="Todos los ciudadanos", investment="3545000",
                    investment_note="Cifra con asterisco", project_status="en_ejecucion", location="Carapungo",
                    zonal_administrations=["administracion-zonal-calderon"], project_start="2015-06-01",
                    project_end="2017-12-31")
    for key, value in expected.items():
        assert shown[key] == value, key
    shown.update(project_status="concluido", zonal_administrations=["administracion-zonal-calderon",
                                                                      "administracion-zonal-eugenio-espejo"])
    updated = call_as("package_update", **shown)
    assert updated["project_status"] == "concluido" and len(updated["zonal_administrations"]) == 2


@pytest.mark.parametrize("fields,field,message", [
    ({"investment": "-5"}, "investment", "cannot be negative"),
    ({"investment": "tres millones"}, "investment", "Enter a number"),
    ({"beneficiaries": "12.5"}, "beneficiaries", "whole number"),
    ({"project_status": "abandonado"}, "project_status", "Choose one of the listed values"),
    ({"zonal_administrations": ["administracion-zonal-atlantida"]}, "zonal_administrations",
     "Administración Zonal Calderón"),
    ({"project_end": "2014-01-01"}, "project_end", "earlier than the start"),
])
def test_bad_values_are_rejected(call_as, dependency, zones, fields, field, message):
    with pytest.raises(tk.ValidationError) as excinfo:
        call_as("package_create", **project(dependency, **fields))
    assert message in str(field_errors(excinfo)[field])


def test_spanish_error_message(app, dependency, zones):
    sysadmin = factories.SysadminWithToken()
    res = app.post("/api/3/action/package_create", json=project(dependency, investment="-1"),
                   headers={"Authorization": sysadmin["token"], "Accept-Language": "es"}, status=409)
    assert "negativo" in res.json["error"]["investment"][0]


def test_facets(call_as, dependency, zones):
    call_as("package_create", **project(dependency))
    call_as("package_create", **project(dependency, name="la-carolina", project_status="concluido",
                                        zonal_administrations=["administracion-zonal-eugenio-espejo"]))
    result = call_as("package_search", fq="+dataset_type:proyecto_emblematico",
                     **{"facet.field": ["project_status", "zonal_administrations"]})
    assert result["facets"]["project_status"] == {"en_ejecucion": 1, "concluido": 1}
    zones_facet = {i["name"]: i["display_name"] for i in result["search_facets"]["zonal_administrations"]["items"]}
    assert zones_facet["administracion-zonal-calderon"] == "Administración Zonal Calderón"
    only = call_as("package_search", fq="+zonal_administrations:administracion-zonal-calderon")
    assert [d["name"] for d in only["results"]] == ["intercambiador-carapungo"]


def test_web_form_shows_field_errors_and_keeps_the_input(app, dependency, zones):
    user = factories.UserWithToken()
    tk.get_action("organization_member_create")({"ignore_auth": True}, {
        "id": dependency["id"], "username": user["name"], "role": "editor"})
    headers = {"Authorization": user["token"]}
    form = {"name": "parque-la-carolina", "title": "Regeneración del Parque La Carolina", "notes": "Parque.",
            "owner_org": dependency["id"], "investment": "-10", "beneficiaries": "18299",
            "zonal_administrations": "administracion-zonal-eugenio-espejo", "save": "continue"}
    page = app.post("/proyecto_emblematico/new", headers=headers, data=form).body
    assert "no puede ser negativo" in page
    assert 'value="18299"' in page and 'value="Regeneración del Parque La Carolina"' in page
    form["investment"] = "2000000"
    app.post("/proyecto_emblematico/new", headers=headers, data=form, follow_redirects=False)
    created = tk.get_action("package_show")({"ignore_auth": True}, {"id": "parque-la-carolina"})
    assert (created["investment"], created["zonal_administrations"]) == ("2000000", ["administracion-zonal-eugenio-espejo"])
