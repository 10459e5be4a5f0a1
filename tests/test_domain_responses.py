"""Every response in domain.yml renders through Rasa's own NLG without an error, and every
button payload it sends is one Rasa parses back into the intended intent and entities."""

from __future__ import annotations

import asyncio
import json
import logging
import re
from pathlib import Path

import pytest
from rasa.core.nlg import TemplatedNaturalLanguageGenerator
from rasa.nlu.classifiers.regex_message_handler import RegexMessageHandler
from rasa.shared.core.domain import Domain
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.training_data.message import Message
from structlog.testing import capture_logs

REPO = Path(__file__).resolve().parents[1]
DOMAIN = Domain.load(REPO / "domain.yml")
PAYLOAD = re.compile(r"^/(?P<intent>\w+)(?P<entities>\{.*\})?$")
ACTION_SOURCES = "".join(path.read_text() for path in (REPO / "actions").glob("*.py"))


def parameters_sent(name: str) -> dict:
    """The parameters the actions send with a response ('utter_x', values=...) as sample text."""
    calls = re.findall(rf'response="{name}"((?:,\s*\w+=[^,)]+)*)', ACTION_SOURCES)
    return {key: f"<{key}>" for call in calls for key in re.findall(r"(\w+)=", call)}


def rendered(name: str) -> dict:
    tracker = DialogueStateTracker.from_events("domain-test", [], DOMAIN.slots)
    nlg = TemplatedNaturalLanguageGenerator(DOMAIN.responses)
    return asyncio.run(nlg.generate(name, tracker, "rest", **parameters_sent(name)))


@pytest.mark.parametrize("name", sorted(DOMAIN.responses))
def test_response_renders_without_error(name, caplog):
    with caplog.at_level(logging.WARNING), capture_logs() as structured:
        response = rendered(name)
    assert response and response.get("text")
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING], name
    assert not [r for r in structured if r["log_level"] in ("warning", "error", "critical")], name
    assert "{" not in response["text"], "unfilled template in the text"


def test_json_payloads_are_sent_as_rasa_reads_them():
    json_buttons = [
        (name, button)
        for name, variants in DOMAIN.responses.items()
        for variant in variants
        for button in variant.get("buttons", [])
        if "{" in button["payload"]
    ]
    assert len(json_buttons) > 40
    for name in sorted({name for name, _ in json_buttons}):
        for button in rendered(name)["buttons"]:
            match = PAYLOAD.match(button["payload"])
            assert match, button
            if match["entities"]:
                entities = json.loads(match["entities"])
                message = RegexMessageHandler().process([Message(data={"text": button["payload"]})])[0]
                assert message.get("intent")["name"] == match["intent"]
                assert {e["entity"]: e["value"] for e in message.get("entities")} == entities
                assert all(key in DOMAIN.entities for key in entities), button
