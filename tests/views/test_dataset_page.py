"""The dataset page shows its dependency's card (kind, acronym, place in the
organigram) without asking the search engine for catalogue-wide counts."""
import pytest

import ckan.lib.search.query as search_query
from ckan.tests import factories

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")


def test_dependency_card_without_catalogue_wide_counts(app, monkeypatch):
    org = factories.Organization(name="epmmop", title="Empresa Pública Metropolitana de Movilidad y Obras Públicas",
                                 kind="empresa_publica_metropolitana", acronym="EPMMOP")
    dataset = factories.Dataset(owner_org=org["id"], title="Obras viales (muestra)")
    searches = []
    original = search_query.PackageSearchQuery.run
    monkeypatch.setattr(search_query.PackageSearchQuery, "run",
                        lambda self, query, **kw: searches.append(query) or original(self, query, **kw))
    page = app.get(f"/dataset/{dataset['name']}").body
    assert "EPMMOP" in page and "Empresa Pública Metropolitana de Movilidad y Obras Públicas" in page
    assert [q for q in searches if q.get("facet.field")] == []
