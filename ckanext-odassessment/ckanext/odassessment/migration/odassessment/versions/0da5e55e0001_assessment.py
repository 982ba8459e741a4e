"""Assessment runs, measurements and scores

Revision ID: 0da5e55e0001
Revises: 
Create Date: 2026-11-23
"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB

revision = "0da5e55e0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "odassessment_run",
        sa.Column("id", sa.UnicodeText, primary_key=True),
        sa.Column("kind", sa.UnicodeText, nullable=False),
        sa.Column("state", sa.UnicodeText, nullable=False),
        sa.Column("started", sa.DateTime, nullable=False),
        sa.Column("finished", sa.DateTime),
        sa.Column("strict", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("http", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("options", JSONB, nullable=False, server_default="{}"),
        sa.Column("datasets_total", sa.Integer, nullable=False, server_default="0"),
        sa.Column("datasets_done", sa.Integer, nullable=False, server_default="0"),
        sa.Column("created_by", sa.UnicodeText),
        sa.Column("error", sa.UnicodeText),
    )
    op.create_index("odassessment_run_state_idx", "odassessment_run", ["state", "finished"])
    op.create_table(
        "odassessment_measurement",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("run_id", sa.UnicodeText,
                  sa.ForeignKey("odassessment_run.id", ondelete="CASCADE"), nullable=False),
        sa.Column("dataset_id", sa.UnicodeText, nullable=False),
        sa.Column("resource_id", sa.UnicodeText),
        sa.Column("layer", sa.UnicodeText, nullable=False),
        sa.Column("dimension", sa.UnicodeText, nullable=False),
        sa.Column("metric", sa.UnicodeText, nullable=False),
        sa.Column("value", JSONB),
        sa.Column("points", sa.Float, nullable=False),
        sa.Column("max_points", sa.Float, nullable=False),
        sa.Column("applicable", sa.Boolean, nullable=False, server_default=sa.true()),
        sa.Column("basis", sa.UnicodeText, nullable=False),
    )
    op.create_index("odassessment_measurement_run_dataset_idx", "odassessment_measurement",
                    ["run_id", "dataset_id"])
    op.create_table(
        "odassessment_score",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("run_id", sa.UnicodeText,
                  sa.ForeignKey("odassessment_run.id", ondelete="CASCADE"), nullable=False),
        sa.Column("entity_type", sa.UnicodeText, nullable=False),
        sa.Column("entity_id", sa.UnicodeText, nullable=False),
        sa.Column("organization_id", sa.UnicodeText),
        sa.Column("private", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("mqa", sa.Float),
        sa.Column("mqa_band", sa.UnicodeText),
        sa.Column("extended", sa.Float),
        sa.Column("extended_band", sa.UnicodeText),
        sa.Column("dimensions", JSONB, nullable=False, server_default="{}"),
        sa.Column("details", JSONB, nullable=False, server_default="{}"),
        sa.Column("computed_at", sa.DateTime, nullable=False),
    )
    op.create_index("odassessment_score_entity_idx", "odassessment_score",
                    ["entity_type", "entity_id", "computed_at"])
    op.create_index("odassessment_score_run_idx", "odassessment_score", ["run_id", "entity_type"])
    op.create_table(
        "odassessment_url_check",
        sa.Column("url_hash", sa.UnicodeText, primary_key=True),
        sa.Column("url", sa.UnicodeText, nullable=False),
        sa.Column("status", sa.Integer),
        sa.Column("method", sa.UnicodeText),
        sa.Column("error", sa.UnicodeText),
        sa.Column("content_type", sa.UnicodeText),
        sa.Column("last_modified", sa.UnicodeText),
        sa.Column("final_url", sa.UnicodeText),
        sa.Column("content", JSONB),
        sa.Column("checked_at", sa.DateTime, nullable=False),
    )


def downgrade():
    op.drop_table("odassessment_url_check")
    op.drop_table("odassessment_score")
    op.drop_table("odassessment_measurement")
    op.drop_table("odassessment_run")
