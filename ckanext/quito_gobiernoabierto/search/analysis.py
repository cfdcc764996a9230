"""Clauses the text analyser empties (stop words such as "de", "la", "del").

Solr's analyser removes such a clause from the query; the engine does the
same before compiling, asking PostgreSQL which text terms analyse to nothing
(one round trip for the whole query).
"""
from __future__ import annotations

import dataclasses
from typing import Callable, Iterable

import sqlalchemy as sa

from ckanext.quito_gobiernoabierto.search import fields, lucene
from ckanext.quito_gobiernoabierto.search.model import TEXT_CONFIG

Empty = Callable[[list[str]], set]


def text_terms(node, default_field: str) -> Iterable[str]:
    """Values of the analysed-text terms of a query."""
    if isinstance(node, lucene.Bool):
        for child in node.must + node.should + node.must_not:
            yield from text_terms(child, default_field)
    elif isinstance(node, lucene.Term) and node.kind in ("term", "phrase"):
        field = fields.schema().field(node.field or default_field)
        if field.name == "text" or field.kind == "text":
            yield node.value


def prune(node, empty: set, default_field: str):
    """The query without the text terms in ``empty``; None if nothing is left."""
    if isinstance(node, lucene.Term):
        return None if node.value in empty and node.value in set(text_terms(node, default_field)) else node
    if not isinstance(node, lucene.Bool):
        return node
    parts = {name: tuple(kept for kept in (prune(c, empty, default_field) for c in getattr(node, name))
                         if kept is not None)
             for name in ("must", "should", "must_not")}
    if not parts["must"] and not parts["should"] and (node.must or node.should):
        return None  # every positive clause was emptied
    return dataclasses.replace(node, **parts)


def empty_terms(conn, values: list[str]) -> set:
    """Which of these values analyse to no lexeme at all."""
    if not values:
        return set()
    rows = conn.execute(sa.text(
        f"SELECT v FROM unnest(CAST(:vals AS text[])) AS v "
        f"WHERE numnode(plainto_tsquery('{TEXT_CONFIG}', v)) = 0"), {"vals": values})
    return {r[0] for r in rows}
