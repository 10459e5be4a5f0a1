"""PostgreSQL and Redis as `make cluster` runs them: the atomic conversation lock, and the
privacy of the conversation store (retention, forget, no values in errors or in PostgreSQL's log)."""

from __future__ import annotations

import asyncio
import logging
import subprocess
import sys
import threading
import time

import pytest
import sqlalchemy as sa
from rasa.core.lock_store import LockError
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, SessionStarted, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from server.lock_store import AtomicRedisLockStore
from server.tracker_store import PrivateTrackerStore, purge
from tests.servers import REPO, free_port

DOMAIN = Domain.load(str(REPO / "domain.yml"))


def lock_store(stores, **kwargs) -> AtomicRedisLockStore:
    settings = stores.settings
    return AtomicRedisLockStore(
        host=settings["REDIS_HOST"],
        port=settings["REDIS_PORT"],
        password=settings["REDIS_PASSWORD"],
        key_prefix="test",
        **kwargs,
    )


def tracker_store(stores) -> PrivateTrackerStore:
    settings = stores.settings
    return PrivateTrackerStore(
        DOMAIN,
        dialect="postgresql",
        host=settings["PG_HOST"],
        port=settings["PG_PORT"],
        db=settings["PG_DATABASE"],
        username=settings["PG_USER"],
        password=settings["PG_PASSWORD"],
    )


def conversation(sender: str, text: str = "hello", age_days: float = 0) -> DialogueStateTracker:
    timestamp = time.time() - age_days * 86400
    return DialogueStateTracker.from_events(
        sender,
        [
            ActionExecuted("action_session_start", timestamp=timestamp),
            SessionStarted(timestamp=timestamp),
            ActionExecuted("action_listen", timestamp=timestamp),
            UserUttered(text, timestamp=timestamp),
        ],
    )


def test_servers_taking_tickets_at_the_same_moment_get_different_ones(stores):
    for trial in range(20):
        servers = [lock_store(stores) for _ in range(8)]
        start, tickets = threading.Barrier(len(servers)), []

        def take(server: AtomicRedisLockStore) -> None:  # used in this iteration only
            start.wait()  # noqa: B023
            tickets.append(server.issue_ticket(f"rest:patient-{trial}", 5))  # noqa: B023

        threads = [threading.Thread(target=take, args=(server,)) for server in servers]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert sorted(tickets) == list(range(len(servers))), tickets


def test_two_servers_hold_one_conversation_one_after_the_other(stores):
    held = []

    def serve(name: str) -> None:
        store = lock_store(stores)

        async def turns() -> None:
            for _ in range(5):
                async with store.lock("rest:same-patient", wait_time_in_seconds=0.01):
                    held.append((name, "in", time.monotonic()))
                    await asyncio.sleep(0.02)
                    held.append((name, "out", time.monotonic()))

        asyncio.run(turns())

    threads = [threading.Thread(target=serve, args=(name,)) for name in ("one", "two")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(held) == 20
    in_order = [step for _, step, _ in sorted(held, key=lambda entry: entry[2])]
    assert in_order == ["in", "out"] * 10  # never two holders at once
    assert not lock_store(stores).red.exists("test:lock:rest:same-patient")  # gone with the last ticket


def test_a_message_waiting_behind_a_dead_servers_ticket_goes_on_when_that_ticket_expires(stores):
    dead, alive = lock_store(stores), lock_store(stores)
    dead.issue_ticket("rest:orphaned", 2)  # its server died before giving the ticket back

    async def next_message() -> float:
        started = time.monotonic()
        async with alive.lock("rest:orphaned", lock_lifetime=2, wait_time_in_seconds=0.2):
            return time.monotonic() - started

    waited = asyncio.run(asyncio.wait_for(next_message(), 10))
    assert 1.5 < waited < 3  # the dead ticket's lifetime, not for ever, and no LockError


def test_the_lock_value_expires_with_its_last_ticket(stores):
    store = lock_store(stores)
    store.issue_ticket("rest:gone-away", 2)
    ttl = store.red.pttl("test:lock:rest:gone-away")
    assert 0 < ttl <= 2000


def test_redis_out_of_reach_is_a_clear_lock_error(caplog):
    store = AtomicRedisLockStore(host="127.0.0.1", port=free_port(), socket_timeout=2)
    started = time.monotonic()
    with caplog.at_level(logging.ERROR), pytest.raises(LockError):
        store.issue_ticket("rest:me")
    assert time.monotonic() - started < 2
    assert "The lock store (Redis at 127.0.0.1:" in caplog.text and "cannot be reached" in caplog.text


def test_postgres_store_purges_old_conversations_and_forgets_one(stores):
    store = tracker_store(stores)
    for sender, age in (("rest:old", 40), ("rest:recent", 1), ("rest:forget-me", 0)):
        asyncio.run(store.save(conversation(sender, age_days=age)))
    assert purge(store.engine, 30) == 1
    result = subprocess.run(
        [sys.executable, "-m", "server.forget", "rest:forget-me"],
        cwd=REPO,
        capture_output=True,
        text=True,
        env={**stores.env, **stores.settings},
    )
    assert result.returncode == 0, result.stderr
    assert (
        "postgresql://rasa:***@127.0.0.1" in result.stdout
        and stores.settings["PG_PASSWORD"] not in result.stdout
    )
    with store.engine.connect() as connection:
        senders = {row[0] for row in connection.execute(sa.text("SELECT DISTINCT sender_id FROM events"))}
    assert {"rest:old", "rest:forget-me"}.isdisjoint(senders) and "rest:recent" in senders


def test_postgres_errors_carry_no_values_in_the_exception_or_in_the_database_log(stores):
    store = tracker_store(stores)
    with store.engine.connect() as connection, pytest.raises(sa.exc.SQLAlchemyError) as error:
        connection.execute(sa.text("INSERT INTO no_such_table VALUES (:value)"), {"value": "my ALT is 137"})
    assert "137" not in str(error.value) and "hidden" in str(error.value)
    time.sleep(0.5)
    assert 'relation "no_such_table" does not exist' in stores.log  # PostgreSQL did log the error
    assert "137" not in stores.log  # but not the statement


def test_pool_sizes_must_stay_under_the_connection_limit(tmp_path):
    result = subprocess.run(
        ["scripts/cluster"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
        env={
            "PATH": "/usr/bin:/bin:/usr/sbin:/sbin",
            "REPLICAS": "8",
            "SQL_POOL_SIZE": "5",
            "SQL_MAX_OVERFLOW": "5",
            "PG_MAX_CONNECTIONS": "50",
            "CLUSTER_DIR": str(tmp_path / "data"),
        },
    )
    assert result.returncode == 2
    assert "over PG_MAX_CONNECTIONS 50" in result.stderr
