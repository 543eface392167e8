"""How a window of recent items moved since it was last seen, when it moved the usual way.

Between two posts a site's recent window usually gains a few items in front and loses as many
at the end; everything else is the same objects. Whoever keeps something built from the window
(an index, a matrix) can then update it by the difference instead of rebuilding it.
"""

from __future__ import annotations

import operator
from collections.abc import Sequence

SCAN = 64  # new items looked for at the front


def entered_in_front(current: Sequence[object], previous: Sequence[object]) -> int | None:
    """How many items ``current`` has in front of what it kept of ``previous`` (items compared
    by identity), when that and items leaving ``previous``'s end is all that changed; None if
    the window moved any other way."""
    if not current or not previous:
        return None
    newest = previous[0]
    fresh = next((k for k, item in enumerate(current[:SCAN]) if item is newest), None)
    if fresh is None:
        return None
    kept = len(current) - fresh
    if kept > len(previous) or not all(map(operator.is_, current[fresh:], previous[:kept])):
        return None
    return fresh
