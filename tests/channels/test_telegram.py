"""Telegram: recorded updates, Bot API calls captured; every update needs the secret token."""

from __future__ import annotations

from typing import Any

import pytest
from aiogram import Bot
from aiogram.types import InlineKeyboardMarkup
from rasa.shared.exceptions import RasaException

from channels.telegram import SECRET_HEADER, SecureTelegramInput
from tests.channels.helpers import FakeAgent, app_with, domain_response, payload_json

TOKEN = "123456789:AAE-fake-token-for-tests-0123456789"
SECRET = "webhook-secret-token-0123456789abcdef"
WEBHOOK_URL = "https://assistant.example.org/webhooks/telegram/webhook"
PATH = "/webhooks/telegram/webhook"
SIGNED = {SECRET_HEADER: SECRET}


@pytest.fixture
def bot_api(monkeypatch) -> dict[str, Any]:
    """The Telegram Bot API calls the channel makes, answered locally and recorded."""
    calls: dict[str, Any] = {"sent": [], "requests": []}

    async def send_message(self, chat_id, text, **kwargs):
        calls["sent"].append({"chat_id": chat_id, "text": text, **kwargs})

    async def request(self, method, data=None, *args, **kwargs):
        calls["requests"].append((method, data))
        return True

    monkeypatch.setattr(Bot, "send_message", send_message)
    monkeypatch.setattr(Bot, "request", request)
    return calls


def telegram_app(agent: FakeAgent):
    channel = SecureTelegramInput.from_credentials(
        {"access_token": TOKEN, "webhook_url": WEBHOOK_URL, "secret_token": SECRET}
    )
    return app_with(channel, agent)


def post(app, update: dict[str, Any], headers: dict[str, str] = SIGNED):
    _, response = app.test_client.post(PATH, json=update, headers=headers)
    return response


def test_the_webhook_is_registered_with_its_secret_token_at_start_up(bot_api):
    post(telegram_app(FakeAgent()), payload_json("telegram_message.json"))
    [(method, data)] = bot_api["requests"]  # the test client starts the server once per request
    assert method == "setWebhook"
    assert (data["url"], data["secret_token"]) == (WEBHOOK_URL, SECRET)


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {SECRET_HEADER: "wrong-secret-token-0123456789abcdef"},
        {SECRET_HEADER: SECRET[:-1]},
        {SECRET_HEADER: ""},
    ],
)
def test_an_update_without_the_secret_token_is_refused(bot_api, headers):
    agent = FakeAgent([{"text": "should not be sent"}])
    response = post(telegram_app(agent), payload_json("telegram_message.json"), headers)
    assert response.status == 403
    assert agent.messages == [] and bot_api["sent"] == []


def test_a_text_message_reaches_the_assistant_and_buttons_become_an_inline_keyboard(bot_api):
    greet = domain_response("utter_greet")
    agent = FakeAgent([greet])
    response = post(telegram_app(agent), payload_json("telegram_message.json"))
    assert response.status == 200 and response.text == "success"
    message = agent.messages[0]
    assert message.text == "is now a good time for interferon?"
    assert (message.sender_id, message.input_channel) == ("telegram:5550001234", "telegram")

    [sent] = bot_api["sent"]
    assert str(sent["chat_id"]) == "5550001234" and sent["text"] == greet["text"]
    keyboard = sent["reply_markup"]
    assert isinstance(keyboard, InlineKeyboardMarkup)
    buttons = [button for row in keyboard.inline_keyboard for button in row]
    assert [(b.text, b.callback_data) for b in buttons] == [
        (b["title"], b["payload"]) for b in greet["buttons"]
    ]


def test_a_replayed_update_is_ignored(bot_api):
    agent = FakeAgent([{"text": "Hello."}])
    app = telegram_app(agent)
    update = payload_json("telegram_message.json")
    assert post(app, update).status == 200
    assert post(app, update).status == 200
    assert len(agent.messages) == 1 and len(bot_api["sent"]) == 1
    assert post(app, {**update, "update_id": update["update_id"] + 1}).status == 200
    assert len(agent.messages) == 2


def test_a_tapped_button_sends_its_payload_when_the_bot_offered_it(bot_api):
    offered = {"text": "Your ALT?", "buttons": [{"title": "5 x ULN", "payload": '/inform{"alt":"5 x ULN"}'}]}
    agent = FakeAgent([offered])
    app = telegram_app(agent)
    post(app, payload_json("telegram_message.json"))
    update = payload_json("telegram_callback.json")
    assert post(app, update).status == 200
    assert agent.texts[-1] == update["callback_query"]["data"] == '/inform{"alt":"5 x ULN"}'


def test_a_payload_the_bot_did_not_offer_is_text(bot_api):
    agent = FakeAgent([{"text": "Thanks."}])
    post(telegram_app(agent), payload_json("telegram_callback.json"))
    assert agent.texts == ['inform{"alt":"5 x ULN"}']


def test_an_edited_message_is_a_correction(bot_api):
    agent = FakeAgent()
    post(telegram_app(agent), payload_json("telegram_edited.json"))
    assert agent.texts == ["actually my ALT was 95"]


def test_the_start_command_stays_a_command(bot_api):
    agent = FakeAgent()
    update = payload_json("telegram_message.json")
    update["message"]["text"] = "/start"
    post(telegram_app(agent), update)
    assert agent.texts == ["/start"]


def test_there_is_no_public_set_webhook_and_bad_bodies_are_refused(bot_api):
    app = telegram_app(FakeAgent())
    _, response = app.test_client.get(PATH.replace("/webhook", "/set_webhook"))
    assert response.status == 404
    _, response = app.test_client.post(PATH, content=b"not json", headers=SIGNED)
    assert response.status == 400
    assert post(app, {"update_id": "x"}).status == 400
    assert {method for method, _ in bot_api["requests"]} == {"setWebhook"}  # one per server start


@pytest.mark.parametrize(
    "secret, url",
    [
        ("short", WEBHOOK_URL),
        ("has spaces in it 0123456789", WEBHOOK_URL),
        (SECRET, WEBHOOK_URL.replace("https", "http")),
    ],
)
def test_a_weak_secret_or_a_plain_http_url_stops_start_up(secret, url):
    with pytest.raises(RasaException):
        SecureTelegramInput.from_credentials(
            {"access_token": TOKEN, "webhook_url": url, "secret_token": secret}
        )


def test_every_button_payload_fits_telegrams_64_byte_callback_data():
    """Telegram refuses inline buttons whose callback_data is over 64 bytes."""
    import yaml

    from tests.channels.helpers import REPO

    files = [REPO / "domain.yml", *sorted((REPO / "data").rglob("*.yml"))]
    too_long: list[str] = []
    for path in files:
        responses = (yaml.safe_load(path.read_text()) or {}).get("responses") or {}
        for name, variants in responses.items():
            for variant in variants:
                for button in variant.get("buttons") or []:
                    if len(str(button.get("payload", "")).encode()) > 64:
                        too_long.append(f"{path.name}: {name}: {button['payload']}")
    assert not too_long, too_long
