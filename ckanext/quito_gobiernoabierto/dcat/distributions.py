"""Resources (dcat:Distribution) both ways: order, the type's own resource
fields, formats and media types as vocabulary IRIs, the dataset's licence."""
from __future__ import annotations

import weakref
from typing import Optional

from rdflib import BNode, Literal, URIRef
from rdflib.namespace import RDF, RDFS

from ckanext.dcat.profiles.base import DCAT, DCT, CleanedURIRef
from ckanext.dcat.utils import resource_uri

from . import export, values
from .vocab import QGOV, format_uri, licence_types, media_type_uri

POSITION = values.POSITION
#: Per graph: the licences described.
_licences: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()
#: Fields ckanext-dcat fills from others when empty (``url``, ``created``...).
FALLBACKS = {"issued": DCT.issued, "modified": DCT.modified, "access_url": DCAT.accessURL}


def write(graph, resource: dict, position: int, fields: list[dict], licence: Optional[URIRef]) -> None:
    ref = CleanedURIRef(resource_uri(resource))
    graph.add((ref, POSITION, Literal(position)))
    for field in fields:
        values.write(graph, ref, field, resource.get(field["field_name"]))
    _write_format(graph, ref, resource)
    _write_media_type(graph, ref, resource)
    derived = export.fallbacks(graph, ref, resource, FALLBACKS)
    if licence is not None and (ref, DCT.license, None) not in graph:
        graph.add((ref, DCT.license, licence))
        _describe_licence(graph, licence)
        derived.append("license")
    export.mark_derived(graph, ref, derived)


def _describe_licence(graph, licence: URIRef) -> None:
    """The licence document and its ADMS types, once per graph."""
    described = _licences.setdefault(graph, set())
    if licence in described:
        return
    described.add(licence)
    graph.add((licence, RDF.type, DCT.LicenseDocument))
    for licence_type in licence_types(str(licence)):
        graph.add((licence, DCT.type, licence_type))


def _write_format(graph, ref, resource: dict) -> None:
    """dct:format as an EU file type (or IANA type) IRI; the CKAN label kept exactly."""
    for old in [o for o in graph.objects(ref, DCT["format"]) if isinstance(o, Literal)]:
        graph.remove((ref, DCT["format"], old))
        uri = format_uri(str(old))
        node = URIRef(uri) if uri else BNode()
        graph.add((ref, DCT["format"], node))
        graph.add((node, RDF.type, DCT.MediaTypeOrExtent))
        if not uri:
            graph.add((node, RDFS.label, old))
    if resource.get("format"):
        graph.add((ref, QGOV["format"], Literal(resource["format"])))


def _write_media_type(graph, ref, resource: dict) -> None:
    """dcat:mediaType as an IANA IRI; the CKAN text kept exactly."""
    for old in [o for o in graph.objects(ref, DCAT.mediaType) if isinstance(o, Literal)]:
        graph.remove((ref, DCAT.mediaType, old))
        uri = media_type_uri(str(old))
        if uri:
            graph.add((ref, DCAT.mediaType, URIRef(uri)))
            graph.add((URIRef(uri), RDF.type, DCT.MediaType))
    if resource.get("mimetype"):
        graph.add((ref, QGOV.mimetype, Literal(resource["mimetype"])))


def nodes(graph, dataset_ref) -> dict:
    """Distribution nodes by the ``distribution_ref`` ckanext-dcat's parser records."""
    return {str(node): node for node in graph.objects(dataset_ref, DCAT.distribution)}


def read(graph, resource: dict, ref, fields: list[dict]) -> None:
    """Complete one resource dict parsed by ckanext-dcat from its distribution."""
    for field in fields:
        value = values.read(graph, ref, field)
        if value is not values.MISSING:
            resource[field["field_name"]] = value
    # Format and media type went out as vocabulary IRIs; their CKAN text is exact here.
    for key, predicate in (("format", QGOV["format"]), ("mimetype", QGOV.mimetype)):
        exact = graph.value(ref, predicate)
        if exact is None:
            resource.pop(key, None)
        else:
            resource[key] = str(exact)
    for name in graph.objects(ref, QGOV.derived):
        resource.pop(str(name), None)


def position(graph, ref) -> int:
    value = graph.value(ref, POSITION) if ref is not None else None
    return int(value) if value is not None else 1 << 30
