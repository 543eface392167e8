from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from rejoinder.domain.decision import Verdict
from rejoinder.moderation.signals.duplicates import (
    DuplicateSignal,
    InMemoryRecentComments,
    RecentComment,
    _Features,
    _WindowIndex,
    jaccard,
    shingles,
    text_hash,
)

SPAM = "Earn five thousand dollars a week from home with this one weird trick, details inside"
LONG = (
    "The negotiators in Istanbul seemed closer to a deal than anyone admits today, and the "
    "draft communique shows how much both sides were willing to give up at that point"
)


def store(*rows: tuple[int, str, str, int]) -> InMemoryRecentComments:
    recent = InMemoryRecentComments()
    for cid, author, text, minutes_ago in rows:
        recent.add("blog", RecentComment(cid, author, text, NOW - timedelta(minutes=minutes_ago)))
    return recent


NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)  # the context's clock (tests/moderation/conftest)


async def test_exact_repost_by_same_author(make_submission, make_context) -> None:
    signal = DuplicateSignal(store((812, "author-1", SPAM, 5), (813, "author-9", "other", 1)))
    repost = make_submission(SPAM.upper().replace(",", " ,") + "!!")
    results = await signal.assess(repost, make_context())
    assert [(r.suggests, r.reason, r.related_comment_id) for r in results] == [
        (Verdict.HOLD, "duplicate of #812", 812)
    ]


async def test_near_duplicate(make_submission, make_context) -> None:
    signal = DuplicateSignal(store((40, "author-1", LONG, 5)))
    edited = LONG.replace("today", "now")
    results = await signal.assess(make_submission(edited), make_context())
    assert len(results) == 1
    assert results[0].reason.startswith("near-duplicate of #40 (0.")
    assert 0.75 < results[0].score < 1.0
    loose = make_context(near_duplicate_threshold=0.99)
    assert await signal.assess(make_submission(edited), loose) == []


async def test_same_text_from_many_authors(make_submission, make_context) -> None:
    signal = DuplicateSignal(store((1, "a", SPAM, 3), (2, "b", SPAM, 2), (3, "c", SPAM, 1)))
    results = await signal.assess(make_submission(SPAM), make_context())
    assert [r.reason for r in results] == ["same text posted by 4 authors"]
    few = make_context(duplicate_authors_threshold=5)
    assert await signal.assess(make_submission(SPAM), few) == []


async def test_window_and_short_texts(make_submission, make_context) -> None:
    signal = DuplicateSignal(store((1, "author-1", SPAM, 120), (2, "author-1", "Thanks!", 1)))
    hour = make_context(duplicate_window_seconds=3600)
    assert await signal.assess(make_submission(SPAM), hour) == []
    assert await signal.assess(make_submission("Thanks!"), make_context()) == []
    assert len(await signal.assess(make_submission(SPAM), make_context())) == 1


def test_shingles_ignore_case_and_punctuation() -> None:
    assert shingles(LONG) == shingles(LONG.upper().replace(",", ""))
    assert jaccard(shingles(LONG), shingles(SPAM)) == 0.0
    assert shingles("too short to compare") == frozenset()


async def test_an_edited_comment_is_compared_as_it_reads_now(make_submission,
                                                             make_context) -> None:
    recent = store((5, "author-1", SPAM, 5))
    signal = DuplicateSignal(recent)
    assert len(await signal.assess(make_submission(SPAM), make_context())) == 1
    recent._by_site["blog"][0] = RecentComment(5, "author-1", LONG, NOW - timedelta(minutes=5))
    assert await signal.assess(make_submission(SPAM), make_context()) == []
    assert len(await signal.assess(make_submission(LONG), make_context())) == 1


def test_window_index_agrees_with_comparing_every_row() -> None:
    rng = random.Random(11)
    words = ["the", "war", "was", "over", "before", "anyone", "in", "city", "knew", "it",
             "had", "started", "at", "all"]
    texts = [" ".join(rng.choice(words) for _ in range(rng.randint(6, 14))) for _ in range(120)]
    index = _WindowIndex()
    near = 0
    for start in range(0, 100, 7):  # the window moves: rows enter and leave
        rows = [RecentComment(i, "a", texts[i]) for i in range(start + 20, start, -1)]
        index.sync(rows, {})
        cut = [t.rsplit(" ", 1)[0] for t in texts[start + 1:start + 20:2]]  # near copies
        for probe in [*texts[start:start + 25:3], *cut]:
            mine = _Features(probe)
            expected = {}
            for row in rows:
                if text_hash(row.text) == mine.hash:
                    expected[row.id] = 1.0
                elif (j := jaccard(mine.shingles, shingles(row.text))) >= 0.5:
                    expected[row.id] = j
            assert index.similar(mine, 0.5) == expected
            near += sum(1 for j in expected.values() if j < 1.0)
    assert near > 10
    assert set(index.rows) == {row.id for row in rows}


def _index_state(index: _WindowIndex) -> tuple[object, ...]:
    return ({i: text for i, (text, _) in index.rows.items()},
            {h: sorted(ids) for h, ids in index.by_hash.items()},
            {s: sorted(ids) for s, ids in index.postings.items()})


def test_window_index_after_any_move_equals_one_built_afresh() -> None:
    rng = random.Random(23)
    words = ["the", "war", "was", "over", "before", "anyone", "in", "city", "knew", "it"]

    def text() -> str:
        return " ".join(rng.choice(words) for _ in range(rng.randint(6, 12)))

    rows = [RecentComment(i, "a", text()) for i in range(12, 0, -1)]
    index, next_id = _WindowIndex(), 13
    for _ in range(400):
        move = rng.random()
        if move < 0.7:  # new comments in front, the oldest out
            new = [RecentComment(next_id + k, "a", text()) for k in range(rng.randint(0, 3))]
            next_id += len(new)
            rows = (new[::-1] + rows)[: rng.randint(15, 25)]
        elif move < 0.8:  # a reload: equal rows as new objects
            rows = [RecentComment(r.id, r.author_key, r.text) for r in rows]
        elif move < 0.9:  # an edit
            at = rng.randrange(len(rows))
            rows = [*rows[:at], RecentComment(rows[at].id, "a", text()), *rows[at + 1:]]
        else:
            rows = rng.sample(rows, len(rows))
        index.sync(rows, {})
        fresh = _WindowIndex()
        fresh.sync(rows, {})
        assert _index_state(index) == _index_state(fresh)
