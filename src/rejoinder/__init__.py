"""Rejoinder: a self-hosted comment system for publications whose writing starts arguments."""

__version__ = "0.1.0"
