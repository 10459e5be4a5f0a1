"""The conversation lock shared by several Rasa servers: Rasa's Redis lock store, made atomic.

endpoints-cluster.yml::

    lock_store:
      type: server.lock_store.AtomicRedisLockStore
      url: ${REDIS_HOST}
      port: ${REDIS_PORT}
      password: ${REDIS_PASSWORD}
      key_prefix: ${REDIS_KEY_PREFIX}

Rasa handles the messages of one conversation one after the other by giving each a ticket
(``rasa.core.lock.TicketLock``, stored as one Redis value per conversation). Rasa 3.6's
``RedisLockStore`` changes that value by reading it, changing it and writing it back: two
servers that take a ticket at the same moment can both read the same value and both get the
same ticket, so two messages of one patient run at once; a server that gives its ticket back
can overwrite the ticket another server has just taken. Here every change is one Redis
transaction (``WATCH``/``MULTI``/``EXEC``, tried again when another server changed the value
first), and the value expires with its last ticket.

Lifetime (``TICKET_LOCK_LIFETIME``, default 60 s): how long one message may hold its
conversation. A server that dies holding it delays that conversation's next message by at most
that long. In Rasa a ticket's lifetime runs from when it was taken, waiting included, so a
message that waits behind a dead server's ticket loses its own ticket just after that one
expires and then waits for ever; here a waiting message renews its ticket every time it looks
(once a second), so its lifetime starts when its turn comes.

When Redis cannot be reached, the message fails with a ``LockError`` (the patient is told that
something went wrong) and one clear error line is logged; messages are handled again as soon as
Redis is back.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import Callable
from typing import Any, TypeVar

import rasa
from rasa.core.lock import TicketLock
from rasa.core.lock_store import LOCK_LIFETIME, LockError, RedisLockStore
from rasa.utils.endpoints import EndpointConfig
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

SUPPORTED_RASA = "3.6."
T = TypeVar("T")


class AtomicRedisLockStore(RedisLockStore):
    """``RedisLockStore`` whose ticket changes are atomic and whose values expire."""

    def __init__(self, endpoint_config: EndpointConfig | None = None, **kwargs: Any) -> None:
        if not rasa.__version__.startswith(SUPPORTED_RASA):
            raise RuntimeError(
                f"server/lock_store.py was written for Rasa {SUPPORTED_RASA}x, whose LockStore.lock "
                f"takes a ticket with issue_ticket and gives it back with cleanup; this is Rasa "
                f"{rasa.__version__}: check how its lock store changes tickets and update this file."
            )
        if endpoint_config is not None:  # Rasa passes a custom lock store its endpoint only
            kwargs = {"host": endpoint_config.url or "localhost", **endpoint_config.kwargs, **kwargs}
        super().__init__(**kwargs)
        connection = self.red.connection_pool.connection_kwargs
        self.address = f"{connection.get('host')}:{connection.get('port')}"
        self.lifetimes: dict[tuple[str, int], float] = {}  # of the tickets this server took

    def _change(self, conversation_id: str, change: Callable[[TicketLock], T]) -> T:
        """Apply ``change`` to the conversation's lock in one transaction; its result."""
        key = self.key_prefix + conversation_id

        def transaction(pipe: Any) -> T:
            stored = pipe.get(key)
            lock = TicketLock.from_dict(json.loads(stored)) if stored else self.create_lock(conversation_id)
            result = change(lock)
            pipe.multi()
            if lock.is_someone_waiting():
                expires = max(ticket.expires for ticket in lock.tickets)
                pipe.set(key, lock.dumps(), px=max(1, int((expires - time.time()) * 1000)))
            else:
                pipe.delete(key)
            return result

        try:
            return self.red.transaction(transaction, key, value_from_callable=True)
        except (RedisConnectionError, RedisTimeoutError) as error:
            logger.error(
                f"The lock store (Redis at {self.address}) cannot be reached "
                f"({type(error).__name__}): messages fail until it is back."
            )
            raise LockError("the lock store cannot be reached") from error

    def issue_ticket(self, conversation_id: str, lock_lifetime: float = LOCK_LIFETIME) -> int:
        """Take the next ticket of the conversation (see ``LockStore.issue_ticket``)."""
        ticket = self._change(conversation_id, lambda lock: lock.issue_ticket(lock_lifetime))
        self.lifetimes[(conversation_id, ticket)] = lock_lifetime
        return ticket

    async def _acquire_lock(
        self, conversation_id: str, ticket: int, wait_time_in_seconds: float
    ) -> TicketLock:
        """Wait until ``ticket`` is served, renewing it while it waits."""
        lifetime = self.lifetimes.get((conversation_id, ticket), LOCK_LIFETIME)

        def wait_in_line(lock: TicketLock) -> TicketLock | None:
            mine = next((held for held in lock.tickets if held.number == ticket), None)
            if mine is None or mine.has_expired():  # Redis lost it, or this server stalled
                raise LockError(f"Could not acquire lock for conversation_id '{conversation_id}'.")
            mine.expires = time.time() + lifetime
            lock.remove_expired_tickets()
            return None if lock.is_locked(ticket) else lock

        while True:
            lock = self._change(conversation_id, wait_in_line)
            if lock is not None:
                return lock
            await asyncio.sleep(wait_time_in_seconds)

    def finish_serving(self, conversation_id: str, ticket_number: int) -> None:
        """Give a ticket back."""
        self._change(conversation_id, lambda lock: lock.remove_ticket_for(ticket_number))

    def cleanup(self, conversation_id: str, ticket_number: int) -> None:
        """Give a ticket back; the lock's value goes with its last ticket."""
        self.lifetimes.pop((conversation_id, ticket_number), None)
        self.finish_serving(conversation_id, ticket_number)
