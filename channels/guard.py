"""The checks every message passes on its way in, whichever channel it came through.

Each input channel hands its messages to ``Guard.handle`` instead of straight to Rasa:

- the sender id must be printable and at most 64 characters (``InvalidSender`` otherwise);
- the conversation is stored under the channel's own prefix (``rest:``, ``socketio:``,
  ``telegram:``, ``twilio:``), so no channel can address another channel's conversation, and
  the answers go back to the sender the message came from, whatever id Rasa hands them;
- lone surrogates and control characters are replaced; a message over 2,000 characters is
  not parsed: it gets a polite reply, and when its first or last 2,000 characters name a red
  flag (where patients write their own words around a pasted text), that part goes on to the
  assistant, whose urgent reply follows (the bound keeps a long message as cheap as a normal one);
- typed text that starts with "/" is text: it is taken as an intent only when it is the payload
  of a button the bot sent in its last turn of that conversation (or one of ``OPENERS``);
  otherwise the leading slashes are dropped and the words go through NLU, red-flag guard
  included;
- at most 10 bot messages per turn are sent;
- a turn whose action call failed (action server down or too slow) or that raised ends with
  "Sorry, something went wrong"; the patient never sees a traceback;
- while the turn runs, log records hide its text and sender (``server.redaction``; a text too
  long to be read is not passed on, so it cannot be logged either);
- a message whose id is already in its conversation (a client sending again after a failed
  request) gets the stored answers and is not handled twice (``server.retries``).

``Guard`` also caps request bodies (``MAX_BODY_BYTES``) on the server it is registered with,
and installs the log redaction, the action-call timeout and the answers to repeated messages in
the Rasa process.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import OutputChannel, UserMessage
from rasa.shared.core.events import BotUttered, UserUttered
from sanic import Blueprint, Sanic

from knowledge.redflags import detect_red_flags
from server import action_calls, redaction, retries

logger = logging.getLogger(__name__)

MAX_SENDER_CHARS = 64
MAX_TEXT_CHARS = 2000
MAX_BOT_MESSAGES = 10
MAX_BODY_BYTES = 256 * 1024
OPENERS = frozenset({"/greet", "/start"})  # the web widget's first message, Telegram's start
TOO_LONG = (
    "Your message is too long for me to read: please keep it under 2,000 characters, "
    "for example one question at a time."
)
SOMETHING_WENT_WRONG = "Sorry, something went wrong on my side. Please try again in a moment."
_UNSAFE_CHARACTERS = re.compile("[\ud800-\udfff\x00-\x08\x0b-\x1f\x7f-\x9f]")

OnNewMessage = Callable[[UserMessage], Awaitable[Any]]


class InvalidSender(ValueError):
    """A sender id that is not printable text of 1 to 64 characters."""


def valid_sender(sender: Any) -> str:
    """``sender`` as a string, or InvalidSender."""
    if isinstance(sender, bool) or not isinstance(sender, (str, int)):
        raise InvalidSender("sender must be a string")
    text = str(sender)
    if not 0 < len(text) <= MAX_SENDER_CHARS:
        raise InvalidSender(f"sender must have 1 to {MAX_SENDER_CHARS} characters")
    if not text.isprintable() or text != text.strip():
        raise InvalidSender("sender must be printable, without control characters or surrounding spaces")
    return text


def clean_text(text: str | None) -> str:
    """The text with lone surrogates and control characters replaced (newlines and tabs kept)."""
    return _UNSAFE_CHARACTERS.sub(lambda m: "\ufffd" if m.group() >= "\ud800" else " ", text or "").strip()


class TurnOutput(OutputChannel):
    """The channel's output for one turn: to the message's own sender, at most ``limit``."""

    def __init__(self, channel: OutputChannel, recipient: str, limit: int = MAX_BOT_MESSAGES) -> None:
        self.channel, self.recipient, self.limit = channel, recipient, limit
        self.sent = self.dropped = 0

    def name(self) -> str:  # type: ignore[override]  # the channel's name picks its responses
        return self.channel.name()

    async def send_response(self, recipient_id: str, message: dict[str, Any]) -> None:
        if self.sent >= self.limit:
            self.dropped += 1
            return
        self.sent += 1
        await self.channel.send_response(self.recipient, message)

    async def send_text_message(self, recipient_id: str, text: str, **kwargs: Any) -> None:
        await self.send_response(recipient_id, {"text": text, **kwargs})

    async def send_notice(self, text: str) -> None:
        """A message of the guard's own, sent even when the turn reached its limit."""
        await self.channel.send_response(self.recipient, {"text": text})


