from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx


async def post(client: httpx.AsyncClient, text: str = "Hello there", **fields: Any
               ) -> httpx.Response:
    body = {"site": "test", "uri": "/post/1", "text": text, **fields}
    return await client.post("/api/v1/comments", json=body)


class LiveServer:
    """A real uvicorn server on a free loopback port, run in a background thread."""

    def __init__(self, app: Any) -> None:
        import socket
        import threading

        import uvicorn

        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            self.port = sock.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        config = uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning",
                                lifespan="off")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> LiveServer:
        import time

        self.thread.start()
        deadline = time.monotonic() + 10
        while not self.server.started:
            if time.monotonic() > deadline:
                raise RuntimeError("server did not start")
            time.sleep(0.02)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(10)


@contextmanager
def counting_batches(classifier: Any) -> Iterator[list[int]]:
    """Record the size of every batch ``classifier.score_items`` is given while in the block."""
    batches: list[int] = []
    original = classifier.score_items

    def counting(texts: list[str], heads: Any) -> Any:
        batches.append(len(texts))
        return original(texts, heads)

    classifier.score_items = counting
    try:
        yield batches
    finally:
        del classifier.score_items
