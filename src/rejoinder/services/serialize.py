"""The public JSON shape of a comment, built once per comment and reused by every listing."""

from __future__ import annotations

from typing import Any

from rejoinder.domain.states import CommentState
from rejoinder.store.comments import StoredComment


def public_comment(c: StoredComment, reply_to_name: str | None = None) -> dict[str, Any]:
    placeholder = c.state is not CommentState.PUBLISHED
    return {
        "id": c.id,
        "parent": c.parent_id,
        "reply_to": c.reply_to_id,
        "reply_to_name": reply_to_name,
        "depth": c.depth,
        "state": CommentState.DELETED.value if placeholder else c.state.value,
        "html": "" if placeholder else c.html,
        "author": None if placeholder else {
            "name": c.author_name,
            "website": c.author_website,
            "avatar": c.avatar,
        },
        "created": c.created.isoformat(),
        "edited": c.edited.isoformat() if c.edited and not placeholder else None,
        "likes": 0 if placeholder else c.likes,
        "pinned": c.pinned,
    } | ({} if placeholder or c.account_id is None else {"author": {
        "name": c.author_name,
        "website": c.author_website,
        "avatar": c.avatar,
        "badge": "verified",
        **({"avatar_url": f"/api/v1/avatars/{c.account_id}"} if c.account_avatar else {}),
    }})


def owner_comment(c: StoredComment) -> dict[str, Any]:
    """What the author (holder of the edit token) sees, held comments included."""
    data = public_comment(c)
    if c.state is not CommentState.DELETED:
        data.update(
            state=c.state.value,
            html=c.html,
            author={"name": c.author_name, "website": c.author_website, "avatar": c.avatar},
            likes=c.likes,
            edited=c.edited.isoformat() if c.edited else None,
        )
        data["text"] = c.text
    return data
