from __future__ import annotations

import pytest

from rejoinder.analysis.classifier import CommentClassifier


@pytest.fixture(scope="session")
def classifier() -> CommentClassifier:
    c = CommentClassifier()
    c.load()
    return c
