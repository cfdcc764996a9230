"""The hot-field array column (filters and facets on common fields) and its GIN index.

Revision ID: 5e2c8d90a1f3
Revises: 3b9e5a71c2d4
Create Date: 2026-11-24
"""
from alembic import op

from ckanext.quito_gobiernoabierto.search import hot, model

revision = "5e2c8d90a1f3"
down_revision = "3b9e5a71c2d4"
branch_labels = None
depends_on = None


def upgrade():
    model.add_facet_terms(op.get_bind(), hot.DEFAULT)


def downgrade():
    op.drop_index(f"{model.TABLE}_facet_terms", table_name=model.TABLE)
    op.drop_column(model.TABLE, "facet_terms")
