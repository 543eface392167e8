from __future__ import annotations

import pytest

from rejoinder.identity.names import skeleton


@pytest.mark.parametrize("lookalike", [
    "Ada Lovelace", "ada lovelace", "ADA  LOVELACE", "Аda Lovelace",  # Cyrillic А
    "Ada L0velace", "Ada 1ovelace", "Ada Lovelacе",  # Cyrillic е
    "Ａｄａ Ｌｏｖｅｌａｃｅ",  # fullwidth (NFKC)
    "Ada Lοvelace",  # Greek omicron
    "Ada_Lovelace!", "Adá Lovelace", "Ada Love\u200blace",
])
def test_lookalikes_share_the_skeleton(lookalike):
    assert skeleton(lookalike) == skeleton("Ada Lovelace")


@pytest.mark.parametrize("other", ["Ada Byron", "Ida Lovelace", "Adam Lovelace", ""])
def test_different_names_differ(other):
    assert skeleton(other) != skeleton("Ada Lovelace")


def test_skeleton_is_bounded():
    assert len(skeleton("x" * 10_000)) == 200
