"""Template helpers of the portal, registered by the portal plugin."""
from __future__ import annotations

from typing import Any, Callable

import ckan.plugins.toolkit as tk

from ckanext.quito_gobiernoabierto import home


def quito_portal_name() -> str:
    """The portal's name, translated into the current language."""
    return tk._("Quito Open Government Portal")


def quito_kind_label(kind: str) -> str:
    """The translated label of a kind of dependency (from the organization schema)."""
    schema = tk.h.scheming_get_organization_schema("organization") or {}
    for field in schema.get("fields", []):
        if field["field_name"] == "kind":
            for choice in field.get("choices", []):
                if choice["value"] == kind:
                    return tk.h.scheming_language_text(choice["label"])
    return kind


def quito_organigram_place(name: str) -> dict:
    """A dependency's ancestors and children, for its organization page."""
    from ckanext.quito_gobiernoabierto.organigram import page

    return page.place_of(name)


def quito_organization_card(id_or_name: str) -> dict:
    """The dependency shown beside a dataset: its fields and parents, without
    the dataset counts CKAN's ``get_organization`` computes (a facet query
    over the whole catalogue that the card does not show)."""
    try:
        return tk.get_action("organization_show")({}, {
            "id": id_or_name, "include_datasets": False, "include_dataset_count": False,
            "include_users": False, "include_followers": False, "include_tags": False,
            "include_groups": False})
    except (tk.ObjectNotFound, tk.NotAuthorized, tk.ValidationError):
        return {}


def all_helpers() -> dict[str, Callable[..., Any]]:
    return {
        "quito_portal_name": quito_portal_name,
        "quito_kind_label": quito_kind_label,
        "quito_organigram_place": quito_organigram_place,
        "quito_organization_card": quito_organization_card,
        **home.all_helpers(),
    }
