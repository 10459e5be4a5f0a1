"""The sentence-embedding classifier: its blend with DIET and the answer selector, and a real
training on a few examples with the real encoder."""

from __future__ import annotations

import pytest
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from components.sentence_classifier import SentenceEmbeddingClassifier, blend


def test_blend_spreads_an_intent_over_its_answers_and_adds_the_embeddings_share():
    mixed = blend(
        [("ask_stop", 0.8), ("greet", 0.2), ("nlu_fallback", 0.5)],
        [("ask_stop/stop_relapse", 0.75), ("ask_stop/stop_danger", 0.25), ("ask_resistance/res_harm", 0.9)],
        {"ask_stop/stop_danger": 1.0},
        weight=0.5,
    )
    assert mixed == pytest.approx({"ask_stop/stop_relapse": 0.3, "ask_stop/stop_danger": 0.6, "greet": 0.1})


def test_without_the_selector_an_intent_keeps_its_share():
    assert blend([("greet", 1.0)], [], {"greet": 0.5, "thank": 0.5}, weight=0.2) == pytest.approx(
        {"greet": 0.9, "thank": 0.1}
    )


TRAINING = {
    "greet": ["hello there", "hi, good morning", "hey, how are you", "good evening to you"],
    "ask_stop/stop_relapse": [
        "will the virus come back if treatment ends",
        "how often does hep b relapse after stopping",
        "chance of relapse when tablets are stopped",
        "does the virus return after stopping",
    ],
    "ask_resistance/res_harm": [
        "why is drug resistance bad",
        "what harm does resistance do",
        "is resistance dangerous for the liver",
        "what happens when the virus is resistant",
    ],
}


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    storage = LocalModelStorage(tmp_path_factory.mktemp("storage"))
    resource = Resource("sentence_classifier")
    classifier = SentenceEmbeddingClassifier({"weight": 1.0}, storage, resource)
    examples = []
    for label, texts in TRAINING.items():
        intent, _, key = label.partition("/")
        for text in texts:
            data = {TEXT: text, INTENT: intent, **({"intent_response_key": label} if key else {})}
            examples.append(Message(data=data))
    classifier.train(TrainingData(examples))
    return SentenceEmbeddingClassifier.load({"weight": 1.0}, storage, resource, None)


@pytest.mark.parametrize(
    "text, label",
    [
        ("good morning!", "greet"),
        ("can hepatitis b come back after I finish my pills", "ask_stop/stop_relapse"),
        ("how bad is it if the virus gets resistant", "ask_resistance/res_harm"),
    ],
)
def test_a_trained_and_reloaded_classifier_ranks_the_right_label_first(trained, text, label):
    message = Message(data={TEXT: text, INTENT_RANKING_KEY: [], "response_selector": {}})
    trained.process([message])
    assert message.get(INTENT)["name"] == label.split("/")[0]
    if "/" in label:
        assert message.get("response_selector")["default"]["response"]["intent_response_key"] == label


def test_button_payloads_are_left_alone(trained):
    message = Message(data={TEXT: "/affirm", INTENT: {"name": "affirm", "confidence": 1.0}})
    trained.process([message])
    assert message.get(INTENT)["name"] == "affirm"
