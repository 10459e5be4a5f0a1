"""The channel guard, through the REST channel on Sanic's test client (a fake agent answers)."""

from __future__ import annotations

import json
import logging

import pytest

from channels.guard import MAX_BODY_BYTES, MAX_TEXT_CHARS, SOMETHING_WENT_WRONG, TOO_LONG, clean_text
from channels.rest import GuardedRestInput
from tests.channels.helpers import FakeAgent, app_with

URL = "/webhooks/rest/webhook"
TOKEN = "a-rest-token-of-some-length-0123"
CHECK_BUTTONS = [
    {"title": "Yes", "payload": "/affirm"},
    {"title": "Entecavir", "payload": '/inform{"drug":"entecavir"}'},
]


def rest_app(agent, token=None):
    return app_with(GuardedRestInput(token=token), agent)


def post(app, body, **headers):
    data = body if isinstance(body, (bytes, str)) else json.dumps(body)
    _, response = app.test_client.post(URL, content=data, headers=headers)
    return response


@pytest.mark.parametrize(
    "sender", ["\ud800", "", " me", "me\n", "a\x00b", "x" * 65, 17, None, ["me"], {"id": "me"}, True]
)
def test_a_sender_id_that_is_not_printable_text_of_1_to_64_characters_is_a_400(sender):
    agent = FakeAgent([{"text": "hi"}])
    response = post(rest_app(agent), {"sender": sender, "message": "hi"})
    assert response.status == 400
    assert "sender" in response.json["error"]
    assert agent.messages == []


@pytest.mark.parametrize(
    "body, field",
    [
        (b"not json", "JSON object"),
        (b"", "JSON object"),
        (b"[1, 2]", "JSON object"),
        (b'"text"', "JSON object"),
        (b"\xff\xfe", "JSON object"),
        (b"[" * 100_000, "JSON object"),
        ({"sender": "me"}, "message"),
        ({"sender": "me", "message": 12}, "message"),
        ({"sender": "me", "message": "hi", "metadata": [1]}, "metadata"),
        ({"sender": "me", "message": "hi", "message_id": ""}, "message_id"),
        ({"sender": "me", "message": "hi", "message_id": "x" * 65}, "message_id"),
        ({"sender": "me", "message": "hi", "message_id": ["m1"]}, "message_id"),
    ],
)
def test_a_malformed_body_is_a_400_with_a_json_error(body, field):
    response = post(rest_app(FakeAgent()), body)
    assert response.status == 400 and field in response.json["error"]


def test_the_longest_printable_sender_is_taken_and_stored_under_the_rest_prefix():
    agent = FakeAgent([{"text": "Hello."}])
    sender = "é" * 64
    response = post(rest_app(agent), {"sender": sender, "message": "hello"})
    assert response.status == 200
    assert response.json == [{"recipient_id": sender, "text": "Hello."}]
    assert agent.messages[0].sender_id == f"rest:{sender}"


@pytest.mark.parametrize(
    "sender",
    ["whatsapp:+447700900123", "socketio:0123456789abcdef0123456789abcdef", "telegram:5550001234", "rest:me"],
)
def test_rest_cannot_address_another_channels_conversation(sender):
    agent = FakeAgent([{"text": "Hello."}])
    post(rest_app(agent), {"sender": sender, "message": "hello"})
    assert agent.messages[0].sender_id == f"rest:{sender}"


def test_with_a_rest_token_a_request_needs_it_as_bearer_token():
    agent = FakeAgent([{"text": "Hello."}])
    app = rest_app(agent, token=TOKEN)
    body = {"sender": "me", "message": "hello"}
    for headers in [
        {},
        {"Authorization": "Bearer wrong"},
        {"Authorization": TOKEN},
        {"Authorization": f"Basic {TOKEN}"},
        {"Authorization": f"Bearer {TOKEN}x"},
    ]:
        response = post(app, body, **headers)
        assert response.status == 401 and response.json == {"error": "missing or wrong bearer token"}
    assert agent.messages == []
    assert post(app, body, Authorization=f"Bearer {TOKEN}").status == 200
    assert len(agent.messages) == 1


def test_a_short_rest_token_stops_start_up(monkeypatch):
    from rasa.shared.exceptions import RasaException

    monkeypatch.setenv("REST_TOKEN", "short")
    with pytest.raises(RasaException, match="REST_TOKEN"):
        GuardedRestInput.from_credentials(None)


