from __future__ import annotations

from rejoinder.services.listing import _Lru


def test_lru_evicts_by_count_and_by_weight():
    by_count = _Lru(2)
    for n in range(3):
        by_count.put(n, n)
    assert list(by_count) == [1, 2]
    by_weight = _Lru(100, max_weight=10, weigh=len)
    by_weight.put("a", b"12345")
    by_weight.put("b", b"12345")
    by_weight.hit("a")
    by_weight.put("c", b"123")
    assert list(by_weight) == ["a", "c"] and by_weight.weight == 8
    by_weight.put("a", b"1")
    assert by_weight.weight == 4
