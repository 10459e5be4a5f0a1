"""Rasa component: the classifiers read a question without the symptom denials before it
("no yellowing, no itching. What are the four gates?" -> "What are the four gates?", see
`knowledge.redflags.without_denied_symptoms`). SafetyIntentGuard puts the text as typed back.
"""

from __future__ import annotations

from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from knowledge.redflags import without_denied_symptoms

TYPED_TEXT = "text_as_typed"


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER], is_trainable=False)
class SymptomDenialFilter(GraphComponent):
    """Drops the parts of a question that only deny symptoms, before tokenising."""

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> SymptomDenialFilter:
        return cls()

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        self.process(training_data.training_examples)
        return training_data

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            text = message.get(TEXT)
            asked = without_denied_symptoms(text) if text else text
            if asked != text:
                message.set(TYPED_TEXT, text)
                message.set(TEXT, asked)
        return messages
