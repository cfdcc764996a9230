"""District indicators: methodological sheet, baseline and target, plan
objective, time series as CSV; facets, pages and demo content."""

import pytest

import ckan.plugins.toolkit as tk
from ckan.tests import factories


from .conftest import field_errors

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")

FIELDS = dict(
    definition="Superficie de áreas verdes públicas por habitante.",
    formula="(A / B)",
    variables=[{"name": "A", "description": "Superficie de áreas verdes (m²)", "source": "Catastro"},
               {"name": "B", "description": "Población", "source": "INEC"}],
    unit="m2_per_inhabitant", unit_detail="m² de área verde por habitante", periodicity="annual",
    disaggregation=["distrito", "administracion_zonal"], data_source="Secretaría de Ambiente",
    baseline_value="18.2", baseline_year="2015", target_value="-2.5", target_year="2019",
    plan_objective_code="2.4", plan_objective="Objetivo 2.4 del PMDOT",
    plan_goal="Para el 2019 el MDMQ contará con un portal de gobierno abierto.",
)


def indicator(dependency, **fields):
    data = dict(type="indicador", name="areas-verdes", title="Áreas verdes por habitante",
                notes="Indicador de prueba.", owner_org=dependency["name"], **FIELDS,
                resources=[{"url": "http://example.org/serie.csv", "name": "Serie", "format": "CSV",
                            "resource_role": "time_series"}])
    data.update(fields)
    return data


def test_round_trip_keeps_every_field(call_as, dependency):
    created = call_as("package_create", **indicator(dependency))
    shown = call_as("package_show", id=created["id"])
    for key, value in FIELDS.items():
        assert shown[key] == value, key
    assert shown["resources"][0]["resource_role"] == "time_series"
    shown.update(periodicity="quarterly", disaggregation=["parroquia"], target_year="2015", target_value="20")
    shown["resources"][0]["resource_role"] = "methodology"
    updated = call_as("package_update", **shown)
    again = call_as("package_show", id=created["id"])
    for key, value in dict(periodicity="quarterly", disaggregation=["parroquia"], target_year="2015",
                           target_value="20", formula="(A / B)", variables=FIELDS["variables"]).items():
        assert updated[key] == value == again[key], key
    assert again["resources"][0]["resource_role"] == "methodology"


def test_numbers_are_normalised(call_as, dependency):
    shown = call_as("package_create", **indicator(dependency, baseline_value=" 18.50 ", target_value="-3"))
    assert (shown["baseline_value"], shown["target_value"]) == ("18.50", "-3")


@pytest.mark.parametrize("fields,field,message", [
    ({"unit": "furlongs"}, "unit", "Choose one of the listed values"),
    ({"unit": ""}, "unit", "Missing value"),
    ({"periodicity": "hourly"}, "periodicity", "Choose one of the listed values"),
    ({"disaggregation": ["barrio"]}, "disaggregation", "Choose one of the listed values"),
    ({"disaggregation": []}, "disaggregation", "Missing value"),
    ({"definition": ""}, "definition", "Missing value"),
    ({"baseline_value": "mucho"}, "baseline_value", "Enter a number"),
    ({"target_value": "1,5"}, "target_value", "Enter a number"),
    ({"baseline_year": "15"}, "baseline_year", "Enter a year"),
    ({"baseline_year": "2018", "target_year": "2016"}, "target_year",
     "The target year cannot be earlier than the baseline year"),
    ({"plan_objective_code": "Objetivo dos"}, "plan_objective_code", "numbers separated by points"),
])
def test_bad_values_are_rejected(call_as, dependency, fields, field, message):
    with pytest.raises(tk.ValidationError) as excinfo:
        call_as("package_create", **indicator(dependency, **fields))
    assert message in str(field_errors(excinfo)[field])


def test_time_series_must_be_csv(call_as, dependency):
    bad = [{"url": "http://example.org/serie.pdf", "name": "Serie", "format": "PDF", "resource_role": "time_series"}]
    with pytest.raises(tk.ValidationError) as excinfo:
        call_as("package_create", **indicator(dependency, resources=bad))
    assert "The time series must be a CSV file" in str(field_errors(excinfo)["resources"])
    guessed = [{"url": "http://example.org/serie.csv", "name": "Serie", "resource_role": "time_series"}]
    created = call_as("package_create", **indicator(dependency, resources=guessed))
    assert created["resources"][0]["format"] == "CSV"
    pdf = [{"url": "http://example.org/ficha.pdf", "name": "Ficha", "format": "PDF", "resource_role": "methodology"}]
    other = call_as("package_create", **indicator(dependency, name="otro", resources=pdf))
    assert other["resources"][0]["format"] == "PDF"


