"""Catalogue pages in Turtle from stored dataset descriptions.

A page of ``/catalog.ttl`` (100 datasets) costs about a second of rdflib
work, nearly all of it describing the datasets, and the same descriptions
are asked for again and again: every harvester crawls every page, every
day. A dataset's description is a function of

- the dataset as the search returns it (``metadata_modified`` included);
- the active organizations (its publisher, the parents up the organigram,
  its contact point), read in one query for the page;
- for a LOTAIP publication, the members of its series (years, addresses,
  last changes), read in one query per dependency on the page;
- the configuration, the code and the translations that write it.

Each description is written on its own (a graph holding one dataset, with
everything it points to described in it) and kept in Redis under a digest
of all of these inputs: a description is found again only while nothing it
is made of has changed, and an edit, a new member of a series, a renamed
dependency or an upgrade simply lead to other keys (the old ones expire,
``ckanext.quito.dcat.fragment_ttl``). The page is the catalogue's own
description (made for every request: pagination, ``dct:modified``) followed
by the descriptions of its datasets; as a graph it is the union of the
page-wide graph ckanext-dcat would build (a node such as a publisher or the
district, described in several descriptions, is the same triples again).

Redis unreachable: every description is made for the request, as without
the store. Other formats and profiles go to ckanext-dcat unchanged.
"""
from __future__ import annotations

import copy
import functools
import hashlib
import json
import logging
import os
import zlib
from importlib import metadata
from typing import Iterable, NamedTuple, Optional

import rdflib
from rdflib import URIRef
from rdflib.namespace import RDF

import ckan.plugins.toolkit as tk
from ckanext.dcat.processors import RDFSerializer
from ckanext.dcat.profiles.base import DCAT
from ckanext.dcat.utils import catalog_uri, dataset_uri

from ckanext.quito_gobiernoabierto import package_path

from . import agents, series, turtle
from .vocab import ORG, QGOV

log = logging.getLogger(__name__)

PROFILE = "quito_dcat_ap"
STORE_PREFIX = "quito:dcat:fragment:"
#: Settings that change what a description says.
CONFIG_PREFIXES = ("ckanext.dcat.", "ckan.site_url", "ckan.locale", "scheming.", "ckan.root_path")


class Inputs(NamedTuple):
    """What the datasets of a page are described from, besides themselves."""
    organizations: dict  # id and name -> organization (agents.fetch_all)
    organizations_digest: bytes
    series: dict  # organization id -> (law, literal) -> members (series.stored_series)


# -- which requests ---------------------------------------------------------------------------
def enabled() -> bool:
    return tk.asbool(tk.config.get("ckanext.quito.dcat.fragment_cache"))


def page_profiles(data_dict: dict) -> Optional[list[str]]:
    """The profiles of a Turtle catalogue page written from descriptions, or
    None when the page goes to ckanext-dcat as it is."""
    from ckanext.dcat.utils import url_to_rdflib_format

    if not enabled() or url_to_rdflib_format(data_dict.get("format") or "xml") not in turtle.TURTLE_FORMATS:
        return None
    if tk.asbool(tk.config.get("ckanext.dcat.expose_subcatalogs")):
        return None
    profiles = data_dict.get("profiles") or (tk.config.get("ckanext.dcat.rdf.profiles") or "").split()
    return list(profiles) if PROFILE in profiles else None


# -- what a description is made of --------------------------------------------------------------
def read_inputs(datasets: list[dict]) -> Inputs:
    """The organizations, and the series of the page's LOTAIP publications."""
    organizations = agents.fetch_all()
    keys = (series.key_of(dataset) for dataset in datasets)
    lotaip = {organizations[key.organization]["id"] for key in keys if key and key.organization in organizations}
    unique = {org["id"]: org for org in organizations.values()}
    return Inputs(organizations, _digest(sorted(unique.items())), series.stored_series_of(sorted(lotaip)))


def _series_members(dataset: dict, inputs: Inputs) -> list:
    key = series.key_of(dataset)
    org = inputs.organizations.get(key.organization) if key else None
    if not org:
        return []
    return inputs.series.get(org["id"], {}).get((key.regime, key.code), [])


