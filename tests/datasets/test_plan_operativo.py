"""Annual operating plan: projects by area, sector and responsible dependency,
collected into facet fields of the plan."""

import pytest

import ckan.plugins.toolkit as tk
from ckan.tests import factories

from ckanext.quito_gobiernoabierto.datasets import operating_plan

from .conftest import field_errors

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")

PROJECTS = [
    {"name": "Sistema de Recolección Mecanizada", "area": "Gestión de residuos", "sector": "ambiente",
     "dependency": "emaseo", "budget_amount": "6400000", "status": "in_progress"},
    {"name": "Intercambiador Carapungo", "area": "Vialidad", "sector": "movilidad",
     "dependency": "epmmop", "budget_amount": "3200000.50", "status": "planned"},
    {"name": "Regeneración del Parque La Carolina", "area": "Espacio público", "sector": "territorio_habitat_vivienda",
     "dependency": "epmmop", "budget_amount": "1800000", "status": "completed"},
]


@pytest.fixture
def dependencies():
    return [factories.Organization(name=name, title=title, kind="empresa_publica_metropolitana")
            for name, title in (("emaseo", "Empresa Pública Metropolitana de Aseo"),
                                ("epmmop", "Empresa Pública Metropolitana de Movilidad y Obras Públicas"))]


def plan(dependency, **fields):
    data = dict(type="plan_operativo", name="poa-2016", title="Plan Operativo Anual 2016", notes="Proyectos.",
                owner_org=dependency["name"], fiscal_year="2016", projects=[dict(p) for p in PROJECTS],
                license_id="cc-by", sample_data="true", tags=[{"name": "poa"}],
                frequency="http://publications.europa.eu/resource/authority/frequency/ANNUAL",
                temporal_coverage=[{"start": "2016-01-01", "end": "2016-12-31"}],
                resources=[{"url": "http://example.org/poa.csv", "name": "Proyectos", "format": "CSV"}])
    data.update(fields)
    return data


def test_round_trip(call_as, dependency, dependencies):
    created = call_as("package_create", **plan(dependency))
    shown = call_as("package_show", id=created["id"])
    assert shown["fiscal_year"] == "2016"
    assert shown["projects"] == PROJECTS
    assert shown["poa_areas"] == ["Espacio público", "Gestión de residuos", "Vialidad"]
    assert shown["poa_sectors"] == ["ambiente", "movilidad", "territorio_habitat_vivienda"]
    assert shown["poa_dependencies"] == ["emaseo", "epmmop"]
    for key in ("sample_data", "frequency", "temporal_coverage", "license_id"):
        assert shown[key] == plan(dependency)[key], key
    shown["projects"] = PROJECTS[:1] + [{"name": "Centro de compostaje", "area": "Gestión de residuos",
                                         "sector": "ambiente", "dependency": dependency["name"],
                                         "budget_amount": "0", "status": "suspended"}]
    shown.update(fiscal_year="2017", poa_areas=["Otra"])
    updated = call_as("package_update", **shown)
    assert updated["fiscal_year"] == "2017" and updated["projects"][1]["status"] == "suspended"
    assert updated["poa_areas"] == ["Gestión de residuos"]
    assert updated["poa_dependencies"] == ["emaseo", "secretaria-de-ambiente"]


@pytest.mark.parametrize("project,subfield,message", [
    ({"name": ""}, "name", "Missing value"),
    ({"dependency": "direccion-inexistente"}, "dependency", "no dependency named direccion-inexistente"),
    ({"dependency": ""}, "dependency", "Missing value"),
    ({"budget_amount": "-5"}, "budget_amount", "cannot be negative"),
    ({"budget_amount": "mucho"}, "budget_amount", "Enter a number"),
    ({"sector": "deportes"}, "sector", "Choose one of the listed values"),
    ({"status": "paralizado"}, "status", "Choose one of the listed values"),
])
def test_bad_project_values_are_rejected(call_as, dependency, dependencies, project, subfield, message):
    data = plan(dependency)
    data["projects"][1].update(project)
    with pytest.raises(tk.ValidationError) as excinfo:
        call_as("package_create", **data)
    assert message in str(field_errors(excinfo)["projects"][1][subfield])


@pytest.mark.parametrize("fields,field,message", [
    ({"fiscal_year": ""}, "fiscal_year", "Missing value"),
    ({"fiscal_year": "dosmil"}, "fiscal_year", "Enter a year between"),
])
def test_bad_plan_values_are_rejected(call_as, dependency, dependencies, fields, field, message):
    with pytest.raises(tk.ValidationError) as excinfo:
        call_as("package_create", **plan(dependency, **fields))
    assert message in str(field_errors(excinfo)[field])


def test_a_deleted_organization_is_not_a_responsible_dependency(call_as, dependency, dependencies):
    sysadmin = factories.Sysadmin()
    tk.get_action("organization_delete")({"user": sysadmin["name"]}, {"id": "emaseo"})
    with pytest.raises(tk.ValidationError) as excinfo:
        call_as("package_create", **plan(dependency))
    assert "no dependency named emaseo" in str(field_errors(excinfo)["projects"][0]["dependency"])


