import pytest

from rejoinder.analysis.normalize import normalize


@pytest.mark.parametrize(("raw", "expected"), [
    ("1d1ot", "idiot"),
    ("i d i o t", "idiot"),
    ("i.d.i.o.t", "idiot"),
    ("id\u200biot", "idiot"),
    ("id\u200d\ufeffiot", "idiot"),
    ("іdіоt", "idiot"),  # Cyrillic і and о
    ("stupіd", "stupid"),
    ("Y O U are a m0r0n", "you are a moron"),
    ("sooooo dumb", "soo dumb"),
])
def test_obfuscations_are_undone(raw, expected):
    assert normalize(raw) == expected


def test_plain_numbers_and_real_cyrillic_are_left_alone():
    assert normalize("I paid $40 for 3 tickets") == "i paid $40 for 3 tickets"
    assert normalize("Переговоры были сорваны") == "переговоры были сорваны"


@pytest.mark.parametrize("raw", ["", "🔥🔥🔥", "x" * 10_000, "漢字 and English", "\u200b\u200b"])
def test_odd_input_does_not_fail(raw):
    assert isinstance(normalize(raw), str)
