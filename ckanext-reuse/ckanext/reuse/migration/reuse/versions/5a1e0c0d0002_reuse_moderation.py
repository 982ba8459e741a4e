"""Reuse moderators and reuse link checks

Revision ID: 5a1e0c0d0002
Revises: 5a1e0c0d0001
Create Date: 2026-11-23
"""
from alembic import op  # noqa: F401
import sqlalchemy as sa  # noqa: F401

revision = "5a1e0c0d0002"
down_revision = '5a1e0c0d0001'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