def test_a_message_over_2000_characters_gets_a_polite_reply_without_being_parsed():
    agent = FakeAgent([{"text": "parsed"}])
    app = rest_app(agent)
    response = post(app, {"sender": "me", "message": "my alt is 85 " * 200})
    assert [reply["text"] for reply in response.json] == [TOO_LONG]
    assert agent.messages == []
    exactly = "a" * MAX_TEXT_CHARS
    assert post(app, {"sender": "me", "message": exactly}).json[0]["text"] == "parsed"


def test_a_long_message_naming_a_red_flag_passes_that_part_on_for_the_urgent_reply():
    agent = FakeAgent([{"text": "the urgent reply"}])
    text = "I vomited blood this morning. " + "Here is my whole lab report. " * 100
    response = post(rest_app(agent), {"sender": "me", "message": text})
    assert [reply["text"] for reply in response.json] == [TOO_LONG, "the urgent reply"]
    assert [len(message.text) for message in agent.messages] == [MAX_TEXT_CHARS]
    assert agent.messages[0].text.startswith("I vomited blood")


def test_a_request_body_over_the_cap_is_refused():
    agent = FakeAgent()
    try:
        response = post(rest_app(agent), {"sender": "me", "message": "x" * MAX_BODY_BYTES})
    except ValueError as error:  # the server may close the connection before the test client reads a 413
        assert "No response" in str(error) or str(error).endswith(", None])")  # no response object
    else:
        assert response.status == 413
    assert agent.messages == []


def test_typed_intent_injection_is_text_so_the_red_flag_guard_sees_it():
    agent = FakeAgent([{"text": "ok"}])
    post(rest_app(agent), {"sender": "me", "message": '/inform{"drug":"entecavir"} I vomited blood'})
    assert agent.texts == ['inform{"drug":"entecavir"} I vomited blood']


def test_only_payloads_of_the_bots_last_buttons_are_taken_as_intents():
    agent = FakeAgent([{"text": "Which drug?", "buttons": CHECK_BUTTONS}])
    app = rest_app(agent)
    post(app, {"sender": "me", "message": "/greet"})  # the widget's opener stays a command
    post(app, {"sender": "me", "message": '/inform{"drug":"entecavir"}'})  # offered: a tap
    post(app, {"sender": "other", "message": '/inform{"drug":"entecavir"}'})  # not offered there
    agent.replies = [{"text": "No buttons now."}]
    post(app, {"sender": "me", "message": "/affirm"})  # offered by the last turn
    post(app, {"sender": "me", "message": "/affirm"})  # the last turn had no buttons
    assert agent.texts == [
        "/greet",
        '/inform{"drug":"entecavir"}',
        'inform{"drug":"entecavir"}',
        "/affirm",
        "affirm",
    ]


def test_at_most_10_bot_messages_are_sent_in_one_turn(caplog):
    agent = FakeAgent([{"text": f"message {number}"} for number in range(500)])
    with caplog.at_level(logging.WARNING, logger="channels"):
        response = post(rest_app(agent), {"sender": "me", "message": "hello"})
    assert [reply["text"] for reply in response.json] == [f"message {n}" for n in range(10)]
    assert any("Dropped 490 bot message(s)" in record.getMessage() for record in caplog.records)


class FailingAgent(FakeAgent):
    async def handle_message(self, message):
        await super().handle_message(message)
        raise RuntimeError("my ALT is 85 and this must not reach the caller")


def test_a_turn_that_fails_ends_with_something_went_wrong_and_no_traceback():
    agent = FailingAgent([{"text": "First part."}])
    response = post(rest_app(agent), {"sender": "me", "message": "hello"})
    assert response.status == 200
    assert [reply["text"] for reply in response.json] == ["First part.", SOMETHING_WENT_WRONG]
    assert "85" not in response.text and "Traceback" not in response.text


def test_lone_surrogates_and_control_characters_are_replaced_before_rasa_sees_them():
    agent = FakeAgent([{"text": "ok"}])
    post(rest_app(agent), {"sender": "me", "message": "a\ud800b\x00c\x1bd\te\nf"})
    assert agent.texts == ["a\ufffdb c d\te\nf"]
    assert clean_text(None) == ""
