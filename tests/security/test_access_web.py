"""Private datasets, drafts and deleted datasets never leak through the web
app, its JSON-LD or the DCAT catalogue (issue 9, "Holding up"): the search
page, the dataset pages, the home page, the dependency page, the organigram,
the Transparency pages (LOTAIP with and without ``?year=``), the schema.org
JSON-LD of the pages, ``/catalog.*`` (paged, ``?modified_since=``) and each
dataset's RDF. Checked for an anonymous visitor, a logged-in stranger, a
member of the dependency and a sysadmin (see ``access_world.py``)."""
import json
import re

import pytest
import rdflib

from tests.views.test_home import hooks, listed_names

from . import access_world
from .access_world import (INSIDERS, ORG, VIEWERS, VISIBLE, WORDS, as_user, keys_mentioned, keys_named,
                           readable, searchable)

# the world's fixtures, for this module
module_app = access_world.module_app
shared_app = access_world.shared_app
world = access_world.world

pytestmark = pytest.mark.usefixtures("with_plugins")

HYDRA = rdflib.Namespace("http://www.w3.org/ns/hydra/core#")
RDF_FORMATS = {"ttl": "turtle", "rdf": "xml", "jsonld": "json-ld"}


@pytest.fixture
def app(shared_app):
    return shared_app


def visit(app, world, role, path, status=200):
    res = app.get(path, **as_user(world, role))
    assert res.status_code == status, (role, path, res.status_code)
    return res.get_data(as_text=True)


def page_path(dataset: dict) -> str:
    return f"/{dataset['type']}/{dataset['name']}"


def keys_titled(body: str) -> set:
    """The world's keys whose distinctive word, as in their titles, is in a page."""
    return {k for k, (word, _, _) in WORDS.items() if word.capitalize() in body}


def json_ld_blocks(body: str) -> list:
    return [json.loads(block) for block in
            re.findall(r'<script type="application/ld\+json">(.*?)</script>', body, re.S)]


# -- search and dataset pages --------------------------------------------------------------------
@pytest.mark.parametrize("role", VIEWERS)
def test_search_pages(app, world, role):
    assert keys_mentioned(visit(app, world, role, "/dataset/")) == searchable(role)
    assert keys_mentioned(visit(app, world, role, "/lotaip/")) == searchable(role) & {"lotaip_public", "lotaip_private"}
    for key, (word, tag, _) in WORDS.items():
        found = keys_mentioned(visit(app, world, role, f"/dataset/?q={word}"))
        assert found == {key} & searchable(role), word
        listed = keys_titled(visit(app, world, role, f"/dataset/?tags={tag}"))  # the tag itself is echoed
        assert listed == {key} & searchable(role), tag


@pytest.mark.parametrize("role", VIEWERS)
def test_dataset_pages_and_their_json_ld(app, world, role):
    for key, dataset in world["datasets"].items():
        if key in readable(role) and key != "deleted":
            body = visit(app, world, role, page_path(dataset))
            names = [node.get("schema:name") for block in json_ld_blocks(body) for node in block.get("@graph", [])]
            assert dataset["title"] in names, key
        elif key == "deleted" and role in INSIDERS:
            visit(app, world, role, page_path(dataset))  # CKAN shows its members a deleted dataset
        else:
            body = visit(app, world, role, page_path(dataset), status=404)
            assert not keys_mentioned(body) and not json_ld_blocks(body), key
            for resource in dataset["resources"]:
                visit(app, world, role, f"{page_path(dataset)}/resource/{resource['id']}", status=404)


@pytest.mark.parametrize("role", ["anonymous", "stranger"])
def test_no_page_carries_json_ld_of_hidden_datasets(app, world, role):
    for path in ("/", "/dataset/", "/lotaip/", f"/organization/{ORG}", "/organigrama", "/transparencia/lotaip",
                 page_path(world["datasets"]["public"]), page_path(world["datasets"]["lotaip_public"])):
        assert not keys_mentioned(json.dumps(json_ld_blocks(visit(app, world, role, path)))) - set(VISIBLE), path


