"""HTTP and file transfers for the files harvester, bounded and explained.

Every failure becomes a ``SourceError`` with a message a steward can act on
(the server is down, timed out, answered 500, sent less than it announced, a
file is bigger than the source's limit, a redirect leaves the source's host).
"""
from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from typing import Optional
from urllib.parse import urlsplit

import requests

from ckan.plugins.toolkit import _

CHUNK = 1 << 16
USER_AGENT = "ckanext-quito-gobiernoabierto harvester (+https://gobiernoabierto.quito.gob.ec)"


class SourceError(Exception):
    """The source could not be read; the message says why."""


@dataclass
class Head:
    size: Optional[int]
    etag: Optional[str]
    last_modified: Optional[str]


def session() -> requests.Session:
    s = requests.Session()
    s.headers["User-Agent"] = USER_AGENT
    return s


def same_host(url: str, other: str) -> bool:
    a, b = urlsplit(url), urlsplit(other)
    return (a.scheme, a.hostname, a.port) == (b.scheme, b.hostname, b.port)


def _request(http: requests.Session, method: str, url: str, timeout: float, **kwargs) -> requests.Response:
    """One request; redirects are followed by hand and only on the same host."""
    for _hop in range(5):
        try:
            response = http.request(method, url, timeout=timeout, allow_redirects=False, **kwargs)
        except requests.Timeout:
            raise SourceError(_("{url}: no answer within {seconds} s.").format(url=url, seconds=timeout))
        except requests.ConnectionError:
            raise SourceError(_("{url}: the server cannot be reached.").format(url=url))
        if response.status_code not in (301, 302, 303, 307, 308):
            return response
        target = requests.compat.urljoin(url, response.headers.get("Location", ""))
        response.close()
        if not same_host(url, target):
            raise SourceError(_("{url}: redirects to another server ({target}), which is refused.").format(
                url=url, target=target))
        url = target
    raise SourceError(_("{url}: too many redirects.").format(url=url))


def _check_status(response: requests.Response, url: str) -> None:
    if response.status_code >= 400:
        response.close()
        raise SourceError(_("{url}: the server answered HTTP {status}.").format(url=url, status=response.status_code))


def head(http: requests.Session, url: str, timeout: float) -> Head:
    """Size and change tokens of a remote file, without its body."""
    response = _request(http, "HEAD", url, timeout)
    _check_status(response, url)
    length = response.headers.get("Content-Length")
    return Head(int(length) if length and length.isdigit() else None,
                response.headers.get("ETag"), response.headers.get("Last-Modified"))


def get_text(http: requests.Session, url: str, timeout: float, max_bytes: int) -> str:
    """A listing or manifest as text (bounded, complete or refused)."""
    body = b"".join(stream(http, url, timeout, max_bytes))
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        return body.decode("latin-1")


def stream(http: requests.Session, url: str, timeout: float, max_bytes: int):
    response = _request(http, "GET", url, timeout, stream=True)
    _check_status(response, url)
    announced = response.headers.get("Content-Length")
    if announced and announced.isdigit() and int(announced) > max_bytes:
        response.close()
        raise SourceError(_too_big(url, max_bytes))
    received = 0
    try:
        for chunk in response.iter_content(CHUNK):
            received += len(chunk)
            if received > max_bytes:
                raise SourceError(_too_big(url, max_bytes))
            yield chunk
    except (requests.RequestException, OSError) as error:
        raise SourceError(_("{url}: the transfer broke off ({error}).").format(url=url, error=type(error).__name__))
    finally:
        response.close()
    if announced and announced.isdigit() and received != int(announced):
        raise SourceError(_("{url}: received {received} of {announced} bytes; the file is incomplete.").format(
            url=url, received=received, announced=announced))


def _too_big(url: str, max_bytes: int) -> str:
    return _("{url}: larger than the limit of {mb} MB for this source.").format(url=url, mb=round(max_bytes / 2**20, 1))


def download(http: requests.Session, url: str, target: str, timeout: float, max_bytes: int) -> str:
    """Save ``url`` at ``target`` (a partial file never stays); return its SHA-256."""
    digest = hashlib.sha256()
    partial = target + ".part"
    try:
        with open(partial, "wb") as out:
            for chunk in _source_chunks(http, url, timeout, max_bytes):
                digest.update(chunk)
                out.write(chunk)
        os.replace(partial, target)
    finally:
        if os.path.exists(partial):
            os.remove(partial)
    return digest.hexdigest()


def _source_chunks(http, url: str, timeout: float, max_bytes: int):
    if url.startswith("file://"):
        return _file_chunks(url[len("file://"):], max_bytes)
    return stream(http, url, timeout, max_bytes)


def _file_chunks(path: str, max_bytes: int):
    try:
        if os.path.getsize(path) > max_bytes:
            raise SourceError(_too_big(path, max_bytes))
        with open(path, "rb") as f:
            yield from iter(lambda: f.read(CHUNK), b"")
    except OSError as error:
        raise SourceError(_("{path}: cannot be read ({error}).").format(path=path, error=error.strerror))
