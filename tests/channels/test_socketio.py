"""The socket.io channel of the web widget: allowed origins, signed sessions, one session each.

A real socket.io client talks to the channel on a Sanic server on 127.0.0.1 (no model: a fake
agent answers), as the widget does: session_request -> session_confirm, user_uttered ->
bot_uttered. Rasa 3.6's own channel never delivers the answer (RasaHQ/rasa#13027), lets any
origin connect and accepts any session id.
"""

from __future__ import annotations

import asyncio
import socket
import uuid
from typing import Any

import pytest
import socketio
from rasa.core.channels.channel import register
from sanic import Sanic

from channels.socketio import SessionTokens, SocketIOInput, allowed_origins, name_connections, origin_allowed
from tests.channels.helpers import FakeAgent

PAGE = "https://hospital.example"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


async def conversation(agent: FakeAgent, steps, origins: list[str] | None = None) -> list[Any]:
    """Serve the channel, let ``steps(connect, events)`` talk to it; return the events."""
    channel = SocketIOInput.from_credentials(
        {
            "user_message_evt": "user_uttered",
            "bot_message_evt": "bot_uttered",
            "session_persistence": True,
            "metadata_key": "customData",
        }
    )
    channel.origins = origins
    app = Sanic(f"socketio-test-{uuid.uuid4().hex[:12]}")
    app.ctx.agent = agent
    register([channel], app, route="/webhooks/")
    port = free_port()
    server = await app.create_server(host="127.0.0.1", port=port, return_asyncio_server=True)
    await server.startup()
    await server.start_serving()
    events: list[Any] = []
    clients = []
    try:

        async def connect(origin: str | None = None):
            client = socketio.AsyncClient(reconnection=False)
            client.on("session_confirm", lambda data: events.append(("session_confirm", data)))
            client.on("bot_uttered", lambda data: events.append(("bot_uttered", data)))
            await client.connect(
                f"http://127.0.0.1:{port}",
                transports=["polling"],
                headers={"Origin": origin} if origin else {},
            )
            clients.append(client)
            return client

        await steps(connect, events)
    finally:
        for client in clients:
            await leave(client)
        server.close()
        await server.wait_closed()
    return events


async def leave(client: socketio.AsyncClient) -> None:
    """Close the connection without waiting for the pending long-poll (up to 30 s)."""
    if client.connected:
        await client.eio.disconnect(abort=True)


async def wait_for(events, kind, count=1, timeout=5.0):
    deadline = asyncio.get_running_loop().time() + timeout
    while sum(1 for event in events if event[0] == kind) < count:
        assert asyncio.get_running_loop().time() < deadline, f"no {kind}: {events}"
        await asyncio.sleep(0.05)
    return [data for event, data in events if event == kind][count - 1]


def test_the_widget_gets_a_signed_session_and_its_answers_with_buttons():
    agent = FakeAgent(
        [{"text": "Hello!", "buttons": [{"title": "Timing of interferon", "payload": "/ask_interferon"}]}]
    )
    received: dict[str, Any] = {}

    async def steps(connect, events):
        client = await connect(PAGE)
        await client.emit("session_request", {"session_id": None})
        session_id = await wait_for(events, "session_confirm")
        await client.emit(
            "user_uttered", {"message": "/greet", "session_id": session_id, "customData": {"language": "en"}}
        )
        received["answer"] = await wait_for(events, "bot_uttered")
        received["session_id"] = session_id

    asyncio.run(conversation(agent, steps, origins=[PAGE]))
    session, _, signature = received["session_id"].partition(".")
    assert len(session) == 32 and len(signature) == 24
    assert received["answer"]["text"] == "Hello!"
    assert received["answer"]["quick_replies"][0]["payload"] == "/ask_interferon"
    [message] = agent.messages
    assert (message.sender_id, message.input_channel) == (f"socketio:{session}", "socketio")
    assert message.metadata == {"language": "en"}


def test_a_reloaded_page_keeps_its_session_and_unknown_or_forged_ids_get_a_new_one():
    agent = FakeAgent([{"text": "Answer."}])
    result: dict[str, Any] = {}

    async def steps(connect, events):
        first = await connect()
        await first.emit("session_request", {"session_id": None})
        token = await wait_for(events, "session_confirm")
        await leave(first)

        reloaded = await connect()  # the page after a reload asks for its stored session
        await reloaded.emit("session_request", {"session_id": token})
        result["again"] = await wait_for(events, "session_confirm", count=2)
        await reloaded.emit("user_uttered", {"message": "hello", "session_id": token})
        await wait_for(events, "bot_uttered")

        stranger = await connect()
        session = token.split(".")[0]
        forged = [session, f"{session}.{'0' * 24}", "+447700900123", uuid.uuid4().hex]
        for number, requested in enumerate(forged, start=3):
            await stranger.emit("session_request", {"session_id": requested})
            result.setdefault("given", []).append(await wait_for(events, "session_confirm", count=number))
        # a socket cannot write into a session it was not given, whatever id it names
        for named in [token, session, f"socketio:{session}"]:
            await stranger.emit("user_uttered", {"message": "intrusion", "session_id": named})
        await asyncio.sleep(0.5)
        result["token"] = token

    asyncio.run(conversation(agent, steps))
    assert result["again"] == result["token"]
    assert all(
        given != result["token"] and SessionTokens.SIGNED.fullmatch(given) for given in result["given"]
    )
    assert len(set(result["given"])) == len(result["given"])
    assert agent.texts == ["hello"]


def test_a_browser_page_of_another_origin_cannot_connect():
    connected: dict[str, bool] = {}

    async def steps(connect, events):
        connected["hospital"] = (await connect(PAGE)).connected
        with pytest.raises(socketio.exceptions.ConnectionError):
            await connect("https://attacker.example")

    asyncio.run(conversation(FakeAgent(), steps, origins=[PAGE]))
    assert connected["hospital"]


def test_the_allowed_origins_are_the_cors_origins():
    assert allowed_origins({"CORS_ORIGINS": "https://a.example  https://b.example,http://c:8080"}) == [
        "https://a.example",
        "https://b.example",
        "http://c:8080",
    ]
    assert allowed_origins({}) is None  # only the server's own origin
    own = {"wsgi.url_scheme": "https", "HTTP_HOST": "chat.hospital.example"}
    assert origin_allowed({**own, "HTTP_ORIGIN": "https://chat.hospital.example"}, None)
    assert not origin_allowed({**own, "HTTP_ORIGIN": "https://attacker.example"}, None)
    assert origin_allowed(own, ["https://a.example"])  # no Origin: not a browser page


def test_session_ids_signed_with_another_secret_are_not_accepted():
    ours, theirs = SessionTokens(b"one secret" * 4), SessionTokens(b"another secret" * 3)
    token = ours.issue()
    assert ours.session_of(token) == token.split(".")[0]
    assert theirs.session_of(token) is None
    assert ours.session_of(token.upper()) is None and ours.session_of(None) is None


def test_each_server_of_a_cluster_starts_its_connection_ids_with_its_name():
    sio = socketio.AsyncServer(async_mode="sanic")
    name_connections(sio, "rasa2")
    ids = {sio.eio.generate_id() for _ in range(3)}
    assert len(ids) == 3 and all(sid.startswith("rasa2.") for sid in ids)
    unnamed = socketio.AsyncServer(async_mode="sanic")
    name_connections(unnamed, "")
    assert "." not in unnamed.eio.generate_id()
    with pytest.raises(ValueError, match="REPLICA_NAME"):
        name_connections(socketio.AsyncServer(async_mode="sanic"), "rasa 2")
