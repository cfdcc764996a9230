"""LOTAIP publications as ``dcat:DatasetSeries``: one series per dependency
and literal (2004 law) or numeral (2023 law), one member dataset per year.

The series is derived, not stored: its URI is built from the catalogue's
base URI (``<base>/lotaip/serie/<dependency>/<law>-<literal>``), its members
are the dependency's public lotaip datasets of that law and literal, and
each dataset's ``dcat:inSeries`` is marked ``qgov:derived`` so that the
parser never reads it back as a field. The series node is typed only
``dcat:DatasetSeries`` (not ``dcat:Dataset``), so ckanext-dcat's parser and
harvester never take it for a dataset; a catalogue page lists it once
through ``dcat:resource`` (``dcat:dataset`` would require it to be a
``dcat:Dataset`` in DCAT-AP 3's shapes).
"""
from __future__ import annotations

import re
import weakref
from typing import NamedTuple, Optional
from urllib.parse import quote

import sqlalchemy as sa
from ckan import model
from rdflib import Literal, URIRef
from rdflib.namespace import RDF

from ckanext.dcat.profiles.base import DCAT, DCT
from ckanext.dcat.utils import catalog_uri

from ckanext.quito_gobiernoabierto.datasets.lotaip_catalogue import N_, REGIMES, item

from . import agents, catalog, export, labels
from .vocab import DMQ_LOCATION, EU_AUTHORITY

DATASET_TYPE = "lotaip"
ANNUAL = URIRef(EU_AUTHORITY + "frequency/ANNUAL")
DESCRIPTION = N_("Yearly series of the transparency publications of {organization} under {law}: {item}. "
                 "Each year is published as a dataset of its own.")
# One cache per RDF graph: each series is described once per document.
_caches: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()


class Key(NamedTuple):
    organization: str  # the dependency's name
    regime: str
    code: str


class Member(NamedTuple):
    year: int
    uri: str
    modified: str  # ISO date-time of the last change, or ""


def key_of(dataset_dict: dict) -> Optional[Key]:
    """The series a dataset belongs to, or None (not LOTAIP, or incomplete)."""
    if dataset_dict.get("type") != DATASET_TYPE:
        return None
    owner = export.owner_name(dataset_dict)
    regime, code = (str(dataset_dict.get(k) or "").strip() for k in ("lotaip_regime", "lotaip_literal"))
    return Key(owner, regime, code) if owner and regime and code else None


def series_uri(key: Key) -> URIRef:
    """Stable: the catalogue's base URI (``ckanext.dcat.base_uri``), the
    dependency's name, the law and the literal."""
    path = "{}/{}-{}".format(quote(key.organization, safe=""), quote(key.regime, safe=""),
                             quote(key.code, safe=""))
    return URIRef(f"{catalog_uri().rstrip('/')}/lotaip/serie/{path}")


def write(profile, dataset_ref, dataset_dict: dict) -> Optional[URIRef]:
    """Link a LOTAIP dataset to its series and describe the series (once per graph)."""
    key = key_of(dataset_dict)
    graph = profile.g
    org = agents.organization(graph, key.organization) if key else None
    if org is None:
        return None
    key = key._replace(organization=org["name"])  # the name, even if the dataset gave the id
    described = _cache(graph)["described"]
    ref = described.get(key) or series_uri(key)
    members = _members(graph, key, org, dataset_dict, dataset_ref)
    graph.add((dataset_ref, DCAT.inSeries, ref))
    _neighbours(graph, dataset_ref, members, _year(dataset_dict.get("lotaip_year")))
    export.mark_derived(graph, dataset_ref, ["in_series"])
    if key not in described:
        described[key] = ref
        _describe(profile, ref, key, org, members)
        catalog.list_in_catalog(graph, DCAT.resource, ref)
    graph.add((ref, DCAT.seriesMember, dataset_ref))
    return ref


def _cache(graph) -> dict:
    """Per graph: the series described (key -> URI) and the stored members by dependency."""
    return _caches.setdefault(graph, {"described": {}, "members": {}})


def prime(graph, stored: dict[str, dict]) -> None:
    """Give ``graph`` the series already read by :func:`stored_series`, by organization id."""
    _cache(graph)["members"].update(stored)


def _year(value) -> Optional[int]:
    text = str(value or "").strip()
    return int(text) if re.fullmatch(r"\d{4}", text) else None


def _members(graph, key: Key, org: dict, dataset_dict: dict, dataset_ref) -> list[Member]:
    """The series' public datasets in the database (asked once per dependency
    and graph) and this one, whatever its state, by year."""
    stored = _cache(graph)["members"]
    if org["id"] not in stored:
        stored[org["id"]] = stored_series(org["id"])
    own_uri = str(dataset_ref)
    members = [m for m in stored[org["id"]].get((key.regime, key.code), []) if m.uri != own_uri]
    year = _year(dataset_dict.get("lotaip_year"))
    if year is not None:
        members.append(Member(year, own_uri, str(dataset_dict.get("metadata_modified") or "")))
    return sorted(members)


