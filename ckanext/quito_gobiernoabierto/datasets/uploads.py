"""Which files may be uploaded as resources.

CKAN 2.11 limits the size of a resource upload (``ckan.max_resource_size``)
but not its type, and serves an upload from the portal's own domain, inline,
with the resource's ``mimetype`` as its content type: an uploaded HTML or
SVG page, or a file declared ``text/html``, runs its scripts in the portal's
origin. The resource ``url`` field of every type gets ``quito_upload_type``
(after scheming expands the schemas), which refuses an upload whose file
extension or media type is blocked, or not allowed when an allow-list is set:

- ``ckanext.quito.upload.blocked_extensions``
- ``ckanext.quito.upload.blocked_mimetypes``
- ``ckanext.quito.upload.allowed_extensions`` (empty: any not blocked)

Links (resources that are not uploads) are not concerned.
"""
from __future__ import annotations

import os
from typing import Any, Optional
from urllib.parse import urlsplit

import ckan.plugins.toolkit as tk
from ckan.lib.navl.dictization_functions import missing


def _setting(key: str) -> set:
    value = tk.config.get(key) or []
    items = value.split() if isinstance(value, str) else value
    return {str(item).strip().lower().lstrip(".") for item in items if str(item).strip()}


def extension(url: str) -> str:
    """The file extension of an upload's name or download address, lower case."""
    path = urlsplit(url).path if "://" in url else url
    return os.path.splitext(path.rsplit("/", 1)[-1])[1].lstrip(".").lower()


def media_types(value: Any) -> list[str]:
    """The media types of a ``mimetype`` or ``Content-Type`` value, lower case,
    without parameters: it is free text, and a list (``application/json,
    text/html``) is read by some browsers as any of its types."""
    types = (part.split(";")[0].strip().lower() for part in str(value or "").split(","))
    return [media for media in types if media]


def blocked(url: str, mimetype: Any) -> Optional[str]:
    """The extension (``.html``, "" for none) or media type that makes an
    upload refused, or None when it is accepted."""
    ext = extension(url)
    allowed = _setting("ckanext.quito.upload.allowed_extensions")
    if ext in _setting("ckanext.quito.upload.blocked_extensions") or (allowed and ext not in allowed):
        return f".{ext}" if ext else ""
    blocked_types = _setting("ckanext.quito.upload.blocked_mimetypes")
    return next((media for media in media_types(mimetype) if media in blocked_types), None)


def refusal(url: str, mimetype: Any) -> str:
    """Why an upload is refused ("" if it is accepted)."""
    found = blocked(url, mimetype)
    if found is None:
        return ""
    shown = found or tk._("without an extension")
    return tk._("Files of type {type} cannot be uploaded to the portal: they could run code on the computers "
                "of those who open them. Upload the data in an open format such as CSV, JSON, GeoJSON or "
                "PDF.").format(type=shown)


def quito_upload_type(key, data, errors, context) -> None:
    """On a resource's ``url``: refuse an upload of a blocked type."""
    if data.get(key[:-1] + ("url_type",)) != "upload":
        return
    url = data.get(key)
    if not isinstance(url, str) or url is missing:
        return
    message = refusal(url, data.get(key[:-1] + ("mimetype",)))
    if message:
        errors[key].append(message)


VALIDATORS = {"quito_upload_type": quito_upload_type}


def protect(expanded_schemas: dict) -> dict:
    """The expanded schemas (changed in place) with the check on each resource ``url``."""
    for schema in expanded_schemas.values():
        for field in schema.get("resource_fields", []):
            validators = field.get("validators") or "ignore_missing unicode_safe"
            if field["field_name"] == "url" and "quito_upload_type" not in validators:
                field["validators"] = f"{validators} quito_upload_type"
    return expanded_schemas
