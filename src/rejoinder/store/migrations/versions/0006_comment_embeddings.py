"""comment embeddings for near-duplicate detection

Revision ID: 0006
Revises: 0005
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

Id = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "comment_embeddings",
        sa.Column("comment_id", Id, nullable=False),
        sa.Column("site_id", Id, nullable=False),
        sa.Column("created", sa.DateTime(timezone=True), nullable=False),
        sa.Column("vector", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(["comment_id"], ["comments.id"],
                                name=op.f("fk_comment_embeddings_comment_id_comments"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["site_id"], ["sites.id"],
                                name=op.f("fk_comment_embeddings_site_id_sites"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("comment_id", name=op.f("pk_comment_embeddings")),
    )
    op.create_index("ix_comment_embeddings_site_created", "comment_embeddings",
                    ["site_id", "created"])


def downgrade() -> None:
    op.drop_index("ix_comment_embeddings_site_created", table_name="comment_embeddings")
    op.drop_table("comment_embeddings")