# -- home, dependency, organigram ------------------------------------------------------------------
@pytest.mark.parametrize("role", VIEWERS)
def test_home_counts_and_recent_lists(app, world, role):
    body = visit(app, world, role, "/")
    counts = {e["attrs"]["data-type"]: int(e["attrs"]["data-count"]) for e in hooks(body, "type-entry")}
    expected = searchable(role)
    assert counts["dataset"] == len({k for k in expected if not k.startswith("lotaip")})
    assert counts["lotaip"] == len({k for k in expected if k.startswith("lotaip")})
    assert keys_named(listed_names(body, "recent-datasets")) == expected
    assert keys_mentioned(body) == expected


@pytest.mark.parametrize("role", VIEWERS)
def test_dependency_page(app, world, role):
    body = visit(app, world, role, f"/organization/{ORG}")
    assert keys_mentioned(body) == searchable(role)


@pytest.mark.parametrize("role", VIEWERS)
def test_organigram_card_counts(app, world, role):
    body = visit(app, world, role, "/organigrama")
    counts = re.findall(r'class="quito-node-count"[^>]*>\s*(\d+)', body)
    assert counts == [str(len(searchable(role)))]
    assert not keys_mentioned(body)


# -- Transparency ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("role", VIEWERS)
def test_lotaip_browser(app, world, role):
    for query in ("", "?year=2024", "?year=2024&law=2023"):
        body = visit(app, world, role, "/transparencia/lotaip" + query)
        files = {key for key, (word, _, _) in WORDS.items() if f"/lotaip/{word}-dataset." in body}
        assert files == searchable(role) & {"lotaip_public", "lotaip_private"}, query
        assert keys_mentioned(body) <= files, query


@pytest.mark.parametrize("role", ["anonymous", "stranger", "member"])
def test_other_transparency_and_pillar_pages(app, world, role):
    for path in ("/transparencia", "/transparencia/concejo-abierto", "/transparencia/proyectos-emblematicos",
                 "/transparencia/presupuesto-abierto", "/transparencia/lotaip?year=2016", "/participacion",
                 "/colaboracion"):
        assert not keys_mentioned(visit(app, world, role, path)), path


# -- DCAT -------------------------------------------------------------------------------------------------
def graph_of(body: str, fmt: str) -> rdflib.Graph:
    return rdflib.Graph().parse(data=body, format=RDF_FORMATS[fmt])


def catalogued(graph: rdflib.Graph) -> set:
    text = " ".join(str(o) for o in graph.objects())
    return keys_mentioned(text)


@pytest.mark.parametrize("role", VIEWERS)
def test_catalogue_lists_public_datasets_only(app, world, role):
    for fmt in RDF_FORMATS:
        for query in ("", "?modified_since=2000-01-01", "?page=1"):
            body = visit(app, world, role, f"/catalog.{fmt}{query}")
            assert catalogued(graph_of(body, fmt)) == set(VISIBLE), query
            assert not keys_mentioned(body) - set(VISIBLE), (fmt, query)


@pytest.mark.ckan_config("ckanext.dcat.datasets_per_page", "1")
def test_catalogue_pages_count_public_datasets_only(app, world):
    seen = set()
    for page in (1, 2, 3):
        graph = graph_of(visit(app, world, "member", f"/catalog.ttl?page={page}"), "ttl")
        totals = {o.toPython() for o in graph.objects(None, HYDRA.totalItems)}
        assert totals == {len(VISIBLE)}
        seen |= catalogued(graph)
    assert seen == set(VISIBLE)


@pytest.mark.parametrize("role", VIEWERS)
def test_dataset_rdf(app, world, role):
    for key, dataset in world["datasets"].items():
        for fmt in RDF_FORMATS:
            for ref in (dataset["id"], dataset["name"]):
                res = app.get(f"/dataset/{ref}.{fmt}", **as_user(world, role))
                body = res.get_data(as_text=True)
                if key in readable(role):
                    assert res.status_code == 200, (key, fmt)
                    assert key in catalogued(graph_of(body, fmt)), (key, fmt)
                else:
                    assert res.status_code in (403, 404), (key, fmt, res.status_code)
                    assert not keys_mentioned(body), (key, fmt)
