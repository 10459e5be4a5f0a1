"""Red flags, a human contact, and leaving a check."""
import os
from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActiveLoop, EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from knowledge import general_answer
from knowledge.redflags import URGENT_MESSAGE, detect_red_flags

from actions.checks import all_check_slots
from actions.topics import CHECK_BUTTONS, TOPIC_TITLES, topic_buttons

DEFAULT_CONTACT = "the hepatitis clinic or nurse line of your hospital"


class ActionRedFlag(Action):
    """Urgent-care advice first; an active check then carries on where it was."""

    def name(self) -> Text:
        return "action_red_flag"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: Dict[Text, Any]) -> List[EventType]:
        flags = detect_red_flags(tracker.latest_message.get("text") or "")
        heard = ", ".join(dict.fromkeys(f'"{flag.phrase}"' for flag in flags))
        advice = " ".join(dict.fromkeys(flag.advice for flag in flags if flag.advice))
        prefix = f"You mentioned {heard}. " if heard else ""
        dispatcher.utter_message(text=" ".join(filter(None, [prefix + URGENT_MESSAGE, advice])))
        return []


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
