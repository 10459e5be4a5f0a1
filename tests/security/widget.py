"""A socket.io client that talks to the Rasa server as the web widget does (tests only)."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import socketio


class Widget:
    """One browser tab: connects, asks for a session and sends messages, recording answers."""

    def __init__(self, url: str, origin: str | None = None) -> None:
        self.url, self.origin = url, origin
        self.client = socketio.AsyncClient(reconnection=False)
        self.answers: list[dict[str, Any]] = []
        self.answered_at: list[float] = []
        self.confirmed: list[str] = []
        self.last_event = 0.0
        self.client.on("bot_uttered", self._answer)
        self.client.on("session_confirm", self._confirm)

    async def _answer(self, data: dict[str, Any]) -> None:
        self.last_event = time.monotonic()
        self.answers.append(data)
        self.answered_at.append(self.last_event)

    async def _confirm(self, data: str) -> None:
        self.confirmed.append(data)
        self.last_event = time.monotonic()

    async def connect(self) -> Widget:
        await self.client.connect(
            self.url,
            transports=["polling"],
            wait_timeout=30,
            headers={"Origin": self.origin} if self.origin else {},
        )
        return self

    async def session(self, requested: Any = None, timeout: float = 10) -> str:
        """The session the server confirms for ``requested``."""
        count = len(self.confirmed)
        await self.client.emit("session_request", {"session_id": requested})
        await self._until(lambda: len(self.confirmed) > count, timeout)
        return self.confirmed[-1]

    async def say(
        self, text: Any, session: str | None = None, quiet: float = 0.05, timeout: float = 15
    ) -> tuple[list[dict[str, Any]], float]:
        """Send ``text``; the answers that arrive until ``quiet`` seconds pass without one, and
        the seconds until the first."""
        count = len(self.answers)
        started = time.monotonic()
        await self.client.emit("user_uttered", {"message": text, "session_id": session or self.confirmed[-1]})
        await self._until(lambda: len(self.answers) > count, timeout)
        first = self.answered_at[count] - started
        while time.monotonic() - self.last_event < quiet:
            await asyncio.sleep(quiet / 3)
        return self.answers[count:], first

    async def close(self) -> None:
        if self.client.connected:
            await self.client.eio.disconnect(abort=True)

    @staticmethod
    async def _until(condition, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while not condition():
            if time.monotonic() > deadline:
                raise TimeoutError("no answer from the socket.io server")
            await asyncio.sleep(0.01)
