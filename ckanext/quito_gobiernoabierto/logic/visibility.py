"""Lists CKAN reads straight from the database, limited to what the caller may see.

- ``tag_list``, ``tag_search`` and ``tag_autocomplete`` read the tag table:
  the tags of private, draft and deleted datasets come out to anyone. Chained
  over them, the free tags they return are those of the datasets
  ``package_search`` shows the caller (private ones and drafts included where
  the caller may see them). Vocabulary tags are left alone: a vocabulary is a
  list of allowed values, not the content of datasets.
- ``member_list`` of a dependency lists the ids of all its datasets, private
  ones included, to anyone who may see the dependency. Chained over it, the
  datasets listed are those the caller may read (CKAN's permission labels,
  as ``package_show`` checks them).
"""
from __future__ import annotations

import ckan.authz as authz
import ckan.model as model
import ckan.plugins.toolkit as tk
from ckan.lib.plugins import get_permission_labels


def visible_tags(context: dict) -> set:
    """The free tags of the datasets the context's user may see (one search)."""
    search_context = {"user": context.get("user"), "auth_user_obj": context.get("auth_user_obj")}
    result = tk.get_action("package_search")(search_context, {
        "rows": 0, "facet.field": ["tags"], "facet.limit": -1, "facet.mincount": 1,
        "include_private": True, "include_drafts": True})
    return set(result["facets"].get("tags", {}))


def _name(tag) -> str:
    return tag["name"] if isinstance(tag, dict) else tag


def _free(data_dict: dict) -> bool:
    return not data_dict.get("vocabulary_id")


def _page(items: list, data_dict: dict) -> list:
    offset = int(data_dict.get("offset") or 0)
    limit = data_dict.get("limit")
    return items[offset:offset + int(limit)] if limit not in (None, "") else items[offset:]


@tk.chained_action
@tk.side_effect_free
def tag_list(up, context, data_dict):
    tags = up(context, data_dict)
    if not _free(data_dict):
        return tags
    visible = visible_tags(context)
    return [tag for tag in tags if _name(tag) in visible]


@tk.chained_action
@tk.side_effect_free
def tag_search(up, context, data_dict):
    if not _free(data_dict):
        return up(context, data_dict)
    found = up(context, {**data_dict, "limit": None, "offset": 0})
    visible = visible_tags(context)
    results = [tag for tag in found["results"] if _name(tag) in visible]
    return {"count": len(results), "results": _page(results, data_dict)}


@tk.chained_action
@tk.side_effect_free
def tag_autocomplete(up, context, data_dict):
    if not _free(data_dict):
        return up(context, data_dict)
    names = up(context, {**data_dict, "limit": None, "offset": 0})
    visible = visible_tags(context)
    return _page([name for name in names if name in visible], data_dict)


def readable_packages(context: dict, package_ids: list) -> set:
    """The ids, among these, of the datasets the context's user may read."""
    labels = get_permission_labels()
    user = context.get("auth_user_obj") or model.User.get(context.get("user") or "")
    allowed = set(labels.get_user_dataset_labels(user))
    packages = model.Session.query(model.Package).filter(model.Package.id.in_(package_ids))
    return {p.id for p in packages if allowed.intersection(labels.get_dataset_labels(p))}


@tk.chained_action
@tk.side_effect_free
def member_list(up, context, data_dict):
    members = up(context, data_dict)
    package_ids = [member[0] for member in members if member[1] == "package"]
    if not package_ids or authz.is_sysadmin(context.get("user")):
        return members
    readable = readable_packages(context, package_ids)
    return [member for member in members if member[1] != "package" or member[0] in readable]


def chained_actions() -> dict:
    return {"tag_list": tag_list, "tag_search": tag_search, "tag_autocomplete": tag_autocomplete,
            "member_list": member_list}