class Guard:
    """The checks of one input channel (see the module docstring)."""

    def __init__(self, channel: str) -> None:
        self.channel = channel
        self.prefix = f"{channel}:"
        self.app: Sanic | None = None
        redaction.install()
        action_calls.install()
        retries.install()

    def attach(self, blueprint: Blueprint) -> Blueprint:
        """Cap request bodies on the server ``blueprint`` joins and remember that server."""

        @blueprint.listener("before_server_start")
        async def limit_requests(app: Sanic, _: Any) -> None:
            self.app = app
            app.config.REQUEST_MAX_SIZE = min(app.config.REQUEST_MAX_SIZE, MAX_BODY_BYTES)

        return blueprint

    def conversation_id(self, sender: str) -> str:
        return self.prefix + sender

    async def handle(self, message: UserMessage, on_new_message: OnNewMessage) -> None:
        """Check ``message`` and pass it on to Rasa (raises InvalidSender before anything)."""
        sender = valid_sender(message.sender_id)
        output = TurnOutput(message.output_channel, sender)
        text = clean_text(message.text)
        readable = [value for value in (message.text, text) if len(value or "") <= MAX_TEXT_CHARS]
        with redaction.sensitive(*readable, sender), action_calls.watch() as calls:
            try:
                conversation = self.conversation_id(sender)
                if len(text) > MAX_TEXT_CHARS:
                    text = await self._reply_too_long(output, text)
                    if text is None:
                        return
                text = await self._slash_as_text(conversation, text)
                await on_new_message(
                    UserMessage(
                        text,
                        output,
                        conversation,
                        input_channel=self.channel,
                        message_id=message.message_id,
                        metadata=message.metadata,
                    )
                )
            except Exception as error:
                logger.error(f"A {self.channel} message could not be handled ({type(error).__name__}).")
                logger.debug("Message handling failed", exc_info=True)
                calls.failed = True
            if calls.failed:
                await self._notice(output, SOMETHING_WENT_WRONG)
            if output.dropped:
                logger.warning(
                    f"Dropped {output.dropped} bot message(s) over the limit of "
                    f"{MAX_BOT_MESSAGES} for one {self.channel} turn."
                )

    @staticmethod
    async def _notice(output: TurnOutput, text: str) -> None:
        try:
            await output.send_notice(text)
        except Exception as error:  # the channel itself is down: nothing more to tell anyone
            logger.error(f"Could not send a notice ({type(error).__name__}).")

    async def _reply_too_long(self, output: TurnOutput, text: str) -> str | None:
        """Say the message is too long; return the part to pass on when its first or last
        2,000 characters name a red flag (so that the urgent reply, a domain response, comes
        first), else None."""
        await output.send_notice(TOO_LONG)
        for part in (text[:MAX_TEXT_CHARS], text[-MAX_TEXT_CHARS:]):
            if detect_red_flags(part):
                return part.lstrip("/")
        return None

    async def _slash_as_text(self, conversation: str, text: str) -> str:
        """``text`` itself when it is a payload the bot offered, else without its slashes."""
        if not text.startswith("/") or text in OPENERS:
            return text
        if text in await self.offered_payloads(conversation):
            return text
        return text.lstrip("/").strip()

    async def offered_payloads(self, conversation: str) -> set[str]:
        """The payloads of the buttons the bot sent in its last turn of ``conversation``."""
        agent = getattr(self.app.ctx, "agent", None) if self.app is not None else None
        store = getattr(agent, "tracker_store", None)
        tracker = await store.retrieve(conversation) if store is not None else None
        payloads: set[str] = set()
        for event in reversed(tracker.events if tracker is not None else []):
            if isinstance(event, UserUttered):
                break
            if isinstance(event, BotUttered):
                payloads.update(
                    str(button["payload"])
                    for button in event.data.get("buttons") or []
                    if isinstance(button, dict) and button.get("payload")
                )
        return payloads
