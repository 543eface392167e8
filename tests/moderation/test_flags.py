from __future__ import annotations

from rejoinder.moderation.flags import should_hide


def test_distinct_flaggers_reach_the_threshold() -> None:
    assert not should_hide(["a", "b"], 3)
    assert not should_hide(["a", "a", "a", "b"], 3)
    assert should_hide(["a", "b", "c"], 3)


def test_own_flags_reviewed_comments_and_disabled_threshold() -> None:
    assert not should_hide(["me", "a", "b"], 3, comment_author_key="me")
    assert not should_hide(["a", "b", "c"], 3, reviewed=True)
    assert not should_hide(["a", "b", "c"], 0)
    assert not should_hide(["", "a", "b"], 3)
