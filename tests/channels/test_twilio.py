"""Twilio (SMS, WhatsApp) through the signed channel: recorded webhooks, sends captured."""

from __future__ import annotations

import logging
import uuid
from typing import Any
from urllib.parse import parse_qsl, urlencode

import pytest
from twilio.request_validator import RequestValidator
from twilio.rest.api.v2010.account.message import MessageList

from channels.twilio_signed import SignedTwilioInput, split_body
from tests.channels.helpers import FakeAgent, app_with, domain_response, payload_text

AUTH_TOKEN = "12345678901234567890123456789012"
WEBHOOK_URL = "https://assistant.example.org/webhooks/twilio/webhook"
TWILIO_NUMBER = "+447700900100"
PATH = "/webhooks/twilio/webhook"
FORM = {"Content-Type": "application/x-www-form-urlencoded"}


def signature(body: str, url: str = WEBHOOK_URL, token: str = AUTH_TOKEN) -> str:
    """X-Twilio-Signature as Twilio computes it: every posted field, blank ones included."""
    return RequestValidator(token).compute_signature(url, dict(parse_qsl(body, keep_blank_values=True)))


def with_body(body: str, text: str) -> str:
    """Another message from the same sender: new text, new MessageSid."""
    fields = dict(parse_qsl(body, keep_blank_values=True))
    fields["Body"] = text
    fields["MessageSid"] = "SM" + uuid.uuid4().hex
    return urlencode(fields)


@pytest.fixture
def sent(monkeypatch) -> list[dict[str, Any]]:
    """Messages the channel would send through Twilio's REST API (captured, not sent)."""
    captured: list[dict[str, Any]] = []

    def create(self, **kwargs):
        captured.append(kwargs)
        return object()

    monkeypatch.setattr(MessageList, "create", create)
    return captured


def twilio_app(agent: FakeAgent, **options):
    channel = SignedTwilioInput.from_credentials(
        {
            "account_sid": "AC00000000000000000000000000000000",
            "auth_token": AUTH_TOKEN,
            "twilio_number": TWILIO_NUMBER,
            "webhook_url": WEBHOOK_URL,
            **options,
        }
    )
    return app_with(channel, agent)


def post(app, body: str, sig: str | None = None, path: str = PATH):
    headers = dict(FORM)
    if sig is not None:
        headers["X-Twilio-Signature"] = sig
    _, response = app.test_client.post(path, content=body.encode(), headers=headers)
    return response


# --- the signature -----------------------------------------------------------------------


def test_a_correctly_signed_sms_is_handled_and_answered(sent):
    agent = FakeAgent([{"text": "Hello from the assistant."}])
    body = payload_text("twilio_sms.txt")
    response = post(twilio_app(agent), body, signature(body))
    assert response.status == 200
    assert "<Response>" in response.text  # empty TwiML: the answer goes out through the API
    assert agent.texts == ["is now a good time for interferon?"]
    message = agent.messages[0]
    assert (message.sender_id, message.input_channel) == ("twilio:+447700900123", "twilio")
    assert sent == [{"to": "+447700900123", "from_": TWILIO_NUMBER, "body": "Hello from the assistant."}]


def test_blank_fields_are_part_of_the_signature(sent):
    """Twilio signs its blank fields (ToCity=, FromZip=...): they must not be dropped."""
    body = payload_text("twilio_sms.txt")
    assert "ToCity=&" in body
    agent = FakeAgent()
    assert post(twilio_app(agent), body, signature(body)).status == 200
    assert len(agent.messages) == 1


@pytest.mark.parametrize("case", ["missing", "wrong", "other token", "other url", "tampered body"])
def test_unsigned_or_wrongly_signed_requests_are_refused_without_a_traceback(case, sent, caplog):
    body = payload_text("twilio_sms.txt")
    sig = {
        "missing": None,
        "wrong": "bm90IGEgc2lnbmF0dXJl",
        "other token": signature(body, token="another-auth-token-of-32-chars!!"),
        "other url": signature(body, url="https://attacker.example/webhooks/twilio/webhook"),
        "tampered body": signature(with_body(body, "hello")),
    }[case]
    agent = FakeAgent([{"text": "should not be sent"}])
    with caplog.at_level(logging.DEBUG, logger="channels"):
        response = post(twilio_app(agent), body, sig)
    assert response.status == 403
    assert "Traceback" not in response.text
    assert agent.messages == [] and sent == []
    refusals = [r for r in caplog.records if r.name.startswith("channels") and r.levelno >= logging.WARNING]
    assert refusals and all(r.exc_info is None for r in refusals)
    assert all("interferon" not in r.getMessage() for r in caplog.records)  # no message text


