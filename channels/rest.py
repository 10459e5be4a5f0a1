"""REST: ``POST /webhooks/rest/webhook`` with ``{"sender": "...", "message": "..."}``.

Replaces Rasa's ``rest`` channel (same URL, same answer: a JSON list of bot messages), which
takes any sender id, logs the message text when handling fails and has no authentication:

- a body that is not a JSON object, a sender that is not printable text of 1 to 64 characters,
  a message that is not text, metadata that is not an object or a message id that is not
  printable text of 1 to 64 characters get ``400 {"error": "..."}``;
- ``"message_id"`` (optional, chosen by the client): a message sent again with the id of one
  already handled (a retry after a failed request) gets that message's answers again and is
  not handled twice (``server.retries``);
- when ``REST_TOKEN`` is set, requests need ``Authorization: Bearer <REST_TOKEN>`` (compared in
  constant time; ``401`` otherwise);
- the message goes through the channel guard (``channels.guard``): conversations are stored as
  ``rest:<sender>``, so REST cannot reach a widget, Telegram or SMS conversation.

credentials.yml::

    channels.rest.GuardedRestInput:
"""

from __future__ import annotations

import hmac
import json
import os
from typing import Any

from rasa.core.channels.channel import CollectingOutputChannel, InputChannel, UserMessage
from rasa.shared.exceptions import RasaException
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from channels.guard import MAX_SENDER_CHARS, Guard, InvalidSender, OnNewMessage, valid_sender

MIN_TOKEN_CHARS = 16
NOT_AN_OBJECT = 'the body must be a JSON object such as {"sender": "me", "message": "hello"}'


class BadRequest(ValueError):
    """A request body the channel cannot take; its message is the error shown to the caller."""


def error(message: str, status: int, **headers: str) -> HTTPResponse:
    return response.json({"error": message}, status=status, headers=headers or None)


def read_body(request: Request) -> dict[str, Any]:
    """The JSON object of the request body with a valid sender, text message and metadata."""
    try:
        body = json.loads(request.body or b"")
    except (ValueError, RecursionError):
        raise BadRequest(NOT_AN_OBJECT) from None
    if not isinstance(body, dict):
        raise BadRequest(NOT_AN_OBJECT)
    if not isinstance(body.get("sender"), str):
        raise BadRequest('"sender" must be a string')
    try:
        valid_sender(body["sender"])
    except InvalidSender as invalid:
        raise BadRequest(str(invalid)) from None
    if not isinstance(body.get("message"), str):
        raise BadRequest('"message" must be a string')
    if not isinstance(body.get("metadata") or {}, dict):
        raise BadRequest('"metadata" must be an object')
    if "message_id" in body:
        try:
            valid_sender(body["message_id"])
        except InvalidSender:
            raise BadRequest(
                f'"message_id" must be printable text of 1 to {MAX_SENDER_CHARS} characters'
            ) from None
    return body


class GuardedRestInput(InputChannel):
    """Rasa's REST channel with validated requests, optional bearer token and the guard."""

    @classmethod
    def name(cls) -> str:
        return "rest"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> InputChannel:
        return cls(token=os.environ.get("REST_TOKEN", "").strip() or None)

    def __init__(self, token: str | None = None) -> None:
        if token is not None and len(token) < MIN_TOKEN_CHARS:
            raise RasaException(
                f"REST_TOKEN must have at least {MIN_TOKEN_CHARS} characters "
                f"(for example the output of `openssl rand -hex 32`)."
            )
        self.token = token

    def authorised(self, request: Request) -> bool:
        if self.token is None:
            return True
        scheme, _, given = (request.headers.get("Authorization") or "").partition(" ")
        return scheme.lower() == "bearer" and hmac.compare_digest(
            given.strip().encode("utf-8", "surrogateescape"), self.token.encode()
        )

    def blueprint(self, on_new_message: OnNewMessage) -> Blueprint:
        guard = Guard(self.name())
        rest_webhook = Blueprint("rest_webhook", __name__)

        @rest_webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @rest_webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            if not self.authorised(request):
                return error("missing or wrong bearer token", 401, **{"WWW-Authenticate": "Bearer"})
            try:
                body = read_body(request)
            except BadRequest as invalid:
                return error(str(invalid), 400)
            collector = CollectingOutputChannel()
            await guard.handle(
                UserMessage(
                    body["message"],
                    collector,
                    body["sender"],
                    input_channel=self.name(),
                    message_id=body.get("message_id"),
                    metadata=body.get("metadata") or None,
                ),
                on_new_message,
            )
            return response.json(collector.messages)

        return guard.attach(rest_webhook)
