"""A message sent again with its id: answered from the conversation, not handled twice."""

from __future__ import annotations

import uuid

import pytest
from rasa.shared.core.events import ActionExecuted, BotUttered, SlotSet, UserUttered

from server.retries import stored_replies
from tests.integration.rest import texts

QUESTION = {"text": "Do you have cirrhosis?", "buttons": [{"title": "Yes", "payload": "/affirm"}]}


def test_the_stored_answers_of_a_message_are_the_bot_messages_up_to_the_next_message():
    events = [
        UserUttered("hello", message_id="a"),
        BotUttered("Hello!"),
        ActionExecuted("action_listen"),
        UserUttered("can I stop?", message_id="b"),
        SlotSet("requested_slot", "cirrhosis"),
        BotUttered(QUESTION["text"], {"buttons": QUESTION["buttons"]}),
        ActionExecuted("action_listen"),
        UserUttered("no", message_id="c"),
    ]
    assert [reply["text"] for reply in stored_replies(events, "a")] == ["Hello!"]
    (reply,) = stored_replies(events, "b")
    assert reply["text"] == QUESTION["text"] and reply["buttons"] == QUESTION["buttons"]
    assert stored_replies(events, "c") == []  # handled, no answer stored (yet)
    assert stored_replies(events, "d") is None and stored_replies(events, None) is None


@pytest.mark.servers
def test_a_message_sent_again_gets_the_same_answers_and_its_answer_is_taken_once(rasa_url):
    import json
    import urllib.request

    def send(sender, message, message_id=None):
        body = {"sender": sender, "message": message, **({"message_id": message_id} if message_id else {})}
        request = urllib.request.Request(
            f"{rasa_url}/webhooks/rest/webhook",
            data=json.dumps(body).encode(),
            headers={"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=30) as response:
            return json.load(response)

    retried, control = f"retry-{uuid.uuid4().hex[:8]}", f"control-{uuid.uuid4().hex[:8]}"
    for number, message in enumerate(["can I stop my treatment?", "no", "interferon", "3 months"]):
        first = send(retried, message, f"m{number}")
        again = send(retried, message, f"m{number}")
        assert again == first  # the same answers, not the next question
        assert texts(first) == texts(send(control, message))  # as if it had been sent once
    assert "Sources:" in texts(first)  # the check ended with its verdict
