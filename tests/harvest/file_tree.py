"""A folder served as a web server's auto-index: Apache ``mod_autoindex``
(Debian's default ``FancyIndexing HTMLTable``) or nginx ``autoindex on``,
with the conditional-request behaviour of a static file server (ETag,
Last-Modified, 304 Not Modified). Used by ``fixture_servers.FileTreeServer``.
"""
from __future__ import annotations

import html
import mimetypes
import os
import time
from email.utils import formatdate, parsedate_to_datetime
from urllib.parse import quote, unquote

APACHE_ROW = ('<tr><td valign="top"><img src="/icons/{icon}" alt="{alt}"></td><td><a href="{href}">{text}</a></td>'
              '<td align="right">{date}  </td><td align="right">{size}</td><td>&nbsp;</td></tr>')
APACHE_PARENT = ('<tr><td valign="top"><img src="/icons/back.gif" alt="[PARENTDIR]"></td><td><a href="{href}">'
                 'Parent Directory</a></td><td>&nbsp;</td><td align="right">  - </td><td>&nbsp;</td></tr>')
NGINX_NAME_WIDTH = 50


def apache_size(size: int) -> str:
    """Size as mod_autoindex prints it: 512, 1.2K, 25K, 3.4M."""
    for unit, factor in (("G", 1 << 30), ("M", 1 << 20), ("K", 1 << 10)):
        if size >= factor:
            value = size / factor
            return f"{value:.1f}{unit}" if value < 10 else f"{value:.0f}{unit}"
    return str(size)


def etag_of(stat: os.stat_result) -> str:
    """Apache's default ETag: size and modification time in microseconds, hex."""
    return f'"{stat.st_size:x}-{int(stat.st_mtime * 1_000_000):x}"'


