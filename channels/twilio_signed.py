"""Twilio SMS and WhatsApp with every webhook request checked against its signature.

Rasa's own ``twilio`` channel accepts any POST to its webhook, so anyone who knows the URL can
talk to the assistant in a patient's name. ``SignedTwilioInput`` checks the
``X-Twilio-Signature`` header with Twilio's ``RequestValidator`` against the public webhook URL
configured in Twilio (``webhook_url``; behind a reverse proxy the URL the server sees differs)
and answers 403 to a missing or wrong signature. A message whose ``MessageSid`` was handled
already (Twilio retries when an answer is slow) is dropped. The webhook URL must be https://
(the signature does not hide the message, and a plain-HTTP URL sends it readable over the
internet) unless ``allow_http`` is set for a local test. SMS and WhatsApp have no buttons, so
buttons are sent as numbered text choices and a reply "1" is mapped back to that button's
payload. Messages go through the channel guard (``channels.guard``) as ``twilio:<number>``
(WhatsApp: ``twilio:whatsapp:<number>``).

credentials.yml (scripts/run writes this section when the TWILIO_* variables are set)::

    channels.twilio_signed.SignedTwilioInput:
      account_sid: ${TWILIO_ACCOUNT_SID}
      auth_token: ${TWILIO_AUTH_TOKEN}
      twilio_number: ${TWILIO_NUMBER}          # SMS sender, e.g. +441234567890
      webhook_url: ${TWILIO_WEBHOOK_URL}       # https://assistant.example.org/webhooks/twilio/webhook
      whatsapp_number: ${TWILIO_WHATSAPP_NUMBER}  # optional; default twilio_number
      allow_http: ${TWILIO_ALLOW_HTTP}            # optional; "1" accepts an http:// webhook_url

The webhook stays at ``/webhooks/twilio/webhook``.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import parse_qs

from rasa.core.channels.channel import InputChannel, OutputChannel, UserMessage
from rasa.core.channels.twilio import TwilioInput, TwilioOutput
from rasa.shared.exceptions import RasaException
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse
from twilio.base.exceptions import TwilioException
from twilio.request_validator import RequestValidator

from channels.choices import ChoiceMemory, render
from channels.guard import Guard, InvalidSender
from channels.recent import RecentIds

logger = logging.getLogger(__name__)

EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>'
WHATSAPP = "whatsapp:"
MAX_BODY = 1500  # Twilio refuses bodies over 1600 characters
TRUE = ("1", "true", "yes")


def check_webhook_url(url: str, allow_http: bool) -> None:
    """Refuse a webhook URL that is not https:// (http:// only when explicitly allowed)."""
    if url.startswith("https://") or (allow_http and url.startswith("http://")):
        return
    raise RasaException(
        f"TWILIO_WEBHOOK_URL must be an https:// URL, not {url!r}: over plain "
        f"HTTP every message is readable on its way (set TWILIO_ALLOW_HTTP=1 "
        f"only for a test on a private network)."
    )


class FormParams(dict):
    """Form fields as lists, blank values kept (Twilio signs them; Sanic's form drops them)."""

    def getlist(self, name: str) -> list[str]:
        return self.get(name, [])

    def first(self, name: str) -> str | None:
        values = self.get(name)
        return values[0] if values else None


def split_body(text: str, limit: int = MAX_BODY) -> list[str]:
    """Split a long text at line or sentence ends into parts Twilio accepts."""
    parts: list[str] = []
    rest = text.strip()
    while len(rest) > limit:
        cut = max(rest.rfind("\n", 0, limit), rest.rfind(". ", 0, limit) + 1)
        if cut <= 0:
            cut = rest.rfind(" ", 0, limit)
        if cut <= 0:
            cut = limit
        parts.append(rest[:cut].strip())
        rest = rest[cut:].strip()
    if rest:
        parts.append(rest)
    return parts


class NumberedChoicesTwilioOutput(TwilioOutput):
    """Twilio output: buttons become numbered choices; WhatsApp replies come from WhatsApp."""

    @classmethod
    def name(cls) -> str:
        return "twilio"

    def __init__(
        self,
        account_sid: str | None,
        auth_token: str | None,
        twilio_number: str | None,
        choices: ChoiceMemory,
        whatsapp_number: str | None = None,
    ) -> None:
        super().__init__(account_sid, auth_token, twilio_number)
        self.choices = choices
        self.whatsapp_number = whatsapp_number or twilio_number

    def sender_for(self, recipient_id: str) -> str | None:
        """The `from` number: the WhatsApp sender (with its prefix) for WhatsApp recipients."""
        if recipient_id.startswith(WHATSAPP):
            number = self.whatsapp_number or ""
            return number if number.startswith(WHATSAPP) else WHATSAPP + number
        return self.twilio_number

    async def _send_message(self, message_data: dict[str, Any]) -> Any:
        """Send one message without blocking the server; errors are logged without the text."""
        try:
            return await asyncio.to_thread(self.messages.create, **message_data)
        except TwilioException as error:
            logger.error(
                f"Twilio refused to send a message: {type(error).__name__} "
                f"{getattr(error, 'code', '')}".rstrip()
            )
            logger.debug("Twilio error", exc_info=True)
            return None

    async def send_text_message(self, recipient_id: str, text: str, **kwargs: Any) -> None:
        """Send each paragraph of ``text`` as a message (long ones split for Twilio)."""
        for paragraph in text.strip().split("\n\n"):
            for body in split_body(paragraph):
                await self._send_message(
                    {"to": recipient_id, "from_": self.sender_for(recipient_id), "body": body}
                )

    async def send_text_with_buttons(
        self, recipient_id: str, text: str, buttons: list[dict[str, Any]], **kwargs: Any
    ) -> None:
        """Send the text with the buttons as numbered choices and remember them."""
        await self.send_text_message(recipient_id, render(text, buttons))
        self.choices.remember(recipient_id, buttons)

    async def send_image_url(self, recipient_id: str, image: str, **kwargs: Any) -> None:
        await self._send_message(
            {"to": recipient_id, "from_": self.sender_for(recipient_id), "media_url": [image]}
        )

    async def send_custom_json(self, recipient_id: str, json_message: dict[str, Any], **kwargs: Any) -> None:
        json_message.setdefault("to", recipient_id)
        if not json_message.get("media_url"):
            json_message.setdefault("body", "")
        if not json_message.get("messaging_service_sid"):
            json_message.setdefault("from_", self.sender_for(recipient_id))
        await self._send_message(json_message)


