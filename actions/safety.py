"""A human contact, leaving a check, and a topic's overview."""
import os
from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActiveLoop, EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from knowledge import general_answer

from actions.checks import all_check_slots
from actions.topics import CHECK_BUTTONS, TOPIC_TITLES, topic_buttons

DEFAULT_CONTACT = "the hepatitis clinic or nurse line of your hospital"


class ActionHumanHandoff(Action):
    """Tells how to reach a person at the hospital (HOSPITAL_CONTACT)."""

    def name(self) -> Text:
        return "action_human_handoff"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: Dict[Text, Any]) -> List[EventType]:
        contact = os.environ.get("HOSPITAL_CONTACT", "").strip() or DEFAULT_CONTACT
        dispatcher.utter_message(
            text=f"I'm an automated assistant and can't put you through to a person. "
                 f"To talk to someone, please contact {contact}. "
                 f"If you feel very unwell, call your local emergency number.")
        return []


class ActionCancelCheck(Action):
    """Leaves the active check and forgets its answers (or says there is nothing to cancel)."""

    def name(self) -> Text:
        return "action_cancel_check"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: Dict[Text, Any]) -> List[EventType]:
        if not tracker.active_loop.get("name"):
            dispatcher.utter_message(text="There is nothing to cancel right now. What would you like to know?",
                                     buttons=topic_buttons())
            return []
        dispatcher.utter_message(text="OK, I've stopped the questions and cleared your answers. "
                                      "What else can I help with?", buttons=topic_buttons())
        return [ActiveLoop(None), SlotSet("requested_slot", None),
                *[SlotSet(slot, None) for slot in sorted(all_check_slots())]]


class ActionTopicOverview(Action):
    """A topic button: the topic's overview from the knowledge base, and its personal check."""

    def name(self) -> Text:
        return "action_topic_overview"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: Dict[Text, Any]) -> List[EventType]:
        topic = next(tracker.get_latest_entity_values("topic"), None)
        if topic not in TOPIC_TITLES:
            dispatcher.utter_message(response="utter_help")
            return []
        dispatcher.utter_message(text=general_answer(topic), buttons=[CHECK_BUTTONS[topic]])
        return []
