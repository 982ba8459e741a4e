"""Publication inventory, open data officers and usage

Revision ID: 0da5e55e0002
Revises: 0da5e55e0001
Create Date: 2026-11-23
"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB

revision = "0da5e55e0002"
down_revision = '0da5e55e0001'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "odassessment_inventory_entry",
        sa.Column("id", sa.UnicodeText, primary_key=True),
        sa.Column("organization_id", sa.UnicodeText,
                  sa.ForeignKey("group.id", ondelete="CASCADE"), nullable=False),
        sa.Column("reference", sa.UnicodeText),
        sa.Column("title", JSONB, nullable=False),
        sa.Column("description", JSONB, nullable=False),
        sa.Column("theme", sa.UnicodeText),
        sa.Column("frequency", sa.UnicodeText),
        sa.Column("high_value", sa.Boolean, nullable=False),
        sa.Column("target_date", sa.Date),
        sa.Column("status", sa.UnicodeText, nullable=False),
        sa.Column("legal_reason", sa.UnicodeText),
        sa.Column("package_id", sa.UnicodeText,
                  sa.ForeignKey("package.id", ondelete="SET NULL")),
        sa.Column("created", sa.DateTime, nullable=False),
        sa.Column("modified", sa.DateTime, nullable=False),
    )
    op.create_index("odassessment_inventory_entry_org_idx",
                    "odassessment_inventory_entry", ["organization_id"])
    op.create_index("odassessment_inventory_entry_reference_idx",
                    "odassessment_inventory_entry", ["organization_id", "reference"],
                    unique=True)
    op.create_table(
        "odassessment_usage_visit",
        sa.Column("day", sa.Date, primary_key=True),
        sa.Column("kind", sa.UnicodeText, primary_key=True),
        sa.Column("target_id", sa.UnicodeText, primary_key=True),
        sa.Column("visitor", sa.UnicodeText, primary_key=True),
    )
    op.create_table(
        "odassessment_usage_count",
        sa.Column("day", sa.Date, primary_key=True),
        sa.Column("kind", sa.UnicodeText, primary_key=True),
        sa.Column("package_id", sa.UnicodeText, primary_key=True),
        sa.Column("resource_id", sa.UnicodeText, primary_key=True, server_default=""),
        sa.Column("organization_id", sa.UnicodeText),
        sa.Column("count", sa.Integer, nullable=False, server_default="0"),
    )
    op.create_index("odassessment_usage_count_package_idx",
                    "odassessment_usage_count", ["package_id", "day"])
    op.create_index("odassessment_usage_count_org_idx",
                    "odassessment_usage_count", ["organization_id", "day"])


def downgrade():
    op.drop_table("odassessment_usage_count")
    op.drop_table("odassessment_usage_visit")
    op.drop_table("odassessment_inventory_entry")
