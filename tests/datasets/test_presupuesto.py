"""Budget: fiscal year, stages, period, classifier level, currency and the
Fiscal Data Package mapping of a tabular resource's columns."""

import pytest

import ckan.plugins.toolkit as tk
from ckan.tests import factories

from ckanext.quito_gobiernoabierto.datasets import budget

from .conftest import field_errors

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")

MAPPING = [{"column": "anio", "concept": "date:fiscal-year"}, {"column": "etapa", "concept": "phase:id"},
           {"column": "grupo", "concept": "economic-classification:generic:level2:code"},
           {"column": "monto", "concept": "value"}]


def budget_dict(dependency, **fields):
    data = dict(type="presupuesto", name="presupuesto-2016", title="Presupuesto 2016", notes="Ejecución.",
                owner_org=dependency["name"], fiscal_year="2016", budget_nature=["gastos"],
                budget_stage=["inicial", "devengado"], period_type="month", period_number="3",
                classifier_level="grupo", currency="usd", license_id="cc-by", sample_data="true",
                frequency="http://publications.europa.eu/resource/authority/frequency/MONTHLY",
                theme=["http://publications.europa.eu/resource/authority/data-theme/ECON"],
                temporal_coverage=[{"start": "2016-03-01", "end": "2016-03-31"}],
                tags=[{"name": "presupuesto"}],
                resources=[{"url": "http://example.org/p.csv", "name": "Tabla", "format": "CSV",
                            "fdp_mapping": MAPPING}])
    data.update(fields)
    return data


def test_round_trip(call_as, dependency):
    created = call_as("package_create", **budget_dict(dependency))
    shown = call_as("package_show", id=created["id"])
    expected = dict(fiscal_year="2016", budget_nature=["gastos"], budget_stage=["inicial", "devengado"],
                    period_type="month", period_number="3", classifier_level="grupo", currency="USD",
                    sample_data="true", frequency="http://publications.europa.eu/resource/authority/frequency/MONTHLY",
                    theme=["http://publications.europa.eu/resource/authority/data-theme/ECON"],
                    temporal_coverage=[{"start": "2016-03-01", "end": "2016-03-31"}])
    for key, value in expected.items():
        assert shown[key] == value, key
    assert shown["resources"][0]["fdp_mapping"] == MAPPING
    assert [t["name"] for t in shown["tags"]] == ["presupuesto"]
    shown.update(period_type="annual", period_number="", budget_stage=["proforma"], classifier_level="item",
                 budget_nature=["ingresos", "gastos"])
    shown["resources"][0]["fdp_mapping"] = MAPPING[:3] + [{"column": "valor", "concept": "value"}]
    updated = call_as("package_update", **shown)
    assert (updated["period_type"], updated.get("period_number")) == ("annual", None)
    assert updated["budget_stage"] == ["proforma"]
    assert (updated["classifier_level"], updated["budget_nature"]) == ("item", ["ingresos", "gastos"])
    assert updated["resources"][0]["fdp_mapping"][-1] == {"column": "valor", "concept": "value"}


def test_currency_defaults_to_usd_and_period_to_annual(call_as, dependency):
    data = budget_dict(dependency)
    for key in ("currency", "period_type", "period_number"):
        del data[key]
    created = call_as("package_create", **data)
    assert (created["currency"], created["period_type"]) == ("USD", "annual")


@pytest.mark.parametrize("fields,field,message", [
    ({"fiscal_year": ""}, "fiscal_year", "Missing value"),
    ({"fiscal_year": "16"}, "fiscal_year", "Enter a year between"),
    ({"budget_stage": ["ejecutado"]}, "budget_stage", "Choose one of the listed values"),
    ({"budget_stage": []}, "budget_stage", "Missing value"),
    ({"budget_nature": ["deuda"]}, "budget_nature", "Choose one of the listed values"),
    ({"period_type": "semester"}, "period_type", "Choose one of the listed values"),
    ({"period_type": "month", "period_number": "13"}, "period_number", "month number from 1 to 12"),
    ({"period_type": "month", "period_number": ""}, "period_number", "month number from 1 to 12"),
    ({"period_type": "quarter", "period_number": "5"}, "period_number", "quarter number from 1 to 4"),
    ({"period_type": "annual", "period_number": "2"}, "period_number", "annual period has no month"),
    ({"classifier_level": "rubro"}, "classifier_level", "Choose one of the listed values"),
    ({"currency": "DOLAR"}, "currency", "three-letter ISO 4217"),
    ({"currency": "JPY"}, "currency", "USD, EUR, COP, PEN"),
])
def test_bad_values_are_rejected(call_as, dependency, fields, field, message):
    with pytest.raises(tk.ValidationError) as excinfo:
        call_as("package_create", **budget_dict(dependency, **fields))
    assert message in str(field_errors(excinfo)[field])


def mapping_errors(call_as, dependency, mapping):
    data = budget_dict(dependency)
    data["resources"][0]["fdp_mapping"] = mapping
    with pytest.raises(tk.ValidationError) as excinfo:
        call_as("package_create", **data)
    return field_errors(excinfo)["resources"][0]["fdp_mapping"]