def fragment_key(dataset: dict, inputs: Inputs, salt: bytes) -> str:
    """The digest of everything the dataset's description is made of."""
    h = hashlib.blake2b(salt, digest_size=20)
    h.update(inputs.organizations_digest)
    h.update(json.dumps(dataset, sort_keys=True, default=str, ensure_ascii=False).encode("utf-8", "surrogatepass"))
    h.update(json.dumps(_series_members(dataset, inputs), default=str).encode())
    return h.hexdigest()


def salt(profiles: list[str], namespaces: Iterable[tuple[str, str]]) -> bytes:
    """The code, translations and settings that write descriptions, the
    profiles and the prefixes: a change of any of them changes every key."""
    settings = sorted((k, str(v)) for k, v in tk.config.items() if str(k).startswith(CONFIG_PREFIXES))
    return _digest([CODE_DIGEST.hex(), settings, list(profiles), sorted((p, str(n)) for p, n in namespaces)])


def _code_digest() -> bytes:
    """The extension's source (every module: series texts live outside
    ``dcat/``), translations and schemas, and the versions of what else
    writes RDF. Read once, when the module is imported with the plugins: a
    process keeps the code it started with, so its keys do too. Paths are
    relative to the package, so that hosts share descriptions."""
    h = hashlib.blake2b(digest_size=20)
    for name in ("ckan", "ckanext-dcat", "ckanext-scheming", "rdflib"):
        h.update(f"{name}={metadata.version(name)};".encode())
    for name, endings in (("", (".py",)), ("i18n", (".mo",)), ("schemas", (".yaml", ".json"))):
        root = package_path(name) if name else package_path()
        for path in sorted(_files(root, endings)):
            with open(path, "rb") as f:
                h.update(f"{name}/{os.path.relpath(path, root)}".encode() + b"\0" + f.read())
    return h.digest()


def _files(folder: str, endings: tuple) -> Iterable[str]:
    for root, _dirs, names in os.walk(folder):
        yield from (os.path.join(root, n) for n in names if n.endswith(endings))


def _digest(value) -> bytes:
    return hashlib.blake2b(json.dumps(value, sort_keys=True, default=str).encode(), digest_size=20).digest()


CODE_DIGEST = _code_digest()


# -- writing --------------------------------------------------------------------------------------
def describe(serializer: RDFSerializer, dataset: dict, inputs: Inputs, namespaces: list, key: str) -> str:
    """The dataset's description on its own: the namespaces it uses (a line),
    then its Turtle statements, blank nodes labelled after ``key``."""
    graph = serializer.g = turtle.light_graph()
    agents.prime(graph, inputs.organizations)
    series.prime(graph, inputs.series)
    seed = (URIRef(catalog_uri()), RDF.type, DCAT.Catalog)
    graph.add(seed)  # so that series and services are listed in the catalogue
    serializer.graph_from_dataset(dataset)
    graph.remove(seed)
    writer = turtle.Writer(namespaces, label_prefix=f"f{key[:12]}b")
    body = writer.body(graph)
    return " ".join(sorted(writer.used)) + "\n" + body


def header(serializer: RDFSerializer, datasets: list[dict], pagination: Optional[dict]):
    """The catalogue's own description, its links to the page's datasets and
    the pagination: the graph, as ckanext-dcat's ``serialize_catalog`` makes it."""
    catalog_ref = serializer.graph_from_catalog({})
    graph = serializer.g
    graph.bind("qgov", QGOV)
    graph.bind("org", ORG)
    base = catalog_uri().rstrip("/")
    for dataset in datasets:
        graph.add((catalog_ref, DCAT.dataset, URIRef(_dataset_uri(dataset, base))))
    if pagination:
        serializer._add_pagination_triples(pagination)
    return graph


def _dataset_uri(dataset: dict, base: str) -> str:
    """ckanext-dcat's ``dataset_uri`` with the catalogue's URI read once a page."""
    if dataset.get("uri") or not dataset.get("id"):
        return dataset_uri(dataset)
    extra = next((e["value"] for e in dataset.get("extras") or [] if e.get("key") == "uri" and e.get("value") != "None"),
                 None)
    return extra or f"{base}/dataset/{dataset['id']}"


def assemble(graph, namespaces: list, descriptions: list[str]) -> str:
    """The page: the prefixes it uses, the catalogue, then each description."""
    writer = turtle.Writer(namespaces, label_prefix="c")
    body = writer.body(graph)
    parts = []
    for text in descriptions:
        used, _, statements = text.partition("\n")
        writer.used.update(used.split())
        parts.append(statements)
    return writer.prefixes(only_used=True) + "\n" + body + "".join(parts)


