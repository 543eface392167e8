from datetime import UTC, datetime

from rejoinder.importers.ordering import parent_first
from rejoinder.importers.records import ImportedComment, ImportedThread, SkippedRecord, SkipReason

T = datetime(2024, 1, 1, tzinfo=UTC)


def c(key, parent=None, thread="t"):
    return ImportedComment(key, thread, parent, None, None, None, None, key, "markdown", T)


def keys(records):
    return [(r.key, r.parent_key) for r in records if isinstance(r, ImportedComment)]


def test_in_order_stream_is_unchanged():
    stream = [ImportedThread("t", "/", None, None), c("1"), c("2", "1"), c("3", "1")]
    assert list(parent_first(stream)) == stream


def test_replies_wait_for_their_parent_including_chains():
    out = list(parent_first([c("4", "3"), c("3", "2"), c("2", "1"), c("1"), c("5")]))
    assert keys(out) == [("1", None), ("2", "1"), ("3", "2"), ("4", "3"), ("5", None)]


def test_orphans_become_top_level_and_are_reported_with_their_subtree():
    out = list(parent_first([c("2", "missing"), c("3", "2"), c("1")]))
    assert keys(out) == [("1", None), ("2", None), ("3", "2")]
    notices = [r for r in out if isinstance(r, SkippedRecord)]
    assert [(n.source_id, n.reason) for n in notices] == [("2", SkipReason.ORPHANED_REPLY)]


def test_known_keys_count_as_parents():
    out = list(parent_first([c("9", "old")], known={"old"}))
    assert keys(out) == [("9", "old")]


def test_parent_in_another_thread_is_reattached():
    out = list(parent_first([c("1", thread="a"), c("2", "1", thread="b")]))
    assert keys(out) == [("1", None), ("2", None)]
    assert any(isinstance(r, SkippedRecord) and r.source_id == "2" for r in out)


def test_reply_loops_are_broken():
    out = list(parent_first([c("1", "2"), c("2", "1"), c("3", "3")]))
    assert sorted(k for k, _ in keys(out)) == ["1", "2", "3"]
    emitted = set()
    for key, parent in keys(out):
        assert parent is None or parent in emitted
        emitted.add(key)
