from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.identity.oidc_provider import LocalProvider, RunningProvider, User


@pytest.fixture(scope="session")
def running_provider() -> Iterator[RunningProvider]:
    running = RunningProvider()
    yield running
    running.stop()


@pytest.fixture
def oidc(running_provider: RunningProvider) -> Iterator[LocalProvider]:
    provider = running_provider.provider
    provider.user = User()
    provider.tamper = {}
    provider.token_errors.clear()
    yield provider
