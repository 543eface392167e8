"""Property-based fuzzing of the public API from its own OpenAPI document (schemathesis).

Every documented operation gets generated requests, valid and invalid; each answer must not be a
5xx, must use a documented status code and content type, and must match the documented schema.
The app runs in-process on a fresh SQLite file with one site, one thread and a few comments, so
that generated ids and site keys sometimes hit real rows.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from rejoinder.app import build_services, create_app
from rejoinder.store.migrate import upgrade_sync
from tests.conftest import ORIGIN, make_settings

pytestmark = pytest.mark.slow

# the event stream never ends by design; it is covered by tests/api/test_stream.py
ENDLESS = "/api/v1/comments/stream"
MAX_EXAMPLES = 60
THREAD = "/post/1"
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


async def _seed(app: Any) -> list[int]:
    services = app.state.services
    await services.sites.add("test", "Test site", [ORIGIN])
    ids: list[int] = []
    transport = httpx.ASGITransport(app=app, client=("203.0.113.1", 1))
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        for n in range(4):
            r = await client.post("/api/v1/comments", json={
                "site": "test", "uri": THREAD, "text": f"Seed *comment* {n}", "name": f"S{n}",
                "parent": ids[-1] if n == 3 else None,
            }, headers={"X-Forwarded-For": f"203.0.113.{n + 10}"})
            assert r.status_code == 201, r.text
            ids.append(r.json()["comment"]["id"])
    return ids


def _aim(case: Any, ids: list[int], data: st.DataObject) -> None:
    """Half the time, point the generated request at rows that exist, so fuzzing reaches past
    the "unknown site" and "no such comment" answers."""
    if not data.draw(st.booleans(), label="aim at real rows"):
        return
    if case.path_parameters and "comment_id" in case.path_parameters:
        case.path_parameters["comment_id"] = data.draw(st.sampled_from(ids), label="id")
    if case.path_parameters and "site" in case.path_parameters:
        case.path_parameters["site"] = "test"
    for container in (case.query, case.body):
        if isinstance(container, dict):
            if "site" in container:
                container["site"] = "test"
            if "uri" in container and data.draw(st.booleans(), label="real uri"):
                container["uri"] = THREAD


@pytest.fixture(scope="module")
def api_schema(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    folder: Path = tmp_path_factory.mktemp("fuzz")
    url = f"sqlite:///{folder / 'fuzz.sqlite3'}"
    upgrade_sync(url)
    config = make_settings(url)
    app = create_app(config, build_services(config))
    ids = asyncio.run(_seed(app))
    schema = schemathesis.openapi.from_asgi("/api/v1/openapi.json", app)
    yield schema.exclude(path=ENDLESS), ids


def _fuzz(operation: Any, ids: list[int]) -> None:
    cases = st.one_of(
        operation.as_strategy(generation_mode=GenerationMode.POSITIVE),
        operation.as_strategy(generation_mode=GenerationMode.NEGATIVE),
    )

    @given(case=cases, data=st.data())
    @settings(max_examples=MAX_EXAMPLES, deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck))
    def run(case: Any, data: st.DataObject) -> None:
        _aim(case, ids, data)
        case.call_and_validate(checks=CHECKS)

    run()


def test_api_conforms_to_its_schema(api_schema: Any) -> None:
    """One test over all operations, so the schema is loaded at run time, not at collection;
    every failing operation is reported, each with the smallest failing request."""
    schema, ids = api_schema
    failures: dict[str, str] = {}
    tried = 0
    for result in schema.get_all_operations():
        operation = result.ok()
        tried += 1
        try:
            _fuzz(operation, ids)
        except (Exception, BaseExceptionGroup) as exc:  # carries the reproducing request
            failures[operation.label] = str(exc)[:3000]
    assert tried >= 10, "the OpenAPI document lists fewer operations than expected"
    assert not failures, "\n\n".join(f"{k}:\n{v}" for k, v in failures.items())
