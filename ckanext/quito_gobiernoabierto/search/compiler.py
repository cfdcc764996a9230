"""Query AST (``lucene.py``) -> SQL condition over the index table.

Field meanings come from CKAN's Solr schema (``fields.py``): string, date,
number and boolean fields match exactly on ``terms``; analysed text fields
match the full-text vector (with the Spanish, accent-folding configuration);
the catch-all ``text`` field is the whole weighted vector ``tsv``.
"""
from __future__ import annotations

import json
import re

import sqlalchemy as sa

from ckanext.quito_gobiernoabierto.search import datemath, fields, hot, lucene, spatial
from ckanext.quito_gobiernoabierto.search.index import WEIGHTS
from ckanext.quito_gobiernoabierto.search.model import TEXT_CONFIG

NGRAM_SOURCES = {"title_ngram": "title", "name_ngram": "name"}
#: Fields CKAN filters every search on, kept as plain columns (see model.py).
FILTER_COLUMNS = {"site_id": "site_id = {v}", "state": "state = {v}", "permission_labels": "{v} = ANY(labels)"}
TYPED_COLUMNS = {"metadata_modified": "metadata_modified", "metadata_created": "metadata_created"}



def text_with(sql: str, params: dict) -> sa.TextClause:
    """``sql`` bound to the parameters it uses. Optional clauses beside a
    required one (``+a b``) are compiled for ranking only, so some parameters
    may be absent from the SQL."""
    used = set(re.findall(r"(?<!:):(\w+)", sql))
    return sa.text(sql).bindparams(**{k: v for k, v in params.items() if k in used})


class CompileError(ValueError):
    """A query that parses but cannot be run (unknown parser, bad range bound...)."""


