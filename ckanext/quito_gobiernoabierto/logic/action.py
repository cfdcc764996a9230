"""Actions added by the extension."""
from __future__ import annotations

import ckan.plugins.toolkit as tk

from ckanext.quito_gobiernoabierto.logic import visibility
from ckanext.quito_gobiernoabierto.organigram import loader, source, tree


@tk.side_effect_free
def group_tree(context, data_dict):
    """The hierarchy of groups or organizations (compatible with ckanext-hierarchy's
    ``group_tree``): top-level groups, each with nested ``children``.

    :param type: ``organization`` or ``group`` (default ``group``)
    """
    tk.check_access("group_tree", context, data_dict)
    group_type = data_dict.get("type") or "group"
    if group_type not in ("group", "organization"):
        raise tk.ValidationError({"type": [tk._("Type must be 'group' or 'organization'.")]})
    return tree.tree(group_type)


def quito_organigram_load(context, data_dict):
    """Create and update the organigram's organizations (sysadmins only).

    :param content: the organigram, as YAML or CSV text
    :param format: ``yaml`` (default) or ``csv``
    :param remove_missing: delete organigram dependencies not in ``content`` (default false)
    :returns: what changed: created, updated, unchanged, missing, deleted, problems
    """
    tk.check_access("quito_organigram_load", context, data_dict)
    fmt = data_dict.get("format") or "yaml"
    if fmt not in ("yaml", "csv"):
        raise tk.ValidationError({"format": [tk._("Format must be 'yaml' or 'csv'.")]})
    try:
        rows = source.parse(data_dict.get("content") or "", fmt)
    except source.SourceError as e:
        raise tk.ValidationError({"content": [tk._("Not an organigram: {error}").format(error=e)]})
    remove = tk.asbool(data_dict.get("remove_missing", False))
    acting = {"user": context["user"], "model": context.get("model")}
    return loader.load(rows, acting, remove).as_dict()


def get_actions() -> dict:
    return {"group_tree": group_tree, "quito_organigram_load": quito_organigram_load, **visibility.chained_actions()}
