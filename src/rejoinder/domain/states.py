from __future__ import annotations

from enum import StrEnum


class CommentState(StrEnum):
    PUBLISHED = "published"
    PENDING = "pending"
    SPAM = "spam"
    REJECTED = "rejected"
    DELETED = "deleted"

    @property
    def is_public(self) -> bool:
        return self is CommentState.PUBLISHED


class SortOrder(StrEnum):
    OLDEST = "oldest"
    NEWEST = "newest"
    TOP = "top"


class ModerationMode(StrEnum):
    POST = "post"  # publish unless a signal holds it
    PRE = "pre"  # hold everything
    PRE_NEW = "pre_new"  # hold the first N comments of a new commenter


class FlagReason(StrEnum):
    SPAM = "spam"
    HARASSMENT = "harassment"
    HATE = "hate"
    MISINFORMATION = "misinformation"
    OTHER = "other"
