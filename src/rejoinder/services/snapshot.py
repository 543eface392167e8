"""A thread reduced to what readers may see, in the orders the listing pages through."""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field
from typing import Any

from rejoinder.domain.states import CommentState, SortOrder
from rejoinder.services.serialize import public_comment
from rejoinder.store.comments import StoredComment


@dataclass(slots=True)
class Node:
    data: dict[str, Any]
    path: str
    likes: int
    descendants: list[Node] = field(default_factory=list)  # in path order (roots only)


@dataclass(slots=True)
class ThreadSnapshot:
    """Built once per thread version; every page of every sort is sliced from it."""

    roots: list[Node]
    pinned: list[Node]
    by_id: dict[int, Node]
    published: int
    visible: int
    _orders: dict[SortOrder, tuple[list[Node], list[tuple[Any, ...]]]] = field(
        default_factory=dict
    )

    def ordered(self, sort: SortOrder) -> tuple[list[Node], list[tuple[Any, ...]]]:
        """Roots in ``sort`` order and their ascending keyset keys (for bisecting cursors)."""
        cached = self._orders.get(sort)
        if cached is None:
            roots = list(self.roots)
            if sort is SortOrder.NEWEST:
                roots.reverse()
            elif sort is SortOrder.TOP:
                roots.sort(key=lambda n: (-n.likes, n.data["id"]))
            cached = (roots, [sort_key(sort, n) for n in roots])
            self._orders[sort] = cached
        return cached


def sort_key(sort: SortOrder, node: Node) -> tuple[Any, ...]:
    cid = node.data["id"]
    if sort is SortOrder.NEWEST:
        return (-cid,)
    if sort is SortOrder.TOP:
        return (-node.likes, cid)
    return (cid,)


def after(keys: list[tuple[Any, ...]], key: tuple[Any, ...]) -> int:
    return bisect_right(keys, key)


def build_snapshot(rows: list[StoredComment]) -> ThreadSnapshot:
    """``rows`` must be in path order. Hidden comments survive only as placeholders that hold
    visible replies, so the thread keeps its shape."""
    keep: set[int] = set()
    parent_of = {r.id: r.parent_id for r in rows}
    for r in reversed(rows):
        if r.state is CommentState.PUBLISHED or r.id in keep:
            keep.add(r.id)
            if r.parent_id is not None:
                keep.add(r.parent_id)
    names = {r.id: r.author_name for r in rows if r.state is CommentState.PUBLISHED}
    by_id: dict[int, Node] = {}
    roots: list[Node] = []
    pinned: list[Node] = []
    published = 0
    for r in rows:
        if r.id not in keep:
            continue
        if r.state is CommentState.PUBLISHED:
            published += 1
        reply_name = names.get(r.reply_to_id) if r.reply_to_id is not None else None
        node = Node(public_comment(r, reply_name), r.path, r.likes)
        by_id[r.id] = node
        if r.parent_id is None:
            (pinned if r.pinned and r.state is CommentState.PUBLISHED else roots).append(node)
        else:
            root_id = int(r.path.split(".", 1)[0])
            root = by_id.get(root_id)
            if root is None or parent_of.get(r.id) not in by_id:
                continue
            root.descendants.append(node)
    return ThreadSnapshot(
        roots=roots, pinned=pinned, by_id=by_id, published=published, visible=len(by_id)
    )


def nest(flat: list[Node]) -> list[dict[str, Any]]:
    """Turn a path-ordered run of descendants into nested ``replies`` lists."""
    out: list[dict[str, Any]] = []
    index: dict[int, dict[str, Any]] = {}
    for node in flat:
        item = {**node.data, "replies": []}
        index[item["id"]] = item
        parent = index.get(item["parent"])
        (parent["replies"] if parent is not None else out).append(item)
    return out
