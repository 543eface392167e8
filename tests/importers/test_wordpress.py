from datetime import UTC, datetime

import pytest

from rejoinder.domain.states import CommentState
from rejoinder.importers.errors import ImportFormatError
from rejoinder.importers.records import ImportedComment, ImportedThread, SkippedRecord, SkipReason
from rejoinder.importers.wordpress import parse_wordpress


@pytest.fixture
def records(fixtures):
    return list(parse_wordpress(fixtures / "wordpress.xml"))


def comments(records):
    return {r.key: r for r in records if isinstance(r, ImportedComment)}


def test_published_posts_and_pages_become_threads(records):
    threads = [r for r in records if isinstance(r, ImportedThread)]
    assert [(t.key, t.uri, t.title, t.closed) for t in threads] == [
        ("10", "/2023/03/the-column", "The column, republished", False),
        ("20", "/about", "About", True),
    ]
    assert threads[0].created == datetime(2023, 3, 1, 9, tzinfo=UTC)


def test_thread_precedes_its_comments(records):
    assert isinstance(records[0], ImportedThread)
    assert records[0].key == "10"


def test_comment_fields(records):
    c1 = comments(records)["1"]
    assert c1.thread_key == "10"
    assert c1.author_name == "Margaret"
    assert c1.author_email == "maggie@example.net"
    assert c1.author_website == "https://maggie.example.net/"
    assert c1.author_ip == "192.0.2.10"
    assert c1.created == datetime(2023, 3, 1, 10, tzinfo=UTC)  # the GMT date, not local
    assert c1.text == "First line\\\nsecond line with **bold** & an entity.\n\nA new paragraph."
    assert comments(records)["2"].parent_key == "1"
    assert comments(records)["2"].text == "Згоден, але *не зовсім*."


def test_approval_states(records):
    by_key = comments(records)
    assert by_key["1"].state is CommentState.PUBLISHED
    assert by_key["4"].state is CommentState.SPAM
    assert by_key["5"].state is CommentState.DELETED
    assert by_key["6"].state is CommentState.PENDING


def test_pingbacks_and_trackbacks_are_skipped_with_reason(records):
    skipped = {r.source_id: r for r in records if isinstance(r, SkippedRecord)}
    assert skipped["3"].reason is SkipReason.PINGBACK
    assert skipped["3"].detail == "pingback"
    assert skipped["11"].detail == "trackback"


def test_missing_gmt_date_falls_back_to_local_and_no_date_is_skipped(records):
    assert comments(records)["10"].created == datetime(2023, 3, 3, 9, tzinfo=UTC)
    skipped = {r.source_id: r for r in records if isinstance(r, SkippedRecord)}
    assert skipped["8"].reason is SkipReason.BAD_DATE


def test_not_wxr_is_refused(fixtures):
    with pytest.raises(ImportFormatError, match="not a WordPress export"):
        list(parse_wordpress(fixtures / "disqus.xml"))
