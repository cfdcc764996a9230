"""The Quito types extend ckanext-dcat's DCAT-AP schema and share its field names."""
import pytest

import ckan.plugins.toolkit as tk

from ckanext.quito_gobiernoabierto.datasets import compose

from .conftest import field_errors

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")

TYPES = ("dataset", "lotaip", "indicador", "capa_geografica", "gtfs", "presupuesto",
         "sesion_concejo", "proyecto_emblematico", "informe_gestion", "plan_operativo")
SHARED = ("title", "name", "notes", "owner_org", "tag_string", "theme", "language", "frequency",
          "temporal_coverage", "spatial_coverage", "contact", "license_id")


def test_every_type_is_served_and_shares_the_dcat_field_names():
    dcat = compose.load_module_path("ckanext.dcat.schemas:dcat_ap_full.yaml")
    dcat_names = {f["field_name"] for f in dcat["dataset_fields"]}
    for dataset_type in TYPES:
        schema = tk.h.scheming_get_dataset_schema(dataset_type)
        assert schema, dataset_type
        names = [f["field_name"] for f in schema["dataset_fields"]]
        assert set(SHARED) <= set(names), dataset_type
        assert set(SHARED) <= dcat_names


def test_general_dataset_keeps_every_dcat_field():
    dcat = compose.load_module_path("ckanext.dcat.schemas:dcat_ap_full.yaml")
    schema = tk.h.scheming_get_dataset_schema("dataset")
    names = [f["field_name"] for f in schema["dataset_fields"]]
    assert [f["field_name"] for f in dcat["dataset_fields"]] == names[:len(dcat["dataset_fields"])]
    assert "sample_data" in names


def test_general_dataset_round_trip(call_as, dependency):
    data = dict(
        name="calidad-del-aire", title="Calidad del aire", notes="Concentraciones horarias.",
        owner_org=dependency["name"], license_id="cc-by",
        theme=["http://publications.europa.eu/resource/authority/data-theme/ENVI"],
        language=["http://publications.europa.eu/resource/authority/language/SPA"],
        frequency="http://publications.europa.eu/resource/authority/frequency/DAILY",
        temporal_coverage=[{"start": "2016-01-01", "end": "2016-12-31"}],
        contact=[{"name": "Secretaría de Ambiente", "email": "ambiente@quito.gob.ec"}],
        sample_data="no", version="1.0",
    )
    created = call_as("package_create", **data)
    shown = call_as("package_show", id=created["id"])
    for key in ("theme", "language", "frequency", "temporal_coverage", "version"):
        assert shown[key] == data[key], key
    assert shown["sample_data"] == "false"
    shown["frequency"] = "http://publications.europa.eu/resource/authority/frequency/MONTHLY"
    updated = call_as("package_update", **shown)
    assert updated["frequency"].endswith("/MONTHLY") and updated["theme"] == data["theme"]


@pytest.mark.parametrize("field,value,message", [
    ("theme", ["http://example.org/theme/whatever"], "Choose one of the listed values"),
    ("frequency", "sometimes", "Choose one of the listed values"),
    ("temporal_coverage", [{"start": "2016-12-31", "end": "2016-01-01"}], "earlier than the start"),
    ("sample_data", "maybe", "yes or no"),
])
def test_general_dataset_rejects_bad_values(call_as, dependency, field, value, message):
    data = dict(name="x-1", title="X", notes="Y", owner_org=dependency["name"], **{field: value})
    with pytest.raises(tk.ValidationError) as excinfo:
        call_as("package_create", **data)
    assert message in str(field_errors(excinfo)[field]).lower() or message in str(field_errors(excinfo)[field])


def test_catalogue_search_lists_every_type_with_a_type_facet(app, call_as, dependency):
    call_as("package_create", name="calidad-del-aire", title="Calidad del aire", notes="Horaria.",
            owner_org=dependency["name"])
    call_as("package_create", type="proyecto_emblematico", name="parque-la-carolina", title="Regeneración del Parque La Carolina",
            notes="Parque.", owner_org=dependency["name"], beneficiaries="18299")
    page = app.get("/dataset/").body
    assert "Calidad del aire" in page and "Regeneración del Parque La Carolina" in page
    assert "Tipo de publicación" in page and "Proyecto emblemático" in page
    english = app.get("/en/dataset/").body
    assert "Type of publication" in english and "Emblematic project" in english
    only_projects = app.get("/dataset/", query_string={"dataset_type": "proyecto_emblematico"}).body
    assert "Calidad del aire" not in only_projects and "Regeneración del Parque La Carolina" in only_projects


def test_type_pages_use_the_type_names(app, call_as, dependency):
    call_as("package_create", type="proyecto_emblematico", name="parque-la-carolina", title="Regeneración del Parque La Carolina",
            notes="Parque.", owner_org=dependency["name"], sample_data="true")
    page = app.get("/proyecto_emblematico/parque-la-carolina").body
    assert 'href="/proyecto_emblematico/">Proyecto emblemático</a>' in page  # type badge
    assert "quito-sample-data" in page and "Datos de muestra" in page
    search = app.get("/proyecto_emblematico/").body
    assert "Buscar en Proyectos emblemáticos" in search
