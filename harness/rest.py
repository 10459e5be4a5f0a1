"""One message to the Rasa REST webhook, and its replies."""

from __future__ import annotations

import json
import urllib.request


def post(url: str, sender: str, message: str, message_id: str | None = None, timeout: float = 60) -> list:
    """Post one user message (with a message id if given) and return the bot's replies."""
    body = {"sender": sender, "message": message, **({"message_id": message_id} if message_id else {})}
    request = urllib.request.Request(
        f"{url}/webhooks/rest/webhook",
        data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=timeout) as response:
        return json.load(response)
