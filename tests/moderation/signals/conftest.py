"""A small local HTTP server speaking the Akismet and Perspective protocols."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest


@dataclass
class FakeService:
    base_url: str = ""
    delay: float = 0.0
    status: int = 200
    toxicity: float = 0.93
    requests: list[dict[str, Any]] = field(default_factory=list)


def _handler(service: FakeService) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            pass

        def _send(
            self, body: bytes, content_type: str, headers: dict[str, str], status: int = 0
        ) -> None:
            try:
                self.send_response(status or service.status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                for k, v in headers.items():
                    self.send_header(k, v)
                self.end_headers()
                self.wfile.write(body)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up (timeout tests)

        def do_POST(self) -> None:
            raw = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            url = urlsplit(self.path)
            if service.delay:
                time.sleep(service.delay)
            if url.path == "/1.1/comment-check":
                self._akismet(parse_qs(raw.decode()))
            elif url.path == "/v1alpha1/comments:analyze":
                self._perspective(parse_qs(url.query), json.loads(raw))
            else:
                self._send(b"not found", "text/plain", {})

        def _akismet(self, form: dict[str, list[str]]) -> None:
            fields = {k: v[0] for k, v in form.items()}
            service.requests.append(fields)
            if fields.get("api_key") != "akismet-key" or not fields.get("blog"):
                self._send(b"invalid", "text/plain",
                           {"X-akismet-debug-help": "We were unable to verify your API key."})
                return
            content = fields.get("comment_content", "")
            if "viagra-test-123" in content:  # Akismet's documented always-spam author
                self._send(b"true", "text/plain", {"X-akismet-pro-tip": "discard"})
            elif "spam" in content:
                self._send(b"true", "text/plain", {})
            else:
                self._send(b"false", "text/plain", {})

        def _perspective(self, query: dict[str, list[str]], body: dict[str, Any]) -> None:
            service.requests.append({"query": query, "body": body})
            if query.get("key") != ["perspective-key"]:
                self._send(b'{"error": {"code": 400}}', "application/json", {}, status=400)
                return
            attrs = {
                name: {"summaryScore": {"value": service.toxicity, "type": "PROBABILITY"}}
                for name in body["requestedAttributes"]
            }
            payload = {"attributeScores": attrs, "languages": ["en"]}
            self._send(json.dumps(payload).encode(), "application/json", {})

    return Handler


@pytest.fixture
def fake_service() -> Iterator[FakeService]:
    service = FakeService()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(service))
    server.daemon_threads = True
    service.base_url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield service
    finally:
        server.shutdown()
        server.server_close()
