"""Deliver one webhook: a signed JSON (or Slack-style) POST, with the outcome logged."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from dataclasses import dataclass
from typing import Any

import httpx

SIGNATURE_HEADER = "X-Rejoinder-Signature"
TIMESTAMP_HEADER = "X-Rejoinder-Timestamp"
EVENT_HEADER = "X-Rejoinder-Event"
DELIVERY_HEADER = "X-Rejoinder-Delivery"
EVENTS = ("comment.created", "comment.held", "comment.approved", "comment.rejected",
          "comment.flagged")


def signature(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def slack_text(event: dict[str, Any]) -> str:
    comment = event.get("comment", {})
    thread = event.get("thread", {})
    who = comment.get("author_name") or "Someone"
    where = thread.get("title") or thread.get("uri") or "a page"
    verb = {
        "comment.created": "commented on", "comment.held": "was held for moderation on",
        "comment.approved": "was approved on", "comment.rejected": "was rejected on",
        "comment.flagged": "was flagged on",
    }.get(str(event.get("event")), "on")
    excerpt = str(comment.get("text", ""))[:300]
    link = f" <{thread['url']}|open>" if thread.get("url") else ""
    return f"*{who}* {verb} _{where}_{link}\n>{excerpt}"


def encode(event: dict[str, Any], fmt: str) -> bytes:
    body = {"text": slack_text(event)} if fmt == "slack" else event
    return json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()


@dataclass(frozen=True, slots=True)
class Outcome:
    ok: bool
    status_code: int | None
    response: str | None
    error: str | None
    duration_ms: int


async def deliver(
    client: httpx.AsyncClient, url: str, secret: str, fmt: str, event: dict[str, Any],
    delivery_id: int,
) -> Outcome:
    body = encode(event, fmt)
    headers = {
        "Content-Type": "application/json",
        "User-Agent": "Rejoinder-Webhook/1",
        SIGNATURE_HEADER: signature(secret, body),
        TIMESTAMP_HEADER: str(int(time.time())),
        EVENT_HEADER: str(event.get("event", "")),
        DELIVERY_HEADER: str(delivery_id),
    }
    started = time.perf_counter()
    try:
        response = await client.post(url, content=body, headers=headers)
    except httpx.HTTPError as exc:
        elapsed = int((time.perf_counter() - started) * 1000)
        return Outcome(False, None, None, f"{type(exc).__name__}: {exc}"[:1000], elapsed)
    elapsed = int((time.perf_counter() - started) * 1000)
    ok = 200 <= response.status_code < 300
    return Outcome(ok, response.status_code, response.text[:500],
                   None if ok else f"HTTP {response.status_code}", elapsed)
