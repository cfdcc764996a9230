"""Dataset -> RDF, after ckanext-dcat's DCAT-AP 3 profile has run.

Adds what the standard profile leaves out (the type, the Quito fields, the
CKAN names) and the standard values the portal can infer (publisher, contact,
coverage, language, standards). Every inferred value is listed with
``qgov:derived "<field>"`` so the parser does not take it for data.
"""
from __future__ import annotations

import functools
import re
import weakref
from typing import Optional

from rdflib import BNode, Literal, URIRef
from rdflib.namespace import RDF, SKOS

from ckanext.dcat.profiles.base import DCAT, DCT

from . import agents, labels, values
from . import schema as schemas
from .vocab import (DMQ_BBOX, DMQ_CENTROID, DMQ_LOCATION, DMQ_NAME, QGOV, SPANISH, TYPE_SCHEME,
                    TYPE_SCHEME_TITLE, licence_uri,
                    standards_for, type_concept)

#: Fields ckanext-dcat fills from others when empty, by their property.
DATASET_FALLBACKS = {"identifier": DCT.identifier, "issued": DCT.issued, "modified": DCT.modified}
#: Fields whose standard terms do not come back as they went (ckanext-dcat
#: writes geometries as WKT rounded to 4 decimals, and its parser drops bbox
#: and centroid): their exact value also goes out as rdf:JSON.
EXACT_COPIES = ("spatial_coverage",)
#: Graphs the district is described in, and the type concepts described per graph.
_districts: "weakref.WeakSet" = weakref.WeakSet()
_types_described: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()
DERIVED = QGOV.derived
#: Pairs of date fields that give a dataset's time span when it states none.
DATE_RANGES = (("service_start_date", "service_end_date"), ("project_start", "project_end"),
               ("session_date", "session_date"))


def write_identity(graph, ref, dataset_dict: dict, schema: Optional[dict]) -> None:
    """Type, owner and licence as CKAN names, exactly."""
    dataset_type = dataset_dict.get("type") or "dataset"
    graph.add((ref, QGOV.datasetType, Literal(dataset_type)))
    concept = type_concept(dataset_type)
    graph.add((ref, DCT.type, concept))
    _describe_type(graph, concept, (schema or {}).get("quito_label") or dataset_type)
    owner = owner_name(dataset_dict)
    if owner:
        graph.add((ref, QGOV.owner_org, Literal(owner)))
    if dataset_dict.get("license_id"):
        graph.add((ref, QGOV.license_id, Literal(dataset_dict["license_id"])))
    for name in EXACT_COPIES:
        if not values.empty(dataset_dict.get(name)):
            graph.add((ref, QGOV[name], values.json_literal(dataset_dict[name])))


def _describe_type(graph, concept, label: str) -> None:
    """The type's concept and scheme, once per graph and type."""
    described = _types_described.setdefault(graph, set())
    if (concept, label) in described:
        return
    described.add((concept, label))
    graph.add((concept, RDF.type, SKOS.Concept))
    graph.add((concept, SKOS.inScheme, TYPE_SCHEME))
    graph.add((TYPE_SCHEME, RDF.type, SKOS.ConceptScheme))
    for lang, title in TYPE_SCHEME_TITLE.items():
        graph.add((TYPE_SCHEME, DCT.title, Literal(title, lang=lang)))
    for literal in labels.literals(label):
        graph.add((concept, SKOS.prefLabel, literal))


def owner_name(dataset_dict: dict) -> Optional[str]:
    org = dataset_dict.get("organization") or {}
    return org.get("name") or dataset_dict.get("owner_org") or None


def write_fields(graph, subject, data: dict, fields: list[dict]) -> None:
    for field in fields:
        values.write(graph, subject, field, data.get(field["field_name"]))


def write_defaults(profile, dataset_dict: dict, ref, schema: Optional[dict]) -> list[str]:
    """Standard values inferred for what the dataset leaves empty."""
    graph = profile.g
    derived = []
    if not _has(graph, ref, DCT.language):
        graph.add((ref, DCT.language, SPANISH))
        graph.add((SPANISH, RDF.type, DCT.LinguisticSystem))
        derived.append("language")
    if not _has(graph, ref, DCT.spatial):
        graph.add((ref, DCT.spatial, add_district(profile)))
        derived.append("spatial_coverage")
    span = time_span(dataset_dict, schema)
    if span and not _has(graph, ref, DCT.temporal):
        _add_period(profile, ref, *span)
        derived.append("temporal_coverage")
    if _add_standards(graph, ref, dataset_dict):
        derived.append("conforms_to")
    derived += _add_organization(graph, ref, dataset_dict)
    return derived + fallbacks(graph, ref, dataset_dict, DATASET_FALLBACKS)


