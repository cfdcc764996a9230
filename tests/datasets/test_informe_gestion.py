"""Accountability reports: reported year, kind, authority, presentation date
(checked against the reported year) and PDF documents."""

import pytest

import ckan.plugins.toolkit as tk
from ckan.tests import factories


from .conftest import field_errors

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")


def report(dependency, **fields):
    data = dict(type="informe_gestion", name="rendicion-2015", title="Informe Rendición de Cuentas 2015",
                notes="Informe anual.", owner_org=dependency["name"], report_year="2015",
                report_kind="rendicion_de_cuentas", authority="Secretaría de Ambiente",
                presentation_date="2016-05-24", license_id="cc-by",
                language=["http://publications.europa.eu/resource/authority/language/SPA"],
                temporal_coverage=[{"start": "2015-01-01", "end": "2015-12-31"}],
                tags=[{"name": "rendición de cuentas"}],
                resources=[{"url": "http://example.org/informe.pdf", "name": "Informe", "format": "PDF",
                            "document_type": "report"},
                           {"url": "http://example.org/formulario.pdf", "name": "Formulario", "format": "PDF",
                            "document_type": "accountability_form"}])
    data.update(fields)
    return data


def test_round_trip(call_as, dependency):
    created = call_as("package_create", **report(dependency))
    shown = call_as("package_show", id=created["id"])
    for key, value in dict(report_year="2015", report_kind="rendicion_de_cuentas", authority="Secretaría de Ambiente",
                           presentation_date="2016-05-24", license_id="cc-by",
                           language=["http://publications.europa.eu/resource/authority/language/SPA"],
                           temporal_coverage=[{"start": "2015-01-01", "end": "2015-12-31"}]).items():
        assert shown[key] == value, key
    assert [r["document_type"] for r in shown["resources"]] == ["report", "accountability_form"]
    shown.update(report_kind="informe_de_gestion", report_year="2016", presentation_date="2016-08-01",
                 authority="  Alcalde y Municipio de Quito ")
    shown["resources"][1]["document_type"] = "annex"
    updated = call_as("package_update", **shown)
    assert (updated["report_kind"], updated["report_year"], updated["presentation_date"]) == (
        "informe_de_gestion", "2016", "2016-08-01")
    assert updated["authority"] == "Alcalde y Municipio de Quito"
    assert updated["resources"][1]["document_type"] == "annex"


@pytest.mark.parametrize("fields,field,message", [
    ({"report_year": ""}, "report_year", "Missing value"),
    ({"report_year": "15"}, "report_year", "Enter a year between"),
    ({"report_kind": "memoria"}, "report_kind", "Choose one of the listed values"),
    ({"authority": ""}, "authority", "Missing value"),
    ({"presentation_date": "24/05/2016x"}, "presentation_date", "Date format incorrect"),
    ({"presentation_date": "2014-12-31"}, "presentation_date", "cannot be earlier than the reported year (2015)"),
    ({"presentation_date": "2015-12-31"}, "presentation_date", "from 1 January 2016 on"),
    ({"report_kind": "informe_de_gestion", "presentation_date": "2014-06-30"}, "presentation_date",
     "cannot be earlier than the reported year"),
])
def test_bad_values_are_rejected(call_as, dependency, fields, field, message):
    with pytest.raises(tk.ValidationError) as excinfo:
        call_as("package_create", **report(dependency, **fields))
    assert message in str(field_errors(excinfo)[field])


@pytest.mark.parametrize("fields", [
    {"report_kind": "informe_de_gestion", "presentation_date": "2015-07-15"},
    {"presentation_date": "2016-01-01"},
    {"presentation_date": ""},
])
def test_sensible_dates_are_accepted(call_as, dependency, fields):
    created = call_as("package_create", **report(dependency, **fields))
    assert created.get("presentation_date") in (fields["presentation_date"], None)


def test_bad_document_type_is_rejected(call_as, dependency):
    data = report(dependency)
    data["resources"][0]["document_type"] = "memo"
    with pytest.raises(tk.ValidationError) as excinfo:
        call_as("package_create", **data)
    assert "Choose one of the listed values" in str(field_errors(excinfo)["resources"][0]["document_type"])


def test_facets_and_filters(app, call_as, dependency):
    call_as("package_create", **report(dependency))
    call_as("package_create", **report(dependency, name="rendicion-2014", report_year="2014",
                                        presentation_date="2015-03-02"))
    call_as("package_create", **report(dependency, name="gestion-2015", report_kind="informe_de_gestion",
                                        presentation_date="2015-09-01"))
    result = call_as("package_search", fq="+dataset_type:informe_gestion +report_year:2015",
                     **{"facet.field": ["report_year", "report_kind"]})
    assert result["count"] == 2
    assert result["facets"]["report_kind"] == {"rendicion_de_cuentas": 1, "informe_de_gestion": 1}
    kind = call_as("package_search", fq="+dataset_type:informe_gestion +report_kind:rendicion_de_cuentas",
                   **{"facet.field": ["report_year"]})
    assert kind["facets"]["report_year"] == {"2014": 1, "2015": 1}
    api = app.get("/api/3/action/package_search", query_string={
        "fq": "+dataset_type:informe_gestion", "facet.field": '["report_kind"]'}).json["result"]
    items = {i["name"]: i["display_name"] for i in api["search_facets"]["report_kind"]["items"]}
    assert items == {"rendicion_de_cuentas": "Informe de rendición de cuentas",
                     "informe_de_gestion": "Informe de gestión"}


def test_pages(app, dependency):
    sysadmin = factories.SysadminWithToken()
    tk.get_action("package_create")({"user": sysadmin["name"]}, report(dependency))
    page = app.get("/informe_gestion/rendicion-2015").body
    for text in ("Año informado", "Informe de rendición de cuentas", "Autoridad que rinde cuentas",
                 "Secretaría de Ambiente", "Fecha de presentación"):
        assert text in page, text
    english = app.get("/en/informe_gestion/rendicion-2015").body
    assert "Reported year" in english and "Accountability report (rendición de cuentas)" in english
    search = app.get("/informe_gestion/").body
    assert "Tipo de informe" in search and "Año informado" in search and "Informe de rendición de cuentas" in search
    form = app.get("/informe_gestion/new", headers={"Authorization": sysadmin["token"]}).body
    for name in ("report_year", "report_kind", "authority", "presentation_date"):
        assert f'name="{name}"' in form, name
    dataset = tk.get_action("package_show")({}, {"id": "rendicion-2015"})
    resource = dataset["resources"][1]
    resource_page = app.get(f"/informe_gestion/{dataset['id']}/resource/{resource['id']}").body
    assert "Formulario de rendición de cuentas (CPCCS)" in resource_page


def test_demo_file_loads(load_demo):
    entries, _ = load_demo("informe_gestion.yaml")
    assert len(entries) == 2
    shown = tk.get_action("package_show")({}, {"id": "informe-rendicion-de-cuentas-2015-alcalde-y-municipio-de-quito"})
    assert shown["title"] == "Informe Rendición de Cuentas 2015 Alcalde y Municipio de Quito"
    assert (shown["report_year"], shown["authority"]) == ("2015", "Alcalde y Municipio de Quito")
    assert shown["sample_data"] == "true" and shown.get("presentation_date") is None
    resource = shown["resources"][0]
    assert resource["url_type"] == "upload" and resource["format"] == "PDF" and "muestra" in resource["name"]
