"""Form validators for the three personal checks.

Each check takes every value the patient has already given (before the check, in the message
that started it, in any later message), says in one line what it took, and asks only what the
rules still need (`knowledge.questions`). Typed answers are read for the question just asked
(`knowledge.answers`); a refused value is explained and asked again once, then left unknown; a
viral load without its unit is completed by asking the unit; a question or a red flag is left to
the dialogue, and the check resumes afterwards.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import FormValidationAction
from rasa_sdk.types import DomainDict

from actions.answers import conversation_reading, message_reading
from actions.checks import answers_so_far
from components.phrasing import is_question
from knowledge.answers import EXPECTED, QUESTIONS, Reading, shown
from knowledge.questions import SLOTS, UNKNOWN, next_questions, slots_to_read

MAX_TRIES = 2  # a question whose answer is refused twice is left unknown (never asked a third time)
DEFAULT_RESISTANCE_QUESTION = "monitoring"  # when the patient can't say which resistance question
ANSWER_INTENTS = {"inform", "affirm", "deny", "dont_know"}


def _summary(reading: Reading, topic: str, only: list[str] | None = None) -> str:
    slots = [slot for slot in SLOTS[topic] if slot in reading.values and (only is None or slot in only)]
    return ", ".join(shown(slot, reading.values[slot]) for slot in slots)


def _explain(dispatcher: CollectingDispatcher, understood: str | None, expected: str) -> None:
    """Say that an answer could not be used: what was understood of it, if anything, and what is needed."""
    if understood:
        dispatcher.utter_message(response="utter_answer_problem", understood=understood, expected=expected)
    else:
        dispatcher.utter_message(response="utter_answer_unusable", expected=expected)


class CheckFormValidation(FormValidationAction):
    """Shared logic of the check forms; subclasses name their topic."""

    topic: str = ""

    def name(self) -> str:
        return f"validate_{self.topic}_form"

    async def required_slots(
        self, domain_slots: list[str], dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[str]:
        """Slots already answered, then the questions the rules still need, in order."""
        answers = answers_so_far(tracker, self.topic)
        return [*answers, *next_questions(self.topic, answers)[:1]]

    async def get_extraction_events(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        message = tracker.latest_message
        intent = (message.get("intent") or {}).get("name") or ""
        if intent == "report_red_flag":
            return []  # the urgent advice comes first; the check resumes afterwards
        requested = tracker.get_slot("requested_slot")
        if requested not in SLOTS[self.topic]:
            return self._start(dispatcher, tracker)
        answers = answers_so_far(tracker, self.topic)
        reading = message_reading(
            message,
            requested,
            [requested, *slots_to_read(self.topic, answers)],
            tracker.get_slot("pending_number"),
        )
        text = message.get("text") or ""
        if (
            requested in reading.values
            and is_question(text)
            and intent not in ANSWER_INTENTS
            and QUESTIONS[requested]["kind"] == "yes_no"
            and len(reading.values) == 1
        ):
            reading.values.pop(requested)  # "is positive bad?" asks, it does not answer
        if reading.values.get("res_question") == UNKNOWN:
            return self._refused(dispatcher, tracker, requested, None)  # one of the four is needed
        if reading.empty:
            return self._not_an_answer(dispatcher, tracker, intent, text, requested)
        if self.topic == "resistance" and "res_question" in reading.values:
            earlier = conversation_reading(tracker.events, self.topic, reading.values["res_question"])
            for slot, value in earlier.values.items():
                reading.take(slot, value)
        return self._answer_events(dispatcher, tracker, reading, requested)

    def _start(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
        """The check starts: take every value given so far and say what was taken."""
        reading = conversation_reading(tracker.events, self.topic)
        taken = _summary(reading, self.topic)
        if taken:
            dispatcher.utter_message(response="utter_values_taken", values=taken)
        return [SlotSet(slot, value) for slot, value in reading.values.items()]

    def _not_an_answer(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, intent: str, text: str, requested: str
    ) -> list[EventType]:
        """A question or another request is left to the dialogue (the form asks again after it);
        the check's own request keeps the check going; anything else is explained."""
        if intent == f"check_{self.topic}":
            return [SlotSet(requested, None)]
        if intent not in ANSWER_INTENTS | {"nlu_fallback"}:
            return []
        return self._refused(dispatcher, tracker, requested, None)  # also "?": read as an answer, no words

    def _answer_events(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, reading: Reading, requested: str
    ) -> list[EventType]:
        events: list[EventType] = [SlotSet("pending_number", None), SlotSet("unit_missing", None)]
        changed = [
            slot
            for slot, value in reading.values.items()
            if slot != requested and tracker.get_slot(slot) not in (None, value)
        ]
        added = [slot for slot in reading.values if slot != requested and tracker.get_slot(slot) is None]
        if changed:
            dispatcher.utter_message(
                response="utter_answer_updated", values=_summary(reading, self.topic, changed)
            )
        elif added:
            dispatcher.utter_message(
                response="utter_values_noted", values=_summary(reading, self.topic, added)
            )
        events += [SlotSet(slot, value) for slot, value in reading.values.items()]
        if reading.missing_unit and requested not in reading.values:
            slot, number = reading.missing_unit
            return [
                *events,
                SlotSet(requested, None),
                SlotSet("pending_number", number),
                SlotSet("unit_missing", True),
            ]
        if requested in reading.problems and requested not in reading.values:
            return events + self._refused(dispatcher, tracker, requested, reading.problems[requested])
        for slot, problem in reading.problems.items():
            if slot not in reading.values:
                _explain(dispatcher, problem.understood, problem.expected)
        return [*events, SlotSet("answer_tries", None)]

    async def get_validation_events(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        """Every slot set this turn; values were already checked while they were read."""
        return [SlotSet(slot, value) for slot, value in tracker.slots_to_validate().items()]

    def _refused(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, requested: str, problem: Any
    ) -> list[EventType]:
        """Explain and ask again; after the second refusal leave the question unknown."""
        tries = tracker.get_slot("answer_tries") or {}
        count = (tries.get("count", 0) if tries.get("slot") == requested else 0) + 1
        if count >= MAX_TRIES and requested == "res_question":
            dispatcher.utter_message(response="utter_question_chosen")  # the most general of the four
            return [SlotSet(requested, DEFAULT_RESISTANCE_QUESTION), SlotSet("answer_tries", None)]
        if count >= MAX_TRIES:
            dispatcher.utter_message(response="utter_marked_unknown")
            return [SlotSet(requested, UNKNOWN), SlotSet("answer_tries", None)]
        expected = getattr(problem, "expected", None) or EXPECTED[QUESTIONS[requested]["kind"]]
        _explain(dispatcher, getattr(problem, "understood", None), expected)
        return [SlotSet(requested, None), SlotSet("answer_tries", {"slot": requested, "count": count})]


class ValidateStopForm(CheckFormValidation):
    topic = "stop"


class ValidateResistanceForm(CheckFormValidation):
    topic = "resistance"


class ValidateInterferonForm(CheckFormValidation):
    topic = "interferon"
