"""The run-time credentials file: messaging channels only when their variables are set."""

from __future__ import annotations

import pytest
import yaml
from rasa.core.run import create_http_input_channels

from channels import credentials
from channels.rest import GuardedRestInput
from channels.socketio import SocketIOInput
from channels.telegram import SecureTelegramInput
from channels.twilio_signed import SignedTwilioInput
from tests.channels.helpers import REPO

TELEGRAM = {
    "TELEGRAM_TOKEN": "123456789:AAE-fake-token-for-tests-0123456789",
    "TELEGRAM_WEBHOOK_URL": "https://assistant.example.org/webhooks/telegram/webhook",
    "TELEGRAM_SECRET_TOKEN": "a-secret-token-of-32-characters-",
}
TWILIO = {
    "TWILIO_ACCOUNT_SID": "AC00000000000000000000000000000000",
    "TWILIO_AUTH_TOKEN": "12345678901234567890123456789012",
    "TWILIO_NUMBER": "+447700900100",
    "TWILIO_WEBHOOK_URL": "https://assistant.example.org/webhooks/twilio/webhook",
}
BASE = REPO / "credentials.yml"


def channel_keys(env):
    built, _ = credentials.build(BASE, env)
    return list(built)


def test_without_variables_only_the_committed_channels_are_used():
    assert channel_keys({}) == ["channels.rest.GuardedRestInput", "channels.socketio.SocketIOInput"]


def test_each_messaging_channel_is_added_when_its_variables_are_set():
    assert channel_keys(TELEGRAM)[-1] == "channels.telegram.SecureTelegramInput"
    assert channel_keys(TWILIO)[-1] == "channels.twilio_signed.SignedTwilioInput"
    assert channel_keys({**TELEGRAM, **TWILIO})[2:] == [
        "channels.telegram.SecureTelegramInput",
        "channels.twilio_signed.SignedTwilioInput",
    ]


def test_secrets_are_written_as_references_not_values(tmp_path):
    out = tmp_path / "credentials.yml"
    credentials.write(BASE, out, {**TELEGRAM, **TWILIO, "TWILIO_WHATSAPP_NUMBER": "+14155238886"})
    text = out.read_text()
    for value in [*TELEGRAM.values(), *TWILIO.values(), "+14155238886"]:
        assert value not in text
    written = yaml.safe_load(text.replace("${", "").replace("}", ""))
    assert written["channels.telegram.SecureTelegramInput"] == {
        "access_token": "TELEGRAM_TOKEN",
        "webhook_url": "TELEGRAM_WEBHOOK_URL",
        "secret_token": "TELEGRAM_SECRET_TOKEN",
    }
    assert written["channels.twilio_signed.SignedTwilioInput"]["whatsapp_number"] == "TWILIO_WHATSAPP_NUMBER"


def test_a_partly_configured_channel_is_an_error_naming_the_missing_variables(tmp_path, capsys):
    with pytest.raises(credentials.PartialConfiguration, match="TWILIO_WEBHOOK_URL"):
        credentials.build(BASE, {k: v for k, v in TWILIO.items() if k != "TWILIO_WEBHOOK_URL"})
    env = {"TELEGRAM_TOKEN": TELEGRAM["TELEGRAM_TOKEN"]}
    with pytest.MonkeyPatch.context() as patch:
        for name, value in env.items():
            patch.setenv(name, value)
        for name in [*TELEGRAM, *TWILIO][1:]:
            patch.delenv(name, raising=False)
        assert credentials.main(["--out", str(tmp_path / "c.yml")]) == 2
    assert "TELEGRAM_SECRET_TOKEN" in capsys.readouterr().err


def test_rasa_reads_the_written_file_into_the_right_channels(tmp_path, monkeypatch):
    """What `rasa run --credentials .run/credentials.yml` builds, the variables expanded."""
    for name, value in {**TELEGRAM, **TWILIO}.items():
        monkeypatch.setenv(name, value)
    out = tmp_path / "credentials.yml"
    credentials.write(BASE, out, {**TELEGRAM, **TWILIO})
    channels = {type(channel): channel for channel in create_http_input_channels(None, str(out))}
    assert set(channels) == {GuardedRestInput, SocketIOInput, SecureTelegramInput, SignedTwilioInput}
    assert channels[SocketIOInput].session_persistence is True
    assert channels[SocketIOInput].metadata_key == "customData"
    telegram = channels[SecureTelegramInput]
    assert telegram.access_token == TELEGRAM["TELEGRAM_TOKEN"]
    assert telegram.secret_token == TELEGRAM["TELEGRAM_SECRET_TOKEN"]
    twilio = channels[SignedTwilioInput]
    assert (twilio.webhook_url, twilio.twilio_number) == (TWILIO["TWILIO_WEBHOOK_URL"], "+447700900100")
