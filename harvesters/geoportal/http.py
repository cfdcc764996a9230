"""Fetching a geoportal's documents: a small layer over ``requests`` that
never retries, caps time and size, follows redirects only within the site
it was asked for, and turns every failure into a :class:`SourceError`
whose message says what went wrong (down, timeout, HTTP status, too big,
broken connection, not JSON, not XML, unsafe XML).

XML is parsed without DTDs or entities: a document that declares an
internal DTD subset or an entity is refused before parsing; the bare
``<!DOCTYPE ... SYSTEM "...dtd">`` line of WMS 1.1.1 documents is allowed
and the DTD it names is never fetched.
"""
from __future__ import annotations

import json
import re
import time
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from typing import Any, Callable, Optional
from urllib.parse import urljoin, urlsplit

import requests

from .text import _

try:  # defusedxml is optional; the DTD check below already refuses what it guards against
    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import fromstring as _defused_fromstring
except ImportError:  # pragma: no cover - depends on the environment
    DefusedXmlException = None
    _defused_fromstring = None

DEFAULT_TIMEOUT = 20.0
DEFAULT_MAX_BYTES = 20 * 1024 * 1024
MAX_REDIRECTS = 5
CHUNK = 64 * 1024
USER_AGENT = "ckanext-quito-gobiernoabierto geoportal crawler"

BARE_DOCTYPE = re.compile(
    rb"<!DOCTYPE\s+[^\s>\[]+(?:\s+(?:SYSTEM\s+(?:\"[^\"]*\"|'[^']*')"
    rb"|PUBLIC\s+(?:\"[^\"]*\"|'[^']*')\s+(?:\"[^\"]*\"|'[^']*')))?\s*>")


class SourceError(Exception):
    """A source that could not be read. ``str(error)`` is the message for
    people; ``kind`` is for code: url, down, timeout, status, too_big,
    broken, redirect, not_json, not_xml, unsafe_xml, service."""

    def __init__(self, message: str, *, url: str = "", kind: str = "", status: Optional[int] = None):
        super().__init__(message)
        self.message, self.url, self.kind, self.status = message, url, kind, status


def collect(errors: Optional[list], url: str, work: Callable[[], Any], default: Any) -> Any:
    """``work()``. Without an ``errors`` list its SourceError propagates; with
    one, the error is appended as (url, message) and ``default`` returned."""
    if errors is None:
        return work()
    try:
        return work()
    except SourceError as error:
        errors.append((url, str(error)))
        return default


@dataclass
class Fetched:
    """A complete response body and where it finally came from."""

    url: str
    status: int
    content: bytes
    headers: dict = field(default_factory=dict)


def _site(url: str) -> tuple[str, int]:
    """(host, port) of a URL; port -1 when the URL's port is not a number."""
    parts = urlsplit(url)
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        port = -1
    return (parts.hostname or "").lower(), port


def _check_url(url: str) -> None:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise SourceError(_("{url} is not an http or https address.").format(url=url), url=url, kind="url")


def _redirect_target(origin: str, current: str, location: str) -> str:
    """The absolute target of a redirect, refused when it leaves the host
    (and port) of ``origin``; http -> https on the same host is allowed."""
    target = urljoin(current, location)
    (host, port), (target_host, target_port) = _site(origin), _site(target)
    upgrade = (urlsplit(origin).scheme, port, urlsplit(target).scheme, target_port) == ("http", 80, "https", 443)
    if urlsplit(target).scheme not in ("http", "https") or target_host != host or (
            target_port != port and not upgrade):
        raise SourceError(_("{url} redirected to {target}, outside {host}: the redirect was refused.")
                          .format(url=origin, target=target, host=host), url=origin, kind="redirect")
    return target


