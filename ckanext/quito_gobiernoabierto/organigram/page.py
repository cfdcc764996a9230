"""Data of the /organigrama page: the tree with each dependency's card and
its number of datasets (as the viewing user may see them)."""
from __future__ import annotations

import unicodedata

import sqlalchemy as sa

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


#: A dependency (by id, else by name, as ``Group.get``) with its active
#: parent organizations up the tree (CKAN's ``get_parent_group_hierarchy``)
#: and its active child organizations (``get_children_groups``), in one
#: statement: every dataset page shows its dependency's place.
PLACE_SQL = sa.text("""
    WITH RECURSIVE me AS (
        SELECT id FROM "group" WHERE id = :ref OR name = :ref ORDER BY (id = :ref) DESC LIMIT 1),
      up(depth, parent) AS (
        SELECT 0, m.table_id FROM member m JOIN me ON m.group_id = me.id
        WHERE m.table_name = 'group' AND m.state = 'active'
        UNION
        SELECT up.depth + 1, m.table_id FROM up JOIN member m ON m.group_id = up.parent
        WHERE m.table_name = 'group' AND m.state = 'active' AND up.depth < :max_depth)
    SELECT 'ancestor' AS role, g.name, g.title, up.depth FROM up JOIN "group" g ON g.id = up.parent
    WHERE g.type = 'organization' AND g.state = 'active'
    UNION ALL
    SELECT 'child', g.name, g.title, 0 FROM me JOIN member m ON m.table_id = me.id
      AND m.table_name = 'group' AND m.state = 'active'
      JOIN "group" g ON g.id = m.group_id
    WHERE g.type = 'organization' AND g.state = 'active'""")


def place_of(name: str) -> dict:
    """Where a dependency sits: its ancestors (root first) and its children."""
    from ckan.model.group import MAX_RECURSES

    rows = model.Session.execute(PLACE_SQL, {"ref": name, "max_depth": MAX_RECURSES}).mappings().all()
    ancestors = sorted((r for r in rows if r["role"] == "ancestor"), key=lambda r: -r["depth"])
    children = [r for r in rows if r["role"] == "child"]
    return {"ancestors": [_link(r) for r in ancestors],
            "children": sorted((_link(r) for r in children), key=lambda d: d["title"])}


def _link(row) -> dict:
    return {"name": row["name"], "title": row["title"] or row["name"]}