def test_a_json_post_is_refused(sent):
    agent = FakeAgent()
    _, response = twilio_app(agent).test_client.post(
        PATH,
        json={"From": "+447700900123", "Body": "hi"},
        headers={"X-Twilio-Signature": signature("From=%2B447700900123&Body=hi")},
    )
    assert response.status == 403 and agent.messages == []


def test_the_query_string_twilio_called_with_is_signed_too(sent):
    body = payload_text("twilio_sms.txt")
    agent = FakeAgent()
    app = twilio_app(agent)
    assert (
        post(app, body, signature(body, url=WEBHOOK_URL + "?site=clinic"), path=PATH + "?site=clinic").status
        == 200
    )
    assert post(app, body, signature(body), path=PATH + "?site=clinic").status == 403
    assert len(agent.messages) == 1


def test_a_missing_setting_stops_start_up_with_a_clear_message():
    from rasa.shared.exceptions import RasaException

    with pytest.raises(RasaException, match="webhook_url"):
        SignedTwilioInput.from_credentials(
            {"account_sid": "AC1", "auth_token": AUTH_TOKEN, "twilio_number": TWILIO_NUMBER}
        )


# --- buttons as numbered choices ---------------------------------------------------------


def test_buttons_become_numbered_choices_and_a_number_is_mapped_back_per_sender(sent):
    ask_alt = domain_response("utter_ask_alt")
    agent = FakeAgent([ask_alt])
    app = twilio_app(agent)
    first = payload_text("twilio_sms.txt")
    assert post(app, first, signature(first)).status == 200

    body = sent[-1]["body"]
    assert body.startswith(ask_alt["text"])
    titles = [button["title"] for button in ask_alt["buttons"]]
    for number, title in enumerate(titles, start=1):
        assert f"{number}. {title}" in body
    assert sent[-1]["to"] == "+447700900123"

    # another sender's "3" is not this sender's choice
    other = with_body(first, "3").replace("From=%2B447700900123", "From=%2B447700900999")
    assert post(app, other, signature(other)).status == 200
    assert agent.texts[-1] == "3"

    reply = with_body(first, " 3 ")
    assert post(app, reply, signature(reply)).status == 200
    assert agent.texts[-1] == ask_alt["buttons"][2]["payload"]


YES_NO_UNKNOWN = [
    {"title": "Yes", "payload": "/affirm"},
    {"title": "No", "payload": "/deny"},
    {"title": "I don't know", "payload": "/dont_know"},
]
COUNTS = [
    {"title": "None", "payload": '/inform{"count":"0"}'},
    {"title": "1", "payload": '/inform{"count":"1"}'},
    {"title": "2", "payload": '/inform{"count":"2"}'},
    {"title": "3 or more", "payload": '/inform{"count":"3"}'},
    {"title": "I don't know", "payload": "/dont_know"},
]


def test_short_choices_share_one_line_like_a_menu(sent):
    agent = FakeAgent(
        [{"text": "Has a doctor ever told you that you have cirrhosis?", "buttons": YES_NO_UNKNOWN}]
    )
    body = payload_text("twilio_sms.txt")
    post(twilio_app(agent), body, signature(body))
    assert sent[-1]["body"] == (
        "Has a doctor ever told you that you have cirrhosis?\n1. Yes  2. No  3. I don't know"
    )


def test_a_choice_title_or_a_label_with_a_dot_maps_back_and_anything_else_passes(sent):
    agent = FakeAgent(
        [{"text": "Has a doctor ever told you that you have cirrhosis?", "buttons": YES_NO_UNKNOWN}]
    )
    app = twilio_app(agent)
    base = payload_text("twilio_sms.txt")
    post(app, base, signature(base))  # the bot answers with its choices
    for reply, expected in [
        ("no", "/deny"),
        ("1.", "/affirm"),
        ("I DON'T KNOW", "/dont_know"),
        ("7", "7"),
        ("my liver is fine", "my liver is fine"),
    ]:
        body = with_body(base, reply)
        assert post(app, body, signature(body)).status == 200
        assert agent.texts[-1] == expected, reply


