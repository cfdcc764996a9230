"""Template helpers of the portal, registered by the portal plugin."""
from __future__ import annotations

from typing import Any, Callable

import ckan.plugins.toolkit as tk


def quito_portal_name() -> str:
    """The portal's name, translated into the current language."""
    return tk._("Quito Open Government Portal")


def all_helpers() -> dict[str, Callable[..., Any]]:
    return {
        "quito_portal_name": quito_portal_name,
    }
