"""Rasa's socket.io channel, fixed for session persistence with python-socketio 5.x.

Rasa 3.6 calls ``sio.enter_room(...)`` without ``await``; in python-socketio 5.x that method is
a coroutine, so the browser never joins its session's room and never receives an answer
(RasaHQ/rasa#13027). This subclass registers a ``session_request`` handler that awaits it.
It also only accepts session ids of the form the server hands out (32 hex digits) and only
takes a message for a session from a socket that has joined that session, so a browser
cannot write into another channel's conversation (for example a phone number's).

Use it in credentials.yml as ``channels.socketio.SocketIOInput`` with the same options as
Rasa's ``socketio`` channel; its URL and name stay ``socketio``.
"""
from __future__ import annotations

import json
import logging
import re
import uuid
from typing import Any, Awaitable, Callable, Dict, Optional, Text

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.socketio import SocketIOInput as RasaSocketIOInput
from rasa.core.channels.socketio import SocketIOOutput
from sanic import Blueprint

logger = logging.getLogger(__name__)

SESSION_ID = re.compile(r"[0-9a-f]{32}")


class SocketIOInput(RasaSocketIOInput):
    """socket.io input channel whose persistent sessions work with python-socketio 5.x."""

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        socketio_webhook = super().blueprint(on_new_message)
        sio = self.sio
        assert sio is not None

        async def session_request(sid: Text, data: Optional[Dict]) -> None:
            requested = data.get("session_id") if isinstance(data, dict) else None
            if isinstance(requested, str) and SESSION_ID.fullmatch(requested):
                session_id = requested
            else:
                session_id = uuid.uuid4().hex
            if self.session_persistence:
                await sio.enter_room(sid, session_id, namespace=self.namespace)
            await sio.emit("session_confirm", session_id, room=sid, namespace=self.namespace)
            logger.debug(f"socket {sid} joined session {session_id}")

        async def handle_message(sid: Text, data: Dict) -> None:
            if not isinstance(data, dict):
                return
            if self.session_persistence:
                sender_id = data.get("session_id")
                if not isinstance(sender_id, str) or sender_id not in sio.rooms(
                        sid, namespace=self.namespace):
                    logger.warning("Ignored a socket.io message for a session its socket has not "
                                   "joined (send `session_request` first).")
                    return
            else:
                sender_id = sid
            metadata = data.get(self.metadata_key) or {}
            if isinstance(metadata, str):
                try:
                    metadata = json.loads(metadata)
                except ValueError:
                    metadata = {}
            if not isinstance(metadata, dict):
                metadata = {}
            message = UserMessage(str(data.get("message") or ""),
                                  SocketIOOutput(sio, self.bot_message_evt), sender_id,
                                  input_channel=self.name(), metadata=metadata)
            await on_new_message(message)

        # Replace the handlers Rasa registered for these two events.
        sio.on("session_request", session_request, namespace=self.namespace)
        sio.on(self.user_message_evt, handle_message, namespace=self.namespace)
        return socketio_webhook
