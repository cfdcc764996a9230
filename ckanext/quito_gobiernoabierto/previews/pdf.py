"""``quito_pdf_view``: PDF documents (LOTAIP files, council minutes,
accountability reports) shown in the page.

The page embeds the resource's own URL in an ``<object>``, which the
browser's built-in PDF viewer (Chromium's, Firefox's pdf.js) displays with
search, zoom, printing and the document's text for screen readers; where
the browser has no viewer (most phones), the element's fallback text and
the download link under it are shown instead. No PDF library is shipped:
pdf.js would add some megabytes of script to do what the browsers already
do, and the file is never read or parsed by the portal.

It applies to uploaded PDFs, to PDFs linked on the portal's own domain and
to PDFs at an https address (an http one would be blocked as mixed content
on the https portal; a site that refuses to be embedded leaves the fallback
text and link).
"""
from __future__ import annotations

from urllib.parse import urlsplit

import ckan.plugins.toolkit as tk

from ckanext.quito_gobiernoabierto.previews import common

NAME = "quito_pdf_view"
PDF = ({"pdf"}, {"application/pdf", "application/x-pdf"})


def info() -> dict:
    return common.view_info(NAME, tk._("PDF document"), tk._("Document"), "file-pdf", iframed=False)


def document_url(resource: dict) -> str | None:
    """The address the page embeds: the portal's own path, else an https URL."""
    own = common.portal_url(resource)
    if own:
        return own
    url = resource.get("url") or ""
    return url if urlsplit(url).scheme == "https" else None


def can_view(data_dict: dict) -> bool:
    resource = data_dict["resource"]
    return common.matches(resource, *PDF) and document_url(resource) is not None


def template_vars(data_dict: dict) -> dict:
    resource = data_dict["resource"]
    return {"pdf_url": document_url(resource) or resource.get("url"), "size": common.known_size(resource)}
