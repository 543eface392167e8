"""Notifications: a durable outbox delivered by a worker to email (SMTP) and webhooks."""
