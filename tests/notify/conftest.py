from __future__ import annotations

import pytest

from rejoinder.notify.config import NotifyConfig
from tests.mailbox import Mailbox


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