@pytest.mark.parametrize("mapping,row,field,message", [
    ([{"column": "anio", "concept": "date:fiscal-year"}], 0, "concept", "none is mapped"),
    ([{"column": "a", "concept": "value"}, {"column": "b", "concept": "value"}], 1, "concept", "second one"),
    ([{"column": "monto", "concept": "value"}, {"column": "monto", "concept": "phase:id"}], 1, "column",
     "The column monto is mapped twice"),
    ([{"column": "monto", "concept": "amount"}], 0, "concept", "Choose one of the listed values"),
    ([{"column": "", "concept": "value"}], 0, "column", "Missing value"),
])
def test_bad_mappings_are_rejected(call_as, dependency, mapping, row, field, message):
    errors = mapping_errors(call_as, dependency, mapping)
    assert message in str(errors[row][field])
    assert all(not e.get(field) for i, e in enumerate(errors) if i != row)


def test_a_good_mapping_has_no_errors_on_its_rows(call_as, dependency):
    created = call_as("package_create", **budget_dict(dependency))
    assert len(created["resources"][0]["fdp_mapping"]) == 4


def test_csv_header_check(tmp_path):
    path = tmp_path / "p.csv"
    path.write_text("\ufeffanio, etapa ,grupo,monto\n2016,inicial,51,10\n", encoding="utf-8")
    assert budget.missing_mapped_columns({"fdp_mapping": MAPPING}, str(path)) == []
    wrong = MAPPING + [{"column": "moneda", "concept": "value-currency:code"}]
    assert budget.missing_mapped_columns({"fdp_mapping": wrong}, str(path)) == ["moneda"]
    with pytest.raises(ValueError):
        budget.missing_mapped_columns({"url": "http://example.org/p.csv", "fdp_mapping": MAPPING})


def test_facets_and_filters(app, call_as, dependency):
    call_as("package_create", **budget_dict(dependency))
    call_as("package_create", **budget_dict(dependency, name="presupuesto-2017", fiscal_year="2017",
                                            budget_stage=["proforma"], period_type="annual", period_number=""))
    call_as("package_create", **budget_dict(dependency, name="ingresos-2017", fiscal_year="2017",
                                            budget_nature=["ingresos"], period_type="quarter", period_number="2"))
    facets = ["fiscal_year", "budget_nature", "budget_stage", "period_type", "classifier_level"]
    result = call_as("package_search", fq="+dataset_type:presupuesto +fiscal_year:2017", **{"facet.field": facets})
    assert result["count"] == 2
    assert result["facets"]["budget_stage"] == {"proforma": 1, "inicial": 1, "devengado": 1}
    assert result["facets"]["period_type"] == {"annual": 1, "quarter": 1}
    assert result["facets"]["budget_nature"] == {"gastos": 1, "ingresos": 1}
    staged = call_as("package_search", fq="+dataset_type:presupuesto +budget_stage:devengado")
    assert sorted(r["name"] for r in staged["results"]) == ["ingresos-2017", "presupuesto-2016"]
    api = app.get("/api/3/action/package_search", query_string={
        "fq": "+dataset_type:presupuesto", "facet.field": '["budget_stage"]'}).json["result"]
    items = {i["name"]: i["display_name"] for i in api["search_facets"]["budget_stage"]["items"]}
    assert items == {"proforma": "Proforma", "inicial": "Asignado inicial", "devengado": "Devengado"}


def test_pages(app, dependency):
    sysadmin = factories.SysadminWithToken()
    data = budget_dict(dependency)
    tk.get_action("package_create")({"user": sysadmin["name"]}, data)
    page = app.get("/presupuesto/presupuesto-2016").body
    assert "Año fiscal" in page and "Asignado inicial" in page and "Devengado" in page and "Grupo (2 dígitos)" in page
    english = app.get("/en/presupuesto/presupuesto-2016").body
    assert "Fiscal year" in english and "Initial allocation" in english and "Accrued" in english
    search = app.get("/presupuesto/").body
    assert "Etapas presupuestarias" in search and "Año fiscal" in search and "Asignado inicial" in search
    form = app.get("/presupuesto/new", headers={"Authorization": sysadmin["token"]}).body
    for name in ("fiscal_year", "budget_nature", "budget_stage", "period_type", "period_number",
                 "classifier_level", "currency"):
        assert f'name="{name}"' in form, name
    dataset = tk.get_action("package_show")({}, {"id": "presupuesto-2016"})
    resource_form = app.get(f"/presupuesto/{dataset['id']}/resource/{dataset['resources'][0]['id']}/edit",
                            headers={"Authorization": sysadmin["token"]}).body
    assert "fdp_mapping-0-column" in resource_form and "Monto (value)" in resource_form
    resource_page = app.get(f"/presupuesto/{dataset['id']}/resource/{dataset['resources'][0]['id']}").body
    assert "Año fiscal (fecha)" in resource_page and "monto" in resource_page


def test_demo_file_loads_and_its_csv_has_the_mapped_columns(load_demo):
    _, report = load_demo("presupuesto.yaml")
    assert report.created == ["presupuesto-2016-gastos-por-etapa"]
    dataset = tk.get_action("package_show")({}, {"id": "presupuesto-2016-gastos-por-etapa"})
    assert dataset["sample_data"] == "true" and dataset["currency"] == "USD"
    resource = dataset["resources"][0]
    assert resource["url_type"] == "upload"
    assert budget.missing_mapped_columns(resource) == []
    assert [r["concept"] for r in resource["fdp_mapping"]].count("value") == 1
