"""Rasa's calls to the action server: 10 s at most, and a failed call is noticed by the turn."""

from __future__ import annotations

import asyncio
import socket
import time

import pytest
import rasa
import rasa.core.actions.action as rasa_action
from rasa.core.actions.action import RemoteAction
from rasa.core.channels.channel import CollectingOutputChannel
from rasa.core.nlg import TemplatedNaturalLanguageGenerator
from rasa.shared.core.domain import Domain
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.exceptions import RasaException
from rasa.utils.endpoints import EndpointConfig

from server import action_calls


@pytest.fixture
def silent_server():
    """A port that accepts connections and never answers."""
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen(8)
        yield f"http://127.0.0.1:{server.getsockname()[1]}/webhook"


def closed_port() -> str:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{sock.getsockname()[1]}/webhook"


async def call(url: str) -> action_calls.ActionCalls:
    action = RemoteAction("validate_stop_form", EndpointConfig(url))
    with (
        action_calls.watch() as calls,
        pytest.raises((RasaException, asyncio.TimeoutError)),
    ):  # refused; timed out
        await action.run(
            CollectingOutputChannel(),
            TemplatedNaturalLanguageGenerator({}),
            DialogueStateTracker("rest:me", []),
            Domain.empty(),
        )
    return calls


def test_the_action_call_timeout_is_10_seconds_at_most(monkeypatch):
    monkeypatch.delenv("ACTION_TIMEOUT_SECONDS", raising=False)
    action_calls.install()
    assert rasa_action.DEFAULT_REQUEST_TIMEOUT == 10
    for value in ["11", "0", "-1", "soon"]:
        with pytest.raises(ValueError, match="ACTION_TIMEOUT_SECONDS"):
            action_calls.timeout_seconds({"ACTION_TIMEOUT_SECONDS": value})
    assert action_calls.timeout_seconds({"ACTION_TIMEOUT_SECONDS": "2.5"}) == 2.5


def test_another_rasa_version_refuses_to_start_instead_of_keeping_300_seconds(monkeypatch):
    monkeypatch.setattr(rasa, "__version__", "3.7.0")
    with pytest.raises(RuntimeError, match=r"Rasa 3\.7\.0"):
        action_calls.install()


def test_an_action_server_that_does_not_answer_fails_the_call_within_the_timeout(monkeypatch, silent_server):
    monkeypatch.setenv("ACTION_TIMEOUT_SECONDS", "1")
    action_calls.install()
    started = time.monotonic()
    calls = asyncio.run(call(silent_server))
    assert calls.failed and time.monotonic() - started < 5
    monkeypatch.delenv("ACTION_TIMEOUT_SECONDS")
    action_calls.install()


def test_an_unreachable_action_server_is_a_failed_call_and_outside_a_turn_nothing_is_recorded():
    action_calls.install()
    assert asyncio.run(call(closed_port())).failed
    with action_calls.watch() as calls:
        pass
    assert not calls.failed