def test_bad_resource_role_is_rejected(call_as, dependency):
    bad = [{"url": "http://example.org/serie.csv", "name": "Serie", "format": "CSV", "resource_role": "chart"}]
    with pytest.raises(tk.ValidationError) as excinfo:
        call_as("package_create", **indicator(dependency, resources=bad))
    assert "Choose one of the listed values" in str(field_errors(excinfo)["resources"])


def test_facets_and_filters(app, call_as, dependency):
    call_as("package_create", **indicator(dependency))
    call_as("package_create", **indicator(dependency, name="agua", unit="percentage", periodicity="monthly",
                                          disaggregation=["parroquia", "distrito"]))
    call_as("package_create", **indicator(dependency, name="ruido", unit="percentage", disaggregation=["distrito"]))
    facets = ["unit", "periodicity", "disaggregation", "organization"]
    result = tk.get_action("package_search")({}, {"fq": "+dataset_type:indicador", "facet.field": facets})
    assert result["count"] == 3
    assert result["facets"]["unit"] == {"percentage": 2, "m2_per_inhabitant": 1}
    assert result["facets"]["periodicity"] == {"annual": 2, "monthly": 1}
    assert result["facets"]["disaggregation"] == {"distrito": 3, "administracion_zonal": 1, "parroquia": 1}
    assert result["facets"]["organization"] == {dependency["name"]: 3}
    filtered = tk.get_action("package_search")({}, {"fq": "+dataset_type:indicador +disaggregation:parroquia"})
    assert [d["name"] for d in filtered["results"]] == ["agua"]
    both = tk.get_action("package_search")({}, {"fq": "+unit:percentage +periodicity:annual"})
    assert [d["name"] for d in both["results"]] == ["ruido"]
    api = app.get("/api/3/action/package_search", headers={"Accept-Language": "en"}, query_string={
        "fq": "+dataset_type:indicador", "facet.field": '["unit", "disaggregation"]'}).json["result"]
    items = {i["name"]: i["display_name"] for i in api["search_facets"]["disaggregation"]["items"]}
    assert items["administracion_zonal"] in ("Zonal administration", "Administración zonal")


def test_pages(app, call_as, dependency):
    call_as("package_create", **indicator(dependency))
    page = app.get("/indicador/areas-verdes").body
    for text in ("Unidad de medida", "Metros cuadrados por habitante", "Administración zonal",
                 "Valor de la línea base", "18.2", "2019", "Objetivo 2.4 del PMDOT", "Catastro"):
        assert text in page, text
    english = app.get("/en/indicador/areas-verdes").body
    for text in ("Unit of measure", "Square metres per inhabitant", "Zonal administration", "Baseline value"):
        assert text in english, text
    resource = call_as("package_show", id="areas-verdes")["resources"][0]
    assert "Serie temporal" in app.get(f"/indicador/areas-verdes/resource/{resource['id']}").body
    search = app.get("/indicador/").body
    for text in ("Unidad de medida", "Periodicidad", "Desagregación geográfica", "Anual", "Distrito Metropolitano"):
        assert text in search, text
    token = factories.APIToken(user="steward")["token"]
    form = app.get("/indicador/new", headers={"Authorization": token}).body
    for name in ("definition", "formula", "variables-0-name", "unit", "periodicity", "disaggregation",
                 "baseline_value", "target_year", "plan_objective_code"):
        assert f'name="{name}"' in form, name


def test_demo_indicators_load_twice(load_demo):
    entries, _ = load_demo("indicador.yaml")
    assert len(entries) == 4
    shown = tk.get_action("package_show")({}, {"id": "portal-de-gobierno-abierto-en-funcionamiento"})
    assert (shown["plan_objective_code"], shown["target_year"], shown["sample_data"]) == ("2.4", "2019", "false")
    assert shown["resources"][0]["resource_role"] == "time_series"
    samples = [e for e in entries if e["sample_data"] == "true"]
    assert samples and all("Datos de muestra" in e["notes"] for e in samples)
