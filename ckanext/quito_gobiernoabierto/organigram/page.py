"""Data of the /organigrama page: the tree with each dependency's card and
its number of datasets (as the viewing user may see them)."""
from __future__ import annotations

import unicodedata

import ckan.model as model
import ckan.plugins.toolkit as tk

from ckanext.quito_gobiernoabierto.organigram import tree

CARD_FIELDS = ("acronym", "kind", "website", "authority_name", "authority_title", "authority_email",
               "authority_phone", "authority_phone_ext", "authority_photo_url", "authority_twitter",
               "authority_facebook")


def dataset_counts(context: dict) -> dict:
    """Datasets per organization id, with the viewer's permissions (one search)."""
    result = tk.get_action("package_search")(dict(context), {
        "rows": 0, "facet.field": ["owner_org"], "facet.limit": -1, "include_private": True})
    return result["facets"].get("owner_org", {})


def cards() -> dict:
    """The card fields of every active organization, by id."""
    groups = model.Session.query(model.Group).filter_by(is_organization=True, state="active")
    return {g.id: {k: g.extras.get(k, "") for k in CARD_FIELDS} for g in groups}


#: Order of siblings in the organigram: by kind, then by name.
KIND_ORDER = ("alcaldia", "concejo_metropolitano", "secretaria", "administracion_zonal",
              "empresa_publica_metropolitana", "agencia", "instituto", "entidad_adscrita")


def _sibling_key(node: dict) -> tuple:
    kind = node.get("kind", "")
    rank = KIND_ORDER.index(kind) if kind in KIND_ORDER else len(KIND_ORDER)
    title = unicodedata.normalize("NFKD", node.get("title") or "").encode("ascii", "ignore")
    return rank, title.decode().casefold()


def _decorate(nodes: list, details: dict, counts: dict) -> int:
    """Adds card fields and counts in place, orders siblings; returns the subtree's dataset total."""
    total = 0
    for node in nodes:
        node.update(details.get(node["id"], {}))
    nodes.sort(key=_sibling_key)
    for node in nodes:
        node["dataset_count"] = counts.get(node["id"], 0)
        node["subtree_count"] = node["dataset_count"] + _decorate(node["children"], details, counts)
        total += node["subtree_count"]
    return total


def organigram(context: dict) -> dict:
    nodes = tree.tree("organization")
    _decorate(nodes, cards(), dataset_counts(context))
    return {"nodes": nodes, "total": sum(1 for _ in tree.walk(nodes))}


def place_of(name: str) -> dict:
    """Where a dependency sits: its ancestors (root first) and its children."""
    group = model.Group.get(name)
    if group is None:
        return {"ancestors": [], "children": []}
    ancestors = group.get_parent_group_hierarchy(type="organization")
    children = group.get_children_groups(type="organization")
    return {"ancestors": [_link(g) for g in ancestors],
            "children": sorted((_link(g) for g in children), key=lambda d: d["title"])}


def _link(group: model.Group) -> dict:
    return {"name": group.name, "title": group.title or group.name}