def fallbacks(graph, ref, data: dict, predicates: dict) -> list[str]:
    """Fields ckanext-dcat filled from other ones (``identifier`` from the id,
    ``issued`` from ``metadata_created``...), which the parser must not keep."""
    extras = {e.get("key") for e in data.get("extras") or []}
    return [name for name, predicate in predicates.items()
            if values.empty(data.get(name)) and name not in extras and (ref, predicate, None) in graph]


def mark_derived(graph, subject, names: list[str]) -> None:
    for name in names:
        graph.add((subject, DERIVED, _name_literal(name)))


@functools.lru_cache(maxsize=None)
def _name_literal(name: str) -> Literal:
    return Literal(name)


def _has(graph, subject, predicate) -> bool:
    return (subject, predicate, None) in graph


def add_district(profile) -> URIRef:
    """The Distrito Metropolitano de Quito as a dct:Location (described once
    per graph: its geometries cost a conversion each)."""
    graph = profile.g
    if graph in _districts:
        return DMQ_LOCATION
    _districts.add(graph)
    graph.add((DMQ_LOCATION, RDF.type, DCT.Location))
    graph.add((DMQ_LOCATION, SKOS.prefLabel, Literal(DMQ_NAME, lang="es")))
    profile._add_spatial_value_to_graph(DMQ_LOCATION, DCAT.bbox, DMQ_BBOX)
    profile._add_spatial_value_to_graph(DMQ_LOCATION, DCAT.centroid, DMQ_CENTROID)
    return DMQ_LOCATION


def time_span(dataset_dict: dict, schema: Optional[dict]) -> Optional[tuple[str, str]]:
    """(start, end) from the type's dates, or the year it covers."""
    for start_key, end_key in DATE_RANGES:
        start, end = dataset_dict.get(start_key), dataset_dict.get(end_key)
        if start or end:
            return str(start or ""), str(end or "")
    for name in schemas.year_fields(schema):
        year = str(dataset_dict.get(name) or "")
        if re.fullmatch(r"\d{4}", year):
            return f"{year}-01-01", f"{year}-12-31"
    return None


def _add_period(profile, ref, start: str, end: str) -> None:
    period = BNode()
    profile.g.add((ref, DCT.temporal, period))
    profile.g.add((period, RDF.type, DCT.PeriodOfTime))
    if start:
        profile._add_date_triple(period, DCAT.startDate, start)
    if end:
        profile._add_date_triple(period, DCAT.endDate, end)


def _add_standards(graph, ref, dataset_dict: dict) -> bool:
    added = False
    for uri, title in standards_for(dataset_dict):
        standard = URIRef(uri)
        graph.add((standard, RDF.type, DCT.Standard))
        graph.add((standard, DCT.title, Literal(title)))
        if (ref, DCT.conformsTo, standard) not in graph:
            graph.add((ref, DCT.conformsTo, standard))
            added = True
    return added


def _add_organization(graph, ref, dataset_dict: dict) -> list[str]:
    """Publisher and, if the dataset has none, contact from the dependency."""
    owner = owner_name(dataset_dict)
    org = agents.organization(graph, owner) if owner else None
    if not org:
        return []
    derived = []
    if not _explicit_publisher(dataset_dict):
        graph.remove((ref, DCT.publisher, None))  # ckanext-dcat's fallback, a poorer copy
        graph.add((ref, DCT.publisher, agents.add_agent(graph, org)))
        derived.append("publisher")
    if not _has(graph, ref, DCAT.contactPoint):
        agents.add_contact(graph, ref, org)
        derived.append("contact")
    return derived


def _explicit_publisher(dataset_dict: dict) -> bool:
    publishers = dataset_dict.get("publisher")
    if isinstance(publishers, list) and any(any(p.values()) for p in publishers if isinstance(p, dict)):
        return True
    extras = {e.get("key"): e.get("value") for e in dataset_dict.get("extras") or []}
    return bool(dataset_dict.get("publisher_uri") or dataset_dict.get("publisher_name")
                or extras.get("publisher_uri") or extras.get("publisher_name"))


def dataset_licence(dataset_dict: dict) -> Optional[URIRef]:
    uri = licence_uri(dataset_dict.get("license_id"))
    if not uri and str(dataset_dict.get("license_url") or "").startswith("http"):
        uri = dataset_dict["license_url"]
    return URIRef(uri) if uri else None
