"""Text PostgreSQL can store: no NUL character, no half of a surrogate pair
(neither has a UTF-8 encoding). The request guard, the input guard of the
dataset actions and the search engine all refuse the rest with this test."""
from __future__ import annotations


def storable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return "\x00" not in text
