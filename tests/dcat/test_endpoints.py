"""ckanext-dcat's catalogue endpoints as the portal serves them (our search
engine, our profiles): every format answers and parses, Hydra paging,
``modified_since``, private datasets never listed, stable URIs from
``ckanext.dcat.base_uri`` whatever ``ckan.site_url`` and the request host."""
import datetime

import pytest
import rdflib
from rdflib import Literal, URIRef
from rdflib.namespace import FOAF, RDF

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.lib import search
from ckan.tests import factories
from ckanext.dcat.processors import RDFParser
from ckanext.dcat.profiles.base import DCAT

from .helpers import PROFILES_SETTING

pytestmark = [pytest.mark.usefixtures("with_plugins"),
              pytest.mark.ckan_config("ckanext.dcat.rdf.profiles", PROFILES_SETTING)]

HYDRA = rdflib.Namespace("http://www.w3.org/ns/hydra/core#")
SITE = "http://test.quito.local"
BASE = "https://datos.quito.gob.ec"
#: Endpoint extension -> (content type, rdflib format).
FORMATS = {"ttl": ("text/turtle", "turtle"), "rdf": ("application/rdf+xml", "xml"),
           "xml": ("application/rdf+xml", "xml"), "jsonld": ("application/ld+json", "json-ld")}


@pytest.fixture
def site(clean_db, clean_index):
    """A dependency, a sysadmin and a way to publish datasets in it."""
    org = factories.Organization(name="secretaria-de-ambiente", title="Secretaría de Ambiente", kind="secretaria")
    sysadmin = factories.Sysadmin()

    def publish(name, **fields):
        data = dict(name=name, title=name.replace("-", " ").capitalize(), notes="Datos de prueba.",
                    owner_org=org["name"], resources=[{"url": f"https://example.org/{name}.csv", "format": "CSV"}])
        data.update(fields)
        return tk.get_action("package_create")({"user": sysadmin["name"]}, data)

    return {"org": org, "sysadmin": sysadmin, "publish": publish}


def get_graph(app, url, _format="turtle", **kwargs) -> rdflib.Graph:
    response = app.get(url, **kwargs)
    assert response.status_code == 200, (url, response.status_code)
    return rdflib.Graph().parse(data=response.get_data(as_text=True), format=_format)


def datasets_in(graph) -> set:
    return {str(ref) for ref in graph.subjects(RDF.type, DCAT.Dataset)}


def uri(dataset, base=SITE) -> str:
    return f"{base}/dataset/{dataset['id']}"


@pytest.mark.parametrize("extension", sorted(FORMATS))
def test_every_format_answers_and_parses(app, site, extension):
    published = [site["publish"](name) for name in ("calidad-del-aire", "ruido-urbano")]
    content_type, rdflib_format = FORMATS[extension]
    response = app.get(f"/catalog.{extension}")
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith(content_type)
    graph = rdflib.Graph().parse(data=response.get_data(as_text=True), format=rdflib_format)
    assert (URIRef(SITE), RDF.type, DCAT.Catalog) in graph
    assert datasets_in(graph) == {uri(d) for d in published}


@pytest.mark.ckan_config("ckanext.dcat.datasets_per_page", "2")
def test_hydra_pages(app, site):
    published = [site["publish"](f"conjunto-{i}") for i in range(5)]
    graph = get_graph(app, "/catalog.ttl?page=2")
    view = URIRef(f"{SITE}/catalog.ttl?page=2")
    assert (view, RDF.type, HYDRA.PagedCollection) in graph
    assert graph.value(view, HYDRA.totalItems).toPython() == 5
    assert graph.value(view, HYDRA.itemsPerPage).toPython() == 2
    assert str(graph.value(view, HYDRA.first)) == f"{SITE}/catalog.ttl?page=1"
    assert str(graph.value(view, HYDRA.previous)) == f"{SITE}/catalog.ttl?page=1"
    assert str(graph.value(view, HYDRA.next)) == f"{SITE}/catalog.ttl?page=3"
    assert str(graph.value(view, HYDRA.last)) == f"{SITE}/catalog.ttl?page=3"
    assert len(datasets_in(graph)) == 2
    # A harvester following hydra:next gets every dataset once, in three pages.
    seen, pages, url = [], 0, "/catalog.ttl"
    while url:
        parser = RDFParser()
        parser.g = get_graph(app, url)
        seen += sorted(datasets_in(parser.g))
        pages += 1
        url = parser.next_page() and parser.next_page()[len(SITE):]
    assert pages == 3 and sorted(seen) == sorted(uri(d) for d in published)


@pytest.mark.ckan_config("ckanext.dcat.datasets_per_page", "2")
@pytest.mark.parametrize("page", ["0", "-1", "dos"])
def test_bad_page_is_refused(app, site, page):
    assert app.get(f"/catalog.ttl?page={page}").status_code == 409


