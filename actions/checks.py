"""What the dialogue has collected for a check, as the rule module's answers."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker

from knowledge.questions import SLOTS


def answers_so_far(tracker: Tracker, topic: str) -> dict[str, Any]:
    """The check's slots that hold an answer (a value or "unknown"), in question order."""
    return {slot: tracker.get_slot(slot) for slot in SLOTS[topic] if tracker.get_slot(slot) is not None}


def all_check_slots() -> set:
    """Every slot of every check (cleared when a check ends or is cancelled)."""
    return {slot for slots in SLOTS.values() for slot in slots}
