"""Small text helpers of the geoportal crawler: translatable messages that
work with or without a CKAN app context, plain text out of the HTML that
ArcGIS descriptions carry, map scales written in descriptions, and keywords
cleaned into CKAN tags."""
from __future__ import annotations

import html
import re
from html.parser import HTMLParser

#: CKAN's tag rules (``tag_name_validator``, ``tag_length_validator``).
TAG_MIN, TAG_MAX = 2, 100
TAG_BAD_CHARS = re.compile(r"[^\w \-.]+", re.UNICODE)

SCALE_RE = re.compile(r"\bescala\s*(?:de\s*)?1\s*:\s*([0-9]{1,3}(?:[ .,\u00a0\u202f][0-9]{3})+(?![0-9])|[0-9]+)",
                      re.IGNORECASE)


def _(message: str) -> str:
    """CKAN's gettext of ``message`` (the current request's language), or
    the message itself when there is no app or request context (worker
    processes, command line, plain unit tests)."""
    try:
        import ckan.plugins.toolkit as tk

        return tk._(message)
    except Exception:  # noqa: BLE001 - no Flask app/request context, or CKAN not importable
        return message


class _TextCollector(HTMLParser):
    """Collects the text of an HTML fragment; block tags become line breaks."""

    BLOCKS = {"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data):
        self.parts.append(data)


def plain_text(value) -> str:
    """Text without HTML tags, entities decoded, blank lines squeezed."""
    if not value:
        return ""
    text = str(value)
    if "<" in text and ">" in text:
        collector = _TextCollector()
        collector.feed(text)
        collector.close()
        text = "".join(collector.parts)
    else:
        text = html.unescape(text)
    lines = [" ".join(line.split()) for line in text.replace("\r", "\n").split("\n")]
    return "\n".join(line for line in lines if line).strip()


def scale_from_text(*texts: str) -> int | None:
    """The denominator of a scale written as "escala 1:5.000" / "Escala 1: 25 000"
    in a description or attribution; None when no text names one."""
    for text in texts:
        match = SCALE_RE.search(text or "")
        if match:
            digits = re.sub(r"[^0-9]", "", match.group(1))
            if digits.isdigit() and int(digits) > 0:
                return int(digits)
    return None


def clean_tags(keywords, limit: int = 20) -> list[str]:
    """Keywords as CKAN tag names: allowed characters only, 2-100 long,
    without repeats (case-insensitive), at most ``limit`` of them."""
    tags: list[str] = []
    seen: set[str] = set()
    for keyword in keywords or []:
        tag = " ".join(TAG_BAD_CHARS.sub(" ", str(keyword)).split())[:TAG_MAX].strip()
        if len(tag) >= TAG_MIN and tag.lower() not in seen:
            seen.add(tag.lower())
            tags.append(tag)
        if len(tags) >= limit:
            break
    return tags