def catalog_page(profiles: list[str], datasets: list[dict], pagination: Optional[dict]) -> str:
    """A Turtle catalogue page, each dataset's description taken from the
    store when its inputs are unchanged, made (and stored) otherwise."""
    serializer = new_serializer(profiles)
    graph = header(serializer, datasets, pagination)
    namespaces = list(graph.namespaces())
    inputs = read_inputs(datasets)
    page_salt = salt(profiles, namespaces)
    keys = [fragment_key(dataset, inputs, page_salt) for dataset in datasets]
    found = load(set(keys))
    stored = found or {}
    missing = [(key, dataset) for key, dataset in zip(keys, datasets) if key not in stored]
    if missing:
        forget_stale_publishers(inputs)
    made = {key: describe(serializer, dataset, inputs, namespaces, key) for key, dataset in missing}
    if found is not None:  # the store answered: keep what was made
        save(made)
    descriptions = {**stored, **made}
    return assemble(graph, namespaces, [descriptions[key] for key in keys])


def new_serializer(profiles: list[str]) -> RDFSerializer:
    """An ``RDFSerializer`` with a graph of its own; the profiles are looked up
    in the package metadata once per process (~30 ms each time otherwise)."""
    serializer = copy.copy(_prototype(tuple(profiles), tk.asbool(tk.config.get("ckanext.dcat.compatibility_mode"))))
    serializer.g = rdflib.ConjunctiveGraph()  # as RDFSerializer makes it
    return serializer


@functools.lru_cache(maxsize=8)
def _prototype(profiles: tuple, compatibility_mode: bool) -> RDFSerializer:
    return RDFSerializer(profiles=list(profiles), compatibility_mode=compatibility_mode)


#: ckanext-dcat's publisher fallback (a dataset that names no publisher)
#: reads each organization once per process into a class-level cache that is
#: never refreshed; what it writes stays beside the Quito publisher.
PUBLISHER_FIELDS = ("title", "email", "url", "dcat_type", "identifier")


def forget_stale_publishers(inputs: Inputs) -> None:
    """Drop from that cache the organizations whose fields changed since it
    read them, so that a description made now says what the key says."""
    from ckanext.dcat.profiles.base import RDFProfile

    cache = RDFProfile._org_cache
    for org_id, cached in list(cache.items()):
        org = inputs.organizations.get(org_id)
        if org is None or any((cached.get(k) or None) != (org.get(k) or None) for k in PUBLISHER_FIELDS):
            cache.pop(org_id, None)


# -- the store (Redis) ---------------------------------------------------------------------------
#: Seconds to wait for Redis: a store that does not answer must not hold pages.
REDIS_TIMEOUT = 0.5


@functools.lru_cache(maxsize=4)
def _client(url: str):
    import redis

    return redis.Redis.from_url(url, socket_timeout=REDIS_TIMEOUT, socket_connect_timeout=REDIS_TIMEOUT)


def _redis():
    return _client(tk.config.get("ckan.redis.url"))


def load(keys: set) -> Optional[dict[str, str]]:
    """The stored descriptions of ``keys`` (those found); None when the
    store does not answer (then nothing made is written either)."""
    if not keys:
        return {}
    ordered = sorted(keys)
    try:
        values = _redis().mget([STORE_PREFIX + key for key in ordered])
    except Exception as error:  # noqa: BLE001 - any store failure: make them all
        log.warning("DCAT descriptions not read from Redis: %s", error)
        return None
    found = {}
    for key, value in zip(ordered, values):
        try:
            found[key] = zlib.decompress(value).decode("utf-8") if value else None
        except (zlib.error, UnicodeDecodeError):  # not ours, or damaged: made again
            found[key] = None
    return {key: text for key, text in found.items() if text is not None}


def save(descriptions: dict[str, str]) -> None:
    if not descriptions:
        return
    ttl = tk.config.get("ckanext.quito.dcat.fragment_ttl")
    try:
        pipe = _redis().pipeline(transaction=False)
        for key, text in descriptions.items():
            pipe.set(STORE_PREFIX + key, zlib.compress(text.encode("utf-8"), 1), ex=ttl)
        pipe.execute()
    except Exception as error:  # noqa: BLE001 - the page is served all the same
        log.warning("DCAT descriptions not kept in Redis: %s", error)
