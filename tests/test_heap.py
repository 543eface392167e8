from __future__ import annotations

import gc

from rejoinder.app import create_app
from tests.conftest import make_settings


async def lifespan_freeze_count(database_url: str, server_process: bool) -> int:
    gc.unfreeze()
    app = create_app(make_settings(database_url), server_process=server_process)
    try:
        async with app.router.lifespan_context(app):
            await app.state.warm_up
            return gc.get_freeze_count()
    finally:
        gc.unfreeze()


async def test_a_server_process_freezes_what_start_up_created(database_url):
    assert await lifespan_freeze_count(database_url, server_process=True) > 10_000


async def test_an_app_sharing_its_process_leaves_the_collector_alone(database_url):
    assert await lifespan_freeze_count(database_url, server_process=False) == 0
