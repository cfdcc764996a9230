"""Checks that fail with an error (a 500) for an anonymous API caller, made to refuse.

Through the API an anonymous caller reaches every check with an anonymous
user object, so CKAN's "requires an authenticated user" guard lets it pass,
and checks that then look the user up crash instead of refusing: CKAN's
``package_collaborator_list`` (an ``assert``) and ckanext-harvest's
sysadmin-only checks (``user_is_sysadmin``). Chained before them, an
anonymous caller is refused with a message.
"""
from __future__ import annotations

from typing import Callable

import ckan.authz as authz
import ckan.plugins.toolkit as tk

#: CKAN core checks that crash for an anonymous caller.
CORE_CHECKS = ("package_collaborator_list",)


def log_in_message() -> str:
    return tk._("Log in to do this.")


def sysadmins_message() -> str:
    return tk._("Only system administrators may do this.")


def refuse_anonymous(name: str, message: Callable[[], str] = log_in_message):
    """A chained check (for the check ``name``) that refuses anonymous callers first."""
    def check(up, context, data_dict):
        if authz.auth_is_anon_user(context):
            return {"success": False, "msg": message()}
        return up(context, data_dict)
    check.__name__ = name
    return tk.chained_auth_function(check)


def auth_functions() -> dict:
    return {name: refuse_anonymous(name) for name in CORE_CHECKS}