class SignedTwilioInput(TwilioInput):
    """Twilio input channel (SMS and WhatsApp) that refuses requests Twilio did not sign."""

    REQUIRED = ("account_sid", "auth_token", "twilio_number", "webhook_url")

    @classmethod
    def name(cls) -> str:
        return "twilio"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> InputChannel:
        if not credentials:
            cls.raise_missing_credentials_exception()
        missing = [key for key in cls.REQUIRED if not credentials.get(key)]
        if missing:
            raise RasaException(
                f"The signed Twilio channel needs {', '.join(missing)} in its "
                f"credentials (see the README, section Channels)."
            )
        return cls(
            str(credentials["account_sid"]),
            str(credentials["auth_token"]),
            str(credentials["twilio_number"]),
            webhook_url=str(credentials["webhook_url"]),
            whatsapp_number=credentials.get("whatsapp_number") or None,
            allow_http=str(credentials.get("allow_http") or "").strip().lower() in TRUE,
        )

    def __init__(
        self,
        account_sid: str,
        auth_token: str,
        twilio_number: str,
        *,
        webhook_url: str,
        whatsapp_number: str | None = None,
        choices: ChoiceMemory | None = None,
        allow_http: bool = False,
    ) -> None:
        super().__init__(account_sid, auth_token, twilio_number, debug_mode=False)
        check_webhook_url(webhook_url, allow_http)
        self.webhook_url = webhook_url
        self.deliveries = RecentIds()
        self.whatsapp_number = whatsapp_number
        self.validator = RequestValidator(auth_token)
        self.choices = choices or ChoiceMemory()

    def signed_url(self, request: Request) -> str:
        """The URL Twilio signed: the configured public URL plus the request's query string."""
        if request.query_string and "?" not in self.webhook_url:
            return f"{self.webhook_url}?{request.query_string}"
        return self.webhook_url

    def is_signed(self, request: Request, params: FormParams) -> bool:
        signature = request.headers.get("X-Twilio-Signature")
        if not signature:
            return False
        try:
            return bool(self.validator.validate(self.signed_url(request), params, signature))
        except Exception:  # a malformed request is simply not signed
            logger.debug("Twilio signature check failed", exc_info=True)
            return False

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        guard = Guard(self.name())
        twilio_webhook = Blueprint("twilio_webhook", __name__)

        @twilio_webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @twilio_webhook.route("/webhook", methods=["POST"])
        async def message(request: Request) -> HTTPResponse:
            try:
                body = (request.body or b"").decode("utf-8")
                params = FormParams(parse_qs(body, keep_blank_values=True))
            except (UnicodeDecodeError, ValueError):
                params = FormParams()
            if not self.is_signed(request, params):
                logger.warning(
                    "Refused a Twilio webhook request without a valid "
                    f"X-Twilio-Signature (from {request.remote_addr or request.ip})."
                )
                return response.text("Forbidden: missing or invalid X-Twilio-Signature.", status=403)

            sender, text = params.first("From"), params.first("Body")
            if not sender or text is None:
                logger.debug("Ignored a signed Twilio request without sender or text.")
                return response.text(EMPTY_TWIML, content_type="text/xml")
            delivery = params.first("MessageSid")
            if delivery and self.deliveries.seen_before(delivery):
                logger.info("Dropped a Twilio message delivered a second time.")
                return response.text(EMPTY_TWIML, content_type="text/xml")
            text = self.choices.resolve(sender, text.replace("¡", "@"))  # @ arrives as ¡ over SMS
            try:
                await guard.handle(
                    UserMessage(
                        text,
                        self.get_output_channel(),
                        sender,
                        input_channel=self.name(),
                        metadata=self.get_metadata(request),
                    ),
                    on_new_message,
                )
            except InvalidSender:
                logger.info("Ignored a Twilio message from an unusable sender id.")
            return response.text(EMPTY_TWIML, content_type="text/xml")

        return guard.attach(twilio_webhook)

    def get_output_channel(self) -> OutputChannel:
        return NumberedChoicesTwilioOutput(
            self.account_sid, self.auth_token, self.twilio_number, self.choices, self.whatsapp_number
        )
