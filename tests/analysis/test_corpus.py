from collections import Counter

from rejoinder.analysis.corpus import CORPUS_PATH, generate, load_corpus
from rejoinder.analysis.scores import Category
from rejoinder.analysis.training import TEST_TOPICS, split


def test_committed_corpus_is_what_the_generator_makes():
    assert load_corpus(CORPUS_PATH) == generate()


def test_corpus_is_large_varied_and_labelled():
    rows = load_corpus()
    assert len(rows) >= 4000
    texts = [r["text"] for r in rows]
    assert len(set(texts)) / len(texts) > 0.95
    labels = Counter(lab for r in rows for lab in r["labels"])
    assert all(labels[c.value] >= 300 for c in Category)
    kinds = Counter(r["kind"] for r in rows)
    assert kinds["heated"] >= 500 and kinds["sarcasm"] > 0 and kinds["quote"] > 0
    assert kinds["foreign"] > 0
    assert len({r["topic"] for r in rows}) >= 10
    assert any(t.isupper() for t in texts)
    assert any("\u200b" in t for t in texts)


def test_split_by_topic_shares_no_topic():
    rows = load_corpus()
    train, test = split(rows, TEST_TOPICS)
    train_topics = {r["topic"] for r, keep in zip(rows, train, strict=True) if keep}
    test_topics = {r["topic"] for r, keep in zip(rows, test, strict=True) if keep}
    assert test_topics == set(TEST_TOPICS)
    assert not train_topics & test_topics
