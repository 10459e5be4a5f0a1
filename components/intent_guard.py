"""Rasa component that makes two intent decisions deterministic.

- A message that reports a red-flag symptom is `report_red_flag`, whatever the classifier
  thought, so the urgent-care advice always comes first.
- A message that is only a value ("85", "<20 IU/mL", "18 months", "G2", "interferon") is
  `inform`, so a short answer to a question is never mistaken for a greeting, a general
  question or a fallback.
"""
import re
from datetime import date
from typing import Any, Dict, List

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from knowledge.facts import normalise_drug
from knowledge.labvalues import (LabValueError, UnitMissingError, parse_alt, parse_duration_months,
                                 parse_hbv_dna)
from knowledge.redflags import detect_red_flags
from components import speedups

speedups.install()  # Rasa's action-response validation without re-checking its schema

ANSWER_INTENTS = {"inform", "affirm", "deny", "dont_know"}
VALUE_WORDS = {
    # filler
    "my", "it", "is", "was", "were", "about", "around", "maybe", "approximately", "roughly", "the",
    "a", "an", "i", "i'm", "im", "think", "its", "it's", "um", "er", "and", "ok", "so", "now",
    "only", "just", "on", "taking", "take", "result", "results", "said", "showed", "says",
    "biopsy", "level", "test", "came", "back", "as",
    # units and value words
    "iu", "iu/ml", "ml", "/", "copies", "copies/ml", "cp", "cp/ml", "per", "u", "l", "u/l",
    "iu/l", "x", "times", "uln", "upper", "limit", "normal", "of", "log", "log10", "ref", "range",
    "undetectable", "not", "detected", "negative", "tnd", "below", "grade", "half", "since",
    "month", "months", "year", "years", "week", "weeks", "old",
    "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december",
}
NUMBER = re.compile(r"^[<>]?[\d.,]+(?:[x×*]10\^?[-\d]+|e[+-]?\d+|x)?$|^g[0-4]$|^10\^\d+$")


def _is_drug(word: str) -> bool:
    try:
        normalise_drug(word)
        return True
    except LabValueError:
        return False


def is_bare_value(text: str) -> bool:
    """True when the message is only a value or a drug name, with units and filler words."""
    if _is_drug(text):
        return True
    words = re.findall(r"[^\s,()]+", text.lower())
    if not words or not all(NUMBER.match(word) or word.strip(".") in VALUE_WORDS or _is_drug(word)
                            for word in words):
        return False
    if any(_is_drug(word) for word in words):
        return True
    for parse in (parse_hbv_dna, parse_alt, lambda value: parse_duration_months(value, date.today())):
        try:
            parse(text)
            return True
        except UnitMissingError:
            return True
        except LabValueError:
            continue
    return bool(re.fullmatch(r"\s*g[0-4]\s*", text.lower()))


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class SafetyIntentGuard(GraphComponent, IntentClassifier):
    """Overrides the predicted intent for red flags and bare values (see module docstring)."""

    @classmethod
    def create(cls, config: Dict[str, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> "SafetyIntentGuard":
        return cls()

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            text = message.get(TEXT) or ""
            intent = (message.get(INTENT) or {}).get("name")
            if detect_red_flags(text):
                self._override(message, "report_red_flag")
            elif intent not in ANSWER_INTENTS and is_bare_value(text):
                self._override(message, "inform")
        return messages

    @staticmethod
    def _override(message: Message, intent_name: str) -> None:
        ranking = [entry for entry in message.get(INTENT_RANKING_KEY) or []
                   if entry.get("name") != intent_name]
        chosen = {"name": intent_name, "confidence": 1.0}
        message.set(INTENT, chosen, add_to_output=True)
        message.set(INTENT_RANKING_KEY, [chosen, *ranking], add_to_output=True)
