"""Turtle catalogue pages written from kept dataset descriptions
(``dcat/fragments.py``): the same graph as ckanext-dcat's own page, before
and after the descriptions are kept, and a change of anything a description
is made of (the dataset, a year of its LOTAIP series, its dependency) is on
the next page."""
import pytest
import rdflib
from rdflib import URIRef
from rdflib.compare import isomorphic, to_isomorphic
from rdflib.namespace import FOAF

import ckan.plugins.toolkit as tk
from ckan.tests import factories
from ckanext.dcat.profiles.base import DCAT, DCT
from ckanext.dcat.utils import dataset_uri

from ckanext.quito_gobiernoabierto.dcat import fragments

from .helpers import PROFILES_SETTING, violations

pytestmark = [pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index"),
              pytest.mark.ckan_config("ckanext.dcat.rdf.profiles", PROFILES_SETTING)]

SITE = "http://test.quito.local"
SERIES_C = URIRef(f"{SITE}/lotaip/serie/secretaria-de-ambiente/2004-c")


@pytest.fixture
def site():
    """Two dependencies (one inside the other), LOTAIP years of one series, a
    map layer with its service, a budget and a general dataset."""
    parent = factories.Organization(name="secretaria-general-de-planificacion", title="Secretaría General de "
                                    "Planificación", kind="secretaria")
    org = factories.Organization(name="secretaria-de-ambiente", title="Secretaría de Ambiente", kind="secretaria",
                                 parent=parent["name"], authority_name="Autoridad de ejemplo")
    context = {"user": factories.Sysadmin()["name"]}

    def create(**data):
        data.setdefault("owner_org", org["name"])
        data.setdefault("notes", "Datos de muestra.")
        return tk.get_action("package_create")(dict(context), data)

    def lotaip(year):
        return create(type="lotaip", lotaip_regime="2004", lotaip_literal="c", lotaip_year=year,
                      resources=[{"url": f"http://example.org/c-{year}.csv", "name": "Enero", "format": "CSV",
                                  "month": "1"}])

    made = {"2014": lotaip("2014"), "2015": lotaip("2015"),
            "general": create(name="calidad-del-aire", title="Calidad del aire",
                              resources=[{"url": "https://example.org/aire.csv", "format": "CSV"}])}
    return {"org": org, "parent": parent, "context": context, "lotaip": lotaip, "made": made}


def page(app, **query) -> rdflib.Graph:
    response = app.get("/catalog.ttl", query_string=query)
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    return rdflib.Graph().parse(data=response.get_data(as_text=True), format="turtle")


def whole_page(app, monkeypatch, ckan_config, **query) -> rdflib.Graph:
    """The page as ckanext-dcat builds it, in one graph (descriptions off)."""
    with monkeypatch.context() as patch:
        patch.setitem(ckan_config, "ckanext.quito.dcat.fragment_cache", "false")
        return page(app, **query)


def same_graph(one, other) -> bool:
    if isomorphic(one, other):
        return True
    only_one, only_other = (to_isomorphic(one) - to_isomorphic(other), to_isomorphic(other) - to_isomorphic(one))
    pytest.fail(f"{len(only_one)} triples only in the first, e.g. {sorted(only_one)[:3]}; "
                f"{len(only_other)} only in the second, e.g. {sorted(only_other)[:3]}")


def kept_keys() -> int:
    return len(fragments._redis().keys(fragments.STORE_PREFIX + "*"))


def test_a_page_from_descriptions_is_the_page_ckanext_dcat_builds(app, site, monkeypatch, ckan_config, shapes):
    fragments._redis().flushdb()
    expected = whole_page(app, monkeypatch, ckan_config)
    made = page(app)  # every description made
    assert kept_keys() == 3
    kept = page(app)  # every description kept
    assert same_graph(made, expected) and same_graph(kept, expected)
    assert len(list(kept.objects(SERIES_C, DCAT.contactPoint))) == 1
    assert violations(kept, shapes) == []


def test_a_page_without_redis_is_the_same_page(app, site, monkeypatch, ckan_config):
    expected = whole_page(app, monkeypatch, ckan_config)

    def unreachable():
        import redis

        raise redis.exceptions.ConnectionError("Redis is down")

    monkeypatch.setattr(fragments, "_redis", unreachable)
    assert same_graph(page(app), expected)


