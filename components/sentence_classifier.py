"""Rasa classifier on sentence embeddings (all-MiniLM-L6-v2), blended with DIET and the answer selector.

Trained on the same NLU data, it predicts one label per message: an intent, or for a general
question the full answer key (`ask_stop/stop_relapse`), by logistic regression on the message's
384-d embedding (components/minilm.py). Its probabilities are blended with those of DIET (intent)
and the ResponseSelector (answer key within its intent): `weight` is the embedding's share. The
blend replaces the intent ranking and the answer selector's ranking; the routing rules of
`components.intent_guard` then run on it. Measured on the development first-reply set
(tests/first_replies/dev.yml): topic questions get their rule's answer 89% -> 95%, out-of-scope
questions the scoped reply 93% -> 96% (README, "Understanding what patients type").
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import numpy as np
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, INTENT_RESPONSE_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
from sklearn.linear_model import LogisticRegression

from components import minilm

MODEL_FILE = "sentence_classifier.npz"
FALLBACK = "nlu_fallback"


def label_of(example: Message) -> str | None:
    """The full label of a training example: its answer key for a retrieval intent, else its intent."""
    return example.get(INTENT_RESPONSE_KEY) or example.get(INTENT)


def blend(
    intents: list[tuple[str, float]],
    answers: list[tuple[str, float]],
    embedded: dict[str, float],
    weight: float,
) -> dict[str, float]:
    """Mix DIET's intent ranking and the selector's answer ranking (as one distribution over full
    labels: P(ask_x) times P(key | ask_x)) with the embedding classifier's distribution."""
    ranked = [(name, confidence) for name, confidence in intents if name != FALLBACK]
    total = sum(confidence for _, confidence in ranked) or 1.0
    mixed: dict[str, float] = defaultdict(float)
    for name, confidence in ranked:
        share = (1 - weight) * confidence / total
        keys = [(key, score) for key, score in answers if key.startswith(f"{name}/")]
        key_total = sum(score for _, score in keys)
        if keys and key_total > 0:
            for key, score in keys:
                mixed[key] += share * score / key_total
        else:
            mixed[name] += share
    for label, probability in embedded.items():
        mixed[label] += weight * probability
    return dict(mixed)


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=True)
class SentenceEmbeddingClassifier(GraphComponent, IntentClassifier):
    """Logistic regression on MiniLM sentence embeddings, blended into the intent and answer rankings."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {"weight": 0.7, "regularisation": 32.0, "batch_size": 64}

    def __init__(
        self,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        classes: np.ndarray | None = None,
        coefficients: np.ndarray | None = None,
        intercepts: np.ndarray | None = None,
    ) -> None:
        self.config = {**self.get_default_config(), **config}
        self.model_storage = model_storage
        self.resource = resource
        self.classes = classes
        self.coefficients = coefficients
        self.intercepts = intercepts

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> SentenceEmbeddingClassifier:
        return cls(config, model_storage, resource)

    @classmethod
    def load(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> SentenceEmbeddingClassifier:
        with model_storage.read_from(resource) as directory:
            stored = np.load(directory / MODEL_FILE, allow_pickle=False)
            return cls(
                config,
                model_storage,
                resource,
                stored["classes"],
                stored["coefficients"],
                stored["intercepts"],
            )

    def train(self, training_data: TrainingData) -> Resource:
        """Fit the regression on the embeddings of every example with an intent."""
        examples = [example for example in training_data.intent_examples if example.get(TEXT)]
        vectors = minilm.load().encode(
            [example.get(TEXT) for example in examples], batch_size=self.config["batch_size"]
        )
        regression = LogisticRegression(C=self.config["regularisation"], max_iter=3000)
        regression.fit(vectors, [label_of(example) for example in examples])
        self.classes = np.array(regression.classes_, dtype=str)
        self.coefficients, self.intercepts = regression.coef_, regression.intercept_
        with self.model_storage.write_to(self.resource) as directory:
            np.savez(
                directory / MODEL_FILE,
                classes=self.classes,
                coefficients=self.coefficients,
                intercepts=self.intercepts,
            )
        return self.resource

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data

    def probabilities(self, texts: list[str]) -> list[dict[str, float]]:
        """The regression's distribution over labels for each text (softmax of its scores)."""
        vectors = minilm.load().encode(texts, batch_size=self.config["batch_size"])
        scores = vectors @ self.coefficients.T + self.intercepts
        scores = np.exp(scores - scores.max(axis=1, keepdims=True))
        scores /= scores.sum(axis=1, keepdims=True)
        return [dict(zip(self.classes.tolist(), row.tolist(), strict=True)) for row in scores]

    def process(self, messages: list[Message]) -> list[Message]:
        typed = [
            message
            for message in messages
            if message.get(TEXT) and not message.get(TEXT).startswith("/") and self.classes is not None
        ]
        if typed:
            for message, embedded in zip(
                typed, self.probabilities([m.get(TEXT) for m in typed]), strict=True
            ):
                self._blend_into(message, embedded)
        return messages

    def _blend_into(self, message: Message, embedded: dict[str, float]) -> None:
        intents = [
            (entry["name"], float(entry.get("confidence") or 0))
            for entry in message.get(INTENT_RANKING_KEY) or []
            if entry.get("name")
        ]
        selector = dict(message.get("response_selector") or {})
        default = dict(selector.get("default") or {})
        answers = [
            (entry["intent_response_key"], float(entry.get("confidence") or 0))
            for entry in default.get("ranking") or []
            if entry.get("intent_response_key")
        ]
        mixed = blend(intents, answers, embedded, self.config["weight"])
        by_intent: dict[str, float] = defaultdict(float)
        for label, probability in mixed.items():
            by_intent[label.split("/")[0]] += probability
        ranking = [
            {"name": name, "confidence": confidence}
            for name, confidence in sorted(by_intent.items(), key=lambda item: -item[1])
        ]
        message.set(INTENT, ranking[0], add_to_output=True)
        message.set(INTENT_RANKING_KEY, ranking[:10], add_to_output=True)
        keys = sorted(((label, p) for label, p in mixed.items() if "/" in label), key=lambda item: -item[1])
        if keys:  # confidences are shares of the whole blend: a sure answer is also a sure topic
            default["ranking"] = [{"intent_response_key": key, "confidence": p} for key, p in keys[:10]]
            default["response"] = {
                **(default.get("response") or {}),
                "intent_response_key": keys[0][0],
                "confidence": keys[0][1],
                "utter_action": f"utter_{keys[0][0]}",
            }
            selector["default"] = default
            message.set("response_selector", selector, add_to_output=True)
