"""Plain columns for the filters CKAN adds to every search (state, permission labels).

Revision ID: 3b9e5a71c2d4
Revises: 8c1d2f0a4b7e
Create Date: 2026-11-24
"""
from alembic import op

from ckanext.quito_gobiernoabierto.search import model

revision = "3b9e5a71c2d4"
down_revision = "8c1d2f0a4b7e"
branch_labels = None
depends_on = None


def upgrade():
    model.add_filter_columns(op.get_bind())


def downgrade():
    op.drop_column(model.TABLE, "labels")
    op.drop_column(model.TABLE, "state")
