"""foundation: handoff requests and subscriptions

Revision ID: 0001
Revises:
Create Date: 2026-11-28
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "handoff_requests",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("sender_id", sa.String(200), nullable=False),
        sa.Column("reason", sa.String(64), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("audience", sa.String(16), nullable=True),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_handoff_requests_sender_id", "handoff_requests", ["sender_id"])
    op.create_index("ix_handoff_requests_status", "handoff_requests", ["status"])
    op.create_table(
        "subscriptions",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("sender_id", sa.String(200), nullable=False),
        sa.Column("audience", sa.String(16), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("consent_text", sa.String(200), nullable=False),
        sa.Column("consented_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("cancelled_at", sa.DateTime(timezone=True), nullable=True),
        sa.UniqueConstraint("sender_id", name="uq_subscriptions_sender"),
    )


def downgrade() -> None:
    op.drop_table("subscriptions")
    op.drop_index("ix_handoff_requests_status", "handoff_requests")
    op.drop_index("ix_handoff_requests_sender_id", "handoff_requests")
    op.drop_table("handoff_requests")
