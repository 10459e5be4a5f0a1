"""socket.io for the web widget and the kiosk: Rasa's channel with origins and signed sessions.

Use it in credentials.yml as ``channels.socketio.SocketIOInput`` with Rasa's ``socketio``
options (``user_message_evt``, ``bot_message_evt``, ``session_persistence``, ``metadata_key``,
``namespace``, ``socketio_path``); its URL and name stay ``socketio``. Differences from Rasa 3.6:

- Origins: Rasa creates its socket.io server with an empty origin list, which switches the
  check off (so that only Rasa's CORS layer sets the CORS headers; two would make browsers
  refuse the answers). Here the connection itself is refused unless a browser's ``Origin`` is
  in ``CORS_ORIGINS`` (space- or comma-separated, the list the REST API's CORS uses, which
  ``scripts/run`` passes to ``rasa run --cors``); when it is unset, only the server's own
  origin may connect. Clients that send no ``Origin`` (not a browser) are not affected.
- Sessions are issued by the server and signed (HMAC-SHA256 with ``SESSION_SECRET``):
  ``<32 hex digits>.<signature>``. A ``session_request`` with a session the server signed
  continues it (a page reload); an unknown or forged id gets a new session, and the widget
  adopts whatever id ``session_confirm`` returns. A socket writes only into its own session.
  Without ``SESSION_SECRET`` a random secret is used and sessions end when the server restarts.
- Session persistence works with python-socketio 5.x (Rasa 3.6 does not await ``enter_room``,
  RasaHQ/rasa#13027, so the browser never received an answer).
- Messages go through the channel guard (``channels.guard``) as ``socketio:<session>``.
- Several servers (``make cluster``): each starts its engine.io connection ids with its
  ``REPLICA_NAME`` and a dot (``rasa1.…``), so the load balancer sends every request of a
  connection (long-polling, then the websocket) to the server that holds it, without cookies.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import os
import re
import secrets
from collections.abc import Mapping
from typing import Any

from rasa.core.channels.channel import InputChannel, UserMessage
from rasa.core.channels.socketio import SocketBlueprint, SocketIOOutput
from rasa.core.channels.socketio import SocketIOInput as RasaSocketIOInput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse
from socketio import AsyncServer

from channels.guard import MAX_BODY_BYTES, Guard, OnNewMessage

logger = logging.getLogger(__name__)


def allowed_origins(env: Mapping[str, str]) -> list[str] | None:
    """The origins in CORS_ORIGINS; None (the server's own origin only) when it is unset."""
    origins = re.split(r"[\s,]+", env.get("CORS_ORIGINS", "").strip())
    return [origin for origin in origins if origin] or None


def origin_allowed(environ: Mapping[str, Any], origins: list[str] | None) -> bool:
    """Whether a connection's browser origin (if any) is one of ``origins``."""
    origin = environ.get("HTTP_ORIGIN")
    if not origin:
        return True
    if origins is None:
        return origin == f"{environ.get('wsgi.url_scheme', 'http')}://{environ.get('HTTP_HOST')}"
    return "*" in origins or origin in origins


class SessionTokens:
    """Session ids the server issues, signed so that a browser cannot choose its own."""

    SIGNED = re.compile(r"([0-9a-f]{32})\.([0-9a-f]{24})")

    def __init__(self, secret: bytes) -> None:
        self.secret = secret

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> SessionTokens:
        secret = env.get("SESSION_SECRET", "").strip()
        if not secret:
            logger.warning(
                "SESSION_SECRET is not set: web chat sessions end when the server "
                "restarts (scripts/run keeps one in var/session.key)."
            )
            return cls(secrets.token_bytes(32))
        return cls(secret.encode())

    def _signature(self, session: str) -> str:
        return hmac.new(self.secret, session.encode(), hashlib.sha256).hexdigest()[:24]

    def issue(self) -> str:
        session = secrets.token_hex(16)
        return f"{session}.{self._signature(session)}"

    def session_of(self, token: Any) -> str | None:
        """The session a token names when the server signed it, else None."""
        match = self.SIGNED.fullmatch(token) if isinstance(token, str) else None
        if match and hmac.compare_digest(match.group(2), self._signature(match.group(1))):
            return match.group(1)
        return None


def message_metadata(value: Any) -> dict[str, Any]:
    """The widget's metadata (an object, or an object as JSON text); anything else is dropped."""
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except (ValueError, RecursionError):
            return {}
    return value if isinstance(value, dict) else {}


def name_connections(sio: AsyncServer, replica: str) -> None:
    """Start the engine.io connection ids of ``sio`` with ``replica`` and a dot."""
    if not replica:
        return
    if not replica.isalnum():
        raise ValueError(f"REPLICA_NAME must be letters and digits, not {replica!r}")
    generate = sio.eio.generate_id
    sio.eio.generate_id = lambda: f"{replica}.{generate()}"


class SocketIOInput(RasaSocketIOInput):
    """socket.io input channel with allowed origins, signed sessions and the channel guard."""

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> InputChannel:
        channel = super().from_credentials(credentials)
        assert isinstance(channel, cls)
        channel.origins = allowed_origins(os.environ)
        channel.tokens = SessionTokens.from_env(os.environ)
        return channel

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.origins: list[str] | None = None
        self.tokens = SessionTokens(secrets.token_bytes(32))

    def blueprint(self, on_new_message: OnNewMessage) -> Blueprint:
        guard = Guard(self.name())
        sio = AsyncServer(async_mode="sanic", cors_allowed_origins=[], max_http_buffer_size=MAX_BODY_BYTES)
        name_connections(sio, os.environ.get("REPLICA_NAME", ""))
        self.sio = sio
        socketio_webhook = SocketBlueprint(sio, self.socketio_path, "socketio_webhook", __name__)
        namespace = self.namespace

        @socketio_webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        async def connect(sid: str, environ: dict[str, Any], auth: Any = None) -> bool:
            if origin_allowed(environ, self.origins):
                return True
            logger.warning(
                f"Refused a socket.io connection from the origin "
                f"{environ.get('HTTP_ORIGIN')!r}, which is not in CORS_ORIGINS."
            )
            return False

        async def session_request(sid: str, data: Any) -> None:
            requested = data.get("session_id") if isinstance(data, dict) else None
            session = self.tokens.session_of(requested)
            token = requested if session else self.tokens.issue()
            session = session or self.tokens.session_of(token)
            previous = (await sio.get_session(sid, namespace=namespace)).get("session")
            if previous and previous != session:
                await sio.leave_room(sid, previous, namespace=namespace)
            await sio.save_session(sid, {"session": session}, namespace=namespace)
            await sio.enter_room(sid, session, namespace=namespace)
            await sio.emit("session_confirm", token, room=sid, namespace=namespace)

        async def handle_message(sid: str, data: Any) -> None:
            if not isinstance(data, dict) or not isinstance(data.get("message", ""), str):
                return
            if self.session_persistence:
                session = (await sio.get_session(sid, namespace=namespace)).get("session")
                if session is None or self.tokens.session_of(data.get("session_id")) != session:
                    logger.debug(
                        "Ignored a socket.io message for a session its socket has not "
                        "been given (send `session_request` first)."
                    )
                    return
            else:
                session = sid
            message = UserMessage(
                data.get("message", ""),
                SocketIOOutput(sio, self.bot_message_evt),
                session,
                input_channel=self.name(),
                metadata=message_metadata(data.get(self.metadata_key)),
            )
            await guard.handle(message, on_new_message)

        sio.on("connect", connect, namespace=namespace)
        sio.on("session_request", session_request, namespace=namespace)
        sio.on(self.user_message_evt, handle_message, namespace=namespace)
        return guard.attach(socketio_webhook)
