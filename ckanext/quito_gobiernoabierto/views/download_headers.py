"""Headers on the downloads of uploaded files.

CKAN 2.11 serves an uploaded resource from the portal's own domain, inline,
with the resource's ``mimetype`` as its content type. ``datasets/uploads.py``
refuses the files a browser runs as pages (HTML, SVG, scripts), but open
formats that are XML (KML, GML, RDF/XML, XML itself) are data the portal
must accept, and a browser renders an XML document served inline, XSLT and
XHTML namespaces included, with scripts running in the portal's origin.

Every download of an upload gets ``X-Content-Type-Options: nosniff`` (the
browser keeps to the declared type); an upload of an XML or HTML media type
is served as an attachment, in a sandbox (``Content-Security-Policy: sandbox``):
the browser saves it instead of showing it, and nothing in it could run even
if it were shown. Links (resources that redirect elsewhere) are untouched.
"""
from __future__ import annotations

import flask

from ckanext.quito_gobiernoabierto.datasets.uploads import media_types

#: Media types a browser renders as documents, besides the ``+xml`` suffix
#: (SVG, XHTML, RDF/XML, KML...). HTML uploads are refused by default, but the
#: refusal is a setting: these headers hold whatever it says.
DOCUMENT_TYPES = frozenset({"text/html", "application/xml", "text/xml", "text/xsl"})


def is_upload_download(response: flask.Response) -> bool:
    """A file of the portal's storage served by CKAN's resource download view
    (``resource.download``, or ``<type>_resource.download`` of a dataset type)."""
    endpoint = flask.request.endpoint or ""
    return response.status_code in (200, 206) and endpoint.rsplit(".", 1)[-1] == "download" \
        and endpoint.split(".", 1)[0].endswith("resource")


def renders_as_document(content_type: str) -> bool:
    """True if any of the types in ``content_type`` is one a browser shows as a document."""
    return any(media in DOCUMENT_TYPES or media.endswith("+xml") for media in media_types(content_type))


def add_headers(response: flask.Response) -> flask.Response:
    """``after_request``: the headers of a download, other responses untouched."""
    if not is_upload_download(response):
        return response
    response.headers["X-Content-Type-Options"] = "nosniff"
    if renders_as_document(response.headers.get("Content-Type", "")):
        response.headers["Content-Security-Policy"] = "sandbox"
        disposition = response.headers.get("Content-Disposition", "")
        response.headers["Content-Disposition"] = "attachment" + (
            disposition[disposition.index(";"):] if ";" in disposition else "")
    return response


def install(app) -> None:
    app.after_request(add_headers)
