"""Telegram with every update authenticated by the webhook's secret token.

Rasa's ``telegram`` channel accepts any POST to its webhook (its bot-name check asks Telegram
who the bot is, which proves nothing about who sent the update) and serves a public
``/set_webhook``. ``SecureTelegramInput`` (same URL, ``/webhooks/telegram/webhook``):

- registers the webhook at start-up with a ``secret_token`` (Bot API ``setWebhook``); Telegram
  then sends it in ``X-Telegram-Bot-Api-Secret-Token`` with every update, and an update without
  it or with another one is refused with 403 (``hmac.compare_digest``);
- drops an update whose ``update_id`` it has handled already (Telegram delivers again when an
  answer was slow), and has no ``/set_webhook`` route;
- hands messages to the channel guard (``channels.guard``) as ``telegram:<chat id>``.

credentials.yml (scripts/run writes this section when the TELEGRAM_* variables are set)::

    channels.telegram.SecureTelegramInput:
      access_token: ${TELEGRAM_TOKEN}
      webhook_url: ${TELEGRAM_WEBHOOK_URL}     # https://assistant.example.org/webhooks/telegram/webhook
      secret_token: ${TELEGRAM_SECRET_TOKEN}   # 1-256 characters: A-Z a-z 0-9 _ -
"""

from __future__ import annotations

import hmac
import json
import logging
import re
from typing import Any

from aiogram.types import Message, Update
from rasa.core.channels.channel import InputChannel, UserMessage
from rasa.core.channels.telegram import TelegramInput, TelegramOutput
from rasa.shared.exceptions import RasaException
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from channels.guard import Guard, InvalidSender, OnNewMessage
from channels.recent import RecentIds

logger = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
SECRET_TOKEN = re.compile(r"[A-Za-z0-9_-]{16,256}")
UPDATES = ["message", "edited_message", "callback_query"]


def message_and_text(update: Update) -> tuple[Message | None, str | None]:
    """The message an update belongs to and the text it brings (a tapped button's payload)."""
    if update.callback_query is not None:
        return update.callback_query.message, update.callback_query.data
    message = update.edited_message or update.message
    return message, (message.text if message is not None else None)


class SecureTelegramInput(TelegramInput):
    """Telegram input channel that refuses updates without the webhook's secret token."""

    @classmethod
    def name(cls) -> str:
        return "telegram"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> InputChannel:
        credentials = credentials or {}
        missing = [key for key in ("access_token", "webhook_url", "secret_token") if not credentials.get(key)]
        if missing:
            raise RasaException(
                f"The Telegram channel needs {', '.join(missing)} in its "
                f"credentials (see the README, section Telegram)."
            )
        return cls(
            str(credentials["access_token"]),
            str(credentials["webhook_url"]),
            str(credentials["secret_token"]),
        )

    def __init__(self, access_token: str, webhook_url: str, secret_token: str) -> None:
        super().__init__(access_token, verify=None, webhook_url=webhook_url, debug_mode=False)
        if not SECRET_TOKEN.fullmatch(secret_token):
            raise RasaException(
                "TELEGRAM_SECRET_TOKEN must be 16 to 256 characters of A-Z, a-z, "
                "0-9, _ and - (for example the output of `openssl rand -hex 32`)."
            )
        if not webhook_url.startswith("https://"):
            raise RasaException(
                "TELEGRAM_WEBHOOK_URL must be an https:// URL (Telegram sends updates over HTTPS only)."
            )
        self.secret_token = secret_token
        self.updates = RecentIds()

    def get_output_channel(self) -> TelegramOutput:
        return TelegramOutput(self.access_token)

    async def register_webhook(self, bot: TelegramOutput) -> None:
        """Tell Telegram the webhook URL and the secret token to send with each update."""
        await bot.request(
            "setWebhook",
            {
                "url": self.webhook_url,
                "secret_token": self.secret_token,
                "allowed_updates": json.dumps(UPDATES),
            },
        )
        logger.info("Telegram webhook registered with its secret token.")

    def is_from_telegram(self, request: Request) -> bool:
        given = request.headers.get(SECRET_HEADER) or ""
        return hmac.compare_digest(given.encode("utf-8", "surrogateescape"), self.secret_token.encode())

    def blueprint(self, on_new_message: OnNewMessage) -> Blueprint:
        guard = Guard(self.name())
        bot = self.get_output_channel()
        telegram_webhook = Blueprint("telegram_webhook", __name__)

        @telegram_webhook.listener("before_server_start")
        async def register(*_: Any) -> None:
            await self.register_webhook(bot)

        @telegram_webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @telegram_webhook.route("/webhook", methods=["POST"])
        async def message(request: Request) -> HTTPResponse:
            if not self.is_from_telegram(request):
                logger.warning(
                    f"Refused a Telegram webhook request without the secret token "
                    f"(from {request.remote_addr or request.ip})."
                )
                return response.text("Forbidden: missing or wrong secret token.", status=403)
            try:
                body = json.loads(request.body or b"")
                update = Update(**body)
                source, text = message_and_text(update)
                assert isinstance(update.update_id, int)
            except Exception:  # not an update: Telegram never sends one of those
                return response.text("Bad request: not a Telegram update.", status=400)
            if self.updates.seen_before(update.update_id):
                logger.info("Dropped a Telegram update delivered a second time.")
                return response.text("success")
            if source is None or source.chat is None or text is None:
                return response.text("success")
            try:
                await guard.handle(
                    UserMessage(
                        text,
                        bot,
                        source.chat.id,
                        input_channel=self.name(),
                        metadata=self.get_metadata(request),
                    ),
                    on_new_message,
                )
            except InvalidSender:
                logger.info("Ignored a Telegram update with an unusable chat id.")
            return response.text("success")

        return guard.attach(telegram_webhook)
