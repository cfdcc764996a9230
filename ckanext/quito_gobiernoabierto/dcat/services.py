"""Map-layer services as ``dcat:DataService``.

A resource that is a web service (``distribution_kind: service``) with its
protocol (``service_protocol``) and layer (``layer_name``) gets a data
service linked from its distribution by ``dcat:accessService``: the resource
URL as endpoint, the capabilities document as endpoint description, the OGC
or Esri specification it conforms to and the dataset it serves. Resources
with explicit ``access_services`` keep only those (ckanext-dcat writes
them). The service is derived: the distribution carries
``qgov:derived "access_services"``, so parsing does not turn it into stored
access services.
"""
from __future__ import annotations

import json
from typing import NamedTuple, Optional
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from rdflib import Literal, URIRef
from rdflib.namespace import RDF

from ckanext.dcat.profiles.base import DCAT, DCT, CleanedURIRef
from ckanext.dcat.utils import resource_uri

from ckanext.quito_gobiernoabierto.datasets.lotaip_catalogue import N_

from . import catalog, export
from .series import in_languages


class Protocol(NamedTuple):
    label: str
    standard: str
    standard_title: str
    ogc_service: Optional[str]  # the SERVICE of its OGC requests, None if not OGC


PROTOCOLS = {
    "wms": Protocol("WMS", "http://www.opengeospatial.org/standards/wms", "OGC Web Map Service (WMS)", "WMS"),
    "wfs": Protocol("WFS", "http://www.opengeospatial.org/standards/wfs", "OGC Web Feature Service (WFS)", "WFS"),
    "wmts": Protocol("WMTS", "http://www.opengeospatial.org/standards/wmts",
                     "OGC Web Map Tile Service (WMTS)", "WMTS"),
    "arcgis_rest": Protocol("ArcGIS REST", "http://www.esri.com/library/whitepapers/pdfs/geoservices-rest-spec.pdf",
                            "Esri GeoServices REST Specification, Version 1.0", None),
}
#: Request parameters of one OGC operation, dropped from the capabilities URL
#: (vendor parameters such as MapServer's ``map`` are kept).
OGC_REQUEST_KEYS = {
    "service", "request", "version", "acceptversions", "layers", "layer", "query_layers", "typename", "typenames",
    "styles", "style", "bbox", "width", "height", "srs", "crs", "format", "info_format", "transparent",
    "tilematrixset", "tilematrix", "tilerow", "tilecol", "outputformat", "maxfeatures", "count", "i", "j", "x", "y",
}
TITLE = N_("{protocol} service of the layer {layer}")
#: Dataset values a service shares (DCAT-AP recommends them on a data service).
SHARED_WITH_DATASET = (DCAT.contactPoint, DCAT.theme, DCAT.keyword)


def protocol_of(resource: dict) -> Optional[Protocol]:
    """The protocol of a resource that is a complete web service, or None."""
    if resource.get("distribution_kind") != "service" or not str(resource.get("layer_name") or "").strip():
        return None
    if not str(resource.get("url") or "").strip().lower().startswith(("http://", "https://")):
        return None
    return PROTOCOLS.get(str(resource.get("service_protocol") or ""))


def has_explicit_services(resource: dict) -> bool:
    services = resource.get("access_services")
    if isinstance(services, str):
        try:
            services = json.loads(services) if services.strip() else []
        except ValueError:
            return bool(services.strip())
    return any(isinstance(s, dict) and any(v not in (None, "", [], {}) for v in s.values())
               for s in services or [])


def service_uri(resource: dict) -> URIRef:
    """The resource's URI with the fragment ``#service``."""
    uri = resource_uri(resource)
    return CleanedURIRef(uri + ("-service" if "#" in uri else "#service"))


def write(graph, dataset_ref, resource: dict) -> Optional[URIRef]:
    """Add the data service of one resource (after its distribution is written)."""
    protocol = protocol_of(resource)
    if protocol is None or has_explicit_services(resource):
        return None
    distribution = CleanedURIRef(resource_uri(resource))
    url = resource["url"].strip()
    ref = service_uri(resource)
    graph.add((distribution, DCAT.accessService, ref))
    graph.add((ref, RDF.type, DCAT.DataService))
    for lang, title in in_languages(TITLE).items():
        graph.add((ref, DCT.title, Literal(title.format(protocol=protocol.label, layer=resource["layer_name"].strip()),
                                           lang=lang)))
    if str(resource.get("description") or "").strip():
        graph.add((ref, DCT.description, Literal(resource["description"].strip())))
    graph.add((ref, DCAT.endpointURL, CleanedURIRef(url)))
    description = endpoint_description(url, protocol)
    if description:
        graph.add((ref, DCAT.endpointDescription, CleanedURIRef(description)))
    standard = URIRef(protocol.standard)
    graph.add((ref, DCT.conformsTo, standard))
    graph.add((standard, RDF.type, DCT.Standard))
    graph.add((standard, DCT.title, Literal(protocol.standard_title)))
    graph.add((ref, DCAT.servesDataset, dataset_ref))
    _share(graph, dataset_ref, distribution, ref)
    export.mark_derived(graph, distribution, ["access_services"])
    catalog.list_in_catalog(graph, DCAT.service, ref)
    return ref


def _share(graph, dataset_ref, distribution, ref) -> None:
    """Publisher, contact, themes and keywords of the dataset; the licence of
    the distribution."""
    for predicate in SHARED_WITH_DATASET:
        for value in graph.objects(dataset_ref, predicate):
            graph.add((ref, predicate, value))
    for subject, predicate in ((dataset_ref, DCT.publisher), (distribution, DCT.license)):
        value = graph.value(subject, predicate)  # one at most on a data service
        if value is not None:
            graph.add((ref, predicate, value))


def endpoint_description(url: str, protocol: Protocol) -> Optional[str]:
    """The service's self-description: an OGC GetCapabilities request (or the
    capabilities document the URL already is), ArcGIS REST's JSON description."""
    parts = urlsplit(url)
    if "{" in url:  # a URL template (RESTful WMTS tiles): no request to build
        return None
    if protocol.ogc_service is None:
        query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k.lower() != "f"]
        return urlunsplit(parts._replace(query=urlencode(query + [("f", "json")]), fragment=""))
    if parts.path.lower().endswith(".xml") and "capabilities" in parts.path.lower():
        return url
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k.lower() not in OGC_REQUEST_KEYS]
    query += [("SERVICE", protocol.ogc_service), ("REQUEST", "GetCapabilities")]
    return urlunsplit(parts._replace(query=urlencode(query), fragment=""))

