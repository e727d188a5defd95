"""Turning email outbox rows into RFC 5322 messages: wording, templates, MIME."""
