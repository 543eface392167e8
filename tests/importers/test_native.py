import io
from datetime import UTC, datetime

import pytest

from rejoinder.domain.states import CommentState
from rejoinder.importers.errors import ImportFormatError
from rejoinder.importers.native import parse_rejoinder
from rejoinder.importers.records import ImportedComment, ImportedThread, SkippedRecord, SkipReason


def test_fixture_records(fixtures):
    records = list(parse_rejoinder(fixtures / "rejoinder.json"))
    threads = [r for r in records if isinstance(r, ImportedThread)]
    assert [(t.key, t.uri, t.closed) for t in threads] == [
        ("1", "/2022/peace-talks", False), ("2", "/column", True)]
    by_key = {r.key: r for r in records if isinstance(r, ImportedComment)}
    pinned = by_key["11"]
    assert pinned.pinned is True
    assert pinned.likes == 12
    assert pinned.created == datetime(2022, 4, 1, 9, 0, 0, 123456, tzinfo=UTC)
    assert pinned.edited == datetime(2022, 4, 1, 9, 5, tzinfo=UTC)
    assert pinned.author_name == "Олена"
    assert by_key["12"].state is CommentState.PENDING
    assert by_key["15"].text_format == "html"
    skipped = {r.source_id: r for r in records if isinstance(r, SkippedRecord)}
    assert skipped["16"].reason is SkipReason.BAD_DATE
    assert skipped["16"].line_or_position == "line 12"
    assert skipped["17"].reason is SkipReason.BAD_STATE


@pytest.mark.parametrize(
    ("document", "message"),
    [
        ('{"format": "other", "version": 1, "threads": []}', "not a Rejoinder export"),
        ('{"format": "rejoinder-export", "version": 2, "threads": []}', "unsupported"),
        ('{"threads": [], "format": "rejoinder-export", "version": 1}', "not a Rejoinder"),
        ('{"format": "rejoinder-export", "version": 1, "comments": [], "threads": []}',
         "before"),
        ('{"format": "rejoinder-export", "version": 1, "threads": [{"id": ', "invalid JSON"),
        ('[1, 2]', "expected '{'"),
    ],
)
def test_bad_documents_are_refused(tmp_path, document, message):
    path = tmp_path / "export.json"
    path.write_text(document)
    with pytest.raises(ImportFormatError, match=message):
        list(parse_rejoinder(path))


def test_any_valid_json_layout_is_read(tmp_path):
    """Pretty-printed or minified, it is the same document."""
    doc = (
        '{\n  "format" : "rejoinder-export",\n  "version" : 1,\n  "site": {"key": "k"},'
        '  "threads" : [ {"id": 7, "uri": "https://x.org/p/"} ],\n'
        '"comments":[{"id":70,"thread":7,"text":"hi","created":"2024-01-01T00:00:00Z"}]}'
    )
    path = tmp_path / "pretty.json"
    path.write_text(doc)
    thread, comment = parse_rejoinder(path)
    assert thread.key == "7"
    assert thread.uri == "/p"
    assert comment.key == "70"
    assert comment.thread_key == "7"
    assert comment.state is CommentState.PUBLISHED


def test_records_larger_than_the_read_chunk(tmp_path):
    big = "ж" * 200_000
    doc = io.StringIO()
    doc.write('{"format": "rejoinder-export", "version": 1, "threads": [{"id": "1", "uri": "/"}],')
    doc.write('"comments": [')
    doc.write(",".join(
        f'{{"id": "{i}", "thread": "1", "text": "{big}", "created": "2024-01-01T00:00:00Z"}}'
        for i in range(3)))
    doc.write("]}")
    path = tmp_path / "big.json"
    path.write_text(doc.getvalue(), encoding="utf-8")
    records = list(parse_rejoinder(path))
    assert [len(r.text) for r in records[1:]] == [200_000] * 3
