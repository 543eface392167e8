from datetime import UTC, datetime

import pytest

from rejoinder.domain.states import CommentState
from rejoinder.importers.disqus import parse_disqus
from rejoinder.importers.errors import ImportFormatError
from rejoinder.importers.records import ImportedComment, ImportedThread, SkippedRecord, SkipReason


@pytest.fixture
def records(fixtures):
    return list(parse_disqus(fixtures / "disqus.xml"))


def test_threads_come_first_with_normalised_uris(records):
    threads = [r for r in records if isinstance(r, ImportedThread)]
    first_comment = next(i for i, r in enumerate(records) if isinstance(r, ImportedComment))
    assert all(records.index(t) < first_comment for t in threads)
    assert [(t.key, t.uri, t.closed) for t in threads] == [
        ("t1", "/2022/peace-talks", False),
        ("t2", "/2022/column", True),
        ("t3", "/2022/column", False),
    ]
    assert threads[0].title == "Why the talks in Istanbul failed & what comes next"
    assert threads[0].url == "https://essays.example.org/2022/peace-talks/?utm_source=feed"
    assert threads[0].created == datetime(2022, 4, 1, 8, tzinfo=UTC)


def test_thread_without_link_is_reported(records):
    assert SkippedRecord("thread", "t4", SkipReason.MISSING_URI, "<thread> #4") in records


def test_post_fields_html_cdata_and_entities(records):
    d1 = next(r for r in records if isinstance(r, ImportedComment) and r.key == "d1")
    assert d1.thread_key == "t1"
    assert d1.parent_key is None
    assert d1.author_name == "Олена"
    assert d1.author_email == "olena@example.org"
    assert d1.author_ip == "198.51.100.7"
    assert d1.created == datetime(2022, 4, 1, 9, tzinfo=UTC)
    assert d1.text_format == "markdown"
    assert d1.text == (
        "Great piece & **sharp** argument. See "
        "[the source](https://example.org/a?b=1&c=2).\n\nСлава Україні!"
    )


def test_escaped_html_without_cdata_is_decoded_once(records):
    d10 = next(r for r in records if isinstance(r, ImportedComment) and r.key == "d10")
    assert d10.text == "Schöne Grüße aus München 🎉 & danke"


def test_states_and_parents(records):
    comments = {r.key: r for r in records if isinstance(r, ImportedComment)}
    assert comments["d4"].state is CommentState.DELETED
    assert comments["d5"].state is CommentState.SPAM
    assert comments["d2"].state is CommentState.PUBLISHED
    assert comments["d3"].parent_key == "d2"
    assert comments["d2"].author_name == "Иван"
    assert comments["d3"].author_email is None


def test_bad_date_is_skipped_with_position(records):
    skip = next(r for r in records if isinstance(r, SkippedRecord) and r.source_id == "d7")
    assert skip.reason is SkipReason.BAD_DATE
    assert skip.line_or_position == "<post> #7"
    assert "yesterday" in skip.detail


def test_wrong_root_is_refused(fixtures):
    with pytest.raises(ImportFormatError, match="not a Disqus export"):
        list(parse_disqus(fixtures / "wordpress.xml"))


@pytest.mark.parametrize("name", ["billion_laughs.xml", "external_entity.xml", "external_dtd.xml"])
def test_entities_and_dtds_are_refused_before_any_record(fixtures, name):
    stream = parse_disqus(fixtures / name)
    with pytest.raises(ImportFormatError, match="refused"):
        next(stream)


def test_truncated_file_is_a_format_error(tmp_path, fixtures):
    broken = tmp_path / "broken.xml"
    broken.write_text((fixtures / "disqus.xml").read_text(encoding="utf-8")[:3000])
    with pytest.raises(ImportFormatError, match="not well-formed"):
        list(parse_disqus(broken))
