"""`make cluster` under faults: two Rasa servers behind HAProxy, PostgreSQL, Redis (scripts/cluster).

A server killed while conversations run, two messages of one patient at once on two servers,
PostgreSQL restarted, Redis stopped. Clients send a message id and try a failed request once
more, as the README asks REST clients to. TICKET_LOCK_LIFETIME is 20 s here (60 s by default)
so that a conversation whose server died waits less for its lock.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import threading
import time
import urllib.error
import urllib.request
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import aiohttp
import pytest
import sqlalchemy as sa

from channels.guard import SOMETHING_WENT_WRONG
from harness.client import post, send, texts
from harness.conversations import scripted_checks
from harness.processes import pid_listening_on
from tests.cluster.conftest import new_cluster

pytestmark = pytest.mark.servers
CHECKS = scripted_checks()


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    cluster = new_cluster(tmp_path_factory.mktemp("cluster"), TICKET_LOCK_LIFETIME="20")
    cluster.start()
    try:
        yield cluster
    finally:
        cluster.stop()


RETRIED: list[str] = []  # messages sent a second time


def say(url: str, sender: str, message: str, message_id: str) -> list:
    """One message, sent again with the same id when the request fails."""
    replies, problems = send(url, sender, message, message_id)
    if problems:
        RETRIED.append(message_id)
    assert replies is not None, f"no answer to {message!r} after 2 tries: {problems}"
    return replies


def stored(cluster, sender: str) -> list[dict]:
    with cluster.engine().connect() as connection:
        rows = connection.execute(
            sa.text("SELECT data FROM events WHERE sender_id = :s ORDER BY id"), {"s": f"rest:{sender}"}
        )
        return [json.loads(row[0]) for row in rows]


def test_socketio_connections_stay_on_their_server_through_polling_and_websocket(cluster):
    async def connect() -> list[str]:
        found = []
        async with aiohttp.ClientSession() as session:
            for _ in range(4):
                async with session.get(f"{cluster.url()}/socket.io/?EIO=4&transport=polling") as response:
                    sid = json.loads((await response.text())[1:])["sid"]
                for _ in range(3):  # a server that does not hold the connection answers 400
                    async with session.post(
                        f"{cluster.url()}/socket.io/?EIO=4&transport=polling&sid={sid}", data="40"
                    ) as response:
                        assert response.status == 200
                socket = await session.ws_connect(
                    f"{cluster.url().replace('http', 'ws')}/socket.io/?EIO=4&transport=websocket&sid={sid}"
                )
                await socket.send_str("2probe")
                assert (await socket.receive(timeout=10)).data == "3probe"
                await socket.close()
                found.append(sid.split(".")[0])
        return found

    assert sorted(set(asyncio.run(connect()))) == ["rasa1", "rasa2"]  # new connections take turns


def test_two_messages_of_one_patient_at_once_on_two_servers_are_handled_one_after_the_other(cluster):
    for _ in range(4):
        sender = f"both-{uuid.uuid4().hex[:8]}"
        say(cluster.url(), sender, "hello", "m0")
        start = threading.Barrier(2)

        def send(server: int, message: str, start=start, sender=sender) -> list:
            start.wait()
            return post(cluster.replica_url(server), sender, message)

        with ThreadPoolExecutor(2) as pool:
            answers = list(pool.map(send, (1, 2), ("can I stop my treatment?", "what is drug resistance?")))
        assert all(answers) and not any(SOMETHING_WENT_WRONG in texts(a) for a in answers)
        events = stored(cluster, sender)
        users = [i for i, event in enumerate(events) if event["event"] == "user"]
        assert len(users) == 3  # no message lost or stored twice
        for index in users[1:]:  # each turn finished (the bot listens again) before the next began
            assert events[index - 1]["event"] == "action" and events[index - 1]["name"] == "action_listen"


def test_conversations_go_on_through_the_other_server_when_one_is_killed(cluster):
    patients = [
        (f"kill-{number}-{uuid.uuid4().hex[:6]}", [CHECKS[(number + k) % len(CHECKS)] for k in range(3)])
        for number in range(10)
    ]
    received = {sender: [] for sender, _ in patients}
    answered = threading.Semaphore(0)

    def talk(patient) -> list[bool]:
        sender, checks = patient
        verdicts = []
        for check in checks:  # three checks in one conversation, no pause: always a request in flight
            for number, message in enumerate(check.messages):
                received[sender] += texts(say(cluster.url(), sender, message, f"{check.name}-{number}"))
                answered.release()
            verdicts.append(check.succeeded("\n".join(received[sender][-3:])))
        return verdicts

    RETRIED.clear()
    with ThreadPoolExecutor(len(patients)) as pool:
        results = pool.map(talk, patients)
        for _ in range(30):  # part-way: 30 turns answered
            answered.acquire()
        os.kill(pid_listening_on(int(cluster.env["FIRST_REPLICA_PORT"])), signal.SIGKILL)
        verdicts = list(results)
    assert all(all(v) for v in verdicts), verdicts
    for sender, checks in patients:
        events = stored(cluster, sender)
        ids = [event["message_id"] for event in events if event["event"] == "user"]
        assert len(ids) == len(set(ids)) == sum(len(check.messages) for check in checks)  # each handled once
        assert received[sender] == [event["text"] for event in events if event["event"] == "bot"]
    assert "the Rasa server 1 exited" in cluster.log
    print(f"{len(RETRIED)} message(s) sent again after the server was killed")


def wait_for_answer(cluster, sender: str, message: str, message_id: str, within: float) -> float:
    """Seconds until the assistant answers again (a retry every half second)."""
    started = time.monotonic()
    while time.monotonic() - started < within:
        try:
            if SOMETHING_WENT_WRONG not in texts(post(cluster.url(), sender, message, message_id, timeout=5)):
                return time.monotonic() - started
        except (OSError, urllib.error.HTTPError):
            pass
        time.sleep(0.5)
    raise AssertionError(f"no answer within {within} s")


def test_after_a_postgresql_restart_answers_come_back_within_10_s_and_nothing_committed_is_lost(cluster):
    sender = f"pg-{uuid.uuid4().hex[:8]}"
    check = next(c for c in CHECKS if c.name == "stop-criteria_not_met")
    for number, message in enumerate(check.messages[:-1]):
        say(cluster.url(), sender, message, f"m{number}")
    before = stored(cluster, sender)
    os.kill(pid_listening_on(int(cluster.env["PG_PORT"])), signal.SIGQUIT)  # immediate: like a crash
    seconds = wait_for_answer(cluster, sender, check.messages[-1], "last", within=10)
    after = stored(cluster, sender)
    assert after[: len(before)] == before and len(after) > len(before)
    replies = "\n".join(event["text"] for event in after[len(before) :] if event["event"] == "bot")
    assert check.succeeded(replies), replies  # the verdict uses the answers given before the restart
    print(f"answering again {seconds:.1f} s after PostgreSQL stopped")


def test_while_redis_is_down_messages_fail_clearly_and_recover_when_it_is_back(cluster):
    redis = pid_listening_on(int(cluster.env["REDIS_PORT"]))
    supervisor = int(Path(f"/proc/{redis}/stat").read_text().split()[3])
    os.kill(supervisor, signal.SIGSTOP)  # keep it from starting Redis again until we say so
    try:
        os.kill(redis, signal.SIGTERM)
        time.sleep(1)
        started = time.monotonic()
        replies = post(cluster.url(), f"redis-{uuid.uuid4().hex[:8]}", "hello")
        assert texts(replies) == [SOMETHING_WENT_WRONG] and time.monotonic() - started < 5
        assert "The lock store (Redis at 127.0.0.1:" in cluster.log
    finally:
        os.kill(supervisor, signal.SIGCONT)
    seconds = wait_for_answer(cluster, f"redis-{uuid.uuid4().hex[:8]}", "hello", "m0", within=15)
    print(f"answering again {seconds:.1f} s after Redis was started again")