class Compiler:
    """Collects bind parameters while turning AST nodes into SQL."""

    def __init__(self, default_field: str = "text", default_operator: str = "AND"):
        self.params: dict = {}
        self.default_field = default_field
        self.default_operator = default_operator
        self.hot_fields = hot.fields()
        self.text_queries: list[str] = []  # tsquery expressions, for ranking

    def bind(self, value) -> str:
        name = f"p{len(self.params)}"
        self.params[name] = value
        return f":{name}"

    def compile(self, node) -> str:
        method = getattr(self, "_" + type(node).__name__.lower())
        return method(node)

    # -- nodes --------------------------------------------------------------
    def _matchall(self, node) -> str:
        return "TRUE"

    def _bool(self, node) -> str:
        parts = [self.compile(n) for n in node.must]
        if node.should and not node.must:
            parts.append("(" + " OR ".join(self.compile(n) for n in node.should) + ")")
        elif node.should:
            for n in node.should:  # optional clauses still count for ranking
                self.compile(n)
        parts += [f"NOT ({self.compile(n)})" for n in node.must_not]
        return "(" + " AND ".join(parts or ["TRUE"]) + ")"

    def _term(self, node) -> str:
        field = fields.schema().field(node.field or self.default_field)
        if field.name in NGRAM_SOURCES:
            return self._ngram_term(NGRAM_SOURCES[field.name], node)
        if field.name == "text" or field.kind == "text":
            return self._text_term(field, node)
        if node.kind == "exists":
            return f"jsonb_exists(terms, {self.bind(field.name)})"
        if node.kind in ("prefix", "wildcard"):
            return self._like_term(field, node)
        value = node.value.lower() if field.kind == "boolean" else node.value
        if field.name in FILTER_COLUMNS:
            return "(" + FILTER_COLUMNS[field.name].format(v=self.bind(value)) + ")"
        if field.name in self.hot_fields and hot.fits(hot.element(field.name, value)):
            return f"(facet_terms @> ARRAY[{self.bind(hot.element(field.name, value))}])"
        return f"terms @> CAST({self.bind(json.dumps({field.name: [value]}))} AS jsonb)"

    def _range(self, node) -> str:
        field = fields.schema().field(node.field or self.default_field)
        conv = {"date": self._date_bound, "number": self._number_bound}.get(field.kind, str)
        cast = {"date": "quito_search_ts(v)", "number": "quito_search_num(v)"}.get(field.kind, "v")
        if field.name in TYPED_COLUMNS:
            cast = TYPED_COLUMNS[field.name]
        conds = []
        if node.low is not None:
            conds.append(f"{cast} {'>=' if node.include_low else '>'} {self.bind(conv(node.low))}")
        if node.high is not None:
            conds.append(f"{cast} {'<=' if node.include_high else '<'} {self.bind(conv(node.high))}")
        cond = " AND ".join(conds) or f"{cast} IS NOT NULL"
        if field.name in TYPED_COLUMNS:
            return f"({cond})"
        return (f"EXISTS (SELECT 1 FROM jsonb_array_elements_text(terms -> {self.bind(field.name)}) v "
                f"WHERE {cond})")

    def _localparams(self, node) -> str:
        """Solr query parsers named in local parameters: ``field`` (including the
        spatial ``Intersects(ENVELOPE(...))`` of ckanext-spatial), ``lucene`` and ``bool``."""
        handler = {"field": self._field_parser, "lucene": self._lucene_parser,
                   "bool": self._bool_parser}.get(node.parser)
        if handler is None:
            raise CompileError(f"unsupported local parameters {{!{node.parser} ...}}")
        return handler(node)

    def _field_parser(self, node) -> str:
        name, body = dict(node.params).get("f"), node.body
        if not name:
            raise CompileError("{!field} needs f=FIELD")
        if name in ("spatial_geom", "bbox", "spatial"):
            return self._envelope(body)
        return self.compile(lucene.Term(name, body, "phrase"))

    def _envelope(self, body: str) -> str:
        try:
            minx, miny, maxx, maxy = spatial.parse_envelope(body)
        except ValueError as e:
            raise CompileError(str(e)) from e
        return (f"(bbox_minx <= {self.bind(maxx)} AND bbox_maxx >= {self.bind(minx)} "
                f"AND bbox_miny <= {self.bind(maxy)} AND bbox_maxy >= {self.bind(miny)})")

    def _sub(self, params: dict, text: str):
        sub_op = (params.get("q.op") or self.default_operator).upper()
        try:
            return lucene.parse(text, default_operator=sub_op, default_field=params.get("df"))
        except lucene.QuerySyntaxError as e:
            raise CompileError(str(e)) from e

    def _lucene_parser(self, node) -> str:
        return self.compile(self._sub(dict(node.params), node.body or "*:*"))

    def _bool_parser(self, node) -> str:
        """``{!bool must=... should=... must_not=... filter=...}``: each a lucene query;
        keys may repeat (``should=a should=b``)."""
        params = dict(node.params)
        groups: dict = {"must": [], "should": [], "must_not": []}
        for key, value in node.params:
            target = "must" if key == "filter" else key
            if target in groups:
                groups[target].append(self._sub(params, value))
        node = lucene.Bool(tuple(groups["must"]), tuple(groups["should"]), tuple(groups["must_not"]))
        return self.compile(node)

    # -- helpers ------------------------------------------------------------
    def _text_term(self, field, node) -> str:
        if node.kind == "exists":
            return "TRUE" if field.name == "text" else f"jsonb_exists(stored, {self.bind(field.name)})"
        query = self.tsquery(node)
        self.text_queries.append(query)
        if field.name == "text":
            return f"(tsv @@ {query})"
        own = (f"to_tsvector('{TEXT_CONFIG}', coalesce((SELECT string_agg(x, ' ') FROM "
               f"jsonb_array_elements_text(CASE jsonb_typeof(stored -> {self.bind(field.name)}) "
               f"WHEN 'array' THEN stored -> {self.bind(field.name)} "
               f"ELSE jsonb_build_array(stored -> {self.bind(field.name)}) END) x), ''))")
        if fields.schema().in_text(field.name):
            weight = WEIGHTS.get(field.name, "D")
            return f"(tsv @@ {self.weighted(query, weight)} AND {own} @@ {query})"
        return f"({own} @@ {query})"

    @staticmethod
    def weighted(query: str, weight: str) -> str:
        """The tsquery restricted to lexemes of one weight class (title and name
        are A, tags B, notes C, the rest D): a cheap prefilter on the index."""
        return (f"CAST(nullif(regexp_replace(CAST({query} AS text), "
                f"'''([^'']+)''(:(\\*))?', '''\\1'':\\3{weight}', 'g'), '') AS tsquery)")

    def tsquery(self, node) -> str:
        value = self.bind(node.value)
        if node.kind == "phrase":
            return f"phraseto_tsquery('{TEXT_CONFIG}', {value})"
        if node.kind in ("prefix", "wildcard"):
            word = node.value.replace("\\*", "").replace("*", "").replace("?", "")
            self.params[value[1:]] = word
            return (f"CAST(nullif(regexp_replace(CAST(plainto_tsquery('{TEXT_CONFIG}', {value}) AS text), "
                    f"'''([^'']+)''', '''\\1'':*', 'g'), '') AS tsquery)")
        return f"plainto_tsquery('{TEXT_CONFIG}', {value})"

    def _ngram_term(self, source: str, node) -> str:
        """Solr's n-gram fields (autocomplete): a substring of the source field, accents folded."""
        needle = node.value.replace("\\*", "").replace("*", "").replace("?", "")
        pattern = "%" + _like_pattern(needle.lower()) + "%"
        return (f"(unaccent(lower(stored ->> {self.bind(source)})) LIKE unaccent({self.bind(pattern)}))")

    def _like_term(self, field, node) -> str:
        raw = node.value if node.kind == "wildcard" else node.value + "*"
        pattern = _like_pattern(raw)
        return (f"EXISTS (SELECT 1 FROM jsonb_array_elements_text(terms -> {self.bind(field.name)}) v "
                f"WHERE v LIKE {self.bind(pattern)})")

    @staticmethod
    def _date_bound(value: str):
        """A range bound at Solr's date precision (milliseconds)."""
        try:
            bound = datemath.parse(value)
            return bound.replace(microsecond=bound.microsecond // 1000 * 1000)
        except ValueError as e:
            raise CompileError(str(e)) from e

    @staticmethod
    def _number_bound(value: str):
        try:
            return float(value)
        except ValueError as e:
            raise CompileError(f"not a number: {value!r}") from e


def _like_pattern(wildcard: str) -> str:
    out, i = [], 0
    while i < len(wildcard):
        ch = wildcard[i]
        if ch == "\\" and i + 1 < len(wildcard):
            out.append("\\" + wildcard[i + 1] if wildcard[i + 1] in "%_\\" else wildcard[i + 1])
            i += 2
            continue
        out.append({"*": "%", "?": "_", "%": "\\%", "_": "\\_"}.get(ch, ch))
        i += 1
    return "".join(out)
