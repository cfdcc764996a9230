"""Field values under the Quito namespace and back (no app needed)."""
import pytest
import rdflib
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import XSD

from ckanext.quito_gobiernoabierto.dcat import values
from ckanext.quito_gobiernoabierto.dcat.vocab import QGOV, RDF_JSON

SUBJECT = URIRef("http://example.org/d")
CHOICES = [{"value": "c"}, {"value": "a"}, {"value": "b"}]


def through_turtle(field, value):
    graph = rdflib.Graph()
    values.write(graph, SUBJECT, field, value)
    text = graph.serialize(format="turtle")
    return values.read(rdflib.Graph().parse(data=text, format="turtle"), SUBJECT, field), graph


@pytest.mark.parametrize("preset, text, datatype", [
    ("quito_year", "2016", XSD.gYear),
    ("quito_count", "42", XSD.nonNegativeInteger),
    ("quito_amount", "3000000", XSD.nonNegativeInteger),
    ("quito_amount", "3000000.50", XSD.decimal),
    ("dcat_date", "2016-03", XSD.gYearMonth),
    ("date", "2016-03-04", XSD.date),
    ("quito_amount", "about 3", None),
    ("quito_text", "texto", None),
])
def test_scalars_typed_by_preset_and_back_as_text(preset, text, datatype):
    field = {"field_name": "f", "preset": preset}
    back, graph = through_turtle(field, text)
    assert graph.value(SUBJECT, QGOV.f).datatype == datatype
    assert back == text


@pytest.mark.parametrize("value", [7, 2.5, True])
def test_python_numbers_keep_their_type(value):
    back, _ = through_turtle({"field_name": "f"}, value)
    assert back == value and type(back) is type(value)


def test_multiple_choice_in_choice_order():
    field = {"field_name": "f", "preset": "multiple_select", "choices": CHOICES}
    back, graph = through_turtle(field, ["a", "c"])
    assert len(list(graph.objects(SUBJECT, QGOV.f))) == 2
    assert back == ["c", "a"]
    assert through_turtle(field, ["b"])[0] == ["b"]  # one value is still a list


def test_other_structures_as_json():
    value = ["x", {"total": 2, "nombre": "ñ"}]
    back, graph = through_turtle({"field_name": "f"}, value)
    assert graph.value(SUBJECT, QGOV.f).datatype == RDF_JSON
    assert back == value


def test_repeating_subfields_as_ordered_nodes():
    field = {"field_name": "projects", "repeating_subfields": [
        {"field_name": "name"}, {"field_name": "budget_amount", "preset": "quito_amount"},
        {"field_name": "sectors", "preset": "multiple_select", "choices": CHOICES}]}
    items = [{"name": f"P{i}", "budget_amount": str(i * 1000), "sectors": ["b"]} for i in range(5)]
    items.insert(2, {"name": "", "budget_amount": ""})  # an empty row is not data
    back, graph = through_turtle(field, items)
    nodes = list(graph.objects(SUBJECT, QGOV.projects))
    assert len(nodes) == 5 and all(isinstance(n, BNode) for n in nodes)
    assert back == [item for item in items if item["name"]]


def test_empty_values_are_not_written():
    graph = rdflib.Graph()
    for value in (None, "", [], {}):
        values.write(graph, SUBJECT, {"field_name": "f"}, value)
    assert len(graph) == 0
    assert values.read(graph, SUBJECT, {"field_name": "f"}) is values.MISSING


def test_literal_of_a_plain_text_has_no_language():
    assert values.literal({"field_name": "f"}, "Quito") == Literal("Quito")
