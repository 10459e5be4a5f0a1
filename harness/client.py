"""A REST client as the README asks clients to be: a message id per message, a failed request
(an error, or the answer "something went wrong") sent once more with the same id."""

from __future__ import annotations

from channels.guard import SOMETHING_WENT_WRONG
from harness.rest import post

__all__ = ["post", "send", "texts"]


def texts(replies: list) -> list[str]:
    return [reply.get("text") or "" for reply in replies]


def send(
    url: str, sender: str, message: str, message_id: str, tries: int = 2
) -> tuple[list | None, list[str]]:
    """The answers (None when every try failed) and what went wrong with each failed try."""
    problems: list[str] = []
    for _ in range(tries):
        try:
            replies = post(url, sender, message, message_id)
            if SOMETHING_WENT_WRONG not in texts(replies):
                return replies, problems
            problems.append(SOMETHING_WENT_WRONG)
        except OSError as error:
            problems.append(repr(error))
    return None, problems
