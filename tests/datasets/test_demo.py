"""The demo content of every type loads without problems, twice (idempotent),
by the right dependencies, and its files are downloadable."""
import os

import pytest
import yaml

import ckan.plugins.toolkit as tk

from ckanext.quito_gobiernoabierto import package_path
from ckanext.quito_gobiernoabierto.logic import demo_datasets
from ckanext.quito_gobiernoabierto.logic.demo import site_context
from ckanext.quito_gobiernoabierto.organigram import loader, source

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")

DEMO = package_path("data", "demo")


def organigram_rows():
    with open(package_path("data", "organigrama-dmq.yaml"), encoding="utf-8") as f:
        data = yaml.safe_load(f)
    return {row["name"]: row for row in data["dependencies"]}


def create_dependencies():
    rows = source.read(package_path("data", "organigrama-dmq.yaml"))
    assert loader.load(rows, site_context()).problems == []


def test_demo_content_loads_and_reloads_unchanged():
    create_dependencies()
    first = demo_datasets.load(site_context(), DEMO)
    assert first.problems == []
    assert len(first.created) == len(demo_datasets.read_entries(DEMO))
    second = demo_datasets.load(site_context(), DEMO)
    assert (second.created, second.updated, second.problems) == ([], [], [])


def test_every_type_has_demo_content_by_an_organigram_dependency():
    entries = demo_datasets.read_entries(DEMO)
    types = {e.get("type", "dataset") for e in entries}
    assert types == {"dataset", "lotaip", "indicador", "capa_geografica", "gtfs", "presupuesto",
                     "sesion_concejo", "proyecto_emblematico", "informe_gestion", "plan_operativo"}
    names = set(organigram_rows())
    assert all(e["owner_org"] in names for e in entries)
    for entry in entries:
        for resource in entry.get("resources", []):
            if "file" in resource:
                assert os.path.exists(os.path.join(DEMO, "files", resource["file"])), resource["file"]


def test_seed_facts_are_published(app):
    create_dependencies()
    demo_datasets.load(site_context(), DEMO)
    project = tk.get_action("package_show")({}, {"id": "sistema-de-recoleccion-mecanizada"})
    assert (project["beneficiaries"], project["investment"], project["organization"]["name"]) == ("600000", "20000000", "emaseo")
    sessions = tk.get_action("package_search")({}, {"fq": "+dataset_type:sesion_concejo +session_year:2016",
                                                    "facet.field": ["session_kind"]})
    assert sessions["facets"]["session_kind"] == {"extraordinaria": 3, "ordinaria": 2}
    resource = sessions["results"][0]["resources"][0]
    assert resource["url_type"] == "upload"
    download = app.get(resource["url"].replace("http://test.quito.local", ""))
    assert download.status_code == 200 and "Documento de muestra" in download.get_data(as_text=True)
