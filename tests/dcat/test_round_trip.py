"""Serialise each dataset type with the portal's profiles and parse it back:
every field of the type's schema must come back as it was."""
import pytest

import ckan.plugins.toolkit as tk
from ckanext.dcat.utils import dataset_uri, resource_uri

from .helpers import PROFILES_SETTING, differences, fixture, registered_types, round_trip, synthetic

pytestmark = [pytest.mark.usefixtures("with_plugins", "organizations"),
              pytest.mark.ckan_config("ckanext.dcat.rdf.profiles", PROFILES_SETTING)]

FIXTURES = ["dataset.json", "sesion_concejo.json", "proyecto_emblematico.json"]


def check(original: dict, parsed: dict) -> None:
    schema = tk.h.scheming_get_dataset_schema(original["type"])
    diffs = differences(original, parsed, schema)
    # Parsing records the dataset's and distributions' URIs (the harvester's guid).
    assert diffs.pop("uri", (None, dataset_uri(original)))[1] == dataset_uri(original)
    for position, resource in enumerate(original["resources"]):
        assert diffs.pop(f"resources[{position}].uri", (None, resource_uri(resource)))[1] == resource_uri(resource)
    assert diffs == {}


@pytest.mark.parametrize("name", FIXTURES)
@pytest.mark.parametrize("_format", ["turtle", "xml", "json-ld"])
def test_fixture_round_trip(name, _format):
    original = fixture(name)
    _, parsed = round_trip(original, _format)
    check(original, parsed)


def test_every_served_type_is_tested():
    served = tk.get_action("scheming_dataset_schema_list")({}, {})
    assert sorted(served) == registered_types()


@pytest.mark.parametrize("dataset_type", registered_types())
def test_synthetic_round_trip(dataset_type, organizations):
    schema = tk.h.scheming_get_dataset_schema(dataset_type)
    original = synthetic(schema, organizations["secretaria-de-ambiente"])
    _, parsed = round_trip(original)
    check(original, parsed)

