"""LOTAIP transparency publications: law, literal or numeral, year, monthly
files, the Defensoría del Pueblo's metadata, one dataset per dependency x
literal x year, canonical names, facets, pages and the demo content."""

import pytest

import ckan.plugins.toolkit as tk
from ckan.tests import factories

from ckanext.quito_gobiernoabierto.datasets import lotaip

from .conftest import field_errors

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")


def month_files(month, role_names=("dataset", "metadata", "dictionary")):
    return [{"url": f"http://example.org/lotaip/{month}-{role}.csv", "name": f"Mes {month}: {role}",
             "format": "CSV", "month": str(month), "lotaip_file_role": role} for role in role_names]


def publication(dependency, **fields):
    """A 2023-law publication of numeral 3 (pay) for 2024, January's three files."""
    data = dict(type="lotaip", name="lotaip-ambiente-3-2024", title="LOTAIP 2024, numeral 3", notes="Remuneraciones.",
                owner_org=dependency["name"], lotaip_regime="2023", lotaip_literal="3", lotaip_year="2024",
                lotaip_updated="2024-02-05", lotaip_periodicity="mensual",
                lotaip_unit="Dirección Administrativa Financiera", lotaip_responsible="Jefatura de Talento Humano",
                lotaip_email="talento.humano@ambiente.quito.example", lotaip_phone="+593 2 395 2300",
                resources=month_files(1))
    data.update(fields)
    return data


def literal_c(dependency, **fields):
    """A 2004-law publication of literal c for 2016, January's file."""
    data = dict(type="lotaip", owner_org=dependency["name"], notes="Remuneración mensual por puesto.",
                lotaip_regime="2004", lotaip_literal="c", lotaip_year="2016",
                resources=[{"url": "http://example.org/c-enero.csv", "name": "Enero", "format": "CSV", "month": "1"}])
    data.update(fields)
    return data


def test_round_trip(call_as, dependency):
    created = call_as("package_create", **publication(dependency))
    shown = call_as("package_show", id=created["id"])
    expected = dict(lotaip_regime="2023", lotaip_literal="3", lotaip_year="2024", lotaip_updated="2024-02-05",
                    lotaip_periodicity="mensual", lotaip_unit="Dirección Administrativa Financiera",
                    lotaip_responsible="Jefatura de Talento Humano",
                    lotaip_email="talento.humano@ambiente.quito.example", lotaip_phone="+593 2 395 2300",
                    name="lotaip-ambiente-3-2024", title="LOTAIP 2024, numeral 3")
    for key, value in expected.items():
        assert shown[key] == value, key
    assert [(r["month"], r["lotaip_file_role"]) for r in shown["resources"]] == [
        ("1", "dataset"), ("1", "metadata"), ("1", "dictionary")]
    shown.update(lotaip_periodicity="trimestral", lotaip_updated="2024-03-04", lotaip_phone="02 395 2300",
                 resources=shown["resources"] + month_files("02"))
    updated = call_as("package_update", **shown)
    assert (updated["lotaip_periodicity"], updated["lotaip_updated"], updated["lotaip_phone"]) == (
        "trimestral", "2024-03-04", "02 395 2300")
    assert [r["month"] for r in updated["resources"]] == ["1", "1", "1", "2", "2", "2"]
    assert updated["lotaip_literal"] == "3" and updated["name"] == "lotaip-ambiente-3-2024"


def test_canonical_name_and_title_by_default(call_as, dependency):
    created = call_as("package_create", **literal_c(dependency))
    assert created["name"] == "lotaip-secretaria-de-ambiente-c-2016"
    assert created["title"] == "LOTAIP 2016, literal c: Remuneración mensual por puesto (Secretaría de Ambiente)"
    numeral = call_as("package_create", **publication(dependency, name="", title="", lotaip_literal="1.2-1.3"))
    assert numeral["name"] == "lotaip-secretaria-de-ambiente-n1-2-1-3-2024"
    assert numeral["title"].startswith("LOTAIP 2024, numeral 1.2-1.3: Base legal, regulaciones")


