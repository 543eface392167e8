"""Request and response shapes; the OpenAPI spec is generated from these."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from rejoinder.domain.states import FlagReason


class Strict(BaseModel):
    model_config = ConfigDict(extra="ignore", strict=True)


class NewCommentIn(Strict):
    site: str = Field(description="Site key.")
    uri: str = Field(description="Page path (or full URL) the discussion belongs to.")
    text: str = Field(description="Comment body in Markdown.")
    parent: int | None = Field(None, description="Id of the comment this replies to.")
    name: str | None = None
    email: str | None = Field(None, description="Used for reply notifications; never shown.")
    website: str | None = None
    title: str | None = Field(None, description="Page title, stored with a new thread.")
    url: str | None = Field(None, description="Full page address, stored with a new thread.")
    notify: bool = Field(False, description="Email me when someone replies.")
    hp: str | None = Field(None, description="Honeypot field: must stay empty.")
    loaded_at: float | None = Field(
        None, description="When the form was shown, in Unix seconds (for the minimum time check)."
    )


class EditCommentIn(Strict):
    text: str | None = None
    name: str | None = None
    website: str | None = None


class PreviewIn(Strict):
    text: str


class CountsIn(Strict):
    site: str
    uris: list[str] = Field(max_length=100)


class FlagIn(Strict):
    reason: FlagReason = Field(strict=False)
    note: str | None = Field(None, max_length=1000)


class AuthorOut(BaseModel):
    name: str | None
    website: str | None
    avatar: str = Field(description="Identicon seed (a keyed hash, never the email).")
    badge: str | None = Field(None, description='"verified" for a signed-in reader.')
    avatar_url: str | None = Field(
        None, description="The reader's own picture, proxied through this server."
    )


class CommentOut(BaseModel):
    id: int
    parent: int | None
    reply_to: int | None = Field(description="The comment answered, even when attached higher.")
    reply_to_name: str | None = None
    depth: int
    state: Literal["published", "pending", "spam", "rejected", "deleted"]
    html: str
    author: AuthorOut | None
    created: datetime
    edited: datetime | None
    likes: int
    pinned: bool
    text: str | None = Field(None, description="Markdown source; only for the comment's author.")
    replies: list[CommentOut] = []
    replies_total: int | None = None
    replies_cursor: str | None = None


class ThreadOut(BaseModel):
    id: int | None
    uri: str
    title: str | None
    url: str | None
    closed: bool


class ThreadPageOut(BaseModel):
    thread: ThreadOut
    sort: Literal["oldest", "newest", "top"]
    total: int = Field(description="Published comments in the thread.")
    visible: int = Field(description="Entries in the tree, placeholders of deleted ones included.")
    pinned: list[CommentOut]
    comments: list[CommentOut]
    next_cursor: str | None


class RepliesOut(BaseModel):
    parent: int
    comments: list[CommentOut]
    next_cursor: str | None


class PostedOut(BaseModel):
    comment: CommentOut
    edit_token: str
    editable_until: datetime
    held: bool = Field(description="True when the comment awaits moderation.")
    message: str | None = None


class LikeOut(BaseModel):
    id: int
    likes: int
    liked: bool


class DraftIn(Strict):
    site: str
    text: str


class DraftScoreOut(BaseModel):
    nudge: bool = Field(description="True when the reader should be asked to rephrase.")
    message: str | None
    categories: list[str]


class FlagOut(BaseModel):
    id: int
    flagged: bool


class SiteConfigOut(BaseModel):
    name: str
    edit_window_seconds: int
    max_text_length: int
    require_name: bool
    require_email: bool
    nudge: bool = Field(description="Ask before posting a draft that scores as likely toxic.")
    language: str | None


class CountsOut(BaseModel):
    counts: dict[str, int]


class RecentCommentOut(CommentOut):
    thread: dict[str, str | None]


class RecentOut(BaseModel):
    comments: list[RecentCommentOut]


class PreviewOut(BaseModel):
    html: str


class ProblemOut(BaseModel):
    type: str
    title: str
    status: int
    code: str = Field(description="Stable machine-readable error code.")
    detail: str = Field(description="Human-readable explanation.")
    errors: list[dict[str, str | None]] | None = None


class HealthOut(BaseModel):
    status: Literal["ok"]
    database: Literal["ok"]
    version: str


CommentOut.model_rebuild()
