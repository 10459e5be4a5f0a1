"""A human contact, leaving a check, and a topic's overview."""

from __future__ import annotations

import os
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActiveLoop, EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.checks import all_check_slots
from knowledge.facts import TOPICS


class ActionHumanHandoff(Action):
    """Tells how to reach a person at the hospital (HOSPITAL_CONTACT)."""

    def name(self) -> str:
        return "action_human_handoff"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        contact = os.environ.get("HOSPITAL_CONTACT", "").strip()
        if contact:
            dispatcher.utter_message(response="utter_human_handoff_to", contact=contact)
        else:
            dispatcher.utter_message(response="utter_human_handoff")
        return []


class ActionCancelCheck(Action):
    """Leaves the active check and forgets its answers (or says there is nothing to cancel)."""

    def name(self) -> str:
        return "action_cancel_check"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        if not tracker.active_loop.get("name"):
            dispatcher.utter_message(response="utter_nothing_to_cancel")
            return []
        dispatcher.utter_message(response="utter_check_cancelled")
        return [
            ActiveLoop(None),
            SlotSet("requested_slot", None),
            *[SlotSet(slot, None) for slot in sorted(all_check_slots())],
        ]


class ActionTopicOverview(Action):
    """A topic button: the topic's overview from the knowledge base, and its personal check."""

    def name(self) -> str:
        return "action_topic_overview"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        topic = next(tracker.get_latest_entity_values("topic"), None)
        if topic not in TOPICS:
            dispatcher.utter_message(response="utter_help")
            return []
        dispatcher.utter_message(response=f"utter_ask_{topic}/overview")  # generated from the knowledge base
        return []
