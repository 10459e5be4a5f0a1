"""The real servers answer over REST."""

from __future__ import annotations

import pytest

from tests.integration.rest import send, texts

pytestmark = pytest.mark.servers


def test_hello_gets_a_greeting_whose_topic_buttons_give_each_overview(rasa_url):
    replies = send(rasa_url, "smoke-greet", "hello")
    assert "Hello" in texts(replies)
    buttons = [button["payload"] for reply in replies for button in reply.get("buttons", [])]
    assert [button["title"] for reply in replies for button in reply.get("buttons", [])] == [
        "Stopping treatment",
        "Drug resistance",
        "Timing of interferon",
    ]
    for payload, words in zip(buttons, ["cirrhosis", "resistance", "ALT"], strict=True):
        send(rasa_url, f"smoke-{payload}", "hello")  # a payload is a tap on a button just sent
        replies = send(rasa_url, f"smoke-{payload}", payload)
        assert words in texts(replies), payload
        assert replies[-1]["buttons"][0]["payload"].startswith("/check_")


def test_out_of_scope_question_is_scoped(rasa_url):
    replies = send(rasa_url, "smoke-oos", "can you book me a flight to Paris?")
    assert "only cover three hepatitis B treatment topics" in texts(replies)


def test_telegram_start_command_greets(rasa_url):
    assert "Hello" in texts(send(rasa_url, "smoke-start", "/start"))
