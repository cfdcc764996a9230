"""``dcat_catalog_show`` for the Turtle pages of the Quito profile: the
datasets' descriptions come from the store of ``dcat/fragments.py``.

The search and the pagination are ckanext-dcat's own (its
``_search_ckan_datasets`` and ``_pagination_info``), so a page lists the same
datasets, in the same order, with the same ``hydra`` links. Other formats,
other profiles, the sub-catalogue option, or a ckanext-dcat without those
two functions: ckanext-dcat's action as it is.
"""
from __future__ import annotations

import ckan.plugins.toolkit as tk

from ckanext.quito_gobiernoabierto.dcat import fragments


def _dcat_search():
    try:
        from ckanext.dcat.logic import _pagination_info, _search_ckan_datasets
    except ImportError:  # another ckanext-dcat: its own action
        return None
    return _search_ckan_datasets, _pagination_info


@tk.side_effect_free
@tk.chained_action
def dcat_catalog_show(original_action, context, data_dict):
    profiles = fragments.page_profiles(data_dict)
    search = _dcat_search() if profiles else None
    if not search:
        return original_action(context, data_dict)
    tk.check_access("dcat_catalog_show", context, data_dict)
    search_datasets, pagination_info = search
    query = search_datasets(context, data_dict)
    return fragments.catalog_page(profiles, query["results"], pagination_info(query, data_dict))


def chained_actions() -> dict:
    """The chained action, when ckanext-dcat is loaded."""
    import ckan.plugins as p

    return {"dcat_catalog_show": dcat_catalog_show} if p.plugin_loaded("dcat") else {}
