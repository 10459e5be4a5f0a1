"""Rasa entity extractor for lab values, durations, drugs and facts (blank spaCy, no model)."""
from typing import Any, Dict, List

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.extractors.extractor import EntityExtractorMixin
from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from components.normalise import normalise
from components.value_spans import ValueSpanFinder
from components import speedups

speedups.install()  # Rasa's action-response validation without re-checking its schema


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR], is_trainable=False)
class ClinicalValueExtractor(GraphComponent, EntityExtractorMixin):
    """Adds entities such as `alt`, `hbv_dna` (with a role), `duration`, `drug`, `hbeag`.

    Each entity's `value` is the rule module's canonical text for it; values the parser
    refuses keep their raw text, so the dialogue can explain what was wrong.
    """

    @classmethod
    def create(cls, config: Dict[str, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> "ClinicalValueExtractor":
        return cls()

    def __init__(self) -> None:
        self.finder = ValueSpanFinder()

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            text = message.get(TEXT) or ""
            found = [self._entity(span) for span in self.finder.find(text)]
            message.set(ENTITIES, message.get(ENTITIES, []) + found, add_to_output=True)
        return messages

    def _entity(self, span) -> Dict[str, Any]:
        entity = {"entity": span.kind, "start": span.start, "end": span.end,
                  "value": normalise(span.kind, span.text) or span.text,
                  "confidence_entity": 1.0, "extractor": self.__class__.__name__}
        if span.role:
            entity["role"] = span.role
        return entity