class FileTreeMixin:
    """Answers for a folder tree as (status, body, headers) (see :meth:`tree_response`)."""

    server_header = "Apache/2.4.62 (Debian)"

    def __init__(self, root_dir, style: str = "apache") -> None:
        if style not in ("apache", "nginx"):
            raise ValueError("style is 'apache' or 'nginx'")
        self.root_dir = os.path.realpath(str(root_dir))
        self.style = style
        if style == "nginx":
            self.server_header = "nginx/1.24.0"

    # ------------------------------------------------------------ routing

    def _local_path(self, path: str):
        """The file system path of a URL path, or None outside the root."""
        target = os.path.realpath(os.path.join(self.root_dir, unquote(path, encoding="utf-8").lstrip("/")))
        inside = target == self.root_dir or target.startswith(self.root_dir + os.sep)
        return target if inside else None

    def tree_response(self, path: str, headers) -> tuple[int, bytes, dict]:
        """(status, body, headers) for a GET of the URL path ``path``."""
        target = self._local_path(path)
        if target is None or not os.path.exists(target) or os.path.basename(target).startswith("."):
            return 404, b"<html><body><h1>Not Found</h1></body></html>", {"Content-Type": "text/html"}
        if os.path.isdir(target):
            if not path.endswith("/"):
                return 301, b"", {"Location": quote(unquote(path)) + "/"}
            page = self.listing(unquote(path), target)
            return 200, page.encode("utf-8"), {"Content-Type": "text/html;charset=UTF-8"}
        return self._file(target, headers)

    # ------------------------------------------------------------ files

    @staticmethod
    def not_modified(stat: os.stat_result, headers) -> bool:
        """RFC 9110: If-None-Match wins over If-Modified-Since."""
        if headers.get("If-None-Match"):
            tags = [t.strip() for t in headers["If-None-Match"].split(",")]
            return "*" in tags or etag_of(stat) in tags or f"W/{etag_of(stat)}" in tags
        if headers.get("If-Modified-Since"):
            try:
                since = parsedate_to_datetime(headers["If-Modified-Since"]).timestamp()
            except (TypeError, ValueError):
                return False
            return int(stat.st_mtime) <= since
        return False

    def _file(self, target: str, headers) -> tuple[int, bytes, dict]:
        stat = os.stat(target)
        validators = {"ETag": etag_of(stat), "Last-Modified": formatdate(stat.st_mtime, usegmt=True)}
        if self.not_modified(stat, headers):
            return 304, b"", validators
        with open(target, "rb") as f:
            body = f.read()
        kind = mimetypes.guess_type(target)[0] or "application/octet-stream"
        return 200, body, {"Content-Type": kind, "Accept-Ranges": "bytes", **validators}

    # ------------------------------------------------------------ listings

    def _entries(self, folder: str) -> list[tuple[str, bool, os.stat_result]]:
        names = sorted(n for n in os.listdir(folder) if not n.startswith("."))
        entries = [(n, os.path.isdir(os.path.join(folder, n)), os.stat(os.path.join(folder, n))) for n in names]
        if self.style == "nginx":  # nginx lists folders first
            entries.sort(key=lambda e: (not e[1], e[0]))
        return entries

    def listing(self, url_path: str, folder: str) -> str:
        entries = self._entries(folder)
        return self._apache(url_path, entries) if self.style == "apache" else self._nginx(url_path, entries)

    def _apache(self, url_path: str, entries) -> str:
        title = html.escape(url_path.rstrip("/") or "/")
        rows = []
        if url_path != "/":
            parent = quote(url_path.rstrip("/").rsplit("/", 1)[0] + "/")
            rows.append(APACHE_PARENT.format(href=parent))
        for name, is_dir, stat in entries:
            label = name + ("/" if is_dir else "")
            rows.append(APACHE_ROW.format(
                icon="folder.gif" if is_dir else "unknown.gif", alt="[DIR]" if is_dir else "[   ]",
                href=quote(name) + ("/" if is_dir else ""), text=html.escape(label),
                date=time.strftime("%Y-%m-%d %H:%M", time.localtime(stat.st_mtime)),
                size="  - " if is_dir else apache_size(stat.st_size)))
        return ('<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 3.2 Final//EN">\n<html>\n <head>\n'
                f'  <title>Index of {title}</title>\n </head>\n <body>\n<h1>Index of {title}</h1>\n  <table>\n'
                '   <tr><th valign="top"><img src="/icons/blank.gif" alt="[ICO]"></th><th><a href="?C=N;O=D">Name</a>'
                '</th><th><a href="?C=M;O=A">Last modified</a></th><th><a href="?C=S;O=A">Size</a></th>'
                '<th><a href="?C=D;O=A">Description</a></th></tr>\n   <tr><th colspan="5"><hr></th></tr>\n'
                + "\n".join(rows) + '\n   <tr><th colspan="5"><hr></th></tr>\n</table>\n'
                f'<address>{self.server_header} Server at 127.0.0.1 Port {self.port}</address>\n</body></html>\n')

    def _nginx(self, url_path: str, entries) -> str:
        title = html.escape(url_path)
        lines = ['<a href="../">../</a>'] if url_path != "/" else []
        for name, is_dir, stat in entries:
            label = name + ("/" if is_dir else "")
            shown = label if len(label) <= NGINX_NAME_WIDTH else label[:NGINX_NAME_WIDTH - 3] + "..>"
            pad = " " * (NGINX_NAME_WIDTH + 1 - len(shown))
            date = time.strftime("%d-%b-%Y %H:%M", time.gmtime(stat.st_mtime))
            size = "-" if is_dir else str(stat.st_size)
            href = quote(name) + ("/" if is_dir else "")
            lines.append(f'<a href="{href}">{html.escape(shown)}</a>{pad}{date} {size:>19}')
        return (f"<html>\n<head><title>Index of {title}</title></head>\n<body>\n<h1>Index of {title}</h1><hr><pre>"
                + "\n".join(lines) + "\n</pre><hr></body>\n</html>\n")