@dataclass
class Fetcher:
    """Downloads with limits: ``timeout`` seconds to connect and for each
    wait for data, ``max_seconds`` for a whole response, ``max_bytes`` of body."""

    timeout: float = DEFAULT_TIMEOUT
    max_bytes: int = DEFAULT_MAX_BYTES
    max_seconds: Optional[float] = None
    session: Optional[requests.Session] = None

    def fetch(self, url: str) -> Fetched:
        """The body of ``url`` (GET), redirects followed within the same site."""
        _check_url(url)
        if self.session is not None:
            return self._follow(self.session, url)
        with requests.Session() as session:
            return self._follow(session, url)

    def _follow(self, session: requests.Session, url: str) -> Fetched:
        current = url
        for _hop in range(MAX_REDIRECTS + 1):
            response = self._open(session, current, url)
            try:
                if response.is_redirect and response.headers.get("Location"):
                    current = _redirect_target(url, current, response.headers["Location"])
                    continue
                return self._read(response, url)
            finally:
                response.close()
        raise SourceError(_("{url} redirected too many times.").format(url=url), url=url, kind="redirect")

    def _open(self, session: requests.Session, current: str, origin: str) -> requests.Response:
        try:
            return session.get(current, timeout=(self.timeout, self.timeout), stream=True,
                               allow_redirects=False, headers={"User-Agent": USER_AGENT})
        except requests.Timeout:
            raise self._timeout(origin) from None
        except requests.ConnectionError:
            raise SourceError(_("The server of {url} cannot be reached (it refused the connection or does "
                                "not exist).").format(url=origin), url=origin, kind="down") from None
        except requests.RequestException as error:
            raise SourceError(_("{url} could not be requested: {detail}").format(url=origin, detail=error),
                              url=origin, kind="down") from None

    def _timeout(self, url: str) -> SourceError:
        return SourceError(_("{url} did not answer within {seconds} seconds.").format(
            url=url, seconds=f"{self.timeout:g}"), url=url, kind="timeout")

    def _too_big(self, url: str) -> SourceError:
        return SourceError(_("{url} is bigger than the limit of {limit} bytes; it was not read.").format(
            url=url, limit=self.max_bytes), url=url, kind="too_big")

    def _read(self, response: requests.Response, url: str) -> Fetched:
        if not 200 <= response.status_code < 300:
            raise SourceError(_("{url} answered HTTP {status}.").format(url=url, status=response.status_code),
                              url=url, kind="status", status=response.status_code)
        declared = response.headers.get("Content-Length", "")
        if declared.isdigit() and int(declared) > self.max_bytes:
            raise self._too_big(url)
        body = self._stream(response, url)
        return Fetched(response.url or url, response.status_code, body, dict(response.headers))

    def _stream(self, response: requests.Response, url: str) -> bytes:
        deadline = time.monotonic() + (self.max_seconds or self.timeout * 3)
        chunks, size = [], 0
        try:
            for chunk in response.iter_content(CHUNK):
                size += len(chunk)
                if size > self.max_bytes:
                    raise self._too_big(url)
                if time.monotonic() > deadline:
                    raise self._timeout(url)
                chunks.append(chunk)
        except requests.Timeout:
            raise self._timeout(url) from None
        except requests.RequestException as error:
            raise SourceError(_("The connection broke while reading {url}: {detail}").format(
                url=url, detail=type(error).__name__), url=url, kind="broken") from None
        return b"".join(chunks)

    def json(self, url: str) -> Any:
        """The JSON document at ``url``."""
        return parse_json(self.fetch(url).content, url)

    def xml(self, url: str) -> ET.Element:
        """The root element of the XML document at ``url``, parsed safely."""
        return parse_xml(self.fetch(url).content, url)

    def text(self, url: str, encoding: str = "utf-8") -> str:
        """The body at ``url`` as text (undecodable bytes replaced)."""
        return self.fetch(url).content.decode(encoding, errors="replace")


def parse_json(content: bytes, url: str = "") -> Any:
    """A JSON document, or SourceError(kind="not_json")."""
    try:
        return json.loads(content)
    except (ValueError, UnicodeDecodeError) as error:
        hint = _("it looks like HTML or XML") if content.lstrip()[:1] == b"<" else str(error)
        raise SourceError(_("{url} did not answer JSON ({detail}).").format(url=url, detail=hint),
                          url=url, kind="not_json") from None


def check_xml_safety(content: bytes, url: str = "") -> None:
    """Refuse, before any parsing, XML that declares entities or an
    internal DTD subset (XXE, entity expansion) or that is not in an
    ASCII-compatible encoding (where this byte check would not see them)."""
    head = content[:4]
    if b"\x00" in head or head.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise SourceError(_("{url} is XML in UTF-16 or UTF-32, which is not read; UTF-8 is expected.")
                          .format(url=url), url=url, kind="not_xml")
    doctypes = content.count(b"<!DOCTYPE")
    bare = BARE_DOCTYPE.search(content)
    if b"<!ENTITY" in content or doctypes > 1 or (doctypes == 1 and not bare):
        raise SourceError(_("{url} declares a DTD or entities in its XML; such documents are refused "
                            "for safety.").format(url=url), url=url, kind="unsafe_xml")


def parse_xml(content: bytes, url: str = "") -> ET.Element:
    """The root element of an XML document, without DTD or entity processing."""
    check_xml_safety(content, url)
    try:
        if _defused_fromstring is not None:
            return _defused_fromstring(content, forbid_dtd=False, forbid_entities=True, forbid_external=True)
        return ET.fromstring(content)
    except ET.ParseError as error:
        raise SourceError(_("{url} did not answer XML ({detail}).").format(url=url, detail=error),
                          url=url, kind="not_xml") from None
    except Exception as error:  # noqa: BLE001 - defusedxml's refusals
        if DefusedXmlException is not None and isinstance(error, DefusedXmlException):
            raise SourceError(_("{url} declares a DTD or entities in its XML; such documents are refused "
                                "for safety.").format(url=url), url=url, kind="unsafe_xml") from None
        raise
