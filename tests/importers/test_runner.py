import pytest

from rejoinder.domain.site import Site
from rejoinder.domain.states import CommentState
from rejoinder.importers.errors import ImportFormatError
from rejoinder.importers.memory import MemorySink
from rejoinder.importers.records import SkipReason
from rejoinder.importers.runner import import_file
from rejoinder.importers.synthetic import write_synthetic_disqus


def by_key(sink):
    return {s.comment.key: s for s in sink.state.comments.values()}


async def test_disqus_report_lists_every_skip_with_counts(fixtures, sink, site):
    report = await import_file("disqus", fixtures / "disqus.xml", sink, site)
    assert report.comments_imported == 8
    assert report.counts() == {
        "bad or missing date": 1,
        "comment for a missing thread": 1,
        "duplicate id within the file": 1,
        "empty body": 1,
        "orphaned reply": 2,
        "thread without a link": 1,
    }
    assert {r.source_id for r in report.reattached} == {"d6", "d11"}
    assert (report.threads_created, report.threads_existing) == (2, 1)
    stored = by_key(sink)
    assert stored["d3"].parent_id == stored["d2"].id  # reply listed before its parent
    assert stored["d6"].parent_id is None  # orphan kept at top level
    assert stored["d11"].parent_id is None
    assert stored["d10"].thread_id == stored["d11"].thread_id  # t2 and t3 are one page
    assert stored["d1"].comment.text.startswith("Great piece & **sharp**")


async def test_importing_the_same_file_twice_adds_nothing(fixtures, sink, site, isso_db):
    for fmt, path in [("disqus", fixtures / "disqus.xml"), ("wordpress",
                      fixtures / "wordpress.xml"), ("isso", isso_db),
                      ("rejoinder", fixtures / "rejoinder.json")]:
        first = await import_file(fmt, path, sink, site)
        before = (dict(sink.state.comments), dict(sink.state.threads))
        second = await import_file(fmt, path, sink, site)
        assert second.comments_imported == 0
        assert second.already_imported == first.comments_imported
        assert second.threads_created == 0
        assert (dict(sink.state.comments), dict(sink.state.threads)) == before


async def test_a_later_file_can_reply_to_an_earlier_import(tmp_path, sink, site):
    head = ('<disqus xmlns="http://disqus.com" xmlns:dsq="http://disqus.com/disqus-internals">'
            '<thread dsq:id="t"><link>https://x.org/a</link></thread>')
    post = ('<post dsq:id="{id}"><message>m{id}</message><createdAt>2024-01-01T00:00:0{id}Z'
            '</createdAt><thread dsq:id="t"/>{parent}</post>')
    one = tmp_path / "one.xml"
    one.write_text(head + post.format(id=1, parent="") + "</disqus>")
    two = tmp_path / "two.xml"
    two.write_text(head + post.format(id=1, parent="")
                   + post.format(id=2, parent='<parent dsq:id="1"/>') + "</disqus>")
    await import_file("disqus", one, sink, site)
    report = await import_file("disqus", two, sink, site)
    assert (report.comments_imported, report.already_imported) == (1, 1)
    assert report.reattached == []
    assert by_key(sink)["2"].parent_id == by_key(sink)["1"].id


async def test_wordpress_through_the_runner(fixtures, sink, site):
    report = await import_file("wordpress", fixtures / "wordpress.xml", sink, site)
    assert report.counts() == {"bad or missing date": 1, "orphaned reply": 1,
                               "pingback or trackback": 2}
    stored = by_key(sink)
    assert stored["9"].parent_id == stored["10"].id
    assert stored["4"].comment.state is CommentState.SPAM
    assert len(sink.state.threads) == 2


async def test_isso_keeps_deleted_parents_for_thread_shape(isso_db, sink, site):
    report = await import_file("isso", isso_db, sink, site)
    stored = by_key(sink)
    assert stored["4"].comment.state is CommentState.DELETED
    assert stored["5"].parent_id == stored["4"].id
    assert [r.reason for r in report.skipped].count(SkipReason.MISSING_THREAD) == 1


@pytest.mark.parametrize("name", ["billion_laughs.xml", "external_entity.xml"])
async def test_hostile_xml_imports_nothing(fixtures, sink, site, name):
    with pytest.raises(ImportFormatError, match="refused"):
        await import_file("disqus", fixtures / name, sink, site)
    assert sink.state.comments == {}
    assert sink.state.threads == {}
    assert sink.commits == 0


async def test_a_file_broken_at_the_end_imports_nothing(tmp_path, sink, site):
    path = tmp_path / "cut.xml"
    write_synthetic_disqus(path, 3000)
    text = path.read_text(encoding="utf-8")
    path.write_text(text[: len(text) - 200], encoding="utf-8")  # cut inside the last post
    with pytest.raises(ImportFormatError):
        await import_file("disqus", path, sink, site, batch_size=100)
    assert sink.state.comments == {}
    assert sink.commits == 0


async def test_batches_split_parents_and_children(tmp_path, sink, site):
    path = tmp_path / "s.xml"
    write_synthetic_disqus(path, 2000, n_threads=5, out_of_order=0.05, seed=3)
    report = await import_file("disqus", path, sink, site, batch_size=7)
    assert report.comments_imported == 2000
    assert report.reattached == []
    for stored in sink.state.comments.values():
        if stored.parent_id is not None:
            parent = sink.state.comments[stored.parent_id]
            assert parent.id < stored.id
            assert parent.thread_id == stored.thread_id


@pytest.mark.slow
async def test_very_long_thread(tmp_path, sink, site):
    path = tmp_path / "long.xml"
    write_synthetic_disqus(path, 20_000, n_threads=1, seed=7)
    report = await import_file("disqus", path, sink, site)
    assert report.comments_imported == 20_000
    assert len(sink.state.threads) == 1
    assert len({s.thread_id for s in sink.state.comments.values()}) == 1


async def test_sites_and_sources_are_separate(fixtures, sink):
    a, b = Site(1, "a", "A", []), Site(2, "b", "B", [])
    await import_file("disqus", fixtures / "disqus.xml", sink, a)
    report = await import_file("disqus", fixtures / "disqus.xml", sink, b)
    assert report.comments_imported == 8
    other = await import_file("disqus", fixtures / "disqus.xml", sink, a, source="disqus:old")
    assert other.comments_imported == 8
    assert other.threads_existing == 3


async def test_unknown_format_and_missing_file(tmp_path, site):
    with pytest.raises(ImportFormatError, match="unknown import format"):
        await import_file("blogger", tmp_path / "x", MemorySink(), site)
    with pytest.raises(ImportFormatError, match="no such file"):
        await import_file("disqus", tmp_path / "x", MemorySink(), site)
