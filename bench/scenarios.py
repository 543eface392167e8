"""The operations both servers are measured on, as each one's own widget would call them."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import quote

from bench.dataset import post_text
from bench.loadgen import Connection, Flow
from bench.rejoinder_side import ORIGIN, SITE

POST_URI = "/t/post"
COUNT_URIS = [f"/c/{i}" for i in range(50)]
MAX_PAGE = 100  # the default max_page_size
# Comments arriving per second in the paced posting run: 90,000 an hour.
POSTING_RATE = 25.0
PACED_FIRST = 1_000_000  # the paced run's readers are not the 32-at-once run's
PACED_SECONDS = 20.0  # 500 posts at 25/s
JSON_HEADERS = {"Content-Type": "application/json", "Accept": "application/json"}


def thread_uri(size: int) -> str:
    return f"/t/{size}"


@dataclass(frozen=True, slots=True)
class Scenario:
    name: str
    flow: Flow
    ok: tuple[int, ...] = (200,)
    drain: float = 10.0
    rate: float | None = None  # operations arriving per second (open loop) instead of 32 busy
    min_seconds: float = 0.0  # run at least this long (a p99 needs a few hundred samples)


def _get(path: str) -> Flow:
    async def flow(conn: Connection, _n: int) -> int:
        return (await conn.request("GET", path)).status
    return flow


def _post(path: str, body: Callable[[int], bytes], headers: Callable[[int], dict[str, str]]
          ) -> Flow:
    async def flow(conn: Connection, n: int) -> int:
        return (await conn.request("POST", path, body(n), headers(n))).status
    return flow


def _reader_ip(n: int) -> str:
    return f"10.{(n >> 16) & 255}.{(n >> 8) & 255}.{n & 255}"


# -- Rejoinder ---------------------------------------------------------------------------------

def rejoinder_listing(size: int) -> Flow:
    return _get(f"/api/v1/comments?site={SITE}&uri={quote(thread_uri(size), safe='')}")


def rejoinder_full(size: int) -> Flow:
    """Every comment of the thread: all pages at the largest page size, following
    ``next_cursor``, plus the further replies under any comment with more than a page of them."""
    base = f"/api/v1/comments?site={SITE}&uri={quote(thread_uri(size), safe='')}"
    base += f"&limit={MAX_PAGE}&replies={MAX_PAGE}"

    async def flow(conn: Connection, _n: int) -> int:
        path: str | None = base
        while path:
            reply = await conn.request("GET", path)
            if reply.status != 200:
                return reply.status
            page = json.loads(reply.body)
            for item in page["pinned"] + page["comments"]:
                if item["replies_cursor"]:
                    status = await _more_replies(conn, item["id"], item["replies_cursor"])
                    if status != 200:
                        return status
            cursor = page["next_cursor"]
            path = f"{base}&cursor={quote(cursor, safe='')}" if cursor else None
        return 200
    return flow


async def _more_replies(conn: Connection, comment_id: int, cursor: str | None) -> int:
    while cursor:
        reply = await conn.request(
            "GET", f"/api/v1/comments/{comment_id}/replies?limit={MAX_PAGE}"
            f"&cursor={quote(cursor, safe='')}"
        )
        if reply.status != 200:
            return reply.status
        cursor = json.loads(reply.body)["next_cursor"]
    return 200


def rejoinder_post(first: int = 0) -> Flow:
    """The n-th post comes from reader ``first + n``: runs with different ``first`` post
    different texts from different addresses, so no run trips over an earlier one's limits."""
    def body(n: int) -> bytes:
        return json.dumps({"site": SITE, "uri": POST_URI, "text": post_text(first + n),
                           "name": f"Reader {first + n}"}).encode()

    def headers(n: int) -> dict[str, str]:
        return {**JSON_HEADERS, "Origin": ORIGIN, "X-Forwarded-For": _reader_ip(first + n)}
    return _post("/api/v1/comments", body, headers)


def rejoinder_counts() -> Flow:
    payload = json.dumps({"site": SITE, "uris": COUNT_URIS}).encode()
    return _post("/api/v1/counts", lambda _n: payload, lambda _n: JSON_HEADERS)


def rejoinder_scenarios(sizes: tuple[int, ...],
                        paced_seconds: float = PACED_SECONDS) -> list[Scenario]:
    return [
        Scenario("healthz_live", _get("/healthz/live")),
        *[Scenario(f"listing_{s}", rejoinder_listing(s)) for s in sizes],
        Scenario("counts_50", rejoinder_counts()),
        Scenario("post", rejoinder_post(), ok=(201,)),
        Scenario("post_paced", rejoinder_post(PACED_FIRST), ok=(201,), rate=POSTING_RATE,
                 min_seconds=paced_seconds),
        *[Scenario(f"full_{s}", rejoinder_full(s), drain=20.0) for s in sizes],
    ]


# -- Isso --------------------------------------------------------------------------------------

def isso_listing(size: int) -> Flow:
    """What Isso's embed.js asks for by default: max-comments-top "inf", max-comments-nested 5."""
    return _get(f"/?uri={quote(thread_uri(size), safe='')}&sort=oldest&offset=0&nested_limit=5")


def isso_full(size: int) -> Flow:
    return _get(f"/?uri={quote(thread_uri(size), safe='')}")


def isso_post(first: int = 0) -> Flow:
    def body(n: int) -> bytes:
        return json.dumps({"text": post_text(first + n), "author": f"Reader {first + n}"}).encode()
    return _post(f"/new?uri={quote(POST_URI, safe='')}", body, lambda _n: JSON_HEADERS)


def isso_counts() -> Flow:
    payload = json.dumps(COUNT_URIS).encode()
    return _post("/count", lambda _n: payload, lambda _n: JSON_HEADERS)


def isso_scenarios(sizes: tuple[int, ...],
                   paced_seconds: float = PACED_SECONDS) -> list[Scenario]:
    return [
        *[Scenario(f"listing_{s}", isso_listing(s)) for s in sizes],
        Scenario("counts_50", isso_counts()),
        Scenario("post", isso_post(), ok=(201,)),
        Scenario("post_paced", isso_post(PACED_FIRST), ok=(201,), rate=POSTING_RATE,
                 min_seconds=paced_seconds),
        *[Scenario(f"full_{s}", isso_full(s), drain=20.0) for s in sizes],
    ]
