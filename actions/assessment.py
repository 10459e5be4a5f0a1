"""End of a check: the collected answers go to the rule module, its answer to the patient."""

from __future__ import annotations

import logging
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.checks import all_check_slots, answers_so_far
from actions.render import assessment_parameters
from knowledge.labvalues import LabValueError
from knowledge.questions import assess_answers

logger = logging.getLogger(__name__)


class AssessCheck(Action):
    """Runs the topic's assessment on the answers, shows it, and clears the answers."""

    topic: str = ""

    def name(self) -> str:
        return f"action_assess_{self.topic}"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        answers = answers_so_far(tracker, self.topic)
        try:
            assessment = assess_answers(self.topic, answers)
        except LabValueError as error:  # a stored answer the rules refuse: explain, keep going
            logger.debug("assessment refused an answer: %s", error)
            dispatcher.utter_message(response="utter_answer_refused", problem=str(error))
        else:
            logger.debug("assessment %s: %s", self.topic, assessment.verdict)
            shown = assessment_parameters(assessment)
            dispatcher.utter_message(
                response="utter_assessment",
                answer=shown["answer"],
                sources=shown["sources"],
                rules=shown["rules"],
            )
        return [SlotSet(slot, None) for slot in sorted(all_check_slots())]


class ActionAssessStop(AssessCheck):
    topic = "stop"


class ActionAssessResistance(AssessCheck):
    topic = "resistance"


class ActionAssessInterferon(AssessCheck):
    topic = "interferon"
