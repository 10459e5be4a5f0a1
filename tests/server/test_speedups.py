"""The speed-ups (server/speedups.py) change speed only: the same NLU output, float for float, and
the same action-response validation as Rasa's own code; installed by ``python -m server.rasa``
and only on the Rasa version they were written for."""

from __future__ import annotations

import asyncio
import json
import logging
import runpy
import sys
from typing import Any

import pytest
import rasa
import rasa.__main__
from jsonschema import ValidationError
from rasa.core.actions.action import RemoteAction
from rasa.shared.core.events import (
    ActionExecuted,
    ActiveLoop,
    AllSlotsReset,
    BotUttered,
    FollowupAction,
    Restarted,
    SessionStarted,
    SlotSet,
    UserUttered,
)
from rasa.utils.tensorflow.models import RasaModel

from server import speedups
from tests.servers import MODEL, REPO


@pytest.fixture
def stock_rasa(monkeypatch):
    """Rasa's own functions, put back after the test whatever it installs."""
    monkeypatch.setattr(RasaModel, "load", RasaModel.__dict__["load"])
    monkeypatch.setattr(RemoteAction, "_validate_action_result", RemoteAction._validate_action_result)


def installed() -> bool:
    return (
        RemoteAction._validate_action_result is speedups._validate_action_result
        and RasaModel.__dict__["load"].__func__ is speedups._load
    )


def test_the_launcher_installs_them_and_runs_rasas_command_line(stock_rasa, monkeypatch):
    ran = []
    monkeypatch.setattr(rasa.__main__, "main", lambda: ran.append((sys.argv[0], installed())))
    monkeypatch.setattr(sys, "argv", ["server/rasa.py", "--version"])
    runpy.run_module("server.rasa", run_name="__main__")
    assert ran == [("rasa", True)]


def test_another_rasa_version_runs_rasas_own_code_with_a_warning(stock_rasa, monkeypatch, caplog):
    monkeypatch.setattr(rasa, "__version__", "3.6.22")
    with caplog.at_level(logging.WARNING, logger="server.speedups"):
        assert speedups.install() is False
    assert not installed()
    assert "written for Rasa 3.6.21; this is Rasa 3.6.22" in caplog.text


def responses() -> list[Any]:
    """Valid action responses (real event types, repeated so that known events are reused) and
    invalid ones (each valid event broken in several ways, alone and next to valid events)."""
    valid = [
        event.as_dict()
        for event in (
            SlotSet("alt", "120 U/L"),
            SlotSet("alt", None),
            SlotSet("cirrhosis", False),
            SlotSet("age", 45),
            SlotSet("age", 45.0),
            SlotSet("requested_slot", "therapy"),
            ActiveLoop("stop_form"),
            ActiveLoop(None),
            FollowupAction("action_listen"),
            AllSlotsReset(),
            Restarted(),
            SessionStarted(),
            ActionExecuted("action_listen"),
            BotUttered("hi", {"buttons": [{"title": "Yes", "payload": "/affirm"}]}),
            UserUttered("hello", {"name": "greet", "confidence": 1.0}),
        )
    ]
    broken = []
    for event in valid:
        broken += [
            {k: v for k, v in event.items() if k != "event"},
            {**event, "event": "nonsense"},
            {**event, "timestamp": "yesterday"},
            {**event, "metadata": 5},
            {**event, "name": 5},
            {**event, "event": True},
        ]
    found: list[Any] = [
        {"events": [], "responses": []},
        {"events": valid, "responses": [{"text": "hi"}]},
        {"events": valid[::-1]},
        {"events": valid + valid},
        {},
        {"responses": [{"text": "x"}]},
    ]
    for bad in broken:
        found += [{"events": [bad]}, {"events": [*valid[:3], bad, *valid[3:]]}, {"events": [*valid, bad]}]
    found += [
        {"events": "not a list"},
        {"responses": [1, 2]},
        {"events": valid, "responses": "x"},
        {"events": [valid[0], (1, 2)]},
        {"events": [{"event": "slot", "name": "a", "value": (1,)}]},
        {"events": valid[:2]},
        [],
        "text",
        None,
        {"events": [1]},
        {"events": valid, "extra": 1},
    ]
    return found


def validation_outcomes(responses: list[Any]) -> list[tuple[Any, ...]]:
    """What ``RemoteAction._validate_action_result`` makes of each response, error included."""
    action = RemoteAction("action_check", None)
    outcomes: list[tuple[Any, ...]] = []
    for response in responses:
        try:
            outcomes.append(("valid", action._validate_action_result(response)))
        except ValidationError as error:
            outcomes.append(("invalid", error.message, list(error.path), list(error.schema_path)))
        except Exception as error:  # any other failure must match too
            outcomes.append(("raised", type(error).__name__, str(error)))
    return outcomes


def test_action_response_validation_is_rasas(stock_rasa):
    checked = responses() * 2  # the second time, valid events are known
    stock = validation_outcomes(checked)
    assert speedups.install()
    assert validation_outcomes(checked) == stock
    assert {"valid", "invalid"} <= {outcome[0] for outcome in stock}


def parse_all(texts: list[str]) -> list[str]:
    """The complete NLU output (intent, ranking, entities, response selection) for each text."""
    from rasa.core.agent import Agent

    agent = Agent.load(str(MODEL))

    async def parse() -> list[str]:
        return [json.dumps(await agent.parse_message(text), sort_keys=True, default=repr) for text in texts]

    return asyncio.run(parse())


@pytest.mark.model
def test_nlu_output_is_rasas_float_for_float(stock_rasa):
    from rasa.shared.nlu.training_data.loading import load_data

    if not MODEL.exists():
        pytest.fail(f"no trained model at {MODEL}: run `make train` first")
    texts = sorted(
        {
            message.get("text")
            for source in ("data/nlu", "tests/nlu/heldout.yml")
            for message in load_data(str(REPO / source)).intent_examples
        }
    )
    stock = parse_all(texts)
    assert speedups.install()
    fast = parse_all(texts)
    assert len(texts) > 1000
    assert [text for text, a, b in zip(texts, stock, fast, strict=True) if a != b] == []