def test_distribution_by_sector_and_dependency():
    labels = {"epmmop": "EPMMOP"}
    by_dependency = operating_plan.distribution(PROJECTS, "dependency", labels)
    assert [(g["label"], g["count"], str(g["amount"])) for g in by_dependency] == [
        ("emaseo", 1, "6400000"), ("EPMMOP", 2, "5000000.50")]
    by_sector = operating_plan.distribution(PROJECTS + [{"name": "Sin sector"}], "sector", {})
    assert [g["value"] for g in by_sector] == ["ambiente", "movilidad", "territorio_habitat_vivienda", ""]


def test_facets_and_filters(app, call_as, dependency, dependencies):
    call_as("package_create", **plan(dependency))
    call_as("package_create", **plan(dependency, name="poa-2017", fiscal_year="2017", projects=PROJECTS[1:2]))
    facets = ["fiscal_year", "poa_areas", "poa_sectors", "poa_dependencies"]
    result = call_as("package_search", fq="+dataset_type:plan_operativo", **{"facet.field": facets})
    assert result["facets"]["fiscal_year"] == {"2016": 1, "2017": 1}
    assert result["facets"]["poa_sectors"] == {"ambiente": 1, "movilidad": 2, "territorio_habitat_vivienda": 1}
    assert result["facets"]["poa_areas"] == {"Espacio público": 1, "Gestión de residuos": 1, "Vialidad": 2}
    assert result["facets"]["poa_dependencies"] == {"emaseo": 1, "epmmop": 2}
    by_sector = call_as("package_search", fq='+dataset_type:plan_operativo +poa_sectors:ambiente')
    assert [r["name"] for r in by_sector["results"]] == ["poa-2016"]
    by_area = call_as("package_search", fq='+dataset_type:plan_operativo +poa_areas:"Vialidad" +fiscal_year:2017')
    assert [r["name"] for r in by_area["results"]] == ["poa-2017"]
    api = app.get("/api/3/action/package_search", query_string={
        "fq": "+dataset_type:plan_operativo", "facet.field": '["poa_sectors", "poa_dependencies"]'}).json["result"]
    sectors = {i["name"]: i["display_name"] for i in api["search_facets"]["poa_sectors"]["items"]}
    assert sectors == {"ambiente": "Medio ambiente", "movilidad": "Movilidad",
                       "territorio_habitat_vivienda": "Territorio, hábitat y vivienda"}
    owners = {i["name"]: i["display_name"] for i in api["search_facets"]["poa_dependencies"]["items"]}
    assert owners == {"emaseo": "Empresa Pública Metropolitana de Aseo",
                      "epmmop": "Empresa Pública Metropolitana de Movilidad y Obras Públicas"}


def test_pages(app, dependency, dependencies):
    sysadmin = factories.SysadminWithToken()
    data = plan(dependency)
    data["projects"].append({"name": "Proyecto sin presupuesto", "dependency": "emaseo"})
    tk.get_action("package_create")({"user": sysadmin["name"]}, data)
    page = app.get("/plan_operativo/poa-2016").body
    for text in ("Año fiscal", "Intercambiador Carapungo", "Movilidad", "Planificado", "En ejecución",
                 "Proyectos por sector", "Proyectos por dependencia responsable",
                 "Empresa Pública Metropolitana de Movilidad y Obras Públicas", "6.400.000", "3.200.000,50",
                 "5.000.000,50"):
        assert text in page, text
    english = app.get("/en/plan_operativo/poa-2016").body
    assert "Projects by area" in english and "Mobility" in english and "In progress" in english
    assert "3,200,000.50" in english
    row = page[page.index("Proyecto sin presupuesto"):].split("</tr>")[0]
    assert row.count("<td></td>") == 4 and ">0<" not in row
    search = app.get("/plan_operativo/").body
    for text in ("Sector", "Área", "Dependencia responsable", "Territorio, hábitat y vivienda", "Vialidad"):
        assert text in search, text
    form = app.get("/plan_operativo/new", headers={"Authorization": sysadmin["token"]}).body
    for name in ("fiscal_year", "projects-0-name", "projects-0-area", "projects-0-sector", "projects-0-dependency",
                 "projects-0-budget_amount", "projects-0-status"):
        assert f'name="{name}"' in form, name
    assert 'name="poa_areas"' not in form
    assert "Empresa Pública Metropolitana de Aseo" in form


def test_demo_file_loads(load_demo):
    _, report = load_demo("plan_operativo.yaml", also=("secretaria-de-ambiente", "emaseo", "epmmop", "epmtpq"))
    assert report.created == ["plan-operativo-anual-2016"]
    dataset = tk.get_action("package_show")({}, {"id": "plan-operativo-anual-2016"})
    assert len(dataset["projects"]) == 7 and dataset["sample_data"] == "true"
    assert dataset["poa_sectors"] == ["ambiente", "movilidad", "territorio_habitat_vivienda"]
    assert dataset["poa_dependencies"] == ["emaseo", "epmmop", "epmtpq", "secretaria-de-ambiente"]
