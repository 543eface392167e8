import numpy as np

from rejoinder.analysis.neardup import RecentMatrix, nearest_duplicate


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


def _unit(rng: np.random.Generator, n: int) -> list[np.ndarray]:
    return [v / np.linalg.norm(v) for v in rng.normal(size=(n, 8)).astype(np.float32)]


def test_recent_matrix_follows_a_moving_window():
    rng = np.random.default_rng(3)
    vectors = _unit(rng, 40)
    matrix = RecentMatrix()
    for start in range(0, 25, 3):  # new comments enter at the front, old ones leave at the end
        window = [(100 + i, vectors[i]) for i in range(start + 15, start, -1)]
        for query in (vectors[start + 7], vectors[0], -vectors[start + 3]):
            expected = nearest_duplicate(query, window, threshold=-1.0)
            found = matrix.nearest(query, window, threshold=-1.0)
            assert expected is not None and found is not None
            assert found.comment_id == expected.comment_id
            assert abs(found.similarity - expected.similarity) < 1e-5


def test_recent_matrix_sees_a_replaced_vector():
    rng = np.random.default_rng(5)
    a, b, c = _unit(rng, 3)
    matrix = RecentMatrix()
    assert matrix.nearest(c, [(1, a), (2, b)], threshold=0.99) is None
    # comment 2 was edited: same id, new vector (the window reloads rows as new objects)
    hit = matrix.nearest(c, [(1, a), (2, c.copy())], threshold=0.99)
    assert hit is not None and hit.comment_id == 2
    hit = matrix.nearest(a, [(2, c.copy()), (1, a)], threshold=0.99)
    assert hit is not None and hit.comment_id == 1
