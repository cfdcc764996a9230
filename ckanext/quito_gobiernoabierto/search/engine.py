"""Runs a Solr-style select (the parameters CKAN sends) against the index table."""
from __future__ import annotations

import dataclasses
import re

import sqlalchemy as sa

from ckanext.quito_gobiernoabierto.search import analysis, fields, lucene
from ckanext.quito_gobiernoabierto.storable import storable
from ckanext.quito_gobiernoabierto.search.compiler import CompileError, Compiler, text_with
from ckanext.quito_gobiernoabierto.search.model import FIELDS_TABLE, TABLE

SORT_COLUMNS = {
    "title_string": "title_sort", "metadata_modified": "metadata_modified",
    "metadata_created": "metadata_created", "index_id": "index_id", "indexed_ts": "indexed_at",
}
UNSTORED = {"text", "permission_labels", "title_string", "urls"}
MM_DEFAULT = "2<-1 5<80%"
#: Solr's largest ``rows`` and ``start`` (a Java int).
MAX_INT = 2 ** 31 - 1
MM_CLAUSE = re.compile(r"(?:\d+<)?-?\d+%?")


class SearchEngineError(Exception):
    """The query cannot be run; the message says why (shown to the user by CKAN)."""


@dataclasses.dataclass
class Results:
    """The parts of a pysolr ``Results`` that CKAN reads."""

    docs: list
    hits: int
    facets: dict
    qtime: int = 0

    @property
    def raw_response(self) -> dict:
        return {"response": {"numFound": self.hits, "docs": self.docs}, "facet_counts": self.facets}

    def __len__(self):
        return len(self.docs)

    def __iter__(self):
        return iter(self.docs)


def as_list(value) -> list:
    if value is None:
        return []
    return list(value) if isinstance(value, (list, tuple)) else [value]


def required_matches(n: int, mm: str = MM_DEFAULT) -> int:
    """How many of n optional clauses must match under a dismax ``mm`` spec."""
    if not isinstance(mm, str) or not all(MM_CLAUSE.fullmatch(c) for c in mm.split()):
        raise SearchEngineError(f"Invalid mm {mm!r}: expected e.g. 2<-1 5<80%")
    need = n
    for cond in mm.split():
        limit, _, spec = cond.partition("<")
        if not spec:
            limit, spec = "0", cond
        if n <= int(limit):
            continue
        if spec.endswith("%"):
            pct = int(spec[:-1])
            need = n * pct // 100 if pct >= 0 else n - (n * -pct // 100)
        else:
            need = int(spec) if int(spec) >= 0 else n + int(spec)
    return max(1, min(n, need))


def check_storable(params: dict) -> None:
    """PostgreSQL takes no NUL character nor half a surrogate pair in a text:
    a parameter holding one is an invalid query, not a failure of the engine."""
    for key, value in params.items():
        if not all(storable(v) for v in as_list(value) if isinstance(v, str)):
            raise SearchEngineError(f"Invalid {key}: it contains a NUL character or an unpaired surrogate")


