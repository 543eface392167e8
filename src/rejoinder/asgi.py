"""ASGI entry point for servers: ``uvicorn rejoinder.asgi:app`` (settings from the environment)."""

from __future__ import annotations

from rejoinder.app import create_app
from rejoinder.settings import load_settings

app = create_app(load_settings(), server_process=True)
