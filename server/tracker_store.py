"""The conversation store: Rasa's SQL tracker store, private, forgetful and fail-safe.

endpoints.yml (SQLite, `make run`; endpoints-cluster.yml has PostgreSQL, `make cluster`)::

    tracker_store:
      type: server.tracker_store.PrivateTrackerStore
      dialect: sqlite
      db: ${TRACKER_DB}

Differences from Rasa's ``SQL`` type:

- a SQLite file is created 0600 in a folder only its owner can open (created 0700; an existing
  folder that others can open is refused), with ``secure_delete`` so deleted rows are
  overwritten;
- SQL errors never carry the stored values (SQLAlchemy ``hide_parameters``; PostgreSQL's
  messages quote the statement with its values, because psycopg2 puts them into the statement:
  an error keeps only the first line of its message, without anything in quotes, and
  scripts/cluster keeps statements out of PostgreSQL's own log); a PostgreSQL connection is
  checked before use, so a restarted database costs no failed message;
- a database error fails the one request instead of stopping the server (Rasa turns any
  ``ValueError`` inside a session, such as SQLite refusing a lone surrogate, into ``SystemExit``)
  or answering from an empty conversation (Rasa's ``FailSafeTrackerStore``, which wraps every
  store, reads a conversation it cannot read as a new one and keeps what it cannot write in
  memory: a patient in the middle of a check would be answered as if they had just come in);
- conversations whose last event is older than ``RETENTION_DAYS`` (default 30) are deleted at
  start and then once a day (``purge``); ``forget`` deletes one conversation (``make forget``);
- a conversation is read in full once per server, then only the events added since
  (``server.tracker_cache``; Rasa reads and replays the whole session on every message), and
  ``applied_events`` continues where it stopped (``server.flat_turns``), so a message costs the
  same at the 200th turn as at the first.

``python -m server.tracker_store --create`` creates the table in the store of ``store_url()``
(scripts/cluster does, before several servers start at once).
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import stat
import threading
import time
from collections.abc import Generator, Mapping
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from rasa.core.tracker_store import FailSafeTrackerStore, SQLTrackerStore, create_engine_kwargs
from rasa.shared.core.trackers import DialogueStateTracker
from sqlalchemy.engine import URL, Engine
from sqlalchemy.orm import Session, sessionmaker

from server import flat_turns
from server.tracker_cache import ConversationCache

logger = logging.getLogger(__name__)

DEFAULT_RETENTION_DAYS = 30
_QUOTED = re.compile(r"'[^']*'?|\"[^\"]*\"?")
PURGE_INTERVAL_SECONDS = 24 * 3600
EVENTS = SQLTrackerStore.SQLEvent.__table__


def retention_days(env: dict | None = None) -> float:
    """RETENTION_DAYS: how many days after its last message a conversation is kept."""
    raw = (env if env is not None else os.environ).get("RETENTION_DAYS", "").strip()
    try:
        days = float(raw) if raw else DEFAULT_RETENTION_DAYS
    except ValueError:
        days = -1
    if days <= 0:
        raise ValueError(f"RETENTION_DAYS must be a number of days above 0, not {raw!r}")
    return days


def private_file(path: Path) -> Path:
    """``path`` in a folder only its owner can open, the file itself created 0600."""
    folder = path.parent
    if not folder.exists():
        folder.mkdir(mode=0o700, parents=True)
    if stat.S_IMODE(folder.stat().st_mode) & 0o077:
        raise PermissionError(
            f"the conversation store's folder {folder} can be opened by other "
            f"users; make it private (chmod 700 {folder}) or choose another "
            f"TRACKER_DB"
        )
    os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
    os.chmod(path, 0o600)
    return path


def store_url(env: Mapping[str, str] | None = None) -> URL:
    """The store's database: PostgreSQL when PG_HOST is set (PG_PORT, PG_DATABASE, PG_USER,
    PG_PASSWORD: `make cluster`'s .cluster/store.env), else the SQLite file TRACKER_DB."""
    env = os.environ if env is None else env
    if env.get("PG_HOST"):
        return URL.create(
            "postgresql",
            username=env.get("PG_USER"),
            password=env.get("PG_PASSWORD"),
            host=env["PG_HOST"],
            port=int(env.get("PG_PORT") or 5432),
            database=env.get("PG_DATABASE"),
        )
    return URL.create("sqlite", database=env.get("TRACKER_DB") or "var/tracker.db")


def engine_for(url: Any) -> Engine:
    """An engine whose errors never include the values of a statement."""
    url = sa.engine.make_url(url)
    checked = {} if url.get_dialect().name == "sqlite" else {"pool_pre_ping": True}
    engine = sa.create_engine(url, hide_parameters=True, **checked, **create_engine_kwargs(url))
    if engine.dialect.name == "sqlite":

        @sa.event.listens_for(engine, "connect")
        def overwrite_deleted_rows(connection: Any, _: Any) -> None:
            connection.execute("PRAGMA secure_delete = ON")
    else:
        sa.event.listen(engine, "handle_error", without_values)
    return engine


def without_values(context: Any) -> None:
    """Cut a database error's message to its first line without quoted text (the line and the
    quotes are where PostgreSQL repeats a statement's values)."""
    original, error = context.original_exception, context.sqlalchemy_exception
    if original is None or error is None:
        return
    first = (str(original).strip().splitlines() or [""])[0]
    message = _QUOTED.sub("\u2026", first)
    original.args = (message,)
    error.args = (f"({type(original).__module__}.{type(original).__name__}) {message}", *error.args[1:])


