"""Field values as RDF under the Quito namespace, and back.

- a scalar is one literal (``qgov:<field>``), typed from the field's preset
  when its text fits (year, date, count, amount) and read back as the same
  text; Python numbers and booleans keep their type;
- a multiple-choice field is one literal per value, read back in the order
  of the field's choices;
- repeating subfields are one blank node per item with one property per
  subfield and ``qgov:listPosition``;
- any other structure (a computed list, a dict) is one ``rdf:JSON`` literal.
"""
from __future__ import annotations

import json
import re
from typing import Any

from rdflib import BNode, Literal, URIRef
from rdflib.namespace import XSD

from ckanext.dcat.validators import is_date, is_year, is_year_month

from . import schema as schemas
from .vocab import QGOV, RDF_JSON

POSITION = QGOV.listPosition
NATIVE = {XSD.integer, XSD.double, XSD.boolean}
#: Datatypes by preset, each for the text it fits. Whole amounts are typed
#: nonNegativeInteger (a decimal): Turtle would write a whole xsd:decimal
#: as "3000000.0", and the text must come back as it went.
PRESET_TYPES = {
    "quito_year": [(XSD.gYear, r"\d{4}")],
    "quito_required_year": [(XSD.gYear, r"\d{4}")],
    "quito_count": [(XSD.nonNegativeInteger, r"[1-9]\d*|0")],
    "quito_amount": [(XSD.nonNegativeInteger, r"[1-9]\d*|0"), (XSD.decimal, r"\d+\.\d+")],
}
MISSING = object()


def empty(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == {}


def _date_type(text: str):
    for check, datatype in ((is_year, XSD.gYear), (is_year_month, XSD.gYearMonth), (is_date, XSD.date)):
        if check(text):
            return datatype
    return None


def literal(field: dict, value: Any) -> Literal:
    """One value as a literal, typed when the schema says what it is."""
    if isinstance(value, (bool, int, float)):
        return Literal(value)
    text = str(value)
    for datatype, pattern in PRESET_TYPES.get(field.get("preset"), []):
        if re.fullmatch(pattern, text):
            return Literal(text, datatype=datatype)
    if field.get("preset") in ("date", "dcat_date") and _date_type(text):
        return Literal(text, datatype=_date_type(text))
    return Literal(text)


def json_literal(value: Any) -> Literal:
    return Literal(json.dumps(value, ensure_ascii=False, sort_keys=True), datatype=RDF_JSON)


def python_value(node) -> Any:
    if isinstance(node, Literal) and node.datatype in NATIVE:
        return node.toPython()
    if isinstance(node, Literal) and node.datatype == RDF_JSON:
        return json.loads(str(node))
    return str(node)


def write(graph, subject, field: dict, value: Any) -> None:
    """Add the triples of one field value to ``graph``."""
    if empty(value):
        return
    predicate = QGOV[field["field_name"]]
    if schemas.is_repeating(field) and isinstance(value, list):
        for position, item in enumerate(value):
            _write_item(graph, subject, predicate, field, item, position)
    elif isinstance(value, list) and schemas.is_multiple(field):
        for item in value:
            graph.add((subject, predicate, literal(field, item)))
    elif isinstance(value, (list, dict)):
        graph.add((subject, predicate, json_literal(value)))
    else:
        graph.add((subject, predicate, literal(field, value)))


def _write_item(graph, subject, predicate, field, item, position) -> None:
    if not isinstance(item, dict) or all(empty(v) for v in item.values()):
        return
    node = BNode()
    graph.add((subject, predicate, node))
    graph.add((node, POSITION, Literal(position)))
    for subfield in field["repeating_subfields"]:
        write(graph, node, subfield, item.get(subfield["field_name"]))


def read(graph, subject, field: dict) -> Any:
    """The value of one field from ``graph``, or MISSING."""
    objects = list(graph.objects(subject, QGOV[field["field_name"]]))
    if not objects:
        return MISSING
    if schemas.is_repeating(field) and all(isinstance(o, (BNode, URIRef)) for o in objects):
        return [_read_item(graph, node, field) for node in _by_position(graph, objects)]
    if len(objects) == 1 and not schemas.is_multiple(field):
        return python_value(objects[0])
    return in_choice_order(field, [python_value(o) for o in objects])


def in_choice_order(field: dict, items: list) -> list:
    """RDF has no order: lists come back in the order of the field's choices
    (as scheming stores them), other values sorted."""
    order = schemas.choice_order(field)
    return sorted(items, key=lambda v: (order.index(v) if v in order else len(order), str(v)))


def _by_position(graph, nodes) -> list:
    def position(node):
        value = graph.value(node, POSITION)
        return int(value) if value is not None else 0
    return sorted(nodes, key=position)


def _read_item(graph, node, field: dict) -> dict:
    item = {}
    for subfield in field["repeating_subfields"]:
        value = read(graph, node, subfield)
        if value is not MISSING:
            item[subfield["field_name"]] = value
    return item
