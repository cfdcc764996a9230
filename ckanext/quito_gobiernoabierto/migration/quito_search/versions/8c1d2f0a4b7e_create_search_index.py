"""Create the search index table, its text-search configuration and functions.

Revision ID: 8c1d2f0a4b7e
Revises:
Create Date: 2026-11-24
"""
from alembic import op

from ckanext.quito_gobiernoabierto.search import model

revision = "8c1d2f0a4b7e"
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    model.create(op.get_bind())


def downgrade():
    model.drop(op.get_bind())
