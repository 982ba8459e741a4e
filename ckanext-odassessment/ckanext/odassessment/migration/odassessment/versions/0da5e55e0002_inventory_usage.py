"""Publication inventory, open data officers and usage

Revision ID: 0da5e55e0002
Revises: 0da5e55e0001
Create Date: 2026-11-23
"""
from alembic import op  # noqa: F401
import sqlalchemy as sa  # noqa: F401

revision = "0da5e55e0002"
down_revision = '0da5e55e0001'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
