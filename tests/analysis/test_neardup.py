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


Window = list[tuple[int, np.ndarray]]


def _moves(rng: np.random.Generator, vectors: list[np.ndarray]) -> list[Window]:
    """Windows as a site's recent comments move: mostly new ones in front and old ones out,
    sometimes a reload (same vectors as new objects), an edit, a shrink or a reordering."""
    window = [(i, vectors[i]) for i in range(9, -1, -1)]
    next_id, out = 10, []
    for _ in range(300):
        move = rng.random()
        if move < 0.7:  # 0-3 new comments, the window capped at 40
            new = [(next_id + k, vectors[(next_id + k) % len(vectors)])
                   for k in range(int(rng.integers(0, 4)))]
            next_id += len(new)
            window = (new[::-1] + window)[: int(rng.integers(30, 41))]
        elif move < 0.8:
            window = [(i, v.copy()) for i, v in window]
        elif move < 0.9 and window:
            at = int(rng.integers(0, len(window)))
            window = list(window)
            window[at] = (window[at][0], vectors[int(rng.integers(0, len(vectors)))].copy())
        else:
            window = [window[i] for i in rng.permutation(len(window))]
        out.append(window)
    return out


def test_recent_matrix_agrees_with_the_plain_search_as_the_window_moves():
    rng = np.random.default_rng(17)
    vectors = _unit(rng, 60)
    matrix = RecentMatrix()
    for window in _moves(rng, vectors):
        query = vectors[int(rng.integers(0, 60))] + rng.normal(scale=0.1, size=8)
        expected = nearest_duplicate(query, window, threshold=-1.0)
        found = matrix.nearest(query, window, threshold=-1.0)
        assert (found is None) == (expected is None)
        if expected is not None and found is not None:
            assert found.comment_id == expected.comment_id
            assert abs(found.similarity - expected.similarity) < 1e-5


def test_recent_matrix_names_the_newest_of_equal_rows():
    v = np.array([1.0, 0.0, 0.0], dtype=np.float32)
    matrix = RecentMatrix()
    hit = matrix.nearest(v, [(3, v.copy()), (2, v.copy()), (1, v)], threshold=0.9)
    assert hit is not None and hit.comment_id == 3
    hit = matrix.nearest(v, [(4, v.copy()), (3, v), (2, v)], threshold=0.9)
    assert hit is not None and hit.comment_id == 4