def test_modified_since(app, site):
    old = site["publish"]("inventario-2019")
    package = model.Package.get(old["id"])  # last changed in 2020 (as the index then recorded it)
    package.metadata_modified = datetime.datetime(2020, 1, 15, 12, 0, 0)
    model.Session.commit()
    search.rebuild(old["id"])
    new = site["publish"]("inventario-2024")
    assert datasets_in(get_graph(app, "/catalog.ttl")) == {uri(old), uri(new)}
    assert datasets_in(get_graph(app, "/catalog.ttl?modified_since=2023-01-01")) == {uri(new)}
    assert datasets_in(get_graph(app, "/catalog.ttl?modified_since=2020-01-15T13:00:00")) == {uri(new)}
    assert datasets_in(get_graph(app, "/catalog.ttl?modified_since=2020-01-15")) == {uri(old), uri(new)}
    # paging keeps the filter
    with_filter = get_graph(app, "/catalog.ttl?modified_since=2023-01-01")
    assert [str(o) for o in with_filter.objects(None, HYDRA.first)] == [
        f"{SITE}/catalog.ttl?modified_since=2023-01-01&page=1"]
    assert app.get("/catalog.ttl?modified_since=not-a-date").status_code == 409


def test_private_datasets_never_listed(app, site):
    public = site["publish"]("presupuesto-publico")
    private = site["publish"]("presupuesto-borrador", private=True)
    token = factories.APIToken(user=site["sysadmin"]["name"])["token"]
    as_sysadmin = {"headers": {"Authorization": token}}
    # the sysadmin is recognised (reads the private dataset's own RDF)...
    assert app.get(f"/dataset/{private['id']}.ttl", **as_sysadmin).status_code == 200
    assert app.get(f"/dataset/{private['id']}.ttl").status_code in (403, 404)
    # ...but no catalogue page lists it, for anyone, whatever the query asks
    for query in ("", "?q=presupuesto", "?fq=capacity:private", f"?q=name:{private['name']}",
                  f"?q=id:{private['id']}", "?fq=-capacity:public", "?q=*:*&fq=private:true"):
        for kwargs in ({}, as_sysadmin):
            response = app.get(f"/catalog.ttl{query}", **kwargs)
            assert response.status_code == 200
            text = response.get_data(as_text=True)
            assert private["id"] not in text and private["name"] not in text, (query, kwargs)
    assert datasets_in(get_graph(app, "/catalog.ttl")) == {uri(public)}


def test_or_filter_answers(app, site):
    private = site["publish"]("presupuesto-borrador", private=True)
    response = app.get("/catalog.ttl?fq=capacity:public%20OR%20capacity:private")
    assert response.status_code == 200 and private["id"] not in response.get_data(as_text=True)


@pytest.mark.ckan_config("ckanext.dcat.base_uri", BASE)
@pytest.mark.parametrize("site_url, host", [
    ("http://test.quito.local", "http://test.quito.local"),
    ("http://10.0.0.5:8080", "http://10.0.0.5:8080"),  # the portal as the proxy reaches it
    ("http://test.quito.local", "http://ckan-interno:5000"),  # another Host header
])
def test_stable_uris_from_the_base_uri(app, site, ckan_config, site_url, host):
    ckan_config["ckan.site_url"] = site_url
    dataset = site["publish"]("arbolado-urbano")
    graph = get_graph(app, "/catalog.ttl", base_url=host)
    assert (URIRef(BASE), RDF.type, DCAT.Catalog) in graph
    assert datasets_in(graph) == {f"{BASE}/dataset/{dataset['id']}"}
    distribution = URIRef(f"{BASE}/dataset/{dataset['id']}/resource/{dataset['resources'][0]['id']}")
    assert (distribution, RDF.type, DCAT.Distribution) in graph
    publisher = URIRef(f"{BASE}/organization/{site['org']['id']}")
    assert (publisher, RDF.type, FOAF.Agent) in graph
    assert [str(o) for o in graph.objects(None, HYDRA.first)] == [f"{BASE}/catalog.ttl?page=1"]
    # Identifiers never carry the address the portal was reached at; pages may
    # (the catalogue's foaf:homepage is the site, a foaf:Document).
    identifiers = {s for s in graph.subjects() if (s, RDF.type, FOAF.Document) not in graph}
    assert not [str(s) for s in identifiers if str(s).startswith((site_url, host))]
    assert graph.value(URIRef(BASE), FOAF.homepage) == URIRef(site_url)
    own = get_graph(app, f"/dataset/{dataset['name']}.ttl", base_url=host)
    assert datasets_in(own) == {f"{BASE}/dataset/{dataset['id']}"}
    assert own.value(URIRef(f"{BASE}/dataset/{dataset['id']}"), DCAT.distribution) == distribution


def test_site_url_without_base_uri(app, site):
    """Without ckanext.dcat.base_uri the identifiers follow ckan.site_url."""
    dataset = site["publish"]("arbolado-urbano")
    graph = get_graph(app, "/catalog.ttl")
    assert (URIRef(SITE), RDF.type, DCAT.Catalog) in graph
    assert datasets_in(graph) == {uri(dataset)}
    assert graph.value(URIRef(uri(dataset)), DCAT.distribution) is not None
    assert Literal(dataset["title"]) in set(graph.objects(URIRef(uri(dataset)), None))
