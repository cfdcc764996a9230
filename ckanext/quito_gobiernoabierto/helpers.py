"""Template helpers of the portal, registered by the portal plugin."""
from __future__ import annotations

import hashlib
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


#: Extracts kept by :func:`markdown_extract` (each a few hundred characters).
EXTRACTS_KEPT = 4096
_extracts: dict = {}


@tk.chained_helper
def markdown_extract(next_helper, text, extract_length: int = 190):
    """CKAN's extract of a Markdown text, kept once made: every search result
    shows one, and making it renders the whole description to HTML and cleans
    it (about a quarter of a search page's time). The same text always gives
    the same extract, so the extracts are kept by a digest of the text."""
    if not text or not isinstance(text, str):
        return next_helper(text, extract_length)
    key = (hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).digest(), extract_length)
    extract = _extracts.get(key)
    if extract is None:
        extract = next_helper(text, extract_length)
        if len(_extracts) >= EXTRACTS_KEPT:
            _extracts.clear()
        _extracts[key] = extract
    return extract


def all_helpers() -> dict[str, Callable[..., Any]]:
    return {
        "markdown_extract": markdown_extract,
        "quito_portal_name": quito_portal_name,
        "quito_kind_label": quito_kind_label,
        "quito_organigram_place": quito_organigram_place,
        "quito_organization_card": quito_organization_card,
        **home.all_helpers(),
    }
