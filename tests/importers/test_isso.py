from datetime import UTC, datetime

import pytest

from rejoinder.domain.states import CommentState
from rejoinder.importers.errors import ImportFormatError
from rejoinder.importers.isso import parse_isso
from rejoinder.importers.records import ImportedComment, ImportedThread, SkippedRecord, SkipReason


@pytest.fixture
def records(isso_db):
    return list(parse_isso(isso_db))


def test_threads(records):
    threads = [r for r in records if isinstance(r, ImportedThread)]
    assert [(t.key, t.uri, t.title) for t in threads] == [
        ("1", "/2022/peace-talks", "Peace talks"),
        ("2", "/пост/про-мир", None),
    ]
    skipped = [r for r in records if isinstance(r, SkippedRecord) and r.kind == "thread"]
    assert [(s.source_id, s.reason) for s in skipped] == [("3", SkipReason.MISSING_URI)]


def test_comment_fields_and_times(records):
    by_key = {r.key: r for r in records if isinstance(r, ImportedComment)}
    first = by_key["1"]
    assert first.text == "Markdown *stays* as it is: [link](https://example.org)"
    assert first.text_format == "markdown"
    assert first.created == datetime(2022, 4, 1, 8, 0, 0, 250000, tzinfo=UTC)
    assert first.likes == 3
    assert (first.author_name, first.author_email, first.author_website) == (
        "Anna", "anna@example.org", "https://anna.example.org")
    reply = by_key["2"]
    assert reply.parent_key == "1"
    assert reply.edited == datetime(2022, 4, 1, 8, 15, 0, 500000, tzinfo=UTC)
    assert by_key["9"].text == "Grüß Gott 👋 — Привіт"


def test_modes(records):
    by_key = {r.key: r for r in records if isinstance(r, ImportedComment)}
    assert by_key["1"].state is CommentState.PUBLISHED
    assert by_key["3"].state is CommentState.PENDING
    assert by_key["4"].state is CommentState.DELETED
    assert by_key["4"].text == ""
    skipped = {r.source_id: r.reason for r in records if isinstance(r, SkippedRecord)}
    assert skipped["8"] is SkipReason.BAD_STATE
    assert skipped["7"] is SkipReason.BAD_DATE


def test_database_is_opened_read_only(isso_db):
    before = isso_db.read_bytes()
    list(parse_isso(isso_db))
    assert isso_db.read_bytes() == before
    assert not isso_db.with_name(isso_db.name + "-journal").exists()


def test_not_an_isso_database(tmp_path, fixtures):
    with pytest.raises(ImportFormatError):
        list(parse_isso(fixtures / "disqus.xml"))
    with pytest.raises(ImportFormatError, match="no Isso database"):
        list(parse_isso(tmp_path / "missing.db"))