def test_a_number_is_only_mapped_right_after_the_choices(sent):
    agent = FakeAgent([{"text": "Cirrhosis?", "buttons": YES_NO_UNKNOWN}])
    app = twilio_app(agent)
    base = payload_text("twilio_sms.txt")
    post(app, base, signature(base))
    agent.replies = [{"text": "No buttons this time."}]
    body = with_body(base, "my ALT is 85")
    post(app, body, signature(body))
    body = with_body(base, "2")
    post(app, body, signature(body))
    assert agent.texts[-2:] == ["my ALT is 85", "2"]


def test_numeric_button_titles_are_lettered_so_a_typed_number_keeps_its_meaning(sent):
    agent = FakeAgent([{"text": "How many check-ups showed the good result?", "buttons": COUNTS}])
    app = twilio_app(agent)
    base = payload_text("twilio_sms.txt")
    post(app, base, signature(base))
    assert "A. None  B. 1  C. 2" in sent[-1]["body"].replace("\n", "  ")
    for reply, expected in [
        ("1", '/inform{"count":"1"}'),  # one check-up, not choice 1 ("None")
        ("a", '/inform{"count":"0"}'),
        ("b", '/inform{"count":"1"}'),
        ("4", "4"),
    ]:
        body = with_body(base, reply)
        post(app, body, signature(body))
        assert agent.texts[-1] == expected, reply


# --- WhatsApp ----------------------------------------------------------------------------


def test_whatsapp_messages_are_answered_from_the_whatsapp_sender(sent):
    agent = FakeAgent([domain_response("utter_greet")])
    body = payload_text("twilio_whatsapp.txt")
    assert post(twilio_app(agent), body, signature(body)).status == 200
    assert agent.messages[0].sender_id == "twilio:whatsapp:+447700900123"
    assert sent[-1]["from_"] == "whatsapp:" + TWILIO_NUMBER
    assert sent[-1]["to"] == "whatsapp:+447700900123"
    assert "1. Stopping treatment" in sent[-1]["body"]


def test_a_separate_whatsapp_number_can_be_configured(sent):
    agent = FakeAgent([{"text": "hi"}])
    body = payload_text("twilio_whatsapp.txt")
    post(twilio_app(agent, whatsapp_number="+14155238886"), body, signature(body))
    assert sent[-1]["from_"] == "whatsapp:+14155238886"


# --- long answers ------------------------------------------------------------------------


def test_paragraphs_are_separate_messages_and_long_ones_are_split_under_twilios_limit(sent):
    long_paragraph = " ".join(["The guide explains this in some detail."] * 60)
    agent = FakeAgent([{"text": f"Short first part.\n\n{long_paragraph}"}])
    body = payload_text("twilio_sms.txt")
    post(twilio_app(agent), body, signature(body))
    assert sent[0]["body"] == "Short first part."
    assert len(sent) >= 3 and all(len(message["body"]) <= 1600 for message in sent)
    assert " ".join(message["body"] for message in sent[1:]) == long_paragraph
    assert split_body("x" * 3200) == ["x" * 1500, "x" * 1500, "x" * 200]


# --- deliveries and the webhook URL --------------------------------------------------------


def test_a_message_delivered_twice_is_handled_once(sent):
    """Twilio delivers again (same MessageSid) when an answer is slow: one answer, not two."""
    agent = FakeAgent([{"text": "Hello."}])
    app = twilio_app(agent)
    body = payload_text("twilio_sms.txt")
    assert post(app, body, signature(body)).status == 200
    assert post(app, body, signature(body)).status == 200
    assert agent.texts == ["is now a good time for interferon?"] and len(sent) == 1
    again = with_body(body, "is now a good time for interferon?")  # the same words, a new message
    assert post(app, again, signature(again)).status == 200
    assert len(agent.messages) == 2


def test_a_plain_http_webhook_url_is_refused_unless_explicitly_allowed():
    from rasa.shared.exceptions import RasaException

    options = {
        "account_sid": "AC1",
        "auth_token": AUTH_TOKEN,
        "twilio_number": TWILIO_NUMBER,
        "webhook_url": "http://assistant.example.org/webhooks/twilio/webhook",
    }
    with pytest.raises(RasaException, match="https://"):
        SignedTwilioInput.from_credentials(options)
    with pytest.raises(RasaException, match="https://"):
        SignedTwilioInput.from_credentials({**options, "allow_http": "0"})
    channel = SignedTwilioInput.from_credentials({**options, "allow_http": "1"})
    assert channel.webhook_url.startswith("http://")
