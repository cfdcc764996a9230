"""Listing a source's files, with the change tokens each kind can give.

- ``listing``: an auto-index web folder (Apache ``mod_autoindex``, nginx
  ``autoindex`` and alike), crawled below the source URL only; one ``HEAD``
  per file gives its ETag / Last-Modified / size.
- ``manifest``: a CSV or JSON file listing ``path`` (or ``url``) per file,
  with optional ``sha256`` / ``modified`` / ``size`` and any metadata columns.
- ``folder``: a shared folder on this server, under one of the roots the
  operator allows (``ckanext.quito.harvest.folder_roots``).

Anything that makes the listing incomplete (the server down, a timeout, an
HTTP error, a page cut short) raises ``SourceError``: the harvester then
changes and deletes nothing. File names that try to leave the source (``..``,
absolute paths, backslashes, other hosts) are skipped and reported.
"""
from __future__ import annotations

import csv
import io
import json
import mimetypes
import os
import posixpath
import re
import unicodedata
from datetime import datetime, timezone
from html.parser import HTMLParser
from typing import Optional
from urllib.parse import unquote, urljoin, urlsplit

import ckan.plugins.toolkit as tk
from ckan.plugins.toolkit import _

from ckanext.quito_gobiernoabierto.datasets import uploads

from . import transfer
from .config import SourceConfig
from .plan import RemoteFile
from .transfer import SourceError

MAX_LISTING_BYTES = 20 * 2**20
_CLOSED = re.compile(rb"</(html|body)\s*>\s*$", re.I)


class Listing:
    """Files found and names refused (``(name, reason)``)."""

    def __init__(self):
        self.files: list[RemoteFile] = []
        self.refused: list[tuple[str, str]] = []


def list_files(url: str, config: SourceConfig, http=None) -> Listing:
    http = http or transfer.session()
    listing = {"listing": _crawl, "manifest": _manifest, "folder": _folder}[config.kind](url, config, http)
    if len(listing.files) > config.max_files:
        raise SourceError(_("The source lists more than {limit} files (max_files); nothing was changed.").format(
            limit=config.max_files))
    if config.resources == "upload":
        _refuse_blocked_types(listing)
    return listing


def _refuse_blocked_types(listing: Listing) -> None:
    """Files the portal does not accept as uploads (``ckanext.quito.upload.*``)
    are reported here rather than refused one by one at import."""
    kept = []
    for remote in listing.files:
        if uploads.blocked(remote.path, mimetypes.guess_type(remote.path)[0]) is not None:
            listing.refused.append((remote.path, _("the portal does not accept uploads of this type")))
        else:
            kept.append(remote)
    listing.files = kept


def safe_path(path: str) -> Optional[str]:
    """The normalised relative path, or None when it could leave the source
    (or holds control characters or half a surrogate pair, which no file
    system, database or page takes as they are)."""
    if not path or "\\" in path or "\x00" in path or path.startswith("/") or re.match(r"^[A-Za-z]:", path):
        return None
    parts = path.split("/")
    if any(part in ("..", ".") for part in parts) or any(unicodedata.category(c) in ("Cc", "Cs") for c in path):
        return None
    return "/".join(p for p in parts if p)


# ---------------------------------------------------------------- listing

