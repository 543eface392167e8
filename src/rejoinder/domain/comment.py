from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from rejoinder.domain.states import CommentState


@dataclass(slots=True)
class Author:
    name: str | None
    website: str | None
    avatar: str  # identicon seed: keyed hash, never the email
    key: str
    badge: str | None = None


@dataclass(slots=True)
class Comment:
    id: int
    thread_id: int
    parent_id: int | None  # where the comment hangs in the tree (depth-limited)
    reply_to_id: int | None  # the comment it answers, even when attached higher up
    path: str  # materialized ordering path: zero-padded ids joined by "."
    depth: int
    state: CommentState
    text: str
    html: str
    author: Author
    created: datetime
    edited: datetime | None = None
    likes: int = 0
    pinned: bool = False
    replies: list[Comment] = field(default_factory=list)

    @property
    def root_id(self) -> int:
        return int(self.path.split(".", 1)[0])


PATH_WIDTH = 10


def child_path(parent_path: str | None, comment_id: int) -> str:
    segment = str(comment_id).zfill(PATH_WIDTH)
    return segment if parent_path is None else f"{parent_path}.{segment}"
