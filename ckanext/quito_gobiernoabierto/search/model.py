"""The index table of the PostgreSQL engine and its text-search configuration.

One row per dataset and site:

* ``terms``   every string, date, number and boolean field of the Solr
              document, each as a JSON array of strings (filters, facets);
* ``stored``  the document as CKAN sent it (returned through ``fl``);
* ``tsv``     the weighted full-text vector (title/name A, tags/groups/
              organization B, description C, everything else copied into
              Solr's ``text`` D), Spanish stemming, accents folded;
* typed sort columns and the spatial extent as a bounding box.

The DDL lives here once; the plugin migration and the tests both call
``create()``.
"""
from __future__ import annotations

import sqlalchemy as sa

from ckan.model import meta

from ckanext.quito_gobiernoabierto.search import hot

TABLE = "quito_search_index"
#: Names of the fields any document has held (never shrinks): a sort on a
#: field no document has costs nothing instead of a read of every row's terms.
FIELDS_TABLE = "quito_search_fields"
TEXT_CONFIG = "quito_es"

index_table = sa.Table(
    TABLE, meta.metadata,
    sa.Column("index_id", sa.UnicodeText, primary_key=True),
    sa.Column("id", sa.UnicodeText, nullable=False),
    sa.Column("site_id", sa.UnicodeText, nullable=False),
    # CKAN adds these filters to every search; as plain columns they stay cheap
    # filters and never mislead the planner away from the full-text index.
    sa.Column("state", sa.UnicodeText),
    sa.Column("labels", sa.dialects.postgresql.ARRAY(sa.UnicodeText)),
    sa.Column("facet_terms", sa.dialects.postgresql.ARRAY(sa.UnicodeText)),  # see hot.py
    sa.Column("terms", sa.dialects.postgresql.JSONB, nullable=False),
    sa.Column("stored", sa.dialects.postgresql.JSONB, nullable=False),
    sa.Column("tsv", sa.dialects.postgresql.TSVECTOR, nullable=False),
    sa.Column("title_sort", sa.UnicodeText(collation="C")),  # Solr string order
    sa.Column("metadata_modified", sa.DateTime(timezone=True)),
    sa.Column("metadata_created", sa.DateTime(timezone=True)),
    sa.Column("bbox_minx", sa.Float), sa.Column("bbox_miny", sa.Float),
    sa.Column("bbox_maxx", sa.Float), sa.Column("bbox_maxy", sa.Float),
    sa.Column("indexed_at", sa.DateTime(timezone=True), server_default=sa.func.now()),
    # Order of (re)indexing: Solr's internal document order, the last tie-breaker of sorts.
    sa.Column("seq", sa.BigInteger, nullable=False,
              server_default=sa.text(f"nextval('{TABLE}_seq')")),
    extend_existing=True,
)

TEXT_CONFIG_DDL = f"""
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = '{TEXT_CONFIG}') THEN
    CREATE TEXT SEARCH CONFIGURATION {TEXT_CONFIG} (COPY = pg_catalog.spanish);
    ALTER TEXT SEARCH CONFIGURATION {TEXT_CONFIG}
      ALTER MAPPING FOR hword, hword_part, word WITH unaccent, spanish_stem;
  END IF;
END $$;
"""

SAFE_CASTS_DDL = """
CREATE OR REPLACE FUNCTION quito_search_ts(v text) RETURNS timestamptz
LANGUAGE plpgsql IMMUTABLE AS $$
BEGIN RETURN v::timestamptz; EXCEPTION WHEN others THEN RETURN NULL; END $$;
CREATE OR REPLACE FUNCTION quito_search_num(v text) RETURNS numeric
LANGUAGE plpgsql IMMUTABLE AS $$
BEGIN RETURN v::numeric; EXCEPTION WHEN others THEN RETURN NULL; END $$;
"""

INDEXES_DDL = f"""
CREATE INDEX IF NOT EXISTS {TABLE}_tsv ON {TABLE} USING gin (tsv);
CREATE INDEX IF NOT EXISTS {TABLE}_terms ON {TABLE} USING gin (terms jsonb_path_ops);
CREATE INDEX IF NOT EXISTS {TABLE}_modified ON {TABLE} (metadata_modified DESC);
CREATE INDEX IF NOT EXISTS {TABLE}_title ON {TABLE} (title_sort);
CREATE INDEX IF NOT EXISTS {TABLE}_id ON {TABLE} (id);
"""


def create(bind) -> None:
    """Create the extension, text configuration, functions, table and indexes (idempotent)."""
    bind.execute(sa.text("CREATE EXTENSION IF NOT EXISTS unaccent"))
    bind.execute(sa.text(TEXT_CONFIG_DDL))
    bind.execute(sa.text(SAFE_CASTS_DDL))
    bind.execute(sa.text(f"CREATE SEQUENCE IF NOT EXISTS {TABLE}_seq"))
    index_table.create(bind, checkfirst=True)
    add_filter_columns(bind)
    add_facet_terms(bind, hot.DEFAULT)
    add_field_names(bind)
    bind.execute(sa.text(INDEXES_DDL))


FILTER_COLUMNS_DDL = f"""
ALTER TABLE {TABLE} ADD COLUMN IF NOT EXISTS state text;
ALTER TABLE {TABLE} ADD COLUMN IF NOT EXISTS labels text[];
UPDATE {TABLE} SET state = terms -> 'state' ->> 0,
    labels = ARRAY(SELECT jsonb_array_elements_text(coalesce(terms -> 'permission_labels', '[]')))
WHERE labels IS NULL;
"""


def add_filter_columns(bind) -> None:
    """Migration 2: the state and permission-label columns, filled from ``terms``."""
    bind.execute(sa.text(FILTER_COLUMNS_DDL))


def add_facet_terms(bind, hot_fields: tuple) -> None:
    """Migration 3: the hot-field array (see hot.py), filled from ``terms``, GIN-indexed."""
    bind.execute(sa.text(f"ALTER TABLE {TABLE} ADD COLUMN IF NOT EXISTS facet_terms text[]"))
    bind.execute(sa.text(
        f"UPDATE {TABLE} SET facet_terms = ARRAY(SELECT e.key || chr(31) || v FROM jsonb_each(terms) e, "
        f"jsonb_array_elements_text(e.value) v WHERE e.key = ANY(:hot)) WHERE facet_terms IS NULL"
    ).bindparams(hot=list(hot_fields)))
    bind.execute(sa.text(f"CREATE INDEX IF NOT EXISTS {TABLE}_facet_terms ON {TABLE} USING gin (facet_terms)"))


def add_field_names(bind) -> None:
    """Migration 4: the table of field names, filled from ``terms``."""
    bind.execute(sa.text(f"CREATE TABLE IF NOT EXISTS {FIELDS_TABLE} (name text PRIMARY KEY)"))
    bind.execute(sa.text(f"INSERT INTO {FIELDS_TABLE} (name) SELECT DISTINCT jsonb_object_keys(terms) "
                         f"FROM {TABLE} ON CONFLICT DO NOTHING"))


def drop(bind) -> None:
    index_table.drop(bind, checkfirst=True)
    bind.execute(sa.text(f"DROP TABLE IF EXISTS {FIELDS_TABLE}"))
    bind.execute(sa.text(f"DROP SEQUENCE IF EXISTS {TABLE}_seq"))
    bind.execute(sa.text("DROP FUNCTION IF EXISTS quito_search_ts(text), quito_search_num(text)"))
    bind.execute(sa.text(f"DROP TEXT SEARCH CONFIGURATION IF EXISTS {TEXT_CONFIG}"))
