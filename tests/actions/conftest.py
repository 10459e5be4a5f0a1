"""Run actions through rasa-sdk's executor with real tracker states and the real domain."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest
import yaml
from rasa.core.nlg import TemplatedNaturalLanguageGenerator
from rasa.shared.core.domain import Domain
from rasa.shared.core.trackers import DialogueStateTracker
from rasa_sdk.executor import ActionExecutor

REPO = Path(__file__).resolve().parents[2]
DOMAIN = yaml.safe_load((REPO / "domain.yml").read_text())
# The responses as the assistant has them: domain.yml and the generated general answers.
RESPONSES = Domain.load([REPO / "domain.yml", REPO / "data" / "responses" / "general_answers.yml"])


def rendered(response: dict[str, Any]) -> dict[str, Any]:
    """A bot message as Rasa sends it: a domain response filled with its parameters by Rasa's NLG."""
    if not response.get("response"):
        return response
    parameters = {key: value for key, value in response.items() if key != "response" and value}
    tracker = DialogueStateTracker.from_events("actions-test", [], RESPONSES.slots)
    nlg = TemplatedNaturalLanguageGenerator(RESPONSES.responses)
    message = asyncio.run(nlg.generate(response["response"], tracker, "rest", **parameters))
    assert message, f"no response {response['response']} in the domain"
    return message


class ActionRun:
    """The outcome of one action call: events and bot messages."""

    def __init__(self, result: dict[str, Any]):
        self.events = result["events"]
        self.responses = result["responses"]

    def slots(self) -> dict[str, Any]:
        return {e["name"]: e["value"] for e in self.events if e["event"] == "slot"}

    @property
    def messages(self) -> list[dict[str, Any]]:
        """The bot messages as the patient gets them (domain responses rendered)."""
        return [rendered(response) for response in self.responses]

    @property
    def text(self) -> str:
        return "\n".join(m.get("text") or "" for m in self.messages)

    @property
    def said(self) -> list[str]:
        """The domain responses the action sent, by name."""
        return [r["response"] for r in self.responses if r.get("response")]


@pytest.fixture(scope="session")
def executor() -> ActionExecutor:
    executor = ActionExecutor()
    executor.register_package("actions")
    return executor


@pytest.fixture
def run_action(executor):
    def run(
        name: str,
        text: str = "",
        intent: str = "inform",
        slots: dict[str, Any] | None = None,
        active_loop: str | None = None,
        requested_slot: str | None = None,
        entities: list[dict[str, Any]] | None = None,
        earlier: list[str] = (),
    ) -> ActionRun:
        """Run action `name` after the patient said `text` (and, before it, the `earlier` texts)."""
        slots = {**(slots or {}), "requested_slot": requested_slot}
        latest = {"text": text, "intent": {"name": intent, "confidence": 1.0}, "entities": entities or []}
        events = [{"event": "slot", "name": k, "value": v} for k, v in slots.items() if v is not None]
        events += [{"event": "user", "text": said, "parse_data": {"text": said}} for said in earlier]
        events += [
            {"event": "user", "text": text, "parse_data": latest},
            {"event": "action", "name": active_loop or "action_listen"},
        ]
        tracker = {
            "sender_id": "test",
            "slots": slots,
            "latest_message": latest,
            "events": events,
            "paused": False,
            "followup_action": None,
            "active_loop": {"name": active_loop} if active_loop else {},
            "latest_action_name": "action_listen",
        }
        call = {
            "next_action": name,
            "sender_id": "test",
            "tracker": tracker,
            "domain": DOMAIN,
            "version": "3.6.2",
        }
        return ActionRun(asyncio.run(executor.run(call)))

    return run
