"""Rasa component that applies the routing rules of `components.routing` after the classifiers:
red flags, gibberish, bare values, skipped doses, general or personal, and which general answer.
"""

from __future__ import annotations

from typing import Any

import rasa.shared.utils.io
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from components.denials import TYPED_TEXT
from components.routing import DEFAULTS, Decision, Vocabulary, route, selections

VOCABULARY_FILE = "vocabulary.json"


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=True)
class SafetyIntentGuard(GraphComponent, IntentClassifier):
    """Overrides the predicted intent where a rule must decide (see module docstring)."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return dict(DEFAULTS)

    def __init__(
        self,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        vocabulary: Vocabulary | None = None,
    ) -> None:
        self.config = {**self.get_default_config(), **config}
        self.model_storage = model_storage
        self.resource = resource
        self.vocabulary = vocabulary

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> SafetyIntentGuard:
        return cls(config, model_storage, resource)

    @classmethod
    def load(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> SafetyIntentGuard:
        with model_storage.read_from(resource) as directory:
            words = rasa.shared.utils.io.read_json_file(directory / VOCABULARY_FILE)
        return cls(config, model_storage, resource, Vocabulary(words))

    def train(self, training_data: TrainingData) -> Resource:
        """Learn the vocabulary of the training data (to recognise gibberish)."""
        self.vocabulary = Vocabulary.from_texts(
            example.get(TEXT) or "" for example in training_data.training_examples
        )
        with self.model_storage.write_to(self.resource) as directory:
            rasa.shared.utils.io.dump_obj_as_json_to_file(
                directory / VOCABULARY_FILE, sorted(self.vocabulary.words)
            )
        return self.resource

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            self._route(message)
        return messages

    def _route(self, message: Message) -> None:
        text = message.get(TYPED_TEXT) or message.get(TEXT) or ""
        message.set(TEXT, text)
        intents = [
            (entry["name"], float(entry.get("confidence") or 0))
            for entry in message.get(INTENT_RANKING_KEY) or []
            if entry.get("name")
        ]
        if not intents and message.get(INTENT):
            intents = [(message.get(INTENT)["name"], float(message.get(INTENT).get("confidence") or 0))]
        decision = route(text, intents, selections(message.as_dict()), self.vocabulary, self.config)
        if decision.red_flag_kind:
            message.set(TEXT, text.lstrip("/ "))  # typed "/..." is text: no intent from it
            message.set(
                ENTITIES,
                [
                    {
                        "entity": "red_flag_kind",
                        "value": decision.red_flag_kind,
                        "start": 0,
                        "end": 0,
                        "extractor": type(self).__name__,
                    }
                ],
                add_to_output=True,
            )
        if decision.intent != (message.get(INTENT) or {}).get("name"):
            _override(message, decision.intent)
        if decision.answer is not None:
            _choose_answer(message, decision)


def _choose_answer(message: Message, decision: Decision) -> None:
    """Make the response selector's prediction the decided general answer."""
    answer = decision.answer
    selector = dict(message.get("response_selector") or {})
    default = dict(selector.get("default") or {})
    default["response"] = {
        **(default.get("response") or {}),
        "intent_response_key": answer.key,
        "confidence": answer.confidence,
        "utter_action": f"utter_{answer.key}",
    }
    selector["default"] = default
    message.set("response_selector", selector, add_to_output=True)


def _override(message: Message, intent_name: str) -> None:
    ranking = [entry for entry in message.get(INTENT_RANKING_KEY) or [] if entry.get("name") != intent_name]
    chosen = {"name": intent_name, "confidence": 1.0}
    message.set(INTENT, chosen, add_to_output=True)
    message.set(INTENT_RANKING_KEY, [chosen, *ranking], add_to_output=True)
