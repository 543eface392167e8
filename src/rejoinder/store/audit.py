from __future__ import annotations

from typing import Any

from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncConnection

from rejoinder.store.rows import now
from rejoinder.store.tables import audit_log, decisions


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
    await conn.execute(
        insert(audit_log).values(
            site_id=site_id, comment_id=comment_id, actor=actor, action=action,
            from_state=from_state, to_state=to_state, reason=reason, created=now(),
        )
    )


async def record_decision(
    conn: AsyncConnection, comment_id: int, verdict: str, signals: list[dict[str, Any]]
) -> None:
    await conn.execute(
        insert(decisions).values(
            comment_id=comment_id, verdict=verdict, signals=signals, created=now()
        )
    )