def test_canonical_name_helper():
    assert lotaip.quito_lotaip_canonical_name("epmmop", "5-22", 2024) == "lotaip-epmmop-n5-22-2024"
    assert lotaip.quito_lotaip_canonical_name("epmmop", "a1", "2014") == "lotaip-epmmop-a1-2014"
    assert lotaip.quito_lotaip_canonical_title("EPMMOP", "2004", "t", 2010) == "LOTAIP 2010, literal t (EPMMOP)"
    assert lotaip.quito_lotaip_canonical_title("EPMMOP", "2023", "8", 2024) == (
        "LOTAIP 2024, numeral 8: Procesos de contratación pública (EPMMOP)")


@pytest.mark.parametrize("fields,field,message", [
    ({"lotaip_regime": "1999"}, "lotaip_regime", "Choose one of the listed values"),
    ({"lotaip_regime": ""}, "lotaip_regime", "Missing value"),
    ({"lotaip_literal": "c"}, "lotaip_literal", "is not a literal or numeral of LOTAIP 2023 (Art. 19, numerals)"),
    ({"lotaip_literal": "99"}, "lotaip_literal", "Choose one of: 1.1, 1.2-1.3, 1.4"),
    ({"lotaip_literal": ""}, "lotaip_literal", "Missing value"),
    ({"lotaip_year": "2022"}, "lotaip_year", "Under LOTAIP 2023 (Art. 19, numerals) the year must be 2023 or later"),
    ({"lotaip_year": "20x4"}, "lotaip_year", "Enter a year"),
    ({"lotaip_updated": "2024-13-40"}, "lotaip_updated", "Date format incorrect"),
    ({"lotaip_periodicity": "diaria"}, "lotaip_periodicity", "Choose one of the listed values"),
    ({"lotaip_email": "talento.humano"}, "lotaip_email", "valid e-mail address"),
    ({"lotaip_phone": "call us"}, "lotaip_phone", "phone number of 7 to 15 digits"),
])
def test_bad_values_are_rejected(call_as, dependency, fields, field, message):
    with pytest.raises(tk.ValidationError) as excinfo:
        call_as("package_create", **publication(dependency, **fields))
    assert message in str(field_errors(excinfo)[field])


@pytest.mark.parametrize("fields,field,message", [
    ({"lotaip_literal": "1.1"}, "lotaip_literal", "is not a literal or numeral of LOTAIP 2004 (Art. 7, literals)"),
    ({"lotaip_year": "2024"}, "lotaip_year",
     "Under LOTAIP 2004 (Art. 7, literals) the year must be between 2004 and 2023"),
    ({"lotaip_year": "2003"}, "lotaip_year", "between 2004 and 2023"),
])
def test_2004_law_values_are_rejected(call_as, dependency, fields, field, message):
    with pytest.raises(tk.ValidationError) as excinfo:
        call_as("package_create", **literal_c(dependency, **fields))
    assert message in str(field_errors(excinfo)[field])


def _resource_error(excinfo, index, field):
    return str(field_errors(excinfo)["resources"][index].get(field))


@pytest.mark.parametrize("resources,index,field,message", [
    ([{"url": "http://example.org/x.csv", "month": "13"}], 0, "month", "month number from 1 to 12"),
    ([{"url": "http://example.org/x.csv"}], 0, "month", "Missing value"),
    ([{"url": "http://example.org/x.csv", "month": "1", "lotaip_file_role": "dataset"}], 0, "lotaip_file_role",
     "belong to LOTAIP 2023"),
])
def test_bad_2004_resources_are_rejected(call_as, dependency, resources, index, field, message):
    with pytest.raises(tk.ValidationError) as excinfo:
        call_as("package_create", **literal_c(dependency, resources=resources))
    assert message in _resource_error(excinfo, index, field)


@pytest.mark.parametrize("resources,index,message", [
    ([{"url": "http://example.org/x.csv", "month": "1"}], 0, "choose the role"),
    (month_files(1) + month_files(1, ["metadata"]), 3, "already has a file with this role"),
    ([{"url": "http://example.org/x.csv", "month": "1", "lotaip_file_role": "annex"}], 0,
     "Choose one of the listed values"),
])
def test_bad_2023_resources_are_rejected(call_as, dependency, resources, index, message):
    with pytest.raises(tk.ValidationError) as excinfo:
        call_as("package_create", **publication(dependency, resources=resources))
    assert message in _resource_error(excinfo, index, "lotaip_file_role")


