from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from rejoinder.domain.decision import Submission
from rejoinder.moderation.context import AuthorStatus, ModerationContext
from rejoinder.moderation.settings import ModerationSettings

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


def submission(text: str = "An ordinary remark about the article.", **kw: Any) -> Submission:
    fields: dict[str, Any] = {
        "site_key": "blog",
        "thread_uri": "/essays/peace-talks",
        "text": text,
        "author_name": "Reader",
        "author_email": "reader@example.org",
        "author_website": None,
        "ip": "198.51.100.7",
        "author_key": "author-1",
        "form_loaded_at": NOW - timedelta(seconds=40),
        "submitted_at": NOW,
    }
    fields.update(kw)
    return Submission(**fields)


def context(author: AuthorStatus | None = None, **settings: Any) -> ModerationContext:
    return ModerationContext(ModerationSettings(**settings), author or AuthorStatus(), NOW)


@pytest.fixture
def make_submission() -> Callable[..., Submission]:
    return submission


@pytest.fixture
def make_context() -> Callable[..., ModerationContext]:
    return context


@pytest.fixture
def now() -> datetime:
    return NOW