def test_pages_keep_ckanext_dcats_paging(app, site, monkeypatch, ckan_config):
    monkeypatch.setitem(ckan_config, "ckanext.dcat.datasets_per_page", "2")
    for number in ("1", "2"):
        expected = whole_page(app, monkeypatch, ckan_config, page=number)
        assert same_graph(page(app, page=number), expected)
    assert app.get("/catalog.ttl", query_string={"page": "0"}).status_code == 409


def test_an_edited_dataset_is_on_the_next_page(app, site, monkeypatch, ckan_config):
    page(app)
    general = site["made"]["general"]
    tk.get_action("package_patch")(dict(site["context"]), {"id": general["id"], "title": "Calidad del aire 2026"})
    graph = page(app)
    titles = {str(t) for t in graph.objects(URIRef(dataset_uri(general)), DCT.title)}
    assert titles == {"Calidad del aire 2026"}
    assert same_graph(graph, whole_page(app, monkeypatch, ckan_config))


def test_a_new_year_reaches_the_kept_years_of_its_series(app, site, monkeypatch, ckan_config):
    page(app)
    new = site["lotaip"]("2016")
    graph = page(app)
    old = URIRef(dataset_uri(site["made"]["2015"]))
    assert graph.value(old, DCAT.next) == URIRef(dataset_uri(new))
    assert graph.value(SERIES_C, DCAT.last) == URIRef(dataset_uri(new))
    assert same_graph(graph, whole_page(app, monkeypatch, ckan_config))


def test_a_renamed_dependency_reaches_every_description(app, site, monkeypatch, ckan_config):
    page(app)
    for org, title in ((site["parent"], "Secretaría de Planificación"), (site["org"], "Secretaría del Ambiente")):
        tk.get_action("organization_patch")(dict(site["context"]), {"id": org["id"], "title": title})
    graph = page(app)
    for org, title in ((site["parent"], "Secretaría de Planificación"), (site["org"], "Secretaría del Ambiente")):
        # one name: ckanext-dcat's own publisher fallback keeps organizations
        # for the life of the process, and its copy of the old title is dropped
        assert {str(n) for n in graph.objects(URIRef(f"{SITE}/organization/{org['id']}"), FOAF.name)} == {title}
    assert same_graph(graph, whole_page(app, monkeypatch, ckan_config))


def test_a_store_that_does_not_answer_holds_no_page(app, site, monkeypatch, ckan_config):
    """Redis accepting connections but never answering: the page waits
    ``REDIS_TIMEOUT`` once, makes every description and writes none."""
    import socket
    import threading

    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    held = []
    threading.Thread(target=lambda: held.append(listener.accept()), daemon=True).start()
    monkeypatch.setitem(ckan_config, "ckan.redis.url", f"redis://127.0.0.1:{listener.getsockname()[1]}/0")
    saved = []
    monkeypatch.setattr(fragments, "save", saved.append)
    try:
        assert same_graph(page(app), whole_page(app, monkeypatch, ckan_config))
    finally:
        listener.close()
    assert saved == []


def test_private_datasets_are_never_described(app, site):
    hidden = tk.get_action("package_create")(dict(site["context"]), {
        "name": "borrador-privado", "title": "Borrador privado", "notes": "Privado.",
        "owner_org": site["org"]["name"], "private": True})
    text = app.get("/catalog.ttl").get_data(as_text=True)
    assert hidden["id"] not in text and "borrador-privado" not in text


def test_other_formats_and_profiles_are_ckanext_dcats(app, site, monkeypatch):
    def refuse(*args):
        raise AssertionError("descriptions used")

    monkeypatch.setattr(fragments, "catalog_page", refuse)
    assert app.get("/catalog.rdf").status_code == 200
    assert app.get("/catalog.jsonld").status_code == 200
    assert app.get("/catalog.ttl", query_string={"profiles": "euro_dcat_ap_3"}).status_code == 200


def test_a_damaged_description_is_made_again(app, site, monkeypatch, ckan_config):
    fragments._redis().flushdb()
    page(app)
    store = fragments._redis()
    for key in store.keys(fragments.STORE_PREFIX + "*"):
        store.set(key, b"not a description")
    assert same_graph(page(app), whole_page(app, monkeypatch, ckan_config))
