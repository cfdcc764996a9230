"""What the previews share: recognising a resource's format, the portal's
own address of its file, the stored file of an upload and size limits.

No preview fetches a file from another server: a view applies to a file the
portal itself serves (an upload, or a link on the portal's own domain), and
the browser loads it from the same origin.
"""
from __future__ import annotations

import os
from typing import Iterable, Optional
from urllib.parse import urlsplit, urlunsplit

import ckan.lib.datapreview as datapreview
import ckan.plugins.toolkit as tk

from ckanext.quito_gobiernoabierto.previews import assets


def resource_format(resource: dict) -> str:
    """The declared format, lower case, without a leading dot ("GeoJSON" -> "geojson")."""
    return (resource.get("format") or "").strip().lstrip(".").lower()


def resource_mimetype(resource: dict) -> str:
    return (resource.get("mimetype") or "").split(";")[0].strip().lower()


def url_extension(resource: dict) -> str:
    path = urlsplit(resource.get("url") or "").path
    return os.path.splitext(path)[1].lstrip(".").lower()


def matches(resource: dict, formats: Iterable[str], mimetypes: Iterable[str]) -> bool:
    """Whether the resource is of one of ``formats``: by its media type, else
    by its declared format when it has one, else by its file extension."""
    declared = resource_format(resource)
    if resource_mimetype(resource) in mimetypes:
        return True
    if declared:
        return declared in formats
    return url_extension(resource) in formats


def is_upload(resource: dict) -> bool:
    return resource.get("url_type") == "upload"


def portal_url(resource: dict) -> Optional[str]:
    """The file's address on the portal as a root-relative path (so the
    browser loads it from the origin it is on), or None for a file elsewhere.

    An upload's address is its download URL; a link counts when it points
    at the portal's own domain (``ckan.site_url``).
    """
    url = resource.get("url") or ""
    if not (is_upload(resource) or (url and datapreview.on_same_domain({"resource": resource}))):
        return None
    parts = urlsplit(url)
    if not parts.path.startswith("/"):
        return None
    return urlunsplit(("", "", parts.path, parts.query, ""))


def stored_path(resource: dict) -> Optional[str]:
    """The local file of an upload, or None (a link, or a storage backend
    without local files)."""
    if not is_upload(resource):
        return None
    from ckan.lib import uploader

    upload = uploader.get_resource_uploader(resource)
    get_path = getattr(upload, "get_path", None)
    path = get_path(resource["id"]) if get_path else None
    return path if path and os.path.isfile(path) else None


def known_size(resource: dict) -> Optional[int]:
    """The size CKAN recorded for the file, when it did."""
    try:
        return int(resource.get("size"))
    except (TypeError, ValueError):
        return None


def size_limit(key: str, default: int) -> int:
    return tk.asint(tk.config.get(key) or default)


def too_large_message(limit: int) -> str:
    return tk._("This file is larger than {limit}, too large to preview here. "
                "Download it to open it on your computer.").format(limit=tk.h.localised_filesize(limit))


def view_info(name: str, title: str, default_title: str, icon: str, iframed: bool) -> dict:
    """``IResourceView.info()`` of a preview: created automatically when
    listed in ``ckan.views.default_views``; no options to configure, so the
    edit form shows the preview itself; no DataStore and no filters."""
    return {
        "name": name,
        "title": title,
        "default_title": default_title,
        "icon": icon,
        "iframed": iframed,
        "preview_enabled": True,
        "filterable": False,
        "requires_datastore": False,
        "always_available": False,
    }


def static_files() -> dict:
    """Root-relative paths of the vendored libraries and the previews' own files."""
    return {name: tk.h.url_for_static(path) for name, path in assets.FILES.items()}
