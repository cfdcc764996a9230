"""The export validates against the official DCAT-AP 3.0.1 SHACL shapes (the
full bundle of ../shared/: mandatory, range, recommended and deprecated
shapes) with zero violations; warnings (recommended properties) are allowed.

pyshacl runs without inference (``-i none``), as ../shared/README.md asks.
"""
import pytest
import rdflib
from rdflib.namespace import RDF

import ckan.plugins.toolkit as tk
from ckanext.dcat.processors import RDFSerializer
from ckanext.dcat.profiles.base import RDFProfile

from .helpers import PROFILES, PROFILES_SETTING, fixture, registered_types, serialize, synthetic, violations

pytestmark = [pytest.mark.usefixtures("with_plugins", "organizations"),
              pytest.mark.ckan_config("ckanext.dcat.rdf.profiles", PROFILES_SETTING)]

#: Fields of the general schema whose values must be datasets described in
#: the same document (dct:hasVersion, dct:relation of a dcat:Relationship):
#: the fixture points them outside the catalogue, so they are left out here.
EXTERNAL_DATASET_LINKS = ("has_version", "qualified_relation")


def general_dataset() -> dict:
    data = fixture("dataset.json")
    for name in EXTERNAL_DATASET_LINKS:
        data.pop(name)
    return data


def test_violations_are_found(shapes):
    """The check can fail: a dataset without its mandatory description."""
    data = fixture("sesion_concejo.json")
    data["notes"] = ""
    found = violations(serialize(data).g, shapes)
    assert any("description" in line for line in found), found


@pytest.mark.parametrize("name", ["sesion_concejo.json", "proyecto_emblematico.json"])
def test_fixture_datasets(name, shapes):
    assert violations(serialize(fixture(name)).g, shapes) == []


def test_general_dataset_with_every_field(shapes):
    assert violations(serialize(general_dataset()).g, shapes) == []


@pytest.mark.parametrize("dataset_type", registered_types())
def test_synthetic_dataset_of_each_type(dataset_type, organizations, shapes):
    data = synthetic(tk.h.scheming_get_dataset_schema(dataset_type), organizations["secretaria-de-ambiente"])
    assert violations(serialize(data).g, shapes) == []


def test_whole_catalogue(organizations, shapes, monkeypatch):
    """The fixtures and one dataset of each type in one catalogue document,
    with the catalogue node itself (the demo content: test_demo_catalogue.py)."""
    monkeypatch.setattr(RDFProfile, "_last_catalog_modification", lambda self: "2017-06-01T00:00:00")
    datasets = [general_dataset(), fixture("sesion_concejo.json"), fixture("proyecto_emblematico.json")]
    datasets += [synthetic(tk.h.scheming_get_dataset_schema(t), organizations["secretaria-de-ambiente"])
                 for t in registered_types()]
    serializer = RDFSerializer(profiles=PROFILES)
    graph = rdflib.Graph().parse(data=serializer.serialize_catalog({}, dataset_dicts=datasets, _format="turtle"),
                                 format="turtle")
    dcat = rdflib.Namespace("http://www.w3.org/ns/dcat#")
    assert len(set(graph.subjects(RDF.type, dcat.Dataset))) == len(datasets)
    assert violations(graph, shapes) == []
