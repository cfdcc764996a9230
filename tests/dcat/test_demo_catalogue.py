"""The demo content, loaded into a database as the portal serves it: the
catalogue endpoint validates against the DCAT-AP 3.0.1 shapes with zero
violations, and every demo dataset comes back from its RDF field by field."""
import pytest
import rdflib
from rdflib.namespace import RDF, SKOS

import ckan.plugins.toolkit as tk
from ckanext.dcat.profiles.base import VCARD
from ckanext.dcat.utils import dataset_uri, resource_uri

from ckanext.quito_gobiernoabierto import package_path
from ckanext.quito_gobiernoabierto.dcat.vocab import ORG, QGOV
from ckanext.quito_gobiernoabierto.logic import demo_datasets
from ckanext.quito_gobiernoabierto.logic.demo import site_context
from ckanext.quito_gobiernoabierto.organigram import loader, source

from .helpers import PROFILES_SETTING, differences, round_trip, violations

pytestmark = [pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index"),
              pytest.mark.ckan_config("ckanext.dcat.rdf.profiles", PROFILES_SETTING)]

DCAT = rdflib.Namespace("http://www.w3.org/ns/dcat#")


@pytest.fixture
def demo():
    """The organigram and every demo dataset, loaded as `ckan quito demo load` does."""
    rows = source.read(package_path("data", "organigrama-dmq.yaml"))
    assert loader.load(rows, site_context()).problems == []
    folder = package_path("data", "demo")
    assert demo_datasets.load(site_context(), folder).problems == []
    return [entry["name"] for entry in demo_datasets.read_entries(folder)]


def test_catalogue_endpoint_validates(app, demo, shapes):
    response = app.get("/catalog.ttl")
    assert response.status_code == 200
    graph = rdflib.Graph().parse(data=response.get_data(as_text=True), format="turtle")
    datasets = set(graph.subjects(RDF.type, DCAT.Dataset))
    assert len(datasets) == len(demo)
    assert datasets == set(graph.subjects(QGOV.datasetType, None))  # the Quito profile ran
    assert violations(graph, shapes) == []
    # Publishers and contacts come from the organigram as loaded (model, not fixtures).
    emaseo = graph.value(None, QGOV.name, rdflib.Literal("emaseo"))
    assert graph.value(emaseo, SKOS.altLabel) == rdflib.Literal("EMASEO")
    parent = graph.value(emaseo, ORG.subOrganizationOf)
    assert graph.value(parent, QGOV.name) == rdflib.Literal("secretaria-de-ambiente")
    assert rdflib.Literal("María Verónica Arias") in set(graph.objects(None, VCARD.fn))


def test_every_demo_dataset_round_trips(demo):
    failures = {}
    for name in demo:
        shown = tk.get_action("package_show")({"ignore_auth": True}, {"id": name})
        _, parsed = round_trip(shown)
        diffs = differences(shown, parsed, tk.h.scheming_get_dataset_schema(shown["type"]))
        assert diffs.pop("uri", (None, dataset_uri(shown)))[1] == dataset_uri(shown)
        for position, resource in enumerate(shown["resources"]):
            diffs.pop(f"resources[{position}].uri", None)
            assert parsed["resources"][position]["uri"] == resource_uri(resource)
        if diffs:
            failures[name] = diffs
    assert failures == {}
