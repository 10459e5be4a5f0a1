"""Buttons as numbered text choices, for channels that cannot show buttons (SMS, WhatsApp).

``render`` turns a message with buttons into text ending in "1. Yes  2. No  3. I don't know";
``ChoiceMemory`` remembers, per sender, the choices last sent, so that a reply "2" (or the
title itself, "No") is mapped back to that button's payload. When a button title is itself a
number (for example "1", "2", "3 or more" as a count), the choices are lettered "A. B. C."
instead, so that a typed number keeps its meaning.
"""

from __future__ import annotations

import re
import string
import time
from collections import OrderedDict
from collections.abc import Sequence
from typing import Any

Button = dict[str, Any]

INLINE_MAX_CHARS = 60  # choices longer than this in total go one per line
_NUMERIC_TITLE = re.compile(r"\s*\d+([.,]\d+)?\s*")
_REPLY_LABEL = re.compile(r"\s*[#(]?\s*([0-9]{1,2}|[A-Za-z])\s*[.):]?\s*")


def _choices(buttons: Sequence[Button]) -> list[Button]:
    return [button for button in buttons if button.get("title") and button.get("payload")]


def labels(buttons: Sequence[Button]) -> list[str]:
    """The label of each choice: 1, 2, 3 ... or A, B, C ... when a title is a bare number."""
    choices = _choices(buttons)
    if any(_NUMERIC_TITLE.fullmatch(str(button["title"])) for button in choices):
        return list(string.ascii_uppercase[: len(choices)])
    return [str(number) for number in range(1, len(choices) + 1)]


def render(text: str, buttons: Sequence[Button]) -> str:
    """The message text followed by its buttons as numbered (or lettered) choices."""
    choices = _choices(buttons)
    items = [f"{label}. {button['title']}" for label, button in zip(labels(buttons), choices, strict=True)]
    links = [
        f"{button['title']}: {button['url']}"
        for button in buttons
        if button.get("url") and not button.get("payload")
    ]
    if not items and not links:
        return text
    lines = []
    if items:
        inline = "  ".join(items)
        lines += [inline] if len(inline) <= INLINE_MAX_CHARS else items
    lines += links
    return "\n".join([text.rstrip(), *lines]) if text.strip() else "\n".join(lines)


class ChoiceMemory:
    """The choices last sent to each sender, kept in memory for ``ttl_seconds``.

    A reply consumes them: whatever the sender says next, the previous choices are forgotten
    (the bot's answer to it brings its own). After a restart a bare "1" is passed on as text.
    """

    def __init__(self, ttl_seconds: float = 3600, max_senders: int = 10_000) -> None:
        self.ttl_seconds = ttl_seconds
        self.max_senders = max_senders
        self._choices: OrderedDict[str, tuple[float, list[tuple[str, Button]]]] = OrderedDict()

    def remember(self, sender: str, buttons: Sequence[Button]) -> None:
        """Record the choices just sent to ``sender`` (replacing earlier ones)."""
        choices = list(zip(labels(buttons), _choices(buttons), strict=True))
        self._choices.pop(sender, None)
        if not choices:
            return
        self._choices[sender] = (time.monotonic(), choices)
        while len(self._choices) > self.max_senders:
            self._choices.popitem(last=False)

    def pending(self, sender: str) -> list[tuple[str, Button]] | None:
        """The sender's current choices as (label, button), or None."""
        entry = self._choices.get(sender)
        if entry is None or time.monotonic() - entry[0] > self.ttl_seconds:
            return None
        return entry[1]

    def resolve(self, sender: str, text: str) -> str:
        """The payload of the choice ``text`` names (by label or title), else ``text`` itself."""
        choices = self.pending(sender)
        self._choices.pop(sender, None)
        if not choices or text is None:
            return text
        match = _REPLY_LABEL.fullmatch(text)
        wanted_label = match.group(1).upper() if match else None
        wanted_title = " ".join(text.split()).casefold()
        for label, button in choices:
            if label == wanted_label or str(button["title"]).casefold() == wanted_title:
                return str(button["payload"])
        return text
