"""Delivering the email outbox over SMTP: claim, send over reused connections, record."""
