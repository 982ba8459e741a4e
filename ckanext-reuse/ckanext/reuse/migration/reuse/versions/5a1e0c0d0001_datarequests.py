"""Data requests, feedback on datasets and abuse reports

Revision ID: 5a1e0c0d0001
Revises: 
Create Date: 2026-11-23
"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB

revision = "5a1e0c0d0001"
down_revision = None
branch_labels = None
depends_on = None

TABLES = ("reuse_abuse_report", "reuse_dataset_rating", "reuse_feedback_reply",
          "reuse_feedback", "reuse_datarequest_event", "reuse_datarequest_vote",
          "reuse_datarequest_follower", "reuse_datarequest_comment",
          "reuse_datarequest_dataset", "reuse_datarequest_organization",
          "reuse_datarequest")


def _text(name, **kw):
    return sa.Column(name, sa.UnicodeText, **kw)


def _fk(name, target, ondelete="CASCADE", **kw):
    return sa.Column(name, sa.UnicodeText, sa.ForeignKey(target, ondelete=ondelete), **kw)


def _created():
    return sa.Column("created", sa.DateTime, nullable=False)


def _counter(name):
    return sa.Column(name, sa.Integer, nullable=False, server_default="0")


def _datarequest():
    op.create_table(
        "reuse_datarequest",
        _text("id", primary_key=True),
        _text("title", nullable=False),
        _text("description", nullable=False, server_default=""),
        _fk("requester_id", "user.id", nullable=False),
        _text("requester_type"), _text("intended_use"),
        _text("kind", nullable=False, server_default="new_dataset"),
        _fk("dataset_id", "package.id", ondelete="SET NULL"),
        sa.Column("themes", JSONB, nullable=False, server_default="[]"),
        sa.Column("keywords", JSONB, nullable=False, server_default="[]"),
        sa.Column("desired_formats", JSONB, nullable=False, server_default="[]"),
        _text("desired_frequency"), _text("spatial_coverage"), _text("temporal_coverage"),
        _text("status", nullable=False, server_default="submitted"),
        _text("status_reason"),
        sa.Column("approx_publishing_date", sa.Date),
        _fk("duplicate_of_id", "reuse_datarequest.id", ondelete="SET NULL"),
        sa.Column("due_date", sa.Date),
        _text("visibility", nullable=False, server_default="visible"),
        _created(),
        sa.Column("modified", sa.DateTime, nullable=False),
        sa.Column("closed_at", sa.DateTime), _text("closed_by"),
        sa.Column("first_answered_at", sa.DateTime),
        _counter("vote_count"), _counter("follower_count"), _counter("comment_count"),
    )
    op.create_index("idx_reuse_datarequest_status", "reuse_datarequest", ["status"])
    op.create_index("idx_reuse_datarequest_requester", "reuse_datarequest", ["requester_id"])
    op.create_index("idx_reuse_datarequest_created", "reuse_datarequest", ["created"])


def _datarequest_links():
    op.create_table(
        "reuse_datarequest_organization",
        _fk("datarequest_id", "reuse_datarequest.id", primary_key=True),
        _fk("organization_id", "group.id", primary_key=True),
        _created(),
    )
    op.create_index("idx_reuse_datarequest_org_org", "reuse_datarequest_organization",
                    ["organization_id"])
    op.create_table(
        "reuse_datarequest_dataset",
        _fk("datarequest_id", "reuse_datarequest.id", primary_key=True),
        _fk("package_id", "package.id", primary_key=True),
        _text("linked_by"), _created(),
    )
    op.create_index("idx_reuse_datarequest_dataset_pkg", "reuse_datarequest_dataset",
                    ["package_id"])
    for name in ("reuse_datarequest_follower", "reuse_datarequest_vote"):
        op.create_table(
            name,
            _fk("datarequest_id", "reuse_datarequest.id", primary_key=True),
            _fk("user_id", "user.id", primary_key=True),
            _created(),
        )


def _datarequest_comments_events():
    op.create_table(
        "reuse_datarequest_comment",
        _text("id", primary_key=True),
        _fk("datarequest_id", "reuse_datarequest.id", nullable=False),
        _fk("user_id", "user.id", nullable=False),
        _text("body", nullable=False),
        _fk("organization_id", "group.id", ondelete="SET NULL"),
        _text("state", nullable=False, server_default="active"),
        _created(), sa.Column("modified", sa.DateTime),
    )
    op.create_index("idx_reuse_datarequest_comment_req", "reuse_datarequest_comment",
                    ["datarequest_id", "created"])
    op.create_index("idx_reuse_datarequest_comment_user", "reuse_datarequest_comment",
                    ["user_id"])
    op.create_table(
        "reuse_datarequest_event",
        _text("id", primary_key=True),
        _fk("datarequest_id", "reuse_datarequest.id", nullable=False),
        _fk("user_id", "user.id"),
        _text("event_type", nullable=False),
        _text("from_status"), _text("to_status"), _text("reason"),
        _text("organization_id"), _text("package_id"),
        sa.Column("data", JSONB, nullable=False, server_default="{}"),
        _created(),
    )
    op.create_index("idx_reuse_datarequest_event_req", "reuse_datarequest_event",
                    ["datarequest_id", "created"])


def _feedback():
    op.create_table(
        "reuse_feedback",
        _text("id", primary_key=True),
        _fk("package_id", "package.id", nullable=False),
        _fk("resource_id", "resource.id", ondelete="SET NULL"),
        _fk("user_id", "user.id", nullable=False),
        _text("kind", nullable=False), _text("title"), _text("body", nullable=False),
        _text("status", nullable=False, server_default="open"),
        _text("visibility", nullable=False, server_default="visible"),
        _created(), sa.Column("modified", sa.DateTime, nullable=False),
        sa.Column("closed_at", sa.DateTime), _text("closed_by"), _text("close_reason"),
        _counter("reply_count"),
    )
    op.create_index("idx_reuse_feedback_package", "reuse_feedback", ["package_id", "created"])
    op.create_index("idx_reuse_feedback_user", "reuse_feedback", ["user_id"])
    op.create_table(
        "reuse_feedback_reply",
        _text("id", primary_key=True),
        _fk("feedback_id", "reuse_feedback.id", nullable=False),
        _fk("user_id", "user.id", nullable=False),
        _text("body", nullable=False),
        _fk("organization_id", "group.id", ondelete="SET NULL"),
        _text("state", nullable=False, server_default="active"),
        _created(),
    )
    op.create_index("idx_reuse_feedback_reply_fb", "reuse_feedback_reply",
                    ["feedback_id", "created"])
    op.create_index("idx_reuse_feedback_reply_user", "reuse_feedback_reply", ["user_id"])
    op.create_table(
        "reuse_dataset_rating",
        _fk("package_id", "package.id", primary_key=True),
        _fk("user_id", "user.id", primary_key=True),
        sa.Column("rating", sa.Integer, nullable=False),
        _created(),
        sa.CheckConstraint("rating BETWEEN 1 AND 5", name="ck_reuse_dataset_rating_range"),
    )


def _reports():
    op.create_table(
        "reuse_abuse_report",
        _text("id", primary_key=True),
        _text("subject_type", nullable=False), _text("subject_id", nullable=False),
        _text("reason", nullable=False), _text("message"),
        _fk("user_id", "user.id", nullable=False),
        _text("status", nullable=False, server_default="open"),
        _created(), sa.Column("handled_at", sa.DateTime), _text("handled_by"),
        _text("outcome"),
    )
    op.create_index("idx_reuse_abuse_report_subject", "reuse_abuse_report",
                    ["subject_type", "subject_id"])
    op.create_index("idx_reuse_abuse_report_status", "reuse_abuse_report",
                    ["status", "created"])


def upgrade():
    _datarequest()
    _datarequest_links()
    _datarequest_comments_events()
    _feedback()
    _reports()


def downgrade():
    for name in TABLES:
        op.drop_table(name)
