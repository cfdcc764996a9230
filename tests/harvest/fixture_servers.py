"""Loopback HTTP servers for the harvest tests (stdlib only).

Each server listens on 127.0.0.1, on a free port, in a thread; it keeps a
request log and can be put into fault modes at run time:

    server.set_fault("down")                              # connection refused
    server.set_fault("slow", seconds=2)                   # sleep before answering
    server.set_fault("status", code=500, path="/Numeral") # that status for matching paths
    server.set_fault("truncate", mode="short")            # body shorter than its Content-Length
    server.set_fault("truncate", mode="cut")              # body cut in the middle (consistent length)
    server.set_fault("huge", size=50_000_000)             # stream a big body (no Content-Length)
    server.set_fault("redirect_outside", location="http://203.0.113.7/x")
    server.clear_fault("slow"); server.clear_faults()

``path`` (any mode but ``down``) is a regular expression searched in the raw
request path (query included); without it the fault applies to every request.

- :class:`FileTreeServer` serves a folder as Apache ``mod_autoindex`` or
  nginx ``autoindex`` listings, with ETag / Last-Modified and 304 answers.
- :class:`ArcGISServer` and :class:`OGCServer` answer the documents of
  ``fixture_documents.py``.
"""
from __future__ import annotations

import copy
import json
import re
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Optional
from urllib.parse import parse_qsl, urlsplit

from . import fixture_documents as docs
from .file_tree import FileTreeMixin

FAULTS = ("down", "slow", "status", "truncate", "huge", "redirect_outside")
OUTSIDE = "http://203.0.113.7/geoportal/"  # TEST-NET-3: never routed


@dataclass
class Reply:
    """What a server answers to one request."""

    status: int = 200
    body: bytes = b""
    headers: dict = field(default_factory=dict)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.0"  # one request per connection: a cut body ends the connection

    def do_GET(self):  # noqa: N802 - http.server's naming
        self.server.fixture.handle(self, "GET")

    def do_HEAD(self):  # noqa: N802
        self.server.fixture.handle(self, "HEAD")

    def version_string(self):
        return self.server.fixture.server_header

    def log_message(self, format, *args):  # quiet: the fixture keeps its own log
        pass


