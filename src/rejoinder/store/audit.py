from __future__ import annotations

from typing import Any

from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncConnection

from rejoinder.store.rows import now
from rejoinder.store.tables import audit_log, decisions

# the values come as parameters, so these statements are built once (they run on every post)
_ADD_ACTION = insert(audit_log)
_ADD_DECISION = insert(decisions)


async def record_action(
    conn: AsyncConnection,
    *,
    site_id: int,
    comment_id: int | None,
    actor: str,
    action: str,
    from_state: str | None = None,
    to_state: str | None = None,
    reason: str | None = None,
) -> None:
    await conn.execute(_ADD_ACTION, {
        "site_id": site_id, "comment_id": comment_id, "actor": actor, "action": action,
        "from_state": from_state, "to_state": to_state, "reason": reason, "created": now(),
    })


async def record_decision(
    conn: AsyncConnection, comment_id: int, verdict: str, signals: list[dict[str, Any]]
) -> None:
    await conn.execute(_ADD_DECISION, {
        "comment_id": comment_id, "verdict": verdict, "signals": signals, "created": now(),
    })
