from __future__ import annotations

import email
import email.policy
import socket
from collections.abc import Iterator
from email.message import EmailMessage

import pytest
from aiosmtpd.controller import Controller

from rejoinder.notify.config import NotifyConfig


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Mailbox:
    """A local SMTP server that keeps what it receives; can be stopped and started again."""

    def __init__(self) -> None:
        self.port = free_port()
        self.messages: list[EmailMessage] = []
        self.controller: Controller | None = None

    async def handle_DATA(self, server, session, envelope) -> str:
        self.messages.append(
            email.message_from_bytes(envelope.original_content, policy=email.policy.default)
        )
        return "250 OK"

    def start(self) -> None:
        self.controller = Controller(self, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None


@pytest.fixture
def mailbox() -> Iterator[Mailbox]:
    box = Mailbox()
    box.start()
    yield box
    box.stop()


def notify_config(mailbox: Mailbox, **changes) -> NotifyConfig:
    values = {
        "public_url": "http://testserver", "smtp_host": "127.0.0.1", "smtp_port": mailbox.port,
        "smtp_security": "none", "smtp_from": "Comments <comments@example.org>",
        "smtp_timeout": 5, "notify_moderators": "mod@example.org", **changes,
    }
    return NotifyConfig.from_mapping(values)


@pytest.fixture
async def notify_client(client_factory, mailbox):
    """An app whose notification hooks the tests call themselves, with a config they can swap
    (tests/api/test_notification_wiring.py covers the hooks as posting calls them)."""
    client = await client_factory()
    client.services.posting.notifications = None
    client.services.flagging.on_flag = None
    client.app.state.notifications = None
    client.app.state.notify_config = notify_config(mailbox)
    return client