def test_one_dataset_per_dependency_literal_and_year(call_as, dependency):
    first = call_as("package_create", **literal_c(dependency))
    with pytest.raises(tk.ValidationError) as excinfo:
        call_as("package_create", **literal_c(dependency, name="otra-c-2016"))
    message = str(field_errors(excinfo)["lotaip_literal"])
    assert "Secretaría de Ambiente already has a publication of c for 2016" in message
    assert first["name"] in message and first["title"] in message
    call_as("package_create", **literal_c(dependency, name="c-2015", lotaip_year="2015"))
    call_as("package_create", **literal_c(dependency, name="d-2016", lotaip_literal="d"))
    other = factories.Organization(name="secretaria-de-movilidad", title="Secretaría de Movilidad", kind="secretaria")
    factories.Dataset(**literal_c(other, name="movilidad-c-2016"))
    first["notes"] = "Actualizado."
    assert call_as("package_update", **first)["notes"] == "Actualizado."
    call_as("package_delete", id=first["id"])
    assert call_as("package_create", **literal_c(dependency, name="c-2016-bis"))["name"] == "c-2016-bis"


def test_spanish_error_message(app, dependency):
    sysadmin = factories.SysadminWithToken()
    res = app.post("/api/3/action/package_create", json=literal_c(dependency, lotaip_year="2024"),
                   headers={"Authorization": sysadmin["token"], "Accept-Language": "es"}, status=409)
    assert res.json["error"]["lotaip_year"] == [
        "Con LOTAIP 2004 (Art. 7, literales) el año debe estar entre 2004 y 2023."]


def test_facets_and_filters(app, call_as, dependency):
    call_as("package_create", **literal_c(dependency))
    call_as("package_create", **literal_c(dependency, lotaip_literal="n", lotaip_year="2015"))
    call_as("package_create", **publication(dependency))
    facets = ["lotaip_year", "lotaip_regime", "lotaip_literal", "organization", "res_format"]
    result = call_as("package_search", fq="+dataset_type:lotaip", **{"facet.field": facets})
    assert result["facets"]["lotaip_year"] == {"2015": 1, "2016": 1, "2024": 1}
    assert result["facets"]["lotaip_regime"] == {"2004": 2, "2023": 1}
    assert result["facets"]["lotaip_literal"] == {"c": 1, "n": 1, "3": 1}
    assert result["facets"]["organization"] == {"secretaria-de-ambiente": 3}
    literals = {i["name"]: i["display_name"] for i in result["search_facets"]["lotaip_literal"]["items"]}
    assert literals["c"] == "c – Monthly pay by position"  # no request: the msgid
    only = call_as("package_search", fq="+dataset_type:lotaip +lotaip_regime:2004 +lotaip_year:2016")
    assert [d["name"] for d in only["results"]] == ["lotaip-secretaria-de-ambiente-c-2016"]
    assert call_as("package_search", fq="+lotaip_literal:3")["count"] == 1
    api = app.get("/api/3/action/package_search", query_string={
        "fq": "+dataset_type:lotaip", "facet.field": '["lotaip_regime", "lotaip_literal"]'}).json["result"]
    regimes = {i["name"]: i["display_name"] for i in api["search_facets"]["lotaip_regime"]["items"]}
    assert regimes == {"2004": "LOTAIP 2004 (Art. 7, literales)", "2023": "LOTAIP 2023 (Art. 19, numerales)"}
    literals = {i["name"]: i["display_name"] for i in api["search_facets"]["lotaip_literal"]["items"]}
    assert literals == {"c": "c – Remuneración mensual por puesto", "n": "n – Viáticos, informes de trabajo y "
                        "justificativos de movilización", "3": "3 – Remuneraciones e ingresos adicionales"}


