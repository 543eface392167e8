"""reader accounts, tokens, sign-in links and states

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-23 18:36:43.472773
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('mastodon_apps',
    sa.Column('instance', sa.String(length=255), nullable=False),
    sa.Column('client_id', sa.String(length=200), nullable=False),
    sa.Column('client_secret', sa.String(length=200), nullable=False),
    sa.Column('redirect_uri', sa.String(length=1000), nullable=False),
    sa.Column('created', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('instance', name=op.f('pk_mastodon_apps'))
    )
    op.create_table('signin_states',
    sa.Column('state_hash', sa.String(length=64), nullable=False),
    sa.Column('site_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('provider', sa.String(length=32), nullable=False),
    sa.Column('instance', sa.String(length=255), nullable=True),
    sa.Column('origin', sa.String(length=300), nullable=False),
    sa.Column('code_verifier', sa.String(length=128), nullable=False),
    sa.Column('nonce', sa.String(length=64), nullable=False),
    sa.Column('claims', sa.Text(), nullable=True),
    sa.Column('created', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires', sa.DateTime(timezone=True), nullable=False),
    sa.Column('used', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['site_id'], ['sites.id'], name=op.f('fk_signin_states_site_id_sites'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('state_hash', name=op.f('pk_signin_states'))
    )
    op.create_table('reader_accounts',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('site_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('author_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('provider', sa.String(length=32), nullable=False),
    sa.Column('subject', sa.String(length=320), nullable=False),
    sa.Column('display_name', sa.String(length=200), nullable=False),
    sa.Column('name_key', sa.String(length=200), nullable=False),
    sa.Column('website', sa.String(length=1000), nullable=True),
    sa.Column('email', sa.String(length=320), nullable=True),
    sa.Column('email_verified', sa.Boolean(), nullable=False),
    sa.Column('avatar_url', sa.String(length=2000), nullable=True),
    sa.Column('created', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['authors.id'], name=op.f('fk_reader_accounts_author_id_authors')),
    sa.ForeignKeyConstraint(['site_id'], ['sites.id'], name=op.f('fk_reader_accounts_site_id_sites'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reader_accounts')),
    sa.UniqueConstraint('site_id', 'provider', 'subject', name=op.f('uq_reader_accounts_site_id_provider_subject'))
    )
    with op.batch_alter_table('reader_accounts', schema=None) as batch_op:
        batch_op.create_index('ix_reader_accounts_name', ['site_id', 'name_key'], unique=False)

    op.create_table('avatar_cache',
    sa.Column('account_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('content_type', sa.String(length=64), nullable=False),
    sa.Column('body', sa.LargeBinary(), nullable=False),
    sa.Column('fetched', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['account_id'], ['reader_accounts.id'], name=op.f('fk_avatar_cache_account_id_reader_accounts'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('account_id', name=op.f('pk_avatar_cache'))
    )
    op.create_table('reader_tokens',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('account_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('created', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires', sa.DateTime(timezone=True), nullable=False),
    sa.Column('revoked', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['account_id'], ['reader_accounts.id'], name=op.f('fk_reader_tokens_account_id_reader_accounts'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reader_tokens')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_reader_tokens_token_hash'))
    )
    with op.batch_alter_table('reader_tokens', schema=None) as batch_op:
        batch_op.create_index('ix_reader_tokens_account', ['account_id'], unique=False)

    op.create_table('signin_links',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('site_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('email', sa.String(length=320), nullable=False),
    sa.Column('link_hash', sa.String(length=64), nullable=False),
    sa.Column('waiter_hash', sa.String(length=64), nullable=False),
    sa.Column('account_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('created', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires', sa.DateTime(timezone=True), nullable=False),
    sa.Column('used', sa.DateTime(timezone=True), nullable=True),
    sa.Column('collected', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['account_id'], ['reader_accounts.id'], name=op.f('fk_signin_links_account_id_reader_accounts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['site_id'], ['sites.id'], name=op.f('fk_signin_links_site_id_sites'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_signin_links')),
    sa.UniqueConstraint('link_hash', name=op.f('uq_signin_links_link_hash')),
    sa.UniqueConstraint('waiter_hash', name=op.f('uq_signin_links_waiter_hash'))
    )


def downgrade() -> None:
    op.drop_table('signin_links')
    with op.batch_alter_table('reader_tokens', schema=None) as batch_op:
        batch_op.drop_index('ix_reader_tokens_account')

    op.drop_table('reader_tokens')
    op.drop_table('avatar_cache')
    with op.batch_alter_table('reader_accounts', schema=None) as batch_op:
        batch_op.drop_index('ix_reader_accounts_name')

    op.drop_table('reader_accounts')
    op.drop_table('signin_states')
    op.drop_table('mastodon_apps')