#: Dependencies' public LOTAIP datasets with their law, literal, year and
#: URI, in one plain statement (a page asks once: the same query in
#: SQLAlchemy's expression language cost ~9 ms of Python, and one join per
#: extra ~3 ms of planning). ``package.owner_org`` has no index: the
#: candidates come from the organizations' memberships (``member``, indexed
#: by group), which CKAN keeps for every dataset of an organization;
#: ``owner_org`` is still checked.
SERIES_SQL = sa.text("""
    SELECT p.owner_org, p.id, p.metadata_modified, json_object_agg(e.key, e.value) AS extras
    FROM package p JOIN package_extra e ON e.package_id = p.id AND e.state = 'active'
      AND e.key IN ('lotaip_regime', 'lotaip_literal', 'lotaip_year', 'uri')
    WHERE p.id IN (SELECT m.table_id FROM member m WHERE m.group_id = ANY(:orgs) AND m.table_name = 'package')
      AND p.type = :type AND p.state = 'active' AND NOT p.private AND p.owner_org = ANY(:orgs)
    GROUP BY p.id""")
SERIES_KEYS = ("lotaip_regime", "lotaip_literal", "lotaip_year")


def stored_series(org_id: str) -> dict[tuple[str, str], list[Member]]:
    """(law, literal) -> the dependency's active, public lotaip datasets, in
    one query (a catalogue page asks once per dependency)."""
    return stored_series_of([org_id]).get(org_id, {})


def stored_series_of(org_ids) -> dict[str, dict[tuple[str, str], list[Member]]]:
    """:func:`stored_series` of several dependencies (by id) in one query."""
    found: dict = {org_id: {} for org_id in org_ids}
    if not found:
        return found
    base = catalog_uri().rstrip("/")  # dataset_uri's fallback, read once
    rows = model.Session.execute(SERIES_SQL, {"type": DATASET_TYPE, "orgs": list(found)})
    for org_id, package_id, modified, extras in rows:
        year = _year(extras.get("lotaip_year"))
        if year is not None and all(k in extras for k in SERIES_KEYS):
            uri = extras.get("uri") or f"{base}/dataset/{package_id}"
            found[org_id].setdefault((extras["lotaip_regime"], extras["lotaip_literal"]), []).append(
                Member(year, uri, modified.isoformat() if modified else ""))
    return found


def _neighbours(graph, dataset_ref, members: list[Member], year: Optional[int]) -> None:
    """dcat:prev and dcat:next: the publications of the years before and after."""
    if year is None:
        return
    before = [m for m in members if m.year < year]
    after = [m for m in members if m.year > year]
    if before:
        graph.add((dataset_ref, DCAT.prev, URIRef(before[-1].uri)))
    if after:
        graph.add((dataset_ref, DCAT.next, URIRef(after[0].uri)))


def _describe(profile, ref, key: Key, org: dict, members: list[Member]) -> None:
    """The series node. Its contact point and period are nodes of the series
    (``<series>#contacto``, ``<series>#periodo``), not blank nodes: every
    member's description (``fragments.py``) describes them, as one node."""
    graph = profile.g
    graph.add((ref, RDF.type, DCAT.DatasetSeries))
    for lang, (title, description) in texts(key, org).items():
        graph.add((ref, DCT.title, Literal(title, lang=lang)))
        graph.add((ref, DCT.description, Literal(description, lang=lang)))
    graph.add((ref, DCT.publisher, agents.add_agent(graph, org)))
    agents.add_contact(graph, ref, org, node=URIRef(f"{ref}#contacto"))
    graph.add((ref, DCT.accrualPeriodicity, ANNUAL))
    graph.add((ANNUAL, RDF.type, DCT.Frequency))
    graph.add((ref, DCT.spatial, _district(profile)))
    for member in members:
        graph.add((ref, DCAT.seriesMember, URIRef(member.uri)))
    if members:
        graph.add((ref, DCAT.first, URIRef(members[0].uri)))
        graph.add((ref, DCAT.last, URIRef(members[-1].uri)))
        period = URIRef(f"{ref}#periodo")
        graph.add((ref, DCT.temporal, period))
        graph.add((period, RDF.type, DCT.PeriodOfTime))
        profile._add_date_triple(period, DCAT.startDate, f"{members[0].year}-01-01")
        profile._add_date_triple(period, DCAT.endDate, f"{members[-1].year}-12-31")
    modified = max((m.modified for m in members), default="")
    if modified:
        profile._add_date_triple(ref, DCT.modified, modified)


def _district(profile) -> URIRef:
    """The district, described once per graph (its geometries cost a conversion each)."""
    if (DMQ_LOCATION, RDF.type, DCT.Location) in profile.g:
        return DMQ_LOCATION
    return export.add_district(profile)


def texts(key: Key, org: dict) -> dict[str, tuple[str, str]]:
    """Language -> (title, description), e.g. "LOTAIP literal c – Remuneración
    mensual por puesto, Secretaría de Ambiente"."""
    law = REGIMES.get(key.regime)
    found = item(key.regime, key.code)
    kind = law.kind if law else "literal"
    organization = org.get("title") or org["name"]
    subjects = in_languages(found.subject) if found and found.subject else {}
    laws = in_languages(law.label) if law else {}
    out = {}
    for lang, description in in_languages(DESCRIPTION).items():
        subject = subjects.get(lang)
        title = f"LOTAIP {kind} {key.code}" + (f" – {subject}" if subject else "") + f", {organization}"
        item_text = f"{kind} {key.code}" + (f" ({subject})" if subject else "")
        out[lang] = (title, description.format(organization=organization, law=laws.get(lang, f"LOTAIP {key.regime}"),
                                               item=item_text))
    return out


def in_languages(msgid: str) -> dict[str, str]:
    """English (the msgid) and Spanish (its translation, or the msgid)."""
    found = {str(label.language): str(label) for label in labels.literals(msgid)}
    found.setdefault("es", msgid)
    return found
