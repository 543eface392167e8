import io
import json
from datetime import UTC, datetime, timedelta

from rejoinder.domain.site import Site
from rejoinder.domain.states import CommentState
from rejoinder.importers.export import write_export, write_export_async
from rejoinder.importers.native import parse_rejoinder
from rejoinder.importers.records import ImportedComment, ImportedThread
from rejoinder.importers.runner import import_file

T0 = datetime(2024, 2, 29, 23, 59, 59, 999999, tzinfo=UTC)


def sample() -> tuple[list[ImportedThread], list[ImportedComment]]:
    threads = [
        ImportedThread("1", "/essay", "Essay “quoted”", "https://x.org/essay/", False, T0),
        ImportedThread("2", "/пост", None, None, True, None),
    ]
    comments = [
        ImportedComment("10", "1", None, "Олена", "o@x.org", "https://o.example", "10.0.0.1",
                        "Top **level** 🎉\n\n> quote", "markdown", T0, CommentState.PUBLISHED,
                        likes=5, edited=T0 + timedelta(minutes=3), pinned=True),
        ImportedComment("11", "1", "10", None, None, None, None, "reply", "markdown",
                        T0 + timedelta(seconds=1), CommentState.PENDING),
        ImportedComment("12", "1", "11", "Z", None, None, None, "", "markdown",
                        T0 + timedelta(seconds=2), CommentState.DELETED),
        ImportedComment("13", "2", None, "spam", None, None, "::1", "buy", "markdown",
                        T0 + timedelta(seconds=3), CommentState.SPAM),
        ImportedComment("14", "2", None, "R", None, None, None, "no", "markdown",
                        T0 + timedelta(seconds=4), CommentState.REJECTED, likes=0),
    ]
    return threads, comments


def test_export_is_one_valid_json_document_with_one_record_per_line():
    threads, comments = sample()
    out = io.StringIO()
    site = Site(1, "essays", "Essays", ["https://x.org"])
    counts = write_export(out, threads, comments, site=site, exported=T0)
    assert counts == (2, 5)
    doc = json.loads(out.getvalue())
    assert doc["format"] == "rejoinder-export"
    assert doc["version"] == 1
    assert doc["site"] == {"key": "essays", "name": "Essays", "origins": ["https://x.org"]}
    assert [c["id"] for c in doc["comments"]] == ["10", "11", "12", "13", "14"]
    lines = out.getvalue().splitlines()
    assert sum(1 for line in lines if line.startswith('{"id": ')) == 7


def test_empty_export_round_trips(tmp_path):
    path = tmp_path / "empty.json"
    with path.open("w", encoding="utf-8") as out:
        write_export(out, [], [])
    assert json.loads(path.read_text())["threads"] == []
    assert list(parse_rejoinder(path)) == []


def test_parse_gives_back_identical_records(tmp_path):
    threads, comments = sample()
    path = tmp_path / "export.json"
    with path.open("w", encoding="utf-8") as out:
        write_export(out, threads, comments)
    assert list(parse_rejoinder(path)) == [*threads, *comments]


async def test_round_trip_through_import(tmp_path, sink, site):
    threads, comments = sample()
    path = tmp_path / "export.json"

    async def agen(items):
        for item in items:
            yield item

    with path.open("w", encoding="utf-8") as out:
        await write_export_async(out, agen(threads), agen(comments), site=site)
    report = await import_file("rejoinder", path, sink, site)
    assert report.comments_imported == 5
    assert report.skipped == []
    assert report.reattached == []
    stored = sorted(sink.state.comments.values(), key=lambda s: s.id)
    assert [s.comment for s in stored] == comments
    ids = {s.comment.key: s.id for s in stored}
    assert [s.parent_id for s in stored] == [None, ids["10"], ids["11"], None, None]
    assert [t for _, t in sink.state.threads.values()] == threads

    # and out again: the second export of the imported data equals the first
    by_id = {tid: t for tid, (_, t) in sink.state.threads.items()}
    again = io.StringIO()
    write_export(
        again,
        [ImportedThread(str(tid), t.uri, t.title, t.url, t.closed, t.created)
         for tid, t in by_id.items()],
        [s.comment for s in stored],
    )
    first = json.loads(path.read_text(encoding="utf-8"))
    second = json.loads(again.getvalue())
    assert first["comments"] == second["comments"]
