"""Reader flags: enough distinct readers flagging a comment hide it until a moderator looks."""

from __future__ import annotations

from collections.abc import Iterable


def should_hide(
    flagger_keys: Iterable[str],
    threshold: int,
    *,
    comment_author_key: str | None = None,
    reviewed: bool = False,
) -> bool:
    """True when at least ``threshold`` distinct readers flagged the comment.

    Pass the flaggers since the last moderator review; ``reviewed`` (a moderator approved the
    comment after these flags) keeps it visible. The author flagging their own comment does not
    count; ``threshold <= 0`` turns hiding off.
    """
    if reviewed or threshold <= 0:
        return False
    distinct = {k for k in flagger_keys if k and k != comment_author_key}
    return len(distinct) >= threshold
