"""Telegram through Rasa's built-in channel: recorded updates, Bot API calls captured."""
from typing import Any, Dict, List
from unittest.mock import AsyncMock

import pytest
from aiogram import Bot
from aiogram.types import InlineKeyboardMarkup, User
from rasa.core.channels.telegram import TelegramInput

from tests.channels.helpers import FakeAgent, app_with, domain_response, payload_json

TOKEN = "123456789:AAE-fake-token-for-tests-0123456789"
BOT_NAME = "hepb_test_bot"
WEBHOOK_URL = "https://assistant.example.org/webhooks/telegram/webhook"
PATH = "/webhooks/telegram/webhook"


@pytest.fixture
def bot_api(monkeypatch) -> Dict[str, Any]:
    """The Telegram Bot API calls Rasa's channel makes, answered locally and recorded."""
    calls: Dict[str, Any] = {"sent": [], "set_webhook": AsyncMock(return_value=True)}

    async def send_message(self, chat_id, text, **kwargs):
        calls["sent"].append({"chat_id": chat_id, "text": text, **kwargs})

    async def get_me(self):
        return User(id=7000000001, is_bot=True, first_name="Hepatitis B questions",
                    username=calls.get("username", BOT_NAME))

    monkeypatch.setattr(Bot, "set_webhook", calls["set_webhook"])
    monkeypatch.setattr(Bot, "get_me", get_me)
    monkeypatch.setattr(Bot, "send_message", send_message)
    return calls


def telegram_app(agent: FakeAgent):
    channel = TelegramInput.from_credentials(
        {"access_token": TOKEN, "verify": BOT_NAME, "webhook_url": WEBHOOK_URL})
    return app_with(channel, agent)


def test_the_webhook_is_registered_with_telegram_at_start_up(bot_api):
    telegram_app(FakeAgent())
    bot_api["set_webhook"].assert_awaited_once()
    assert bot_api["set_webhook"].await_args.kwargs["url"] == WEBHOOK_URL


def test_a_text_message_reaches_the_assistant_and_buttons_become_an_inline_keyboard(bot_api):
    greet = domain_response("utter_greet")
    agent = FakeAgent([greet])
    _, response = telegram_app(agent).test_client.post(PATH, json=payload_json("telegram_message.json"))
    assert response.status == 200 and response.text == "success"
    message = agent.messages[0]
    assert message.text == "is now a good time for interferon?"
    assert (str(message.sender_id), message.input_channel) == ("5550001234", "telegram")

    [sent] = bot_api["sent"]
    assert str(sent["chat_id"]) == "5550001234" and sent["text"] == greet["text"]
    keyboard = sent["reply_markup"]
    assert isinstance(keyboard, InlineKeyboardMarkup)
    buttons = [button for row in keyboard.inline_keyboard for button in row]
    assert [(b.text, b.callback_data) for b in buttons] == [
        (b["title"], b["payload"]) for b in greet["buttons"]]


def test_a_tapped_button_sends_its_payload(bot_api):
    agent = FakeAgent([{"text": "Thanks."}])
    update = payload_json("telegram_callback.json")
    _, response = telegram_app(agent).test_client.post(PATH, json=update)
    assert response.status == 200
    assert agent.texts == [update["callback_query"]["data"]] == ['/inform{"alt":"5 x ULN"}']
    assert bot_api["sent"][0]["text"] == "Thanks."


def test_an_edited_message_is_a_correction(bot_api):
    agent = FakeAgent()
    telegram_app(agent).test_client.post(PATH, json=payload_json("telegram_edited.json"))
    assert agent.texts == ["actually my ALT was 95"]


def test_an_update_for_another_bot_is_ignored(bot_api):
    bot_api["username"] = "someone_else_bot"
    agent = FakeAgent([{"text": "should not be sent"}])
    _, response = telegram_app(agent).test_client.post(PATH, json=payload_json("telegram_message.json"))
    assert response.text == "failed"
    assert agent.messages == [] and bot_api["sent"] == []


def test_every_button_payload_fits_telegrams_64_byte_callback_data(bot_api):
    """Telegram refuses inline buttons whose callback_data is over 64 bytes."""
    import yaml
    from tests.channels.helpers import REPO

    files = [REPO / "domain.yml", *sorted((REPO / "data").rglob("*.yml"))]
    too_long: List[str] = []
    for path in files:
        responses = (yaml.safe_load(path.read_text()) or {}).get("responses") or {}
        for name, variants in responses.items():
            for variant in variants:
                for button in variant.get("buttons") or []:
                    if len(str(button.get("payload", "")).encode()) > 64:
                        too_long.append(f"{path.name}: {name}: {button['payload']}")
    assert not too_long, too_long
