"""Hot fields: the string fields citizens filter and facet on most.

Their values live, besides ``terms``, in the small array column
``facet_terms`` as ``field<US>value`` (US = the unit separator, chr(31)).
PostgreSQL keeps element statistics for arrays, so filters on these fields
get honest row estimates and use the array's GIN index, and facets count
them without unpacking the document. Changing the list needs
``ckan search-index rebuild``.
"""
from __future__ import annotations

import ckan.plugins.toolkit as tk

SEP = "\x1f"
DEFAULT = ("capacity", "dataset_type", "organization", "groups", "tags", "res_format",
           "license_id", "res_type")


def fields() -> tuple:
    extra = tk.config.get("ckanext.quito.search.hot_fields") or ""
    if isinstance(extra, (list, tuple)):
        extra = " ".join(extra)
    return tuple(dict.fromkeys(DEFAULT + tuple(extra.split())))


#: Longest element kept in ``facet_terms``, in UTF-8 bytes: a GIN key must fit
#: in a third of a page (~2.7 kB). Longer values are still found through ``terms``.
MAX_ELEMENT_BYTES = 2000


def element(field: str, value: str) -> str:
    return f"{field}{SEP}{value}"


def fits(item: str) -> bool:
    return len(item.encode("utf-8", "surrogatepass")) <= MAX_ELEMENT_BYTES


def elements(terms: dict) -> list[str]:
    """The ``facet_terms`` of a document, from its terms (field -> values, each
    value once: ``index.terms_of``)."""
    return [e for e in (element(f, v) for f in fields() for v in terms.get(f, [])) if fits(e)]
