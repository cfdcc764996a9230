"""Solr document (as CKAN builds it) -> a row of the index table."""
from __future__ import annotations

import datetime as dt
import json
from typing import Any, Iterable, Optional

import sqlalchemy as sa

from ckanext.quito_gobiernoabierto.search import fields, hot, spatial
from ckanext.quito_gobiernoabierto.search.model import FIELDS_TABLE, TEXT_CONFIG, index_table

#: Stored-only fields (``indexed="false"`` in CKAN's schema) and the catch-all.
NOT_TERMS = {"data_dict", "validated_data_dict", "text"}
#: Weight of each field in the full-text vector; the rest copied into ``text`` get D.
WEIGHTS = {"title": "A", "name": "A", "tags": "B", "groups": "B", "organization": "B", "notes": "C"}
#: Characters of text indexed per weight class, as Solr's ``maxFieldLength``:
#: a document's vector stays under PostgreSQL's 1 MB ``tsvector`` limit.
MAX_TEXT_CHARS = 100_000
#: Characters of the title kept for sorting (a B-tree key must stay under 2.7 kB).
MAX_SORT_CHARS = 500


def values(value: Any) -> list[str]:
    """A field value as Solr indexes it: a flat list of strings, no empties."""
    if value is None:
        return []
    if isinstance(value, (list, tuple, set)):
        return [v for item in value for v in values(item)]
    if isinstance(value, bool):
        return ["true" if value else "false"]
    if isinstance(value, dict):
        return [json.dumps(value, sort_keys=True, ensure_ascii=False)]
    text = str(value)
    return [text] if text != "" else []


def solr_date(value: Any) -> Any:
    """A date as Solr stores it: UTC, milliseconds, ``Z`` (``2014-06-10T08:24:12.782Z``)."""
    if not isinstance(value, str):
        return value
    try:
        parsed = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return value
    if parsed.tzinfo is not None:
        parsed = parsed.astimezone(dt.timezone.utc).replace(tzinfo=None)
    text = parsed.strftime("%Y-%m-%dT%H:%M:%S")
    millis = parsed.microsecond // 1000
    return f"{text}.{millis:03d}Z" if millis else f"{text}Z"


def solr_document(doc: dict) -> dict:
    """The document with its date fields in Solr's stored form."""
    schema = fields.schema()
    out = dict(doc)
    for key, value in doc.items():
        if key not in NOT_TERMS and schema.field(key).kind == "date":
            out[key] = [solr_date(v) for v in value] if isinstance(value, list) else solr_date(value)
    return out


def terms_of(doc: dict) -> dict[str, list[str]]:
    """Every non-text field of the document, as arrays of strings, each value
    once: a facet counts documents, as Solr's do (three CSV files, one CSV)."""
    schema = fields.schema()
    out = {}
    for key, value in doc.items():
        if key in NOT_TERMS or schema.field(key).kind == "text":
            continue
        vals = list(dict.fromkeys(values(value)))
        if vals:
            out[key] = vals
    return out


def weighted_texts(doc: dict) -> dict[str, str]:
    """Text per weight class (A..D) from the fields Solr copies into ``text``."""
    schema = fields.schema()
    parts: dict[str, list[str]] = {"A": [], "B": [], "C": [], "D": []}
    for key, value in doc.items():
        if key in ("data_dict", "validated_data_dict"):
            continue
        if key == "text" or schema.in_text(key):
            parts[WEIGHTS.get(key, "D")].extend(values(value))
    return {w: " ".join(v)[:MAX_TEXT_CHARS] for w, v in parts.items()}


def _first(doc: dict, key: str) -> Optional[str]:
    vals = values(doc.get(key))
    return vals[0] if vals else None


UPSERT_SQL = sa.text(f"""
INSERT INTO {index_table.name} AS t (index_id, id, site_id, state, labels, facet_terms, terms, stored, tsv, title_sort,
    metadata_modified, metadata_created, bbox_minx, bbox_miny, bbox_maxx, bbox_maxy, indexed_at, seq)
VALUES (:index_id, :id, :site_id, :state, CAST(:labels AS text[]), CAST(:facet_terms AS text[]), CAST(:terms AS jsonb), CAST(:stored AS jsonb),
    setweight(to_tsvector('{TEXT_CONFIG}', :text_a), 'A') || setweight(to_tsvector('{TEXT_CONFIG}', :text_b), 'B')
    || setweight(to_tsvector('{TEXT_CONFIG}', :text_c), 'C') || setweight(to_tsvector('{TEXT_CONFIG}', :text_d), 'D'),
    :title_sort, quito_search_ts(:metadata_modified), quito_search_ts(:metadata_created),
    :bbox_minx, :bbox_miny, :bbox_maxx, :bbox_maxy, now(), nextval('{index_table.name}_seq'))
ON CONFLICT (index_id) DO UPDATE SET id = EXCLUDED.id, site_id = EXCLUDED.site_id,
    state = EXCLUDED.state, labels = EXCLUDED.labels, facet_terms = EXCLUDED.facet_terms,
    terms = EXCLUDED.terms, stored = EXCLUDED.stored, tsv = EXCLUDED.tsv,
    title_sort = EXCLUDED.title_sort, metadata_modified = EXCLUDED.metadata_modified,
    metadata_created = EXCLUDED.metadata_created, bbox_minx = EXCLUDED.bbox_minx,
    bbox_miny = EXCLUDED.bbox_miny, bbox_maxx = EXCLUDED.bbox_maxx, bbox_maxy = EXCLUDED.bbox_maxy,
    indexed_at = now(), seq = nextval('{index_table.name}_seq')
""")


REGISTER_FIELDS_SQL = sa.text(f"INSERT INTO {FIELDS_TABLE} (name) SELECT unnest(CAST(:names AS text[])) "
                              f"ON CONFLICT DO NOTHING")


def row_for(doc: dict, terms: dict) -> dict:
    """The bind parameters of one document (in Solr's stored form) with its ``terms_of``."""
    box = spatial.bbox_of(doc) or (None, None, None, None)
    texts = weighted_texts(doc)
    return {
        "index_id": doc["index_id"],
        "id": doc["id"],
        "site_id": doc["site_id"],
        "state": _first(doc, "state"),
        "labels": values(doc.get("permission_labels")),
        "facet_terms": hot.elements(terms),
        "terms": json.dumps(terms, ensure_ascii=False),
        "stored": json.dumps(doc, ensure_ascii=False, default=str),
        "text_a": texts["A"], "text_b": texts["B"], "text_c": texts["C"], "text_d": texts["D"],
        "title_sort": (_first(doc, "title_string") or "")[:MAX_SORT_CHARS] or None,
        "metadata_modified": _first(doc, "metadata_modified"),
        "metadata_created": _first(doc, "metadata_created"),
        "bbox_minx": box[0], "bbox_miny": box[1], "bbox_maxx": box[2], "bbox_maxy": box[3],
    }


def upsert(bind, docs: Iterable[dict]) -> int:
    """Insert or replace the rows of the given documents (and note their field names)."""
    rows, names = [], set()
    for doc in docs:
        doc = solr_document(doc)
        terms = terms_of(doc)
        rows.append(row_for(doc, terms))
        names.update(terms)
    if rows:
        bind.execute(REGISTER_FIELDS_SQL, {"names": sorted(names)})
        bind.execute(UPSERT_SQL, rows)
    return len(rows)
