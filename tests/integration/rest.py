"""A tiny REST client for the Rasa webhook, used by the server tests."""

from __future__ import annotations

import json
import urllib.request


def send(base_url: str, sender: str, message: str) -> list:
    """Post one user message and return the bot's replies (a list of dicts)."""
    request = urllib.request.Request(
        f"{base_url}/webhooks/rest/webhook",
        data=json.dumps({"sender": sender, "message": message}).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.load(response)


def texts(replies: list) -> str:
    """All reply texts joined, for assertions."""
    return "\n".join(reply.get("text", "") for reply in replies)
