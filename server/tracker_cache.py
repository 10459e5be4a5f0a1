"""Conversations read once per server, then only what was added since (``server.tracker_store``).

Rasa's SQL store reads the whole current session of a conversation and replays every event on
every message, so a message costs more the longer the conversation. ``ConversationCache``
keeps, per conversation, the tracker replayed from the stored events and the id and text of the
last one. Reading the conversation again asks the database for the rows from that id on: when
that row is still there, unchanged, only the rows after it (written by this server or another
one) are replayed; when it is gone or different (the conversation was forgotten or purged;
SQLite gives a deleted row's id to the next row) or a new session started, the session is read
in full, as Rasa reads it (the same rows, the same replay).
What the conversation store hands out is a clone (``server.flat_turns.clone``), so a turn that
fails half-way leaves nothing behind here.

Bounds: at most ``max_events`` events are kept over all conversations (the least recently read
conversations go first), and a conversation not read for ``idle_seconds`` is dropped, so a
conversation erased by ``make forget`` in another process leaves this server's memory by then.
"""

from __future__ import annotations

import json
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from rasa.shared.core.events import SessionStarted, deserialise_events
from rasa.shared.core.trackers import DialogueStateTracker

DEFAULT_MAX_EVENTS = 50_000
DEFAULT_IDLE_SECONDS = 15 * 60


@dataclass
class Entry:
    tracker: DialogueStateTracker
    last_id: int
    last_data: str
    session_start: float | None  # timestamp of the session's start, as Rasa filters on it
    used: float


class ConversationCache:
    """Replayed trackers by conversation id (see the module docstring)."""

    def __init__(
        self,
        events_table: Any,
        max_events: int = DEFAULT_MAX_EVENTS,
        idle_seconds: float = DEFAULT_IDLE_SECONDS,
    ) -> None:
        self.events, self.max_events, self.idle_seconds = events_table, max_events, idle_seconds
        self.entries: OrderedDict[str, Entry] = OrderedDict()
        self.held = 0  # events held over all entries
        self.lock = threading.Lock()

    def read(
        self, session: Any, sender_id: str, slots: Any, session_rows: Callable[[], list[Any]]
    ) -> DialogueStateTracker | None:
        """The conversation's tracker, from the cache brought up to date or from
        ``session_rows()`` (rows of id, type_name, timestamp, data of its current session)."""
        with self.lock:
            self._drop_idle()
            entry = self._pop(sender_id)
        if entry is not None and not self._catch_up(session, entry):
            entry = None
        if entry is None:
            entry = self._load(sender_id, slots, session_rows())
        if entry is None:
            return None
        entry.tracker.applied_events()  # brought up to date here, continued by every clone
        entry.used = time.monotonic()
        with self.lock:
            self._pop(sender_id)  # read by a concurrent task in the meantime
            self.entries[sender_id] = entry
            self.held += len(entry.tracker.events)
            while len(self.entries) > 1 and self.held > self.max_events:
                self._pop(next(iter(self.entries)))
        return entry.tracker

    def clear(self) -> None:
        with self.lock:
            self.entries.clear()
            self.held = 0

    def _pop(self, sender_id: str) -> Entry | None:
        entry = self.entries.pop(sender_id, None)
        if entry is not None:
            self.held -= len(entry.tracker.events)
        return entry

    def _catch_up(self, session: Any, entry: Entry) -> bool:
        """Replay the rows added after the entry's last one; False when the entry is stale."""
        table = self.events
        rows = (
            session.query(table.id, table.type_name, table.timestamp, table.data)
            .filter(table.sender_id == entry.tracker.sender_id, table.id >= entry.last_id)
            .order_by(table.id)
            .all()
        )
        if not rows or rows[0].id != entry.last_id or rows[0].data != entry.last_data:
            return False
        added = rows[1:]
        if any(row.type_name == SessionStarted.type_name for row in added):
            return False
        for event in _events(row for row in added if _in_session(row, entry.session_start)):
            entry.tracker.update(event)
        if added:
            entry.last_id, entry.last_data = added[-1].id, added[-1].data
        return True

    @staticmethod
    def _load(sender_id: str, slots: Any, rows: list[Any]) -> Entry | None:
        if not rows:
            return None
        starts = [
            row.timestamp
            for row in rows
            if row.type_name == SessionStarted.type_name and row.timestamp is not None
        ]
        tracker = DialogueStateTracker.from_events(sender_id, _events(rows), slots)
        return Entry(tracker, rows[-1].id, rows[-1].data, max(starts) if starts else None, time.monotonic())

    def _drop_idle(self) -> None:
        cutoff = time.monotonic() - self.idle_seconds
        while self.entries and next(iter(self.entries.values())).used < cutoff:
            self._pop(next(iter(self.entries)))


def _in_session(row: Any, session_start: float | None) -> bool:
    return session_start is None or (row.timestamp is not None and row.timestamp >= session_start)


def _events(rows: Any) -> list[Any]:
    """The rows' events, deserialised as Rasa's ``DialogueStateTracker.from_dict`` does."""
    return deserialise_events([json.loads(row.data) for row in rows])