class Select:
    """One search: WHERE clause, rank, order, page, fields, facets."""

    def __init__(self, params: dict, empty_terms=None):
        """``empty_terms(values) -> set`` tells which text values analyse to nothing."""
        check_storable(params)
        self.params = params
        self.default_field = params.get("df") or "text"
        self.compiler = Compiler(self.default_field, (params.get("q.op") or "AND").upper())
        self.empty_terms = empty_terms or (lambda values: set())
        self.sort_params: dict = {}  # bound in the page query only
        self._sort_keys = None
        self.where = self._where()

    # -- condition ------------------------------------------------------
    def _where(self) -> str:
        parts = [self._main_query()]
        for fq in as_list(self.params.get("fq")):
            if not isinstance(fq, str):
                raise SearchEngineError(f"Invalid fq {fq!r}: a filter is a text")
            if fq.strip():
                parts.append(self._compile(fq, "fq"))
        return " AND ".join(parts)

    def _compile(self, text: str, what: str) -> str:
        op = (self.params.get("q.op") or "AND").upper()
        try:
            return self._compile_node(lucene.parse(text.strip(), default_operator=op))
        except (lucene.QuerySyntaxError, CompileError) as e:
            raise SearchEngineError(f"Invalid {what} {text!r}: {e}") from e

    def _pruned(self, node):
        """The query without the clauses the analyser empties (None: nothing left)."""
        values = list(dict.fromkeys(analysis.text_terms(node, self.default_field)))
        empty = self.empty_terms(values) if values else set()
        return analysis.prune(node, empty, self.default_field) if empty else node

    def _compile_node(self, node) -> str:
        node = self._pruned(node)
        return "FALSE" if node is None else self.compiler.compile(node)

    def _main_query(self) -> str:
        q = (self.params.get("q") or "*:*").strip() or "*:*"
        dismax = self.params.get("defType") in ("dismax", "edismax")
        if dismax and q not in ("*:*", "*") and not q.startswith("{!"):  # local params override defType
            return self._dismax(q)
        return self._compile(q, "q")

    def _dismax(self, q: str) -> str:
        try:
            node = lucene.parse(q, default_operator="OR")
        except lucene.QuerySyntaxError:
            words = re.findall(r"\w+", q)
            node = lucene.Bool(should=tuple(lucene.Term(None, w, "term") for w in words))
        node = self._pruned(node)
        if node is None:
            return "FALSE"
        if isinstance(node, lucene.Bool) and node.should and not node.must:
            need = required_matches(len(node.should), self.params.get("mm") or MM_DEFAULT)
            if need >= len(node.should):
                node = lucene.Bool(must=node.should, must_not=node.must_not)
            else:
                return self._at_least(node, need)
        return self.compiler.compile(node)

    def _at_least(self, node, need: int) -> str:
        optional = [self.compiler.compile(n) for n in node.should]
        count = " + ".join(f"(CASE WHEN {c} THEN 1 ELSE 0 END)" for c in optional)
        cond = f"(({' OR '.join(optional)}) AND ({count}) >= {int(need)})"
        negs = [f"NOT ({self.compiler.compile(n)})" for n in node.must_not]
        return " AND ".join([cond] + negs)

    # -- rank and order -------------------------------------------------
    def rank(self) -> str:
        queries = self.compiler.text_queries
        if not queries:
            return "0.0"
        combined = " || ".join(f"coalesce({q}, ''::tsquery)" for q in queries)
        return f"ts_rank(tsv, {combined}, 1)"

    def sort_keys(self) -> list[tuple[str, str, str]]:
        """(column of the hits, its expression, ASC|DESC) of each item of
        ``sort``; the rank is the column ``score`` of every hit already."""
        if self._sort_keys is None:
            spec = self.params.get("sort") or "score desc, metadata_modified desc"
            items = [item.strip() for item in spec.split(",") if item.strip()]
            self._sort_keys = [self._sort_clause(item, f"s{i}") for i, item in enumerate(items)]
        return self._sort_keys

    def _sort_clause(self, item: str, column: str) -> tuple[str, str, str]:
        bits = item.split()
        if len(bits) != 2 or bits[1].lower() not in ("asc", "desc"):
            raise SearchEngineError(f"Can't determine a Sort Order (asc or desc) in sort spec '{item}'")
        if bits[0] == "score":
            return "score", "", bits[1].upper()
        return column, self._sort_expr(bits[0]), bits[1].upper()

    def _sort_expr(self, name: str) -> str:
        if name in SORT_COLUMNS:
            return SORT_COLUMNS[name]
        if not re.match(r"^[\w.\-]+$", name):
            raise SearchEngineError(f"Can't determine a Sort Order for field {name!r}")
        field = fields.schema().field(name)
        key = f":sort{len(self.sort_params)}"
        self.sort_params[key[1:]] = name
        if field.kind == "text":
            value = f"lower(stored ->> {key})"
        else:
            cast = {"date": "quito_search_ts", "number": "quito_search_num"}.get(field.kind, "")
            value = f"{cast}(terms -> {key} ->> 0)"
        # evaluated once per statement: no row is read for a field no document has
        return f"(CASE WHEN (SELECT EXISTS (SELECT 1 FROM {FIELDS_TABLE} WHERE name = {key})) THEN {value} END)"

    # -- statements -------------------------------------------------------
    def hits_select(self, extra: list[str] = (), ordered: bool = True) -> str:
        """The matching rows, narrow: id, order of indexing, rank, if ``ordered``
        one column ``s<i>`` per sort key (computed once, read by
        :meth:`page_order`), and ``extra`` columns."""
        keys = [f"{expr} AS {column}" for column, expr, _ in self.sort_keys() if expr] if ordered else []
        columns = ["index_id", "seq", f"{self.rank()} AS score", *keys, *extra]
        return f"SELECT {', '.join(columns)} FROM {TABLE} WHERE {self.where}"

    def page_order(self) -> str:
        keys = [f"{column} {direction} NULLS LAST" for column, _, direction in self.sort_keys()]
        return ", ".join(keys + ["seq ASC"])

    def page_cut(self) -> str:
        rows, start = self.rows_start()
        return f"ORDER BY {self.page_order()} LIMIT {rows} OFFSET {start}"

    def page_sql(self) -> sa.TextClause:
        """The page's ids and scores, ranked, ordered and cut on narrow rows
        (the stored documents are fetched for the page only)."""
        sql = f"SELECT index_id, score FROM ({self.hits_select()}) AS hit {self.page_cut()}"
        return self.bound(sql)

    def bound(self, sql: str, **more) -> sa.TextClause:
        return text_with(sql, {**self.compiler.params, **self.sort_params, **more})

    @staticmethod
    def stored_sql(ids: list) -> sa.TextClause:
        return sa.text(f"SELECT index_id, stored FROM {TABLE} WHERE index_id = ANY(:ids)").bindparams(ids=ids)

    def count_sql(self) -> sa.TextClause:
        return text_with(f"SELECT count(*) FROM {TABLE} WHERE {self.where}", self.compiler.params)

    def rows_start(self) -> tuple[int, int]:
        try:
            rows, start = int(self.params.get("rows", 10)), int(self.params.get("start", 0) or 0)
        except (TypeError, ValueError) as e:
            raise SearchEngineError("rows and start must be integers") from e
        if rows < 0 or start < 0:
            raise SearchEngineError("rows and start must not be negative")
        if max(rows, start) > MAX_INT:
            raise SearchEngineError(f"rows and start must be at most {MAX_INT}")
        return rows, start


def project(stored: dict, score: float, fl) -> dict:
    """The fields of one hit that ``fl`` asks for (Solr returns stored fields only)."""
    wanted = [f for f in re.split(r"[,\s]+", fl or "*") if f]
    if "*" in wanted:
        doc = {k: v for k, v in stored.items() if k not in UNSTORED}
    else:
        doc = {k: stored[k] for k in wanted if k in stored and k not in UNSTORED}
    if "score" in wanted:
        doc["score"] = float(score)
    return doc
