"""HTML and script payloads, and a parser that finds what of them a page
would execute: script elements, event-handler attributes and ``javascript:``
addresses."""
from __future__ import annotations

import json
import re
from html.parser import HTMLParser

#: Every payload carries "xss-" so that what the page executes can be traced to it.
SCRIPT = "<script>alert('xss-script')</script>"
BREAKOUT = "</script><script>alert('xss-breakout')</script>"
IMAGE = "\"><img src=x onerror=alert('xss-img')>"
QUOTE = "' onmouseover='alert(\"xss-quote\")' x='"
JS_URL = "javascript:alert('xss-url')"
MARKDOWN = ("[pulse aquí](javascript:alert('xss-md-link')) "
            "<a href=\"javascript:alert('xss-md-a')\" onclick=\"alert('xss-md-onclick')\">enlace</a> "
            "<img src=x onerror=\"alert('xss-md-img')\"> <script>alert('xss-md-script')</script> "
            "![imagen](javascript:alert('xss-md-image')) <iframe src=\"javascript:alert('xss-md-iframe')\"></iframe>")
#: For one-line text fields.
TEXT = f"Datos {SCRIPT}{IMAGE}{BREAKOUT}{QUOTE}"
#: For markdown fields (descriptions).
LONG_TEXT = f"Descripción {SCRIPT}\n\n{MARKDOWN}\n\n{IMAGE}{BREAKOUT}"

EXECUTABLE_SCRIPT_TYPES = {"", "text/javascript", "application/javascript", "module", "text/ecmascript"}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "data", "xlink:href", "poster", "background"}


def dangerous_url(value: str) -> bool:
    """``javascript:``, ``vbscript:`` or ``data:text/html`` once a browser has
    dropped the whitespace and control characters it ignores."""
    squeezed = re.sub(r"[\x00-\x20]+", "", value or "").lower()
    return squeezed.startswith(("javascript:", "vbscript:", "data:text/html"))


class Findings(HTMLParser):
    """Collects what would run: ``problems`` (human-readable), and the text
    of every JSON script block, to check that it still parses."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self.json_blocks: list[str] = []
        self._script = None  # (type, text parts) while inside a script element

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            value = value or ""
            if name.startswith("on") and "xss" in value:
                self.problems.append(f"<{tag} {name}={value!r}>")
            if name in URL_ATTRIBUTES and dangerous_url(value):
                self.problems.append(f"<{tag} {name}={value!r}>")
            if name == "srcdoc" and "xss" in value:
                self.problems.append(f"<{tag} srcdoc={value!r}>")
        if tag == "script":
            self._script = ((dict(attrs).get("type") or "").strip().lower(), [])

    def handle_data(self, data):
        if self._script is not None:
            self._script[1].append(data)

    def handle_endtag(self, tag):
        if tag == "script" and self._script is not None:
            kind, parts = self._script
            text = "".join(parts)
            if kind in EXECUTABLE_SCRIPT_TYPES and "xss" in text:
                self.problems.append(f"<script>{text.strip()[:120]}</script>")
            elif kind.endswith("json"):
                self.json_blocks.append(text)
            self._script = None


def executable_payloads(html: str) -> list[str]:
    """What of the payloads the page would execute (empty: nothing)."""
    found = Findings()
    found.feed(html)
    found.close()
    for block in found.json_blocks:
        try:
            json.loads(block)
        except ValueError:
            found.problems.append(f"a JSON script block that no longer parses: {block.strip()[:120]}")
    return found.problems
