import sqlite3
from pathlib import Path

import pytest

from rejoinder.domain.site import Site
from rejoinder.importers.memory import MemorySink

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "importers"


@pytest.fixture
def fixtures() -> Path:
    return FIXTURES


@pytest.fixture
def sink() -> MemorySink:
    return MemorySink()


@pytest.fixture
def site() -> Site:
    return Site(id=1, key="essays", name="Essays", origins=["https://essays.example.org"])


@pytest.fixture
def isso_db(tmp_path: Path) -> Path:
    path = tmp_path / "comments.db"
    db = sqlite3.connect(path)
    db.executescript((FIXTURES / "isso.sql").read_text(encoding="utf-8"))
    db.commit()
    db.close()
    return path
