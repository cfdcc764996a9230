"""A stand-in for ``pysolr.Solr`` that CKAN's search code talks to unchanged.

CKAN builds Solr documents and Solr queries itself (``ckan.lib.search``);
this object receives them and serves them from PostgreSQL. A bad query is a
``SearchQueryError`` (a 400 for the API), an indexing failure a
``pysolr.SolrError`` (what CKAN catches and reports), and a database that
cannot be reached is passed on as it is, so the request is answered with a
503 (``outage``) instead of an error naming a search server.
"""
from __future__ import annotations

import contextlib
import logging
import time

import pysolr
import sqlalchemy as sa

from ckan.lib.search.common import SearchError, SearchQueryError, solr_datetime_decoder
from ckan.model import meta

from ckanext.quito_gobiernoabierto import outage
from ckanext.quito_gobiernoabierto.search import analysis, engine, facets, index, lucene, model
from ckanext.quito_gobiernoabierto.search.compiler import CompileError, Compiler, text_with
from ckanext.quito_gobiernoabierto.search.model import TABLE

log = logging.getLogger(__name__)
URL = "postgresql://quito_search"
#: undefined_table, undefined_function, undefined_object (text search configuration),
#: undefined_column (a table from before a later migration)
MISSING_SCHEMA = {"42P01", "42883", "42704", "42703"}


class _WriteBuffer:
    """Documents held back by :func:`buffered_writes` (one per process)."""

    def __init__(self):
        self.batch = 0
        self.docs: list = []


_BUFFER = _WriteBuffer()


@contextlib.contextmanager
def buffered_writes(batch: int = 200):
    """Within the block, indexed documents are written ``batch`` at a time (one
    statement and one transaction per batch) instead of one by one; the rest
    is written on leaving the block. For bulk rebuilds only: until a batch is
    written, other processes do not see its documents."""
    _BUFFER.batch, _BUFFER.docs = batch, []
    try:
        yield
        PostgresSearchConnection().flush()
    finally:
        _BUFFER.batch, _BUFFER.docs = 0, []


