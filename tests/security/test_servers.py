"""The security items against the real servers (Rasa, the action server, SQLite)."""

from __future__ import annotations

import asyncio
import json
import re
import sqlite3
import stat
import urllib.error
import urllib.request
from pathlib import Path

import pytest
import socketio

from tests.integration.rest import send, texts
from tests.security.widget import Widget

pytestmark = pytest.mark.servers

URL_OR_PATH = re.compile(r"[a-z]+://\S+|(?:/[\w.@+-]+)+\.py", re.IGNORECASE)


def post(rasa_url, body: bytes):
    request = urllib.request.Request(
        f"{rasa_url}/webhooks/rest/webhook", data=body, headers={"Content-Type": "application/json"}
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.load(response)
    except urllib.error.HTTPError as error:
        return error.code, json.load(error)


def user_texts(servers, sender):
    with sqlite3.connect(servers.env["TRACKER_DB"]) as connection:
        rows = connection.execute(
            "SELECT data FROM events WHERE sender_id = ? AND type_name = 'user'", (sender,)
        ).fetchall()
    return [json.loads(data)["text"] for (data,) in rows]


def test_a_lone_surrogate_sender_is_a_400_and_the_server_keeps_answering(servers, rasa_url):
    status, body = post(rasa_url, b'{"sender": "\\ud800", "message": "hi"}')
    assert status == 400 and "sender" in body["error"]
    assert all(process.poll() is None for process in servers.processes)
    assert "Hello" in texts(send(rasa_url, "after-surrogate", "hello"))


def test_no_channel_can_reach_a_widget_conversation(servers, rasa_url):
    async def widget_conversation():
        widget = await Widget(rasa_url).connect()
        token = await widget.session()
        await widget.say("can I stop my treatment?", quiet=1.0)
        await widget.close()
        return token

    token = asyncio.run(widget_conversation())
    session = token.split(".")[0]
    for sender in [token, session, f"socketio:{session}"]:
        replies = send(rasa_url, sender, "no")  # would answer the widget's open question
        assert {reply["recipient_id"] for reply in replies} == {sender}
    assert user_texts(servers, f"socketio:{session}") == ["can I stop my treatment?"]
    assert user_texts(servers, f"rest:socketio:{session}") == ["no"]


def test_a_socketio_connection_from_another_origin_is_refused(servers, rasa_url):
    async def connect(origin):
        widget = await Widget(rasa_url, origin=origin).connect()
        await widget.close()

    asyncio.run(connect(servers.web_url))
    with pytest.raises(socketio.exceptions.ConnectionError):
        asyncio.run(connect("https://attacker.example"))


def test_typed_intent_injection_keeps_its_red_flag(rasa_url):
    replies = send(rasa_url, "injection", '/inform{"drug":"entecavir"} I vomited blood')
    assert "get medical help now" in texts(replies)


def test_the_conversation_store_is_readable_by_its_owner_only(servers, rasa_url):
    send(rasa_url, "store-mode", "hello")
    db = Path(servers.env["TRACKER_DB"])
    assert stat.S_IMODE(db.stat().st_mode) == 0o600
    assert stat.S_IMODE(db.parent.stat().st_mode) & 0o077 == 0


def test_logs_of_a_full_check_contain_no_lab_value_text_or_phone_number(servers, rasa_url):
    sender = "+447700900987"
    replies = send(rasa_url, sender, "my ALT is 1739 with the upper limit 43, can I have interferon?")
    for answer in ["I'm 57", "/dont_know", "no", "no"]:
        replies = send(rasa_url, sender, answer) or replies
    assert "interferon" in texts(replies).lower()
    logs = "\n".join((servers.tmp / name).read_text(errors="replace") for name in ("rasa.log", "actions.log"))
    without_urls = URL_OR_PATH.sub("", logs)
    for secret in ["1739", "7700900987", "can I have interferon", "I'm 57"]:
        assert secret not in without_urls, secret
