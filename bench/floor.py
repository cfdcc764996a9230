"""The floor: hand-written SQL doing the work of one ``package_search`` on the index table.

For a citizen query (as CKAN's ``package_search`` receives it) it runs, on a raw
psycopg2 cursor, one statement: ``count(*)``, the page (``ORDER BY`` +
``LIMIT``/``OFFSET``, fetching what CKAN reads: the validated dataset) and one
``GROUP BY`` per facet (top 50, as CKAN asks), over the rows matching the
full-text query (``plainto_tsquery``), ONE ``terms @>`` containment holding
CKAN's implicit filters (site, state, public capacity, ``public`` permission
label) and the query's own ``field:"value"`` filters, and the other filters.
The matching rows are computed once (a materialized CTE) for all of it.

Only the query shapes of the citizen benchmark are understood (free text or
one ``field:word``; filters ``field:"value"`` joined by AND, OR-groups of
them, ``NOW-nUNIT`` date ranges); anything else raises :class:`Unsupported`.
"""
from __future__ import annotations

import dataclasses
import json
import re

TABLE = "quito_search_index"
TEXT_CONFIG = "quito_es"
FACET_LIMIT = 50
SORTS = {"score": "rank", "metadata_modified": "metadata_modified", "metadata_created": "metadata_created",
         "title_string": "title_sort"}
#: Fielded text queries: the weight their field has in ``tsv`` (title and name are A).
FIELD_WEIGHTS = {"title": "A"}
DATE_COLUMNS = ("metadata_modified", "metadata_created")
UNITS = {"YEAR": "year", "YEARS": "year", "MONTH": "month", "MONTHS": "month", "DAY": "day", "DAYS": "day"}
TERM_RE = re.compile(r'^([\w.\-]+):(?:"([^"]*)"|([^\s"()\[\]]+))$')
RANGE_RE = re.compile(r"^([\w.\-]+):\[NOW(?:-(\d+)([A-Z]+))? TO NOW\]$")


class Unsupported(ValueError):
    """A query shape the floor does not hand-write."""


@dataclasses.dataclass
class FloorQuery:
    where: str
    params: dict
    order: str
    rank: str
    limit: int
    offset: int
    facets: list


def _split_and(fq: str) -> list[str]:
    """Top-level clauses of ``A AND B AND (C OR D)``."""
    parts, depth, start = [], 0, 0
    for m in re.finditer(r"\(|\)| AND ", fq):
        tok = m.group()
        depth += {"(": 1, ")": -1}.get(tok, 0)
        if tok == " AND " and depth == 0:
            parts.append(fq[start:m.start()])
            start = m.end()
    parts.append(fq[start:])
    return [p.strip() for p in parts if p.strip()]


def _term(clause: str) -> tuple[str, str]:
    m = TERM_RE.match(clause.strip())
    if not m:
        raise Unsupported(f"filter {clause!r}")
    return m.group(1), m.group(2) if m.group(2) is not None else m.group(3)


