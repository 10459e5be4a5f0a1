"""The socket.io channel of the web widget: persistent sessions with python-socketio 5.x.

A real socket.io client talks to the channel on a Sanic server on 127.0.0.1 (no model: a fake
agent answers), as the widget does: session_request -> session_confirm, user_uttered ->
bot_uttered. Rasa 3.6's own channel never delivers the answer (RasaHQ/rasa#13027).
"""
import asyncio
import socket
import uuid
from typing import Any, Dict, List

import socketio
from rasa.core.channels.channel import register
from sanic import Sanic

from channels.socketio import SocketIOInput
from tests.channels.helpers import FakeAgent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


async def conversation(agent: FakeAgent, steps) -> List[Any]:
    """Serve the channel, connect a client, run ``steps(client, events)``; return the events."""
    channel = SocketIOInput.from_credentials({"user_message_evt": "user_uttered",
                                              "bot_message_evt": "bot_uttered",
                                              "session_persistence": True,
                                              "metadata_key": "customData"})
    app = Sanic(f"socketio-test-{uuid.uuid4().hex[:12]}")
    app.ctx.agent = agent
    register([channel], app, route="/webhooks/")
    port = free_port()
    server = await app.create_server(host="127.0.0.1", port=port, return_asyncio_server=True)
    await server.startup()
    await server.start_serving()
    events: List[Any] = []
    clients = []
    try:
        async def connect():
            client = socketio.AsyncClient(reconnection=False)
            client.on("session_confirm", lambda data: events.append(("session_confirm", data)))
            client.on("bot_uttered", lambda data: events.append(("bot_uttered", data)))
            await client.connect(f"http://127.0.0.1:{port}", transports=["polling"])
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


def test_the_widget_gets_a_session_and_its_answers_with_buttons():
    agent = FakeAgent([{"text": "Hello!", "buttons": [{"title": "Timing of interferon",
                                                      "payload": "/ask_interferon"}]}])
    received: Dict[str, Any] = {}

    async def steps(connect, events):
        client = await connect()
        await client.emit("session_request", {"session_id": None})
        session_id = await wait_for(events, "session_confirm")
        await client.emit("user_uttered", {"message": "/greet", "session_id": session_id,
                                           "customData": {"language": "en"}})
        received["answer"] = await wait_for(events, "bot_uttered")
        received["session_id"] = session_id

    asyncio.run(conversation(agent, steps))
    assert len(received["session_id"]) == 32
    assert received["answer"]["text"] == "Hello!"
    assert received["answer"]["quick_replies"][0]["payload"] == "/ask_interferon"
    [message] = agent.messages
    assert (message.sender_id, message.input_channel) == (received["session_id"], "socketio")
    assert message.metadata == {"language": "en"}


def test_a_reloaded_page_keeps_its_session_and_a_foreign_session_is_refused():
    agent = FakeAgent([{"text": "Answer."}])
    result: Dict[str, Any] = {}

    async def steps(connect, events):
        first = await connect()
        await first.emit("session_request", {"session_id": None})
        session_id = await wait_for(events, "session_confirm")
        await leave(first)

        reloaded = await connect()  # the page after a reload asks for its stored session
        await reloaded.emit("session_request", {"session_id": session_id})
        result["again"] = await wait_for(events, "session_confirm", count=2)
        await reloaded.emit("user_uttered", {"message": "hello", "session_id": session_id})
        await wait_for(events, "bot_uttered")

        # a session id that the server did not hand out (e.g. a phone number) is replaced
        stranger = await connect()
        await stranger.emit("session_request", {"session_id": "+447700900123"})
        result["stranger"] = await wait_for(events, "session_confirm", count=3)
        # and a socket cannot write into a session it has not joined
        await stranger.emit("user_uttered", {"message": "intrusion", "session_id": session_id})
        await asyncio.sleep(0.5)
        result["session_id"] = session_id

    asyncio.run(conversation(agent, steps))
    assert result["again"] == result["session_id"]
    assert result["stranger"] != "+447700900123" and len(result["stranger"]) == 32
    assert agent.texts == ["hello"]