class FixtureServer:
    """A loopback HTTP server in a thread. Subclasses implement :meth:`respond`."""

    server_header = "FixtureServer"

    def __init__(self) -> None:
        self.log: list[tuple[str, str]] = []          # (method, raw path) of every request
        self.responses: list[tuple[str, str, int]] = []  # (method, raw path, status)
        self.faults: dict[str, dict] = {}
        self.port: Optional[int] = None
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._httpd: Optional[ThreadingHTTPServer] = None
        self._thread: Optional[threading.Thread] = None

    # ------------------------------------------------------------ life cycle

    def start(self) -> "FixtureServer":
        self._listen(0)
        return self

    def _listen(self, port: int) -> None:
        httpd = ThreadingHTTPServer(("127.0.0.1", port), _Handler)
        httpd.daemon_threads, httpd.block_on_close, httpd.fixture = True, False, self
        self._httpd, self.port = httpd, httpd.server_address[1]
        self._thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self._thread.start()

    def _close(self) -> None:
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._thread.join(timeout=5)
            self._httpd = self._thread = None

    def stop(self) -> None:
        self._stopping.set()
        self._close()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def url_for(self, path: str) -> str:
        return self.url + path

    # ------------------------------------------------------------ faults

    def set_fault(self, kind: str, **options) -> None:
        """Switch a fault mode on (see the module docstring)."""
        if kind not in FAULTS:
            raise ValueError(f"unknown fault {kind!r}; one of {FAULTS}")
        self.faults[kind] = options
        if kind == "down":
            self._close()

    def clear_fault(self, kind: str) -> None:
        self.faults.pop(kind, None)
        if kind == "down" and self._httpd is None and not self._stopping.is_set():
            self._listen(self.port)

    def clear_faults(self) -> None:
        for kind in list(self.faults):
            self.clear_fault(kind)

    def _active(self, path: str) -> dict:
        return {kind: options for kind, options in list(self.faults.items())
                if not options.get("path") or re.search(options["path"], path)}

    # ------------------------------------------------------------ requests

    def respond(self, method: str, path: str, query: dict, headers) -> Reply:
        raise NotImplementedError

    def handle(self, handler: BaseHTTPRequestHandler, method: str) -> None:
        raw = handler.path
        with self._lock:
            self.log.append((method, raw))
        faults = self._active(raw)
        if "slow" in faults:
            self._stopping.wait(float(faults["slow"].get("seconds", 2)))
        reply = self._fault_reply(faults) or self._respond(method, raw, handler.headers)
        with self._lock:
            self.responses.append((method, raw, reply.status))
        try:
            if "huge" in faults and reply.status == 200:
                self._send_huge(handler, reply, int(faults["huge"].get("size", 50 * 1024 * 1024)))
            else:
                self._send(handler, method, reply, faults.get("truncate"))
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client stopped reading, as a size-limited client should

    def _respond(self, method: str, raw: str, headers) -> Reply:
        parts = urlsplit(raw)
        query = {k.lower(): v for k, v in parse_qsl(parts.query, keep_blank_values=True)}
        return self.respond(method, parts.path, query, headers)

    def _fault_reply(self, faults: dict) -> Optional[Reply]:
        if "redirect_outside" in faults:
            options = faults["redirect_outside"]
            return Reply(int(options.get("code", 302)), b"", {"Location": options.get("location", OUTSIDE)})
        if "status" in faults:
            code = int(faults["status"].get("code", 500))
            return Reply(code, f"<html><body><h1>Error {code}</h1></body></html>".encode(),
                         {"Content-Type": "text/html; charset=utf-8"})
        return None

    def _send(self, handler, method: str, reply: Reply, truncate: Optional[dict]) -> None:
        body = reply.body
        length = len(body)
        if truncate is not None and reply.status == 200:
            body = body[:len(body) // 2]
            length = len(body) if truncate.get("mode", "short") == "cut" else length
        handler.send_response(reply.status)
        for name, value in reply.headers.items():
            handler.send_header(name, value)
        if reply.status != 304:
            handler.send_header("Content-Length", str(length))
        handler.end_headers()
        if method != "HEAD" and reply.status != 304:
            handler.wfile.write(body)
        handler.wfile.flush()

    def _send_huge(self, handler, reply: Reply, size: int) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", reply.headers.get("Content-Type", "application/octet-stream"))
        handler.end_headers()
        chunk, sent = b" " * 65536, 0
        while sent < size and not self._stopping.is_set():
            handler.wfile.write(chunk)
            sent += len(chunk)


class FileTreeServer(FileTreeMixin, FixtureServer):
    """A folder served like Apache (``style="apache"``) or nginx (``style="nginx"``)."""

    def __init__(self, root_dir, style: str = "apache") -> None:
        FixtureServer.__init__(self)
        FileTreeMixin.__init__(self, root_dir, style)

    def respond(self, method, path, query, headers) -> Reply:
        return Reply(*self.tree_response(path, headers))


class ArcGISServer(FixtureServer):
    """A fake ArcGIS REST services directory under ``/arcgis/rest/services``.
    ``documents`` (path -> JSON object) may be changed by a test."""

    server_header = "Microsoft-IIS/10.0"

    def __init__(self) -> None:
        super().__init__()
        self.documents = copy.deepcopy(docs.ARCGIS)

    @property
    def services_url(self) -> str:
        return self.url_for(docs.ROOT)

    def respond(self, method, path, query, headers) -> Reply:
        path = path.rstrip("/")
        if query.get("f") not in ("json", "pjson"):
            return Reply(200, b"<html><body>ArcGIS REST Services Directory</body></html>",
                         {"Content-Type": "text/html; charset=utf-8"})
        document = self.documents.get(path)
        if document is None:  # ArcGIS answers errors as JSON with HTTP 200
            document = {"error": {"code": 404, "message": "Service not found", "details": []}}
        indent = 2 if query["f"] == "pjson" else None
        body = json.dumps(document, ensure_ascii=False, indent=indent).encode("utf-8")
        return Reply(200, body, {"Content-Type": "application/json; charset=utf-8"})


class OGCServer(FixtureServer):
    """WMS and WFS GetCapabilities (and DescribeFeatureType) at
    ``/geoserver/wms`` and ``/geoserver/wfs``; the same under ``/xxe/`` and
    ``/bomb/`` answer XML declaring entities. ``documents`` may be changed."""

    server_header = "Apache-Coyote/1.1"

    def __init__(self) -> None:
        super().__init__()
        self.documents = {"wms:1.3.0": docs.WMS_130, "wms:1.1.1": docs.WMS_111, "wfs:2.0.0": docs.WFS_200,
                          "wfs:1.1.0": docs.WFS_110, "xxe": docs.XXE, "bomb": docs.ENTITY_BOMB,
                          **{f"describe:{k}": v for k, v in docs.DESCRIBE.items()}}

    @property
    def wms_url(self) -> str:
        return self.url_for("/geoserver/wms")

    @property
    def wfs_url(self) -> str:
        return self.url_for("/geoserver/wfs")

    def _key(self, path: str, query: dict) -> str:
        if path.startswith(("/xxe/", "/bomb/")):
            return path.split("/")[1]
        service, request = query.get("service", "").lower(), query.get("request", "").lower()
        if request == "describefeaturetype":
            return f"describe:{query.get('typenames') or query.get('typename', '')}"
        default = "1.3.0" if service == "wms" else "2.0.0"
        return f"{service}:{query.get('version', default)}" if request == "getcapabilities" else ""

    def respond(self, method, path, query, headers) -> Reply:
        document = self.documents.get(self._key(path, query))
        if document is None:
            report = ('<?xml version="1.0"?><ServiceExceptionReport version="1.3.0" '
                      'xmlns="http://www.opengis.net/ogc"><ServiceException code="OperationNotSupported">'
                      'Unknown request</ServiceException></ServiceExceptionReport>')
            return Reply(200, report.encode(), {"Content-Type": "application/vnd.ogc.se_xml"})
        body = document.replace("{base}", self.url).encode("utf-8")
        return Reply(200, body, {"Content-Type": "text/xml; charset=utf-8"})
