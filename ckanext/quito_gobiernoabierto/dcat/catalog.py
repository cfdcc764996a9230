"""The dcat:Catalog node: what DCAT-AP 3 requires of it that ckanext-dcat
leaves to the site configuration (publisher, description, language IRI)."""
from __future__ import annotations

from rdflib import Literal, URIRef
from rdflib.namespace import FOAF, RDF, SKOS

from ckanext.dcat.profiles.base import DCAT, DCT
from ckanext.dcat.utils import catalog_uri

from . import export
from .vocab import EU_AUTHORITY, LOCAL_AUTHORITY, MUNICIPALITY, MUNICIPALITY_NAME

#: The themes of every dataset come from the EU data-theme vocabulary.
THEMES = URIRef(EU_AUTHORITY + "data-theme")
DESCRIPTION = ("Catálogo de datos abiertos del Portal de Gobierno Abierto del Municipio del "
               "Distrito Metropolitano de Quito.")
MUNICIPALITY_HOMEPAGE = URIRef("https://www.quito.gob.ec")
#: CKAN locales -> EU language codes.
LANGUAGES = {"es": "SPA", "en": "ENG"}


def complete(profile, catalog_ref) -> None:
    graph = profile.g
    _languages(graph, catalog_ref)
    if (catalog_ref, DCT.description, None) not in graph:
        graph.add((catalog_ref, DCT.description, Literal(DESCRIPTION, lang="es")))
    if (catalog_ref, DCT.publisher, None) not in graph:
        graph.add((catalog_ref, DCT.publisher, _municipality(graph)))
    for homepage in graph.objects(catalog_ref, FOAF.homepage):
        graph.add((homepage, RDF.type, FOAF.Document))
    if (catalog_ref, DCT.spatial, None) not in graph:
        graph.add((catalog_ref, DCT.spatial, export.add_district(profile)))
    graph.add((catalog_ref, DCAT.themeTaxonomy, THEMES))
    graph.add((THEMES, RDF.type, SKOS.ConceptScheme))
    graph.add((THEMES, DCT.title, Literal("Data theme", lang="en")))


def list_in_catalog(graph, predicate, ref) -> None:
    """On a catalogue page, list a node its datasets point to (a series with
    ``dcat:resource``, a data service with ``dcat:service``)."""
    catalog_ref = URIRef(catalog_uri())
    if (catalog_ref, RDF.type, DCAT.Catalog) in graph:
        graph.add((catalog_ref, predicate, ref))


def _languages(graph, catalog_ref) -> None:
    for old in [o for o in graph.objects(catalog_ref, DCT.language) if isinstance(o, Literal)]:
        code = LANGUAGES.get(str(old).split("_")[0].lower())
        graph.remove((catalog_ref, DCT.language, old))
        if code:
            graph.add((catalog_ref, DCT.language, URIRef(f"{EU_AUTHORITY}language/{code}")))
    for language in graph.objects(catalog_ref, DCT.language):
        graph.add((language, RDF.type, DCT.LinguisticSystem))


def _municipality(graph) -> URIRef:
    graph.add((MUNICIPALITY, RDF.type, FOAF.Agent))
    graph.add((MUNICIPALITY, FOAF.name, Literal(MUNICIPALITY_NAME, lang="es")))
    graph.add((MUNICIPALITY, DCT.type, LOCAL_AUTHORITY))
    graph.add((LOCAL_AUTHORITY, RDF.type, SKOS.Concept))
    graph.add((LOCAL_AUTHORITY, SKOS.prefLabel, Literal("Local Authority", lang="en")))
    graph.add((MUNICIPALITY, FOAF.homepage, MUNICIPALITY_HOMEPAGE))
    graph.add((MUNICIPALITY_HOMEPAGE, RDF.type, FOAF.Document))
    return MUNICIPALITY
