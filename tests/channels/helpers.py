"""Helpers for the offline connector tests: recorded payloads, a fake agent, a Sanic app."""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Any

import yaml
from rasa.core.channels.channel import InputChannel, UserMessage, register
from rasa.core.tracker_store import InMemoryTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import BotUttered, UserUttered
from sanic import Sanic

REPO = Path(__file__).resolve().parents[2]
PAYLOADS = Path(__file__).parent / "payloads"


def payload_text(name: str) -> str:
    return (PAYLOADS / name).read_text().strip()


def payload_json(name: str) -> dict[str, Any]:
    return json.loads(payload_text(name))


def domain_response(name: str) -> dict[str, Any]:
    """The first variant of a response in domain.yml (text and buttons as the bot sends them)."""
    responses = yaml.safe_load((REPO / "domain.yml").read_text())["responses"]
    response = responses[name][0]
    return {key: response[key] for key in ("text", "buttons") if key in response}


class FakeAgent:
    """Stands in for Rasa's agent (``app.ctx.agent``): records each user message, answers
    through the message's output channel the way Rasa does (``send_response``) and keeps the
    conversation in a tracker store, as Rasa does (the channel guard reads the last buttons)."""

    def __init__(self, replies: list[dict[str, Any]] | None = None) -> None:
        self.replies = replies or []
        self.messages: list[UserMessage] = []
        self.tracker_store = InMemoryTrackerStore(Domain.empty())

    async def handle_message(self, message: UserMessage) -> None:
        self.messages.append(message)
        tracker = await self.tracker_store.get_or_create_tracker(message.sender_id)
        tracker.update(UserUttered(message.text))
        for reply in self.replies:
            tracker.update(BotUttered(reply.get("text"), {"buttons": reply.get("buttons")}))
            await message.output_channel.send_response(message.sender_id, dict(reply))
        await self.tracker_store.save(tracker)

    @property
    def texts(self) -> list[str]:
        return [message.text for message in self.messages]


def app_with(channel: InputChannel, agent: FakeAgent) -> Sanic:
    """A Sanic app serving ``channel``'s webhook under /webhooks/, as `rasa run` does."""
    app = Sanic(f"channels-test-{uuid.uuid4().hex[:12]}")
    app.ctx.agent = agent
    register([channel], app, route="/webhooks/")
    return app
