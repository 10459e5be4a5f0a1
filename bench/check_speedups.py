"""Check that components/speedups.py changes speed only, not behaviour.

    python -m bench.check_speedups [--model models/hepb-assistant.tar.gz] [--out result.json]

1. Loads the model with Rasa's own code, then with the speed-ups, and compares the complete
   NLU output (intent, ranking with confidences, entities, response selection) for every
   message of data/nlu and tests/nlu/heldout.yml: it must be identical, float for float.
2. Validates valid and invalid action-server responses (every kind of event the assistant
   sends, each broken in several ways, alone and among valid ones, everything twice so that
   remembered events are reused) with Rasa's validation and with the speed-up: same
   acceptance, same error, same error location.
Exits 1 on any difference.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import PROJECT_MODEL, REPO, write_json  # noqa: E402

def _responses() -> list:
    """Valid action responses (real event types, repeated so that known events are reused) and
    invalid ones (each valid event broken in several ways, alone and next to valid events)."""
    from rasa.shared.core.events import (ActionExecuted, ActiveLoop, AllSlotsReset, BotUttered, FollowupAction,
                                         Restarted, SessionStarted, SlotSet, UserUttered)

    valid = [event.as_dict() for event in (
        SlotSet("alt", "120 U/L"), SlotSet("alt", None), SlotSet("cirrhosis", False), SlotSet("age", 45),
        SlotSet("age", 45.0), SlotSet("requested_slot", "therapy"), ActiveLoop("stop_form"), ActiveLoop(None),
        FollowupAction("action_listen"), AllSlotsReset(), Restarted(), SessionStarted(),
        ActionExecuted("action_listen"), BotUttered("hi", {"buttons": [{"title": "Yes", "payload": "/affirm"}]}),
        UserUttered("hello", {"name": "greet", "confidence": 1.0}))]
    broken = []
    for event in valid:
        broken += [{k: v for k, v in event.items() if k != "event"}, {**event, "event": "nonsense"},
                   {**event, "timestamp": "yesterday"}, {**event, "metadata": 5}, {**event, "name": 5},
                   {**event, "event": True}]
    responses = [{"events": [], "responses": []}, {"events": valid, "responses": [{"text": "hi"}]},
                 {"events": valid[::-1]}, {"events": valid + valid}, {}, {"responses": [{"text": "x"}]}]
    for bad in broken:
        responses += [{"events": [bad]}, {"events": [*valid[:3], bad, *valid[3:]]}, {"events": valid + [bad]}]
    responses += [{"events": "not a list"}, {"responses": [1, 2]}, {"events": valid, "responses": "x"},
                  {"events": [valid[0], (1, 2)]}, {"events": [{"event": "slot", "name": "a", "value": (1,)}]},
                  {"events": valid[:2]}, [], "text", None, {"events": [1]}, {"events": valid, "extra": 1}]
    return responses


def _canonical(value) -> str:
    return json.dumps(value, sort_keys=True, default=repr)


def _validation_outcomes(validate, responses) -> list:
    from jsonschema import ValidationError
    from rasa.core.actions.action import RemoteAction

    action = RemoteAction("action_check", None)
    outcomes = []
    for response in responses:
        try:
            outcomes.append(("valid", validate(action, response)))
        except ValidationError as error:
            outcomes.append(("invalid", error.message, list(error.path), list(error.schema_path)))
        except Exception as error:  # noqa: BLE001  (any other failure must match too)
            outcomes.append(("raised", type(error).__name__, str(error)))
    return outcomes


async def _parse_all(agent, texts) -> list:
    return [await agent.parse_message(text) for text in texts]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, default=PROJECT_MODEL)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    os.environ["RASA_TELEMETRY_ENABLED"] = "false"
    os.chdir(REPO)
    from rasa.utils.common import configure_logging_and_warnings
    from rasa.utils.log_utils import configure_structlog
    configure_logging_and_warnings(logging.WARNING)
    configure_structlog(logging.WARNING)

    from rasa.core.actions.action import RemoteAction
    from rasa.core.agent import Agent
    from rasa.shared.nlu.training_data.loading import load_data
    from rasa.utils.tensorflow.models import RasaModel

    from components import speedups
    import components.intent_guard  # noqa: F401  (installs the speed-ups)

    texts = sorted({message.get("text") for source in ("data/nlu", "tests/nlu/heldout.yml")
                    for message in load_data(source).intent_examples})
    # 1. Rasa's own code
    RasaModel.load = speedups._STOCK_LOAD
    RemoteAction._validate_action_result = speedups._STOCK_VALIDATE
    stock_agent = Agent.load(str(args.model))
    stock_parses = asyncio.run(_parse_all(stock_agent, texts))
    responses = _responses()
    stock_validation = _validation_outcomes(RemoteAction._validate_action_result, responses * 2)
    # 2. with the speed-ups
    speedups.install()
    fast_agent = Agent.load(str(args.model))
    fast_parses = asyncio.run(_parse_all(fast_agent, texts))
    fast_validation = _validation_outcomes(RemoteAction._validate_action_result, responses * 2)

    differences = [text for text, a, b in zip(texts, stock_parses, fast_parses) if _canonical(a) != _canonical(b)]
    validation_differences = [i for i, (a, b) in enumerate(zip(stock_validation, fast_validation)) if a != b]
    result = {"messages": len(texts), "nlu_differences": differences, "responses": len(responses) * 2,
              "validation_differences": validation_differences,
              "identical": not differences and not validation_differences}
    if args.out:
        write_json(args.out, result)
    print(f"speed-ups: NLU output identical on {len(texts) - len(differences)}/{len(texts)} messages, "
          f"action-response validation identical on {2 * len(responses) - len(validation_differences)}/"
          f"{2 * len(responses)} "
          "responses")
    for text in differences[:10]:
        print(f"  differs: {text!r}")
    return 0 if result["identical"] else 1


if __name__ == "__main__":
    sys.exit(main())