def purge(engine: Engine, days: float, now: float | None = None) -> int:
    """Delete every conversation whose last event is older than ``days``; how many were."""
    cutoff = (now if now is not None else time.time()) - days * 86400
    stale = (
        sa.select(EVENTS.c.sender_id)
        .group_by(EVENTS.c.sender_id)
        .having(sa.func.max(EVENTS.c.timestamp) < cutoff)
    )
    with engine.begin() as connection:
        senders = [row[0] for row in connection.execute(stale)]
        for sender in senders:
            connection.execute(EVENTS.delete().where(EVENTS.c.sender_id == sender))
    return len(senders)


def forget(engine: Engine, sender_id: str) -> int:
    """Delete one conversation; the number of its events that were deleted."""
    with engine.begin() as connection:
        return connection.execute(EVENTS.delete().where(EVENTS.c.sender_id == sender_id)).rowcount


def fail_the_message_on_store_errors() -> None:
    """Make Rasa 3.6's ``FailSafeTrackerStore`` pass on this store's database errors (idempotent)."""
    import rasa

    if not rasa.__version__.startswith("3.6.") or not all(
        hasattr(FailSafeTrackerStore, name) for name in _FAILSAFE_HANDLERS
    ):
        raise RuntimeError(
            f"server/tracker_store.py was written for Rasa 3.6.x, whose FailSafeTrackerStore "
            f"calls {' and '.join(_FAILSAFE_HANDLERS)} on a store error; this is Rasa "
            f"{rasa.__version__}: check how it handles store errors and update this file."
        )
    for name in _FAILSAFE_HANDLERS:
        handler = getattr(FailSafeTrackerStore, name)
        if getattr(handler, "passes_on_store_errors", False):
            continue

        def pass_on(self: FailSafeTrackerStore, error: Exception, _rasas: Any = handler) -> None:
            store = self._tracker_store
            if isinstance(store, PrivateTrackerStore) and isinstance(error, sa.exc.SQLAlchemyError):
                logger.error(
                    f"The conversation store ({store.engine.url.render_as_string(hide_password=True)}) "
                    f"failed ({type(error).__name__}): the message is not answered."
                )
                raise error
            _rasas(self, error)

        pass_on.passes_on_store_errors = True  # type: ignore[attr-defined]
        setattr(FailSafeTrackerStore, name, pass_on)


_FAILSAFE_HANDLERS = ("on_tracker_store_error", "on_tracker_store_retrieve_error")


class PrivateTrackerStore(SQLTrackerStore):
    """Rasa's SQL tracker store with the differences listed in the module docstring."""

    def __init__(
        self,
        domain: Any = None,
        dialect: str = "sqlite",
        db: str = "var/tracker.db",
        event_broker: Any = None,
        **kwargs: Any,
    ) -> None:
        if dialect == "sqlite":
            db = str(private_file(Path(db)))
        super().__init__(domain, dialect=dialect, db=db, event_broker=event_broker, **kwargs)
        url = self.engine.url
        self.engine.dispose()
        self.engine = engine_for(url)
        self.sessionmaker = sessionmaker(bind=self.engine)
        flat_turns.install()
        fail_the_message_on_store_errors()
        self.cache = ConversationCache(self.SQLEvent)
        self.retention_days = retention_days()
        self._purge()
        threading.Thread(target=self._purge_daily, name="tracker-store-retention", daemon=True).start()

    @contextlib.contextmanager
    def session_scope(self) -> Generator[Session, None, None]:
        """A session whose errors reach the caller (Rasa's exits the process on ValueError)."""
        session = self.sessionmaker()
        try:
            yield session
        finally:
            session.close()

    async def retrieve(self, sender_id: str) -> DialogueStateTracker | None:
        """The conversation's current session (as Rasa's store returns it), read incrementally."""
        if self.domain is None:  # Rasa returns no tracker without a domain
            return None
        with self.session_scope() as session:

            def session_rows() -> list:
                table = self.SQLEvent
                return (
                    self._event_query(session, sender_id, fetch_events_from_all_sessions=False)
                    .with_entities(table.id, table.type_name, table.timestamp, table.data)
                    .all()
                )

            tracker = self.cache.read(session, sender_id, self.domain.slots, session_rows)
        return flat_turns.clone(tracker) if tracker is not None else None

    def _purge(self) -> None:
        self.cache.clear()
        deleted = purge(self.engine, self.retention_days)
        logger.info(
            f"Conversation store: deleted {deleted} conversation(s) with no message in "
            f"the last {self.retention_days:g} days."
        )

    def _purge_daily(self) -> None:
        while True:
            time.sleep(PURGE_INTERVAL_SECONDS)
            try:
                self._purge()
            except Exception as error:  # keep purging tomorrow
                logger.error(
                    f"Conversation store: the daily deletion failed "
                    f"({type(error).__name__}); it is retried in a day."
                )


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser(description="Create the conversation store's table.")
    parser.add_argument("--create", action="store_true", required=True)
    parser.parse_args()
    SQLTrackerStore.Base.metadata.create_all(engine_for(store_url()), tables=[EVENTS])