class PostgresSearchConnection:
    """The subset of ``pysolr.Solr`` that CKAN and its extensions use."""

    url = URL

    def __init__(self, bind=None, decode_dates: bool = False):
        """``decode_dates``: return Solr-formatted date strings as datetimes, as
        pysolr does for CKAN's ``make_connection()`` default."""
        self._bind = bind
        self.decode_dates = decode_dates

    @property
    def bind(self):
        return self._bind or meta.engine

    def _run(self, work, write: bool = False):
        """Run ``work(conn)``; if the index schema is missing (a database reset
        without the plugin's migration), create it once and run again."""
        opener = self.bind.begin if write else self.bind.connect
        try:
            with opener() as conn:
                return work(conn)
        except sa.exc.ProgrammingError as e:
            if getattr(e.orig, "pgcode", None) not in MISSING_SCHEMA:
                raise
            log.warning("search index schema missing (%s); creating it", e.orig.pgerror.strip())
        with self.bind.begin() as conn:
            model.create(conn)
        with opener() as conn:
            return work(conn)

    def search(self, q=None, search_handler=None, **params) -> engine.Results:
        started = time.monotonic()
        params["q"] = q if q is not None else params.get("q")
        try:
            docs, hits, counts = self._run(lambda conn: self._select(conn, params))
        except engine.SearchEngineError as e:
            raise SearchQueryError(str(e)) from e
        except sa.exc.DBAPIError as e:
            if outage.is_unavailable(e):
                raise
            log.warning("search failed: %s", e)
            raise SearchError("The search could not be completed") from e
        took = int((time.monotonic() - started) * 1000)
        return engine.Results(docs, hits, {"facet_fields": counts}, qtime=took)

    def _select(self, conn, params: dict) -> tuple:
        select = engine.Select(params, lambda values: analysis.empty_terms(conn, values))
        names = facets.facet_fields(params)
        if names or select.compiler.text_queries:  # the matching rows are read once for everything
            ids, hits, counts = self._counted(conn, select, names, params)
        else:
            (ids, hits), counts = self._page(conn, select), {}
        return self._documents(conn, select, ids), hits, counts

    @staticmethod
    def _counted(conn, select: engine.Select, names: list, params: dict) -> tuple:
        """The page's (id, score), the number of hits and the facet counts, in one statement."""
        page = select.rows_start()[0] > 0
        parts: dict = {"count": [], "facet": [], "page": []}
        for part, field, value, n, score in conn.execute(facets.search_sql(select, names, page)):
            parts[part].append((field, value, n, score))
        ids = [(value, score) for _, value, _, score in sorted(parts["page"], key=lambda row: row[2])]
        counts = facets.shape(names, [row[:3] for row in parts["facet"]], params)
        return ids, int(parts["count"][0][2]), counts

    @staticmethod
    def _page(conn, select: engine.Select) -> tuple[list, int]:
        """The page's (id, score) and the number of hits, counted only when the
        page does not tell it (a short page that is not past the end)."""
        rows, start = select.rows_start()
        ids = [tuple(row) for row in conn.execute(select.page_sql())] if rows else []
        if rows and len(ids) < rows and (ids or not start):
            return ids, start + len(ids)
        return ids, int(conn.execute(select.count_sql()).scalar())

    def _documents(self, conn, select: engine.Select, ids: list) -> list:
        if not ids:
            return []
        stored = dict(conn.execute(select.stored_sql([index_id for index_id, _ in ids])).fetchall())
        fl = select.params.get("fl")
        docs = [engine.project(stored[index_id], score, fl) for index_id, score in ids]
        return [solr_datetime_decoder(d) for d in docs] if self.decode_dates else docs

    def add(self, docs, commit=None, **kwargs) -> None:
        if _BUFFER.batch:
            _BUFFER.docs.extend(docs)
            if len(_BUFFER.docs) >= _BUFFER.batch:
                self.flush()
            return
        self._write(docs, durable=commit is not False)

    def flush(self) -> None:
        """Write the documents held by :func:`buffered_writes`."""
        docs, _BUFFER.docs = _BUFFER.docs, []
        if docs:
            self._write(docs, durable=False)

    def _write(self, docs, durable: bool) -> None:
        def write(conn):
            if not durable:  # a rebuild's deferred commit: no need to wait for the disk
                conn.execute(sa.text("SET LOCAL synchronous_commit = off"))
            return index.upsert(conn, docs)

        try:
            self._run(write, write=True)
        except sa.exc.DBAPIError as e:
            if outage.is_unavailable(e):
                raise
            raise pysolr.SolrError(f"Indexing failed: {e.orig}") from e

    def delete(self, id=None, q=None, commit=None, **kwargs) -> None:
        if id is None and q is None:
            raise ValueError('You must specify "id" or "q".')
        statements = []
        if id is not None:
            ids = list(id) if isinstance(id, (list, tuple)) else [id]
            statements.append(sa.text(f"DELETE FROM {TABLE} WHERE index_id = ANY(:ids)").bindparams(ids=ids))
        if q is not None:
            statements.append(self._delete_sql(q))
        self._run(lambda conn: [conn.execute(st) for st in statements], write=True)

    @staticmethod
    def _delete_sql(q: str) -> sa.TextClause:
        compiler = Compiler()
        try:
            where = compiler.compile(lucene.parse(q))
        except (lucene.QuerySyntaxError, CompileError) as e:
            raise pysolr.SolrError(f"Invalid delete query {q!r}: {e}") from e
        return text_with(f"DELETE FROM {TABLE} WHERE {where}", compiler.params)

    def commit(self, *args, **kwargs) -> None:
        """Every write is committed as it happens; nothing to do."""

    def optimize(self, *args, **kwargs) -> None:
        with self.bind.connect() as conn:
            conn.execution_options(isolation_level="AUTOCOMMIT").execute(sa.text(f"VACUUM ANALYZE {TABLE}"))

    def ping(self, *args, **kwargs) -> str:
        self._run(lambda conn: conn.execute(sa.text(f"SELECT 1 FROM {TABLE} LIMIT 1")))
        return '{"status": "OK"}'