def test_filter_on_a_grouped_numeral(app, call_as, dependency):
    call_as("package_create", **publication(dependency, name="servicios-2024", lotaip_literal="5-22"))
    call_as("package_create", **publication(dependency, name="base-legal-2024", lotaip_literal="1.2-1.3"))
    found = call_as("package_search", fq='+lotaip_literal:"5-22"')
    assert [d["name"] for d in found["results"]] == ["servicios-2024"]
    page = app.get("/lotaip/", query_string={"lotaip_literal": "1.2-1.3"}).body
    assert "base-legal-2024" in page and "servicios-2024" not in page


def test_pages(app, call_as, dependency):
    call_as("package_create", **publication(dependency))
    page = app.get("/lotaip/lotaip-ambiente-3-2024").body
    for text in ("Literal o numeral", "3 – Remuneraciones e ingresos adicionales", "LOTAIP 2023 (Art. 19, numerales)",
                 "Unidad poseedora de la información", "Dirección Administrativa Financiera", "Mensual"):
        assert text in page, text
    english = app.get("/en/lotaip/lotaip-ambiente-3-2024").body
    assert "3 – Pay and additional income" in english and "Unit holding the information" in english
    resource = call_as("package_show", id="lotaip-ambiente-3-2024")["resources"][0]
    res_page = app.get(f"/lotaip/lotaip-ambiente-3-2024/resource/{resource['id']}").body
    assert "Enero" in res_page and "Conjunto de datos" in res_page
    search = app.get("/lotaip/").body
    for title in ("Año", "Ley", "Literal o numeral", "Formatos"):
        assert title in search, title
    assert "3 – Remuneraciones e ingresos adicionales" in search


def test_form(app):
    sysadmin = factories.SysadminWithToken()
    factories.Organization(name="secretaria-de-ambiente", kind="secretaria")
    form = app.get("/lotaip/new", headers={"Authorization": sysadmin["token"]}).body
    for name in ("lotaip_regime", "lotaip_literal", "lotaip_year", "lotaip_updated", "lotaip_periodicity",
                 "lotaip_unit", "lotaip_responsible", "lotaip_email", "lotaip_phone"):
        assert f'name="{name}"' in form, name
    assert '<optgroup label="LOTAIP 2004 (Art. 7, literales)" data-regime="2004">' in form
    assert '<option value="a1">a1 – Organigrama de la institución</option>' in form
    assert '<option value="5-22">5-22 – Servicios, formularios, formatos y trámites</option>' in form


def test_form_without_name_or_title_gets_the_canonical_ones(app):
    sysadmin = factories.SysadminWithToken()
    org = factories.Organization(name="secretaria-de-ambiente", title="Secretaría de Ambiente", kind="secretaria")
    headers = {"Authorization": sysadmin["token"]}
    res = app.post("/lotaip/new", headers=headers, follow_redirects=False, data={
        "title": "", "name": "", "notes": "Viáticos.", "owner_org": org["id"], "lotaip_regime": "2004",
        "lotaip_literal": "n", "lotaip_year": "2015", "save": "continue", "_ckan_phase": "dataset_new_1"})
    assert res.headers["Location"].endswith("/lotaip/lotaip-secretaria-de-ambiente-n-2015/resource/new")
    draft = tk.get_action("package_show")({"ignore_auth": True}, {"id": "lotaip-secretaria-de-ambiente-n-2015"})
    assert draft["title"] == ("LOTAIP 2015, literal n: Viáticos, informes de trabajo y justificativos de movilización "
                              "(Secretaría de Ambiente)")
    form = app.get("/lotaip/lotaip-secretaria-de-ambiente-n-2015/resource/new", headers=headers).body
    assert 'name="month"' in form and 'name="lotaip_file_role"' in form and ">Febrero</option>" in form


def test_demo_file_loads_and_is_idempotent(load_demo):
    entries, report = load_demo("lotaip.yaml")
    assert len(report.created) >= 8
    context = {"ignore_auth": True}
    shown = tk.get_action("package_show")(dict(context), {"id": report.created[0]})
    assert shown["sample_data"] == "true" and "Datos de muestra" in shown["notes"]
