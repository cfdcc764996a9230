"""Authorization functions added by the extension."""
from __future__ import annotations

import ckan.plugins.toolkit as tk

from ckanext.quito_gobiernoabierto.logic import auth_anonymous, harvest_auth


@tk.auth_allow_anonymous_access
def group_tree(context, data_dict):
    """The organigram is public, like the list of organizations."""
    return {"success": True}


def organigram_load(context, data_dict):
    """Only sysadmins load the organigram (sysadmins pass every check)."""
    return {"success": False, "msg": tk._("Only system administrators may load the organigram.")}


def get_auth_functions() -> dict:
    return {"group_tree": group_tree, "quito_organigram_load": organigram_load,
            **auth_anonymous.auth_functions(), **harvest_auth.auth_functions()}
