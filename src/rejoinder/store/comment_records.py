"""The rows a new comment brings with it: its moderation decision, the audit entry of its
creation and (when the classifiers ran) its embedding.

On PostgreSQL they are written by one statement (the first two as data-modifying CTEs of the
third), so a post's write transaction makes one round trip for them instead of three; on SQLite,
where a statement costs no round trip and such CTEs do not exist, by three.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from sqlalchemy import Executable, bindparam, insert
from sqlalchemy.ext.asyncio import AsyncConnection

from rejoinder.store import audit
from rejoinder.store import embeddings as embedding_store
from rejoinder.store.rows import insert_ignoring_conflicts, now
from rejoinder.store.tables import audit_log, comment_embeddings, decisions


@dataclass(frozen=True, slots=True)
class CommentRecords:
    comment_id: int
    site_id: int
    verdict: str
    signals: list[dict[str, Any]]
    state: str
    reason: str | None
    vector: bytes | None = None


async def record_new_comment(conn: AsyncConnection, records: CommentRecords) -> None:
    if conn.dialect.name != "postgresql":
        await audit.record_decision(conn, records.comment_id, records.verdict, records.signals)
        await audit.record_action(
            conn, site_id=records.site_id, comment_id=records.comment_id, actor="author",
            action="create", to_state=records.state, reason=records.reason,
        )
        if records.vector is not None:
            await embedding_store.save_embedding(
                conn, records.comment_id, records.site_id, records.vector)
        return
    await conn.execute(_together(records.vector is not None), {
        "comment_id": records.comment_id, "site_id": records.site_id,
        "verdict": records.verdict, "signals": records.signals, "to_state": records.state,
        "reason": records.reason, "vector": records.vector, "created": now(),
    })


@cache  # built once: it runs on every post
def _together(with_vector: bool) -> Executable:
    def param(name: str, column: Any) -> Any:
        return bindparam(name, type_=column.type)

    decision = insert(decisions).values(
        comment_id=param("comment_id", decisions.c.comment_id),
        verdict=param("verdict", decisions.c.verdict),
        signals=param("signals", decisions.c.signals),
        created=param("created", decisions.c.created),
    ).cte("new_decision")
    action = insert(audit_log).values(
        site_id=param("site_id", audit_log.c.site_id),
        comment_id=param("comment_id", audit_log.c.comment_id),
        actor="author", action="create", from_state=None,
        to_state=param("to_state", audit_log.c.to_state),
        reason=param("reason", audit_log.c.reason),
        created=param("created", audit_log.c.created),
    )
    if not with_vector:
        return action.add_cte(decision)
    return insert_ignoring_conflicts("postgresql", comment_embeddings).values(
        comment_id=param("comment_id", comment_embeddings.c.comment_id),
        site_id=param("site_id", comment_embeddings.c.site_id),
        created=param("created", comment_embeddings.c.created),
        vector=param("vector", comment_embeddings.c.vector),
    ).add_cte(decision, action.cte("new_action"))
