"""The table of field names any indexed document has held (cheap sorts on absent fields).

Revision ID: 9d4f1b6e2a80
Revises: 5e2c8d90a1f3
Create Date: 2026-11-25
"""
from alembic import op

from ckanext.quito_gobiernoabierto.search import model

revision = "9d4f1b6e2a80"
down_revision = "5e2c8d90a1f3"
branch_labels = None
depends_on = None


def upgrade():
    model.add_field_names(op.get_bind())


def downgrade():
    op.drop_table(model.FIELDS_TABLE)
