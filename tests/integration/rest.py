"""A tiny REST client for the Rasa webhook, used by the server tests."""

from __future__ import annotations

from harness.rest import post


def send(base_url: str, sender: str, message: str) -> list:
    """Post one user message and return the bot's replies (a list of dicts)."""
    return post(base_url, sender, message, timeout=30)


def texts(replies: list) -> str:
    """All reply texts joined, for assertions."""
    return "\n".join(reply.get("text", "") for reply in replies)
