"""Behaviour CKAN's own suites expect from Solr (found by the conformance runner)."""
import datetime as dt
import re

import pytest

from ckan.lib.search.common import make_connection
from ckan.tests import factories, helpers

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")


def count(**params):
    return helpers.call_action("package_search", **params)["count"]


@pytest.fixture
def bees():
    factories.Dataset(title="A dataset about bees")
    factories.Dataset(title="A dataset about butterflies")


@pytest.mark.ckan_config("ckan.search.solr_allowed_query_parsers", "bool knn lucene field")
def test_local_parameters_bool_lucene_and_field(bees):
    assert count(q="{!bool must=bees}", defType="lucene") == 1
    assert count(q=" {!bool must=bees}", defType="lucene") == 1
    assert count(q="{!type=bool must=beetles}", defType="lucene") == 0
    assert count(q="{!must=bees type=bool}", defType="lucene") == 1
    assert count(q="{!bool should=bees should=butterflies}") == 2
    assert count(q="{!bool must=dataset must_not=bees}") == 1
    assert count(fq_list=["{!lucene q.op=AND}bees butterflies"], defType="lucene") == 0
    assert count(fq_list=["{!lucene q.op=OR}bees butterflies"], defType="lucene") == 2
    assert count(fq_list=["{!field f=title}dataset about bees"]) == 1


def test_sort_on_a_field_no_dataset_has_with_facets_and_empty_results():
    result = helpers.call_action("package_search", q="*:*", fq='capacity:"public"', sort="views_recent desc",
                                 rows=4, **{"facet.field": ["tags", "organization"]})
    assert result["count"] == 0 and result["facets"] == {"tags": {}, "organization": {}}


def test_dates_are_stored_like_solr_and_decoded_on_request():
    ds = factories.Dataset(extras=[{"key": "test_date", "value": "2014-03-22"}])
    doc = make_connection().search(q=f'id:"{ds["id"]}"').docs[0]
    assert doc["test_date"] == dt.datetime(2014, 3, 22)
    raw = make_connection(decode_dates=False).search(q=f'id:"{ds["id"]}"').docs[0]
    assert raw["test_date"] == "2014-03-22T00:00:00Z"
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{3})?Z", raw["metadata_modified"])


def test_a_range_from_a_datasets_own_modified_time_includes_it():
    first = factories.Dataset(title="Primero")
    second = factories.Dataset(title="Segundo")
    since = second["metadata_modified"]  # microseconds, as CKAN shows it
    result = helpers.call_action("package_search", fq=f"metadata_modified:[{since}Z TO NOW]")
    assert [d["id"] for d in result["results"]] == [second["id"]] or first["metadata_modified"] >= since