class _Builder:
    def __init__(self, site: str):
        self.params: dict = {}
        self.must = {"site_id": [site], "state": ["active"], "capacity": ["public"],
                     "permission_labels": ["public"]}
        self.conds: list[str] = []
        self.tsquery = None

    def bind(self, value) -> str:
        name = f"p{len(self.params)}"
        self.params[name] = value
        return f"%({name})s"

    def text(self, q: str) -> None:
        q = (q or "*:*").strip()
        if q in ("*:*", "*", ""):
            return
        m = TERM_RE.match(q)
        if m and m.group(1) in FIELD_WEIGHTS:
            words = re.findall(r"\w+", m.group(3) or m.group(2))
            spec = " & ".join(f"{w}:{FIELD_WEIGHTS[m.group(1)]}" for w in words)
            self.tsquery = f"to_tsquery('{TEXT_CONFIG}', {self.bind(spec)})"
        elif ":" in q:
            raise Unsupported(f"q {q!r}")
        else:
            self.tsquery = f"plainto_tsquery('{TEXT_CONFIG}', {self.bind(q)})"
        self.conds.append(f"tsv @@ {self.tsquery}")

    def filter(self, clause: str) -> None:
        if clause.startswith("(") and clause.endswith(")"):
            ors = [_term(c) for c in clause[1:-1].split(" OR ")]
            self.conds.append("(" + " OR ".join(
                f"terms @> {self.bind(json.dumps({f: [v]}))}::jsonb" for f, v in ors) + ")")
            return
        m = RANGE_RE.match(clause)
        if m:
            if m.group(1) not in DATE_COLUMNS or (m.group(3) and m.group(3) not in UNITS):
                raise Unsupported(f"range {clause!r}")
            low = f"now() - interval '{int(m.group(2))} {UNITS[m.group(3)]}'" if m.group(2) else "now()"
            self.conds.append(f"{m.group(1)} BETWEEN {low} AND now()")
            return
        field, value = _term(clause)
        self.must.setdefault(field, []).append(value)

    def where(self) -> str:
        return " AND ".join([f"terms @> {self.bind(json.dumps(self.must))}::jsonb"] + self.conds)


def _order(sort: str) -> str:
    parts = []
    for item in sort.split(","):
        name, direction = item.split()
        if name not in SORTS:
            raise Unsupported(f"sort {item!r}")
        parts.append(f"{SORTS[name]} {direction.upper()}")
    return ", ".join(parts)


def build(query: dict, site: str, default_sort: str = "score desc, metadata_modified desc") -> FloorQuery:
    """The hand-written statements' parts for one ``package_search`` data dict."""
    b = _Builder(site)
    b.text(query.get("q"))
    for fq in [query.get("fq")] + list(query.get("fq_list") or []):
        for clause in _split_and(fq or ""):
            b.filter(clause)
    where = b.where()
    rank = f"ts_rank_cd(tsv, {b.tsquery}, 1)" if b.tsquery else "0"
    return FloorQuery(where=where, params=b.params, order=_order(query.get("sort") or default_sort),
                      rank=rank, limit=int(query.get("rows", 10)) + 1, offset=int(query.get("start", 0)),
                      facets=list(query.get("facet.field") or []))


def statements(fq: FloorQuery) -> list[tuple[str, str]]:
    """(purpose, SQL): one statement computing the matching rows once (a materialized CTE with
    the sort keys, the rank and each facet's array), then the count, the page and the facets."""
    cols = "".join(f", terms -> '{f}' AS f{i}" for i, f in enumerate(fq.facets))
    parts = [f"WITH hits AS MATERIALIZED (SELECT index_id, metadata_modified, metadata_created, title_sort, "
             f"{fq.rank} AS rank{cols} FROM {TABLE} WHERE {fq.where}) "
             f"SELECT 'count', NULL, count(*) FROM hits",
             f"SELECT 'page', stored->>'validated_data_dict', NULL::bigint FROM {TABLE} JOIN ("
             f"SELECT index_id FROM hits ORDER BY {fq.order} LIMIT {fq.limit} OFFSET {fq.offset}) p USING (index_id)"]
    parts += [f"(SELECT '{f}', v, count(*) AS n FROM hits, jsonb_array_elements_text(f{i}) AS v "
              f"GROUP BY v ORDER BY n DESC, v COLLATE \"C\" LIMIT {FACET_LIMIT})" for i, f in enumerate(fq.facets)]
    return [("all", " UNION ALL ".join(parts))]


def run(cursor, fq: FloorQuery) -> dict:
    """Execute the statements; hit count, page size and facet counts."""
    out: dict = {"facets": {f: {} for f in fq.facets}, "rows": 0}
    for _, sql in statements(fq):
        cursor.execute(sql, fq.params)
        for kind, value, n in cursor.fetchall():
            if kind == "count":
                out["hits"] = n
            elif kind == "page":
                out["rows"] += 1
            else:
                out["facets"][kind][value] = n
    return out
