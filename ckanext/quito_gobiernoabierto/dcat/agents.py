"""The dependency that publishes a dataset as a ``foaf:Agent`` (with its
parent bodies from the organigram) and its authority as a contact point."""
from __future__ import annotations

import weakref
from typing import Optional

import sqlalchemy as sa
from ckan import model
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import FOAF, RDF, SKOS

from ckanext.dcat.profiles.base import DCAT, DCT, VCARD, CleanedURIRef
from ckanext.dcat.utils import catalog_uri

from .vocab import LOCAL_AUTHORITY, ORG, QGOV

MAX_DEPTH = 12
# One cache per RDF graph: the organizations, read once per graph.
_caches: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()


#: Every active organization with its extras and its active parent
#: organizations (CKAN's Group.get, Group.extras and get_parent_groups for all
#: of them in one statement): a catalogue page needs dozens of publishers and
#: their parents, and the organigram has fewer than a hundred dependencies.
FETCH_SQL = sa.text("""
    SELECT g.id, g.name, g.title,
      (SELECT json_object_agg(e.key, e.value) FROM group_extra e WHERE e.group_id = g.id) AS extras,
      (SELECT json_agg(p.name) FROM member m JOIN "group" p ON p.id = m.table_id
        WHERE m.group_id = g.id AND m.table_name = 'group' AND m.state = 'active'
          AND p.type = 'organization' AND p.state = 'active') AS parents
    FROM "group" g WHERE g.is_organization AND g.state = 'active'""")


def fetch_all() -> dict[str, dict]:
    """Active organizations with their scheming fields (acronym, parent,
    authority...), by id and by name, read from the database in one query
    (organization_show costs ~25 ms each)."""
    found = {}
    for row in model.Session.execute(FETCH_SQL).mappings():
        data = {key: value for key, value in (row["extras"] or {}).items() if value}
        data.update(id=row["id"], name=row["name"], title=row["title"])
        if not data.get("parent"):
            data["groups"] = [{"name": name} for name in row["parents"] or []]
        found[row["id"]] = found[row["name"]] = data
    return found


def _cache(graph) -> dict:
    return _caches.setdefault(graph, {"organizations": None, "described": set()})


def prime(graph, organizations: dict[str, dict]) -> None:
    """Give ``graph`` the organizations already read by :func:`fetch_all`."""
    _cache(graph)["organizations"] = organizations


def organization(graph, id_or_name: str) -> Optional[dict]:
    """An active organization by id or name, from the graph's copy of them all."""
    cache = _cache(graph)
    if cache["organizations"] is None:
        cache["organizations"] = fetch_all()
    return cache["organizations"].get(id_or_name)


def organization_uri(org: dict) -> URIRef:
    """Same URI as ckanext-dcat's publisher fallback: catalogue + /organization/<id>."""
    return CleanedURIRef("{}/organization/{}".format(catalog_uri().rstrip("/"), org.get("id") or org["name"]))


def parent_name(org: dict) -> Optional[str]:
    if org.get("parent"):
        return org["parent"]
    groups = org.get("groups") or []
    return groups[0].get("name") if groups else None


def add_agent(graph, org: dict, depth: int = 0) -> URIRef:
    """The organization and, up the organigram, its parents (once per graph)."""
    ref = organization_uri(org)
    described = _cache(graph)["described"]
    if ref in described:
        return ref
    described.add(ref)
    graph.add((ref, RDF.type, FOAF.Agent))
    graph.add((ref, RDF.type, FOAF.Organization))
    graph.add((ref, FOAF.name, Literal(org.get("title") or org["name"])))
    graph.add((ref, QGOV.name, Literal(org["name"])))
    graph.add((ref, DCT.type, LOCAL_AUTHORITY))
    graph.add((LOCAL_AUTHORITY, RDF.type, SKOS.Concept))
    graph.add((LOCAL_AUTHORITY, SKOS.prefLabel, Literal("Local Authority", lang="en")))
    if org.get("acronym"):
        graph.add((ref, SKOS.altLabel, Literal(org["acronym"])))
    if org.get("website"):
        homepage = CleanedURIRef(org["website"])
        graph.add((ref, FOAF.homepage, homepage))
        graph.add((homepage, RDF.type, FOAF.Document))
    parent = parent_name(org)
    parent_org = organization(graph, parent) if parent and depth < MAX_DEPTH else None
    if parent_org:
        graph.add((ref, ORG.subOrganizationOf, add_agent(graph, parent_org, depth + 1)))
    return ref


def add_contact(graph, subject, org: dict, node=None):
    """The dependency's highest authority as its contact point (vcard): a
    blank node, or ``node`` (a node shared by several descriptions)."""
    ref = node if node is not None else BNode()
    graph.add((subject, DCAT.contactPoint, ref))
    graph.add((ref, RDF.type, VCARD.Kind))
    graph.add((ref, RDF.type, VCARD.Organization))
    graph.add((ref, VCARD.fn, Literal(org.get("authority_name") or org.get("title") or org["name"])))
    graph.add((ref, VCARD["organization-name"], Literal(org.get("title") or org["name"])))
    if org.get("authority_title"):
        graph.add((ref, VCARD.title, Literal(org["authority_title"])))
    if org.get("authority_email"):
        graph.add((ref, VCARD.hasEmail, URIRef("mailto:" + org["authority_email"].strip())))
    if org.get("authority_phone"):
        graph.add((ref, VCARD.hasTelephone, URIRef(_tel(org["authority_phone"], org.get("authority_phone_ext")))))
    if org.get("website"):
        graph.add((ref, VCARD.hasURL, CleanedURIRef(org["website"])))
    return ref


def _tel(phone: str, extension: Optional[str]) -> str:
    digits = "".join(c for c in phone if c.isdigit() or c == "+")
    return f"tel:{digits}" + (f";ext={extension.strip()}" if extension else "")
