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
    op.create_table(
        "reuse_moderator",
        sa.Column("user_id", sa.UnicodeText,
                  sa.ForeignKey("user.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("created", sa.DateTime, nullable=False),
        sa.Column("created_by", sa.UnicodeText),
    )
    op.create_table(
        "reuse_link_check",
        sa.Column("package_id", sa.UnicodeText,
                  sa.ForeignKey("package.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("url", sa.UnicodeText, nullable=False),
        sa.Column("status", sa.UnicodeText, nullable=False),
        sa.Column("http_status", sa.Integer),
        sa.Column("error", sa.UnicodeText),
        sa.Column("checked", sa.DateTime, nullable=False),
    )
    op.create_index("reuse_link_check_status_idx", "reuse_link_check", ["status"])
    op.create_table(
        "reuse_notification",
        sa.Column("id", sa.UnicodeText, primary_key=True),
        sa.Column("user_id", sa.UnicodeText,
                  sa.ForeignKey("user.id", ondelete="CASCADE"), nullable=False),
        sa.Column("reuse_id", sa.UnicodeText,
                  sa.ForeignKey("package.id", ondelete="CASCADE"), nullable=False),
        sa.Column("dataset_id", sa.UnicodeText,
                  sa.ForeignKey("package.id", ondelete="CASCADE")),
        sa.Column("decision", sa.UnicodeText),
        sa.Column("note", sa.UnicodeText),
        sa.Column("created", sa.DateTime, nullable=False),
        sa.Column("sent", sa.DateTime),
    )
    op.create_index("reuse_notification_unsent_idx", "reuse_notification", ["user_id", "sent"])


def downgrade():
    op.drop_table("reuse_notification")
    op.drop_table("reuse_link_check")
    op.drop_table("reuse_moderator")