class _Links(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            href = dict(attrs).get("href")
            if href and not href.startswith(("?", "#", "mailto:", "javascript:")):
                self.hrefs.append(href)


def _crawl(url: str, config: SourceConfig, http) -> Listing:
    root = url if url.endswith("/") else url + "/"
    listing, folders, seen = Listing(), [(root, 0)], {root}
    while folders:
        folder, depth = folders.pop(0)
        for href in _links(http, folder, config.timeout):
            target = urljoin(folder, href).split("#")[0]
            if target in seen:
                continue
            seen.add(target)
            _take(listing, root, target, depth, folders, config)
    _add_heads(listing.files, http, config)
    return listing


def _links(http, folder: str, timeout: float) -> list[str]:
    response_body = b"".join(transfer.stream(http, folder, timeout, MAX_LISTING_BYTES))
    if not _CLOSED.search(response_body.strip()[-200:]):
        raise SourceError(_("{url}: the listing is cut short (no closing tag); nothing was changed.").format(
            url=folder))
    parser = _Links()
    parser.feed(response_body.decode("utf-8", errors="replace"))
    return parser.hrefs


def _take(listing: Listing, root: str, target: str, depth: int, folders: list, config: SourceConfig) -> None:
    if not target.startswith(root) or not transfer.same_host(root, target):
        return  # parent folders, sort links, other servers: not part of the source
    relative = unquote(urlsplit(target).path)[len(unquote(urlsplit(root).path)):]
    path = safe_path(relative.rstrip("/"))
    if path is None:
        listing.refused.append((relative, _("the name could leave the source folder")))
    elif target.endswith("/"):
        if depth < config.max_depth:
            folders.append((target, depth + 1))
    else:
        listing.files.append(RemoteFile(path=path, url=target))


def _add_heads(files: list[RemoteFile], http, config: SourceConfig) -> None:
    for remote in files:
        if remote.etag or remote.last_modified or remote.sha256:
            continue
        try:
            found = transfer.head(http, remote.url, config.timeout)
        except SourceError as error:
            remote.error = str(error)  # listed, so not removed; its fetch reports the fault
            continue
        remote.size, remote.etag, remote.last_modified = found.size, found.etag, found.last_modified


# --------------------------------------------------------------- manifest

def _manifest(url: str, config: SourceConfig, http) -> Listing:
    text = transfer.get_text(http, url, config.timeout, MAX_LISTING_BYTES)
    rows = _manifest_rows(text, url)
    listing = Listing()
    for number, row in enumerate(rows, start=2):
        _manifest_file(listing, url, number, row)
    _add_heads(listing.files, http, config)
    return listing


def _manifest_rows(text: str, url: str) -> list[dict]:
    stripped = text.lstrip("\ufeff").strip()
    if stripped.startswith(("[", "{")):
        try:
            data = json.loads(stripped)
        except ValueError as error:
            raise SourceError(_("{url}: the manifest is not valid JSON ({error}).").format(url=url, error=error))
        rows = data.get("files") if isinstance(data, dict) else data
        if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
            raise SourceError(_('{url}: a JSON manifest is a list of objects, or {{"files": [...]}}.').format(url=url))
        return rows
    reader = csv.DictReader(io.StringIO(stripped), dialect=_dialect(stripped))
    if not reader.fieldnames or not {"path", "url"} & {f.strip().lower() for f in reader.fieldnames}:
        raise SourceError(_('{url}: the manifest needs a "path" or "url" column.').format(url=url))
    return [{(k or "").strip().lower(): (v or "").strip() for k, v in row.items()} for row in reader]


def _dialect(text: str):
    try:
        return csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        return csv.excel


def _manifest_file(listing: Listing, manifest_url: str, number: int, row: dict) -> None:
    row = {str(k).strip().lower(): v for k, v in row.items() if v not in (None, "")}
    given = str(row.pop("url", "") or row.pop("path", ""))
    row.pop("path", None)
    target = urljoin(manifest_url, given)
    base = manifest_url.rsplit("/", 1)[0] + "/"
    relative = unquote(urlsplit(target).path)[len(unquote(urlsplit(base).path)):] if target.startswith(base) else None
    path = safe_path(relative) if relative else None
    if not given or path is None or not transfer.same_host(manifest_url, target):
        listing.refused.append((given or _("row {number}").format(number=number),
                                _("the file must be below the manifest's folder, on the same server")))
        return
    remote = RemoteFile(path=path, url=target, sha256=row.pop("sha256", None), metadata=row)
    remote.last_modified = row.pop("modified", None)
    size = str(row.pop("size", ""))
    remote.size = int(size) if size.isdigit() else None
    listing.files.append(remote)


# ----------------------------------------------------------------- folder

def folder_roots() -> list[str]:
    value = tk.config.get("ckanext.quito.harvest.folder_roots") or ""
    roots = value.split() if isinstance(value, str) else list(value)
    return [os.path.realpath(r) for r in roots]


def folder_path(url: str) -> str:
    """The real path of a folder source, if it is under an allowed root."""
    path = os.path.realpath(url[len("file://"):] if url.startswith("file://") else url)
    if not any(path == root or path.startswith(root + os.sep) for root in folder_roots()):
        raise SourceError(_("{path}: not under a shared-folder root this portal allows "
                            "(ckanext.quito.harvest.folder_roots).").format(path=path))
    if not os.path.isdir(path):
        raise SourceError(_("{path}: the folder does not exist or cannot be read.").format(path=path))
    return path


def _folder(url: str, config: SourceConfig, http) -> Listing:
    root, listing = folder_path(url), Listing()
    for current, dirs, names in os.walk(root, followlinks=False):
        depth = 0 if current == root else os.path.relpath(current, root).count(os.sep) + 1
        if depth >= config.max_depth:
            dirs[:] = []
        for name in sorted(names):
            _folder_file(listing, root, os.path.join(current, name))
    return listing


def _folder_file(listing: Listing, root: str, full: str) -> None:
    relative = posixpath.join(*os.path.relpath(full, root).split(os.sep))
    real = os.path.realpath(full)
    if os.path.islink(full) and not real.startswith(root + os.sep):
        listing.refused.append((relative, _("a link to a file outside the shared folder")))
        return
    if safe_path(relative) is None or not os.path.isfile(real):
        listing.refused.append((relative, _("the name could leave the source folder")))
        return
    stat = os.stat(real)
    modified = datetime.fromtimestamp(stat.st_mtime, timezone.utc).isoformat()
    listing.files.append(RemoteFile(path=relative, url="file://" + real, size=stat.st_size, last_modified=modified))
