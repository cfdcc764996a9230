"""Type every IRI or blank node a dataset or distribution points to with the
class DCAT-AP 3's range shapes expect, in the document itself (validators
do not dereference), and give concepts a ``skos:prefLabel``."""
from __future__ import annotations

import weakref
from typing import Optional

from rdflib import Literal, URIRef
from rdflib.namespace import FOAF, RDF, SKOS

from ckanext.dcat.profiles.base import ADMS, DCAT, DCATAP, DCT, VCARD

from . import labels
from . import schema as schemas
from .vocab import SCHEMES

DATASET_RANGES = {
    DCAT.theme: SKOS.Concept, DCT.type: SKOS.Concept, DCT.accrualPeriodicity: DCT.Frequency,
    DCT.language: DCT.LinguisticSystem, DCT.conformsTo: DCT.Standard, DCAT.landingPage: FOAF.Document,
    FOAF.page: FOAF.Document, DCT.spatial: DCT.Location, DCT.temporal: DCT.PeriodOfTime,
    DCT.publisher: FOAF.Agent, DCT.creator: FOAF.Agent, DCAT.contactPoint: VCARD.Kind,
    DCT.accessRights: DCT.RightsStatement, DCT.provenance: DCT.ProvenanceStatement,
    DCAT.qualifiedRelation: DCAT.Relationship, DCAT.distribution: DCAT.Distribution,
    ADMS.sample: DCAT.Distribution, ADMS.identifier: ADMS.Identifier,
}
DISTRIBUTION_RANGES = {
    DCT["format"]: DCT.MediaTypeOrExtent, DCAT.mediaType: DCT.MediaType, DCAT.compressFormat: DCT.MediaType,
    DCAT.packageFormat: DCT.MediaType, DCT.license: DCT.LicenseDocument, DCT.language: DCT.LinguisticSystem,
    DCT.conformsTo: DCT.Standard, FOAF.page: FOAF.Document, DCATAP.availability: SKOS.Concept,
    ADMS.status: SKOS.Concept, DCT.rights: DCT.RightsStatement, DCAT.accessService: DCAT.DataService,
}
AGENT_RANGES = {DCT.type: SKOS.Concept}
LICENCE_RANGES = {DCT.type: SKOS.Concept}
#: Dataset fields whose choices label the concepts they point to.
LABELLED_FIELDS = {DCAT.theme: "theme"}

#: Per graph: the (node, class) pairs already typed.
_typed: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()


def complete(graph, dataset_ref, schema: Optional[dict]) -> None:
    _type_objects(graph, dataset_ref, DATASET_RANGES, schema)
    for distribution in graph.objects(dataset_ref, DCAT.distribution):
        _type_objects(graph, distribution, DISTRIBUTION_RANGES, None)
        for licence in graph.objects(distribution, DCT.license):
            _type_objects(graph, licence, LICENCE_RANGES, None)
    for predicate in (DCT.publisher, DCT.creator):
        for agent in graph.objects(dataset_ref, predicate):
            _type_objects(graph, agent, AGENT_RANGES, None)


def _type_objects(graph, subject, ranges: dict, schema: Optional[dict]) -> None:
    """One pass over the subject's objects, in the order of ``ranges``; a node
    is typed (and a concept described) once per graph."""
    order = _order(ranges)
    found = [(order[p], p, o) for p, o in graph.predicate_objects(subject)
             if p in order and not isinstance(o, Literal)]
    done = _done(graph)
    for _, predicate, node in sorted(found, key=lambda item: item[0]):
        cls = ranges[predicate]
        if (node, cls) in done:
            continue
        done.add((node, cls))
        graph.add((node, RDF.type, cls))
        if cls == SKOS.Concept:
            _describe_concept(graph, node, LABELLED_FIELDS.get(predicate), schema)


def _order(ranges: dict) -> dict:
    return {predicate: position for position, predicate in enumerate(ranges)}


def _done(graph) -> set:
    """(node, class) pairs typed in this graph (typing again adds nothing)."""
    return _typed.setdefault(graph, set())


def _describe_concept(graph, node, field_name: Optional[str], schema: Optional[dict]) -> None:
    if (node, SKOS.prefLabel, None) not in graph:
        for label in concept_labels(node, field_name, schema):
            graph.add((node, SKOS.prefLabel, label))
    for prefix, (scheme, title) in SCHEMES.items():
        if str(node).startswith(prefix):
            graph.add((node, SKOS.inScheme, URIRef(scheme)))
            graph.add((URIRef(scheme), RDF.type, SKOS.ConceptScheme))
            graph.add((URIRef(scheme), DCT.title, Literal(title, lang="en")))


def concept_labels(node, field_name: Optional[str], schema: Optional[dict]) -> list[Literal]:
    """The schema's choice label (English, and Spanish when translated), or the
    last segment of the IRI when the schema does not name it."""
    label = schemas.choice_label(schema, field_name, str(node)) if field_name else None
    if label:
        return labels.literals(label)
    text = str(node).rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1] if isinstance(node, URIRef) else ""
    return [Literal(text or str(node))]
