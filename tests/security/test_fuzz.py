"""Fuzz the real servers over REST and socket.io with 10,000 hostile or odd inputs.

Random Unicode (lone surrogates, control characters, astral planes), 100 KB messages, JSON
and typed-intent injection, huge and negative numbers, malformed bodies and other channels'
sender ids, REST and socket.io at once. Must hold: no 5xx, no server exit, every answer goes
to the sender that asked (and canary conversations of other channels are never touched), p99
of the reply time under 2 s. The figures are printed (`pytest -s` shows them) and written to
test-output/security/fuzz.txt.
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import sqlite3
import time
from typing import Any

import aiohttp
import pytest
import socketio

from channels.guard import MAX_BODY_BYTES
from tests.security.widget import Widget
from tests.servers import REPO

pytestmark = pytest.mark.servers

SEED = int(os.environ.get("FUZZ_SEED", "20261126"))
SCALE = float(os.environ.get("FUZZ_SCALE", "1"))  # below 1 only to try the test out quickly
REST_INPUTS, SOCKET_INPUTS = int(9_000 * SCALE), int(1_000 * SCALE)
REST_CONCURRENCY, SOCKETS = 3, 3
P99_LIMIT_SECONDS = 2.0
FIGURES = REPO / "test-output" / "security" / "fuzz.txt"  # also printed (pytest -s)
SESSION_LENGTH = 25  # Rasa reloads a conversation's every event each turn: keep them human-sized

INJECTIONS = [
    '/inform{"drug":"entecavir"} I vomited blood',
    '/inform{"alt":' + json.dumps(list(range(500))) + "}",
    '/inform{"therapy":"entecavir","months_on_treatment":"1e308"}',
    "/restart",
    "/check_stop",
    "/affirm@1.0",
    "/" * 50,
    "/inform{" + "{" * 300,
    '/inform{"cirrhosis": false, "red_flag": null}',
    '/greet{"x": "' + "y" * 1500 + '"}',
    '{"sender": "rest:canary", "message": "hi"}',
    "[]",
    "null",
    "{{{{",
    "\\ud800",
    "<script>alert(1)</script>",
    "'; DROP TABLE events; --",
    "${TWILIO_AUTH_TOKEN}",
]
NUMBERS = [
    "-1",
    "-0",
    "0",
    "1e308",
    "-1e308",
    "NaN",
    "Infinity",
    "9" * 1900,
    "-" + "9" * 400,
    "10^999999",
    "2 x 10^-7 IU/mL",
    "my ALT is -85 U/L",
    "ALT 99999999999999999999 U/L",
    "HBV DNA 1e-999 IU/mL",
    "0.0000000000000001 x ULN",
    "g1 " * 600,
    "I'm -40 years old",
    "on entecavir for -3 months",
    "on tenofovir for 99999999 years",
]
WORDS = [
    "hello",
    "can I stop my treatment?",
    "is now a good time for interferon?",
    "yes",
    "no",
    "I don't know",
    "my eyes have gone yellow",
    "entecavir",
    "85",
    "cancel",
    "talk to a person",
]


def random_unicode(rng: random.Random, length: int) -> str:
    ranges = [
        (0x20, 0x7E),
        (0x00, 0x1F),
        (0x7F, 0x9F),
        (0xA0, 0x2FFF),
        (0xD800, 0xDFFF),
        (0xE000, 0xFFFD),
        (0x1F300, 0x1FAFF),
        (0x10000, 0x10FFFF),
        (0x200B, 0x202E),
    ]
    return "".join(chr(rng.randint(*rng.choice(ranges))) for _ in range(length))


def message_text(rng: random.Random) -> str:
    kind = rng.random()
    if kind < 0.30:
        return random_unicode(rng, rng.randint(0, 120))
    if kind < 0.45:
        return rng.choice(INJECTIONS)
    if kind < 0.60:
        return rng.choice(NUMBERS)
    if kind < 0.615:
        unit = rng.choice(["x", "my ALT is 85 ", "\ud800", "I vomited blood. "])
        return unit * (100_000 // len(unit))  # 100,000 characters
    if kind < 0.63:
        return random_unicode(rng, rng.randint(1_900, 2_100))
    return rng.choice(WORDS) + rng.choice(["", " ", "?", " " + random_unicode(rng, 5)])


def rest_input(rng: random.Random, foreign: list[str]) -> tuple[str, bytes]:
    """(the sender the answers must go to, or "" when the request is invalid; the body)."""
    sender, body = rest_body(rng, foreign)
    return sender, body if isinstance(body, bytes) else json.dumps(body).encode()


def rest_body(rng: random.Random, foreign: list[str]) -> tuple[str, Any]:
    kind = rng.random()
    sender = f"fuzz-{rng.randint(0, 400)}"
    if kind < 0.05:
        sender = rng.choice(foreign)  # other channels' ids, stored ids, canaries' sessions
    elif kind < 0.30:
        bad = rng.choice(
            [
                "\ud800",
                "",
                "x" * 65,
                "a\nb",
                " pad",
                "\x00",
                random_unicode(rng, 70),
                "\u2028",
                -1,
                10**30,
                1.5,
                None,
                True,
                ["me"],
                {"id": "me"},
            ]
        )
        return "", {"sender": bad, "message": message_text(rng)}
    elif kind < 0.50:
        return "", rng.choice(
            [
                b"",
                b"not json",
                b"\xff\xfe\x00",
                b"[" * 5000,
                b'"text"',
                b"[]",
                b"null",
                b"{}",
                b'{"sender": "me"}',
                b'{"message": "hi"}',
                json.dumps({"sender": "me", "message": 1}).encode(),
                json.dumps({"sender": "me", "message": ["a"]}).encode(),
                json.dumps({"sender": "me", "message": None}).encode(),
                json.dumps({"sender": "me", "message": "hi", "metadata": "x"}).encode(),
                b'{"sender": "me", "message": "' + b"9" * 5000 + b'"',
                b'{"sender": 1' + b"0" * 5000 + b', "message": "hi"}',
                random_unicode(rng, 50).encode("utf-8", "surrogatepass"),
            ]
        )
    elif kind < 0.52:
        return "", {"sender": sender, "message": "x" * (MAX_BODY_BYTES + 1)}  # over the body cap
    return sender, {
        "sender": sender,
        "message": message_text(rng),
        **({"metadata": {"language": random_unicode(rng, 3)}} if rng.random() < 0.1 else {}),
    }


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


async def post(session: aiohttp.ClientSession, url: str, body: bytes) -> tuple[int, str]:
    async with session.post(
        f"{url}/webhooks/rest/webhook", data=body, headers={"Content-Type": "application/json"}
    ) as response:
        return response.status, await response.text()


async def fuzz_rest(url: str, inputs: list[tuple[str, bytes]], results: dict[str, list]) -> None:
    queue: asyncio.Queue = asyncio.Queue()
    for item in inputs:
        queue.put_nowait(item)

    async def worker(session: aiohttp.ClientSession) -> None:
        while not queue.empty():
            sender, body = queue.get_nowait()
            started = time.monotonic()
            try:
                status, text = await post(session, url, body)
            except (aiohttp.ClientOSError, aiohttp.ServerDisconnectedError, ConnectionError) as error:
                if len(body) <= MAX_BODY_BYTES:
                    results["errors"].append(("connection", body[:200], repr(error)[:200]))
                # over the cap the server answers 413 and closes before reading the rest of the
                # body, so the client may see its write fail (a broken pipe) instead of the 413
                results["statuses"].append("closed")
                continue
            results["rest_seconds"].append(time.monotonic() - started)
            results["statuses"].append(status)
            if status >= 500 or "Traceback" in text:
                results["errors"].append((status, body[:200], text[:200]))
            elif len(body) > MAX_BODY_BYTES and status != 413:
                results["errors"].append(("oversize body not refused", status, len(body)))
            elif status == 200:
                answers = json.loads(text)
                strangers = [a for a in answers if a.get("recipient_id") != sender]
                if not sender or strangers or not answers or len(answers) > 12:
                    results["errors"].append(("answers", body[:200], text[:300]))

    timeout = aiohttp.ClientTimeout(total=120)
    async with aiohttp.ClientSession(timeout=timeout) as session:
        await asyncio.gather(*(worker(session) for _ in range(REST_CONCURRENCY)))


async def fuzz_socket(
    url: str, rng: random.Random, count: int, foreign: list[str], results: dict[str, list]
) -> None:
    widget = await Widget(url).connect()
    session_id = foreign[1]  # the canary's session id, unsigned, and forms of it
    token = await widget.session(
        rng.choice([None, "forged", session_id, f"socketio:{session_id}", f"{session_id}.{'0' * 24}"])
    )
    oversize = False
    try:
        for number in range(count):
            if not widget.client.connected:
                # the server closes a connection that sends more than MAX_BODY_BYTES at once;
                # the widget then reconnects to its session, as here
                results["reconnects"].append(oversize)
                await widget.close()
                widget = await Widget(url).connect()
                token = await widget.session(token)
            elif number % SESSION_LENGTH == 0:  # a new visitor: a new conversation
                token = await widget.session()
            if rng.random() < 0.20:  # not a message, or someone else's session: no answer
                await widget.client.emit(
                    "user_uttered",
                    rng.choice(
                        [
                            "text",
                            ["a"],
                            {"message": 5, "session_id": token},
                            {"message": "hello", "session_id": rng.choice(foreign)},
                            {"message": "hello", "session_id": token.split(".")[0]},
                        ]
                    ),
                )
                continue
            text = message_text(rng)
            oversize = len(json.dumps(text)) > MAX_BODY_BYTES
            try:
                answers, seconds = await widget.say(text, token)
            except (TimeoutError, socketio.exceptions.SocketIOError) as error:
                if not oversize:  # an oversize message closes the connection: no answer
                    results["errors"].append(("no socket.io answer", type(error).__name__, repr(text)[:100]))
                await widget.close()
                continue
            results["socket_seconds"].append(seconds)
            if len(answers) > 40:  # the widget gets one event per paragraph
                results["errors"].append(("socket.io answers", len(answers)))
    finally:
        await widget.close()


def stored_user_texts(db: str, sender: str) -> list[str]:
    with sqlite3.connect(db) as connection:
        rows = connection.execute(
            "SELECT data FROM events WHERE sender_id = ? AND type_name = 'user'", (sender,)
        ).fetchall()
    return [json.loads(data)["text"] for (data,) in rows]


def test_ten_thousand_hostile_inputs_over_rest_and_socketio(servers, rasa_url):
    async def run() -> dict[str, Any]:
        canary = await Widget(rasa_url).connect()
        canary_token = await canary.session()
        await canary.say("can I stop my treatment?", quiet=1.0)
        async with aiohttp.ClientSession() as session:
            await session.post(
                f"{rasa_url}/webhooks/rest/webhook",
                json={"sender": "canary", "message": "is now a good time for interferon?"},
            )
        session_id = canary_token.split(".")[0]
        foreign = [
            canary_token,
            session_id,
            f"socketio:{session_id}",
            "rest:canary",
            "twilio:whatsapp:+447700900123",
            "whatsapp:+447700900123",
            "+447700900123",
            "telegram:5550001234",
            "5550001234",
            "default",
        ]
        answered_before = len(canary.answers)

        rng = random.Random(SEED)
        rest_inputs = [rest_input(rng, foreign) for _ in range(REST_INPUTS)]
        results: dict[str, list] = {
            "rest_seconds": [],
            "socket_seconds": [],
            "statuses": [],
            "errors": [],
            "reconnects": [],
        }
        started = time.monotonic()
        await asyncio.gather(
            fuzz_rest(rasa_url, rest_inputs, results),
            *(
                fuzz_socket(rasa_url, random.Random(SEED + n), SOCKET_INPUTS // SOCKETS, foreign, results)
                for n in range(SOCKETS)
            ),
        )
        results["wall"] = time.monotonic() - started
        await asyncio.sleep(0.5)
        results["canary_disturbed"] = len(canary.answers) - answered_before
        await canary.close()
        results["canary_session"] = session_id
        return results

    results = asyncio.run(run())
    rest, socket_times = results["rest_seconds"], results["socket_seconds"]
    everything = rest + socket_times
    statuses = {status: results["statuses"].count(status) for status in set(results["statuses"])}
    lines = [
        f"fuzz (seed {SEED}): {len(rest)} REST requests + {SOCKET_INPUTS} socket.io inputs "
        f"in {results['wall']:.0f} s; REST statuses {dict(sorted(statuses.items(), key=str))}; socket.io "
        f"reconnections {len(results['reconnects'])} ({sum(results['reconnects'])} after an "
        f"oversize message)"
    ]
    for name, values in [("REST", rest), ("socket.io", socket_times), ("all", everything)]:
        lines.append(
            f"  {name:9} reply time p50 {percentile(values, 0.5) * 1000:6.0f} ms  "
            f"p95 {percentile(values, 0.95) * 1000:6.0f} ms  p99 {percentile(values, 0.99) * 1000:6.0f} ms  "
            f"max {max(values) * 1000:6.0f} ms"
        )
    print("\n" + "\n".join(lines))
    FIGURES.parent.mkdir(parents=True, exist_ok=True)
    FIGURES.write_text("\n".join(lines) + "\n")

    assert all(process.poll() is None for process in servers.processes), "a server exited"
    assert not results["errors"], results["errors"][:10]
    assert len(results["statuses"]) + SOCKET_INPUTS >= 10_000 * SCALE
    db = servers.env["TRACKER_DB"]
    assert stored_user_texts(db, f"socketio:{results['canary_session']}") == ["can I stop my treatment?"]
    assert stored_user_texts(db, "rest:canary") == ["is now a good time for interferon?"]
    assert results["canary_disturbed"] == 0
    with sqlite3.connect(db) as connection:
        keys = [key for (key,) in connection.execute("SELECT DISTINCT sender_id FROM events")]
    assert all(key.split(":")[0] in ("rest", "socketio") for key in keys)
    assert percentile(everything, 0.99) < P99_LIMIT_SECONDS
