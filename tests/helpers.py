from __future__ import annotations

from typing import Any

import httpx


async def post(client: httpx.AsyncClient, text: str = "Hello there", **fields: Any
               ) -> httpx.Response:
    body = {"site": "test", "uri": "/post/1", "text": text, **fields}
    return await client.post("/api/v1/comments", json=body)
