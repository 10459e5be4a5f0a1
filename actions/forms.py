"""Form validators for the three personal checks.

Each check asks only what the rules still need (`knowledge.questions`), reads answers and
corrections from every message, re-asks with an explanation when a value is refused, and
lets unrelated messages through so the dialogue can answer them and come back.
"""
from typing import Any, Dict, List, Text

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import FormValidationAction
from rasa_sdk.types import DomainDict

from knowledge.questions import SLOTS, next_questions

from actions.answers import read_message
from actions.checks import answers_so_far


class CheckFormValidation(FormValidationAction):
    """Shared logic of the check forms; subclasses name their topic."""

    topic: str = ""

    def name(self) -> Text:
        return f"validate_{self.topic}_form"

    async def required_slots(self, domain_slots: List[Text], dispatcher: CollectingDispatcher,
                             tracker: Tracker, domain: DomainDict) -> List[Text]:
        """Slots already answered, then the questions the rules still need, in order."""
        answers = answers_so_far(tracker, self.topic)
        return [*answers, *next_questions(self.topic, answers)[:1]]

    async def get_extraction_events(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                                    domain: DomainDict) -> List[EventType]:
        requested = tracker.get_slot("requested_slot")
        message = tracker.latest_message
        reading = read_message(
            intent=(message.get("intent") or {}).get("name") or "",
            text=message.get("text") or "",
            entities=message.get("entities") or [],
            requested_slot=requested if requested in SLOTS[self.topic] else None,
            form_slots=SLOTS[self.topic],
        )
        for problem in reading.problems:
            dispatcher.utter_message(text=problem)
        corrected = [slot for slot, value in reading.values.items()
                     if slot != requested and tracker.get_slot(slot) not in (None, value)]
        if corrected:
            dispatcher.utter_message(text="Thanks, I've updated your earlier answer.")
        events: List[EventType] = [SlotSet(slot, value) for slot, value in reading.values.items()]
        if reading.problems and requested and requested not in reading.values:
            events.append(SlotSet(requested, None))  # keeps the form asking the same question
        return events

    async def get_validation_events(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                                    domain: DomainDict) -> List[EventType]:
        """Every slot set this turn; values were already checked while they were read."""
        return [SlotSet(slot, value) for slot, value in tracker.slots_to_validate().items()]


class ValidateStopForm(CheckFormValidation):
    topic = "stop"


class ValidateResistanceForm(CheckFormValidation):
    topic = "resistance"


class ValidateInterferonForm(CheckFormValidation):
    topic = "interferon"
