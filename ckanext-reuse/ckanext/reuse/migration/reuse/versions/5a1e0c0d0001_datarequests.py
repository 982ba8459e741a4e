"""Data requests, feedback on datasets and abuse reports

Revision ID: 5a1e0c0d0001
Revises: 
Create Date: 2026-11-23
"""
from alembic import op  # noqa: F401
import sqlalchemy as sa  # noqa: F401

revision = "5a1e0c0d0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
