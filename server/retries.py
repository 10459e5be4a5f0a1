"""A message sent again is answered from the conversation instead of being handled twice.

A client whose request failed (a server of ``make cluster`` died, a connection dropped) cannot
know whether its message was handled: the server may have stored the turn and died before the
answer left. Sent again with the same message id (REST: ``"message_id"``), a message that is
already in its conversation gets the answers that were stored for it, in the same form Rasa
sent them the first time, and changes nothing: an answer to a check's question is taken once,
and the patient does not see the next question twice.

``install()`` wraps two methods of Rasa's ``MessageProcessor``, checked against the Rasa version
they were written for (3.6.x; another version refuses to start): the step that adds the user's
message to the conversation (``_handle_message_with_tracker``, run under the conversation's
lock, after the conversation was read) stops when the id is already there, and
``handle_message`` sends the stored answers instead.
"""

from __future__ import annotations

import functools
from typing import Any

from rasa.shared.core.events import BotUttered, UserUttered

SUPPORTED_RASA = "3.6."


class AlreadyHandled(Exception):
    """The message is already in its conversation; ``replies`` answered it."""

    def __init__(self, replies: list[dict[str, Any]]) -> None:
        super().__init__("message already handled")
        self.replies = replies


def stored_replies(events: Any, message_id: str | None) -> list[dict[str, Any]] | None:
    """The bot messages that answered the user message ``message_id``; None if it is not there."""
    if not message_id:
        return None
    events = list(events)
    for index in range(len(events) - 1, -1, -1):
        event = events[index]
        if isinstance(event, UserUttered) and event.message_id == message_id:
            replies = []
            for later in events[index + 1 :]:
                if isinstance(later, UserUttered):
                    break
                if isinstance(later, BotUttered):
                    replies.append(later.message())
            return replies
    return None


def install() -> None:
    """Answer repeated message ids from the conversation (idempotent)."""
    import rasa
    from rasa.core.channels.channel import CollectingOutputChannel
    from rasa.core.processor import MessageProcessor

    if not rasa.__version__.startswith(SUPPORTED_RASA) or not hasattr(
        MessageProcessor, "_handle_message_with_tracker"
    ):
        raise RuntimeError(
            f"server/retries.py was written for Rasa {SUPPORTED_RASA}x, where "
            f"MessageProcessor._handle_message_with_tracker adds the user's message to the "
            f"conversation; this is Rasa {rasa.__version__}: check and update this file."
        )
    if getattr(MessageProcessor.handle_message, "answers_retries", False):
        return
    add_message = MessageProcessor._handle_message_with_tracker
    handle_message = MessageProcessor.handle_message

    @functools.wraps(add_message)
    async def add_new_message(self: MessageProcessor, message: Any, tracker: Any) -> None:
        replies = stored_replies(tracker.events, message.message_id)
        if replies is not None:
            raise AlreadyHandled(replies)
        await add_message(self, message, tracker)

    @functools.wraps(handle_message)
    async def handle_new_message(self: MessageProcessor, message: Any) -> Any:
        try:
            return await handle_message(self, message)
        except AlreadyHandled as handled:
            for reply in handled.replies:
                await message.output_channel.send_response(message.sender_id, reply)
            if isinstance(message.output_channel, CollectingOutputChannel):
                return message.output_channel.messages
            return None

    handle_new_message.answers_retries = True  # type: ignore[attr-defined]
    MessageProcessor._handle_message_with_tracker = add_new_message  # type: ignore[method-assign]
    MessageProcessor.handle_message = handle_new_message  # type: ignore[method-assign]
