"""The profile's Turtle writer gives the same graph as rdflib's serializer,
whatever the literals, IRIs and blank-node shapes (no database needed)."""
import pytest
import rdflib
from rdflib import BNode, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import DCTERMS, RDF, SKOS, XSD

from ckanext.quito_gobiernoabierto.dcat import turtle

EX = rdflib.Namespace("https://example.org/ns#")


def sample_graph() -> rdflib.Graph:
    g = rdflib.Graph()
    g.bind("ex", EX)
    g.bind("dct", DCTERMS)
    s = URIRef("https://example.org/dataset/1f0c-2a")
    g.add((s, RDF.type, EX.Dataset))
    g.add((s, RDF.type, SKOS.Concept))
    g.add((s, DCTERMS.title, Literal('Título "con comillas"\\ y\nsalto\r\tfin', lang="es")))
    g.add((s, DCTERMS.title, Literal("Title", lang="en-GB")))
    g.add((s, EX["count"], Literal(42)))
    g.add((s, EX.ratio, Literal(1.5)))
    g.add((s, EX.flag, Literal(True)))
    g.add((s, EX.year, Literal("2016", datatype=XSD.gYear)))
    g.add((s, EX.odd, Literal("x", datatype=URIRef("https://example.org/types/my.type"))))
    g.add((s, EX.plain, Literal("")))
    g.add((s, EX.dotted, URIRef("https://example.org/ns#name.with.dots")))
    g.add((s, EX.digits, URIRef("https://example.org/ns#2016")))
    g.add((s, EX.query, URIRef("https://example.org/x?a=1&b=%20#frag")))
    g.add((s, EX.kind, RDF.type))  # rdf:type as an object is not "a"
    nested = BNode()
    g.add((s, DCTERMS.temporal, nested))
    g.add((nested, EX.start, Literal("2016-01-01", datatype=XSD.date)))
    inner = BNode()
    g.add((nested, EX.inner, inner))
    g.add((inner, EX.value, Literal("deep")))
    shared = BNode()  # referenced twice: a label
    g.add((s, EX.contact, shared))
    g.add((URIRef("https://example.org/dataset/2"), EX.contact, shared))
    g.add((shared, EX.name, Literal("Contacto")))
    g.add((s, EX.empty, BNode()))  # a blank node with no statements
    a, b = BNode(), BNode()  # a cycle of blank nodes referenced once each
    g.add((a, EX.next, b))
    g.add((b, EX.next, a))
    g.add((BNode(), EX.orphan, Literal("sin referencias")))  # never an object
    return g


def test_same_graph_as_written():
    g = sample_graph()
    text = turtle.serialize(g)
    back = rdflib.Graph().parse(data=text, format="turtle")
    assert len(back) == len(g)
    assert isomorphic(back, g)
    assert "@prefix ex: <https://example.org/ns#> ." in text
    assert "@prefix skos:" not in text or "skos:Concept" in text  # only the prefixes used


def test_shapes():
    text = turtle.serialize(sample_graph())
    assert " a ex:Dataset, skos:Concept" in text or " a skos:Concept, ex:Dataset" in text
    assert "ex:kind rdf:type" in text or "ex:kind <http://www.w3.org/1999/02/22-rdf-syntax-ns#type>" in text
    assert "<https://example.org/ns#name.with.dots>" in text
    assert "ex:2016" not in text  # local names starting with a digit are written as IRIs
    assert "[\n" in text and "_:b" in text  # nested and labelled blank nodes


def test_invalid_iri_refused_like_rdflib():
    g = rdflib.Graph()
    g.add((URIRef("https://example.org/a b"), EX.p, Literal("x")))
    with pytest.raises(ValueError):
        turtle.serialize(g)


def test_order_does_not_depend_on_insertion():
    triples = list(sample_graph().triples((URIRef("https://example.org/dataset/1f0c-2a"), None, None)))
    first, second = rdflib.Graph(), rdflib.Graph()
    for t in triples:
        if not isinstance(t[2], BNode):
            first.add(t)
    for t in reversed(triples):
        if not isinstance(t[2], BNode):
            second.add(t)
    assert turtle.serialize(first) == turtle.serialize(second)


def test_install_only_changes_turtle():
    g = sample_graph()
    turtle.install(g)
    turtle.install(g)  # once is enough, twice is harmless
    assert g.serialize(format="turtle") == turtle.serialize(g)
    assert isinstance(g.serialize(format="turtle", encoding="utf-8"), bytes)
    assert isomorphic(rdflib.Graph().parse(data=g.serialize(format="nt"), format="nt"), g)
    assert isomorphic(rdflib.Graph().parse(data=g.serialize(format="xml"), format="xml"), g)


def test_installed_graph_is_freed_without_a_collection_and_serialises_while_held():
    import gc
    import weakref

    # The graph ckanext-dcat's RDFSerializer makes (a plain Graph is held by
    # its own store's context index, whatever writes it).
    g = rdflib.ConjunctiveGraph()
    g.bind("ex", EX)
    for triple in sample_graph():
        g.add(triple)
    turtle.install(g)
    ref = weakref.ref(g)
    # Only the caller holds the graph: writing it from a temporary works.
    assert "ex:" in sample_holder(g).g.serialize(format="turtle")
    gc.disable()
    try:
        del g
        assert ref() is None  # freed by reference counting: no cycle through the graph
    finally:
        gc.enable()


class sample_holder:
    def __init__(self, graph):
        self.g = graph


def test_parts_share_prefixes_and_keep_labels_apart():
    writer = turtle.Writer([("ex", EX)])
    first, second = sample_graph(), sample_graph()
    text = writer.prefixes() + writer.body(first) + writer.body(second)
    back = rdflib.Graph().parse(data=text, format="turtle")
    both = rdflib.Graph()
    for t in first:
        both.add(t)
    for t in second:
        both.add(t)
    assert isomorphic(back, both)
