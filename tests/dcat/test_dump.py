"""``ckan quito dcat dump``: the whole public catalogue as one document,
written in batches. On a small catalogue (batches of 2, so paging matters),
every format parses, holds every public dataset exactly once, linked from
the one catalogue, and no private dataset nor draft."""
import io

import pytest
import rdflib
from rdflib.namespace import RDF

import ckan.plugins.toolkit as tk
from ckan.cli.cli import ckan
from ckan.tests import factories
from ckanext.dcat.profiles.base import DCAT

from ckanext.quito_gobiernoabierto.dcat import dump
from ckanext.quito_gobiernoabierto.dcat.vocab import QGOV

from .helpers import PROFILES_SETTING

pytestmark = [pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index"),
              pytest.mark.ckan_config("ckanext.dcat.rdf.profiles", PROFILES_SETTING)]

RDFLIB_FORMATS = {"ttl": "turtle", "nt": "nt", "jsonld": "json-ld", "xml": "xml"}
SITE = "http://test.quito.local"


@pytest.fixture
def catalogue():
    """Five public datasets (one with a quote in its notes), a private one and a draft."""
    org = factories.Organization(name="secretaria-de-ambiente", title="Secretaría de Ambiente", kind="secretaria")
    context = {"user": factories.Sysadmin()["name"]}
    create = tk.get_action("package_create")

    def publish(name, **fields):
        data = dict(name=name, title=f"Calidad del aire {name}", owner_org=org["name"],
                    notes='Datos de muestra "entre comillas" para la prueba del volcado.',
                    resources=[{"url": f"https://example.org/{name}.csv", "format": "CSV"}])
        return create(dict(context), dict(data, **fields))

    public = [publish(f"aire-{i}") for i in range(5)]
    private = publish("aire-privado", private=True)
    draft = publish("aire-borrador", state="draft")
    return {"public": public, "hidden": [private, draft]}


def parsed(text: str, _format: str) -> rdflib.Graph:
    return rdflib.Graph().parse(data=text, format=RDFLIB_FORMATS[_format])


def dataset_refs(graph) -> list[str]:
    return sorted(str(ref) for ref in graph.subjects(RDF.type, DCAT.Dataset))


@pytest.mark.parametrize("_format", sorted(RDFLIB_FORMATS))
def test_every_public_dataset_once(catalogue, _format):
    out = io.StringIO()
    result = dump.dump(out, _format, batch=2)
    graph = parsed(out.getvalue(), _format)
    expected = sorted(f"{SITE}/dataset/{d['id']}" for d in catalogue["public"])
    assert dataset_refs(graph) == expected
    catalogs = list(graph.subjects(RDF.type, DCAT.Catalog))
    assert catalogs == [rdflib.URIRef(SITE)]
    assert sorted(str(o) for o in graph.objects(catalogs[0], DCAT.dataset)) == expected
    # The Quito profile ran on every batch, and each dataset is described once.
    assert len(list(graph.subjects(QGOV.datasetType, None))) == 5
    assert len(list(graph.objects(None, rdflib.URIRef("http://purl.org/dc/terms/title")))) >= 5
    for hidden in catalogue["hidden"]:
        assert hidden["id"] not in out.getvalue() and hidden["name"] not in out.getvalue()
    assert result["datasets"] == result["public_at_start"] == 5 and result["batches"] == 3


def test_turtle_has_one_prefix_block(catalogue):
    out = io.StringIO()
    dump.dump(out, "ttl", batch=2)
    lines = out.getvalue().splitlines()
    prefixes = [i for i, line in enumerate(lines) if line.startswith("@prefix")]
    assert prefixes == list(range(len(prefixes))) and len(prefixes) > 5


def test_batches_match_a_single_graph(catalogue):
    """Batching changes nothing: the dump in batches of 2 and in one batch
    are the same graph (blank nodes aside)."""
    texts = []
    for batch in (2, 100):
        out = io.StringIO()
        dump.dump(out, "nt", batch=batch)
        texts.append(out.getvalue())
    small, whole = (parsed(text, "nt") for text in texts)
    without_blank = lambda g: {t for t in g if not any(isinstance(n, rdflib.BNode) for n in t)}  # noqa: E731
    assert without_blank(small) == without_blank(whole)
    assert len(small) == len(whole)


def test_stock_profile_only(catalogue):
    out = io.StringIO()
    dump.dump(out, "nt", profiles=["euro_dcat_ap_3"], batch=4)
    graph = parsed(out.getvalue(), "nt")
    assert len(dataset_refs(graph)) == 5
    assert not list(graph.subjects(QGOV.datasetType, None))


def test_empty_catalogue(clean_db):
    out = io.StringIO()
    result = dump.dump(out, "jsonld")
    graph = parsed(out.getvalue(), "jsonld")
    assert result["datasets"] == 0 and dataset_refs(graph) == []
    assert list(graph.subjects(RDF.type, DCAT.Catalog)) == [rdflib.URIRef(SITE)]


def test_command(cli, catalogue, tmp_path):
    target = tmp_path / "catalogo.nt"
    result = cli.invoke(ckan, ["quito", "dcat", "dump", "--format", "nt", "--output", str(target),
                               "--batch", "3", "--quiet"])
    assert result.exit_code == 0, result.output
    assert "5 datasets in 2 batches" in result.output
    assert len(dataset_refs(parsed(target.read_text(encoding="utf-8"), "nt"))) == 5


def test_unknown_format():
    with pytest.raises(ValueError):
        dump.dump(io.StringIO(), "csv")
