"""Facet counts over the matched rows (Solr's ``facet.field``)."""
from __future__ import annotations

import sqlalchemy as sa

from ckanext.quito_gobiernoabierto.search import fields, hot


def facet_fields(params: dict) -> list[str]:
    wanted = params.get("facet.field") or []
    if isinstance(wanted, str):
        wanted = [wanted]
    if str(params.get("facet", "true")).lower() in ("false", "off", "no"):
        return []
    return list(dict.fromkeys(f for f in wanted if f))


def _limits(params: dict, field: str) -> tuple[int, int, str]:
    limit = int(params.get(f"f.{field}.facet.limit", params.get("facet.limit", 100)) or 0)
    mincount = int(params.get(f"f.{field}.facet.mincount", params.get("facet.mincount", 0)) or 0)
    order = params.get(f"f.{field}.facet.sort", params.get("facet.sort", "count" if limit > 0 else "index"))
    return limit, mincount, order


def _array_expr(field: str, key: str) -> str:
    """The field's values of one row as a JSON array."""
    if fields.schema().field(field).kind == "text":  # a row without the field has no value (not "null")
        return (f"CASE coalesce(jsonb_typeof(stored -> {key}), 'null') WHEN 'array' THEN stored -> {key} "
                f"WHEN 'null' THEN '[]'::jsonb ELSE jsonb_build_array(stored -> {key}) END")
    return f"coalesce(terms -> {key}, '[]'::jsonb)"


def _distinct_elements(field: str, array: str) -> str:
    """The values of one row, each once (a facet counts documents, as Solr's
    do): ``terms`` arrays hold each value once already (``index.terms_of``);
    a text field read from ``stored`` may repeat one."""
    if fields.schema().field(field).kind == "text":
        return f"LATERAL (SELECT DISTINCT jsonb_array_elements_text({array}) AS v) AS u"
    return f"jsonb_array_elements_text({array}) AS v"


def _facet_parts(names: list[str], binds: dict) -> tuple[list[str], list[str]]:
    """The columns the matching rows need for the facets, and one select per
    facet over them (rows part, field, value, count, score). Hot fields
    (hot.py) are counted in one pass over the small ``facet_terms`` array,
    other fields from their JSON arrays."""
    hot_fields = set(hot.fields())
    columns, selects = [], []
    if any(n in hot_fields for n in names):
        columns.append("facet_terms")
        # grouped on the raw "field<US>value" elements; split and filtered in Python
        selects.append("SELECT 'facet', NULL, v, count(*), NULL FROM hits, unnest(hits.facet_terms) AS v GROUP BY v")
    for i, name in enumerate(names):
        if name in hot_fields:
            continue
        key = f"facet_field_{i}"
        binds[key] = name
        columns.append(f"{_array_expr(name, ':' + key)} AS f{i}")
        selects.append(f"SELECT 'facet', CAST(:{key} AS text), v, count(*), NULL FROM hits, "
                       f"{_distinct_elements(name, f'hits.f{i}')} GROUP BY v")
    return columns, selects


def search_sql(select, names: list[str], page: bool) -> sa.TextClause:
    """One statement reading the matching rows once: their number, the
    counts of the facet fields ``names`` and, if ``page``, the page's ids in
    order. Rows: (part, field, value, count or position, score), part being
    ``count``, ``facet`` (field NULL for a hot-field element) or ``page``."""
    binds: dict = {}
    columns, selects = _facet_parts(names, binds)
    selects.insert(0, ("SELECT 'count' AS part, CAST(NULL AS text) AS f, CAST(NULL AS text) AS v, "
                          "count(*) AS n, CAST(NULL AS float8) AS score FROM hits"))
    if page:
        selects.append(f"SELECT 'page', NULL, index_id, row_number() OVER (ORDER BY {select.page_order()}), "
                       f"CAST(score AS float8) "
                       f"FROM (SELECT * FROM hits {select.page_cut()}) AS page")
    sql = f"WITH hits AS MATERIALIZED ({select.hits_select(columns, ordered=page)}) " + " UNION ALL ".join(selects)
    return select.bound(sql, **binds)


def shape(names: list[str], rows, params: dict) -> dict:
    """Rows (field, value, count) of :func:`search_sql`'s facet part ->
    Solr's flat [value, count, ...] lists."""
    counts: dict[str, list] = {name: [] for name in names}
    for f, value, n in rows:
        if f is None:  # a hot-field element
            f, _, value = value.partition(hot.SEP)
        if f in counts:
            counts[f].append((value, n))
    out = {}
    for name in names:
        limit, mincount, order = _limits(params, name)
        items = [(v, n) for v, n in counts[name] if n >= max(mincount, 1)]
        items.sort(key=(lambda x: x[0]) if order == "index" else (lambda x: (-x[1], x[0])))
        if limit >= 0:
            items = items[:limit]
        out[name] = [x for pair in items for x in pair]
    return out
