import numpy as np

from rejoinder.analysis.neardup import nearest_duplicate


def test_rewording_is_found(classifier):
    new, same, other = classifier.embed([
        "The ceasefire talks failed because neither side trusted the guarantees.",
        "Ceasefire talks collapsed since neither side trusted the guarantees.",
        "The striker missed two penalties in the cup final.",
    ])
    found = nearest_duplicate(new, [(7, other), (12, same)], threshold=0.85)
    assert found is not None and found.comment_id == 12 and found.similarity > 0.85
    assert nearest_duplicate(new, [(7, other)], threshold=0.85) is None


def test_empty_and_picks_best():
    assert nearest_duplicate(np.ones(3), []) is None
    q = np.array([1.0, 0.0, 0.0])
    hit = nearest_duplicate(q, [(1, np.array([0.9, 0.1, 0.0])), (2, np.array([1.0, 0.01, 0])),
                                (3, np.array([0.0, 1.0, 0.0]))], threshold=0.9)
    assert hit is not None and hit.comment_id == 2
