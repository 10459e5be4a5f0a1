"""The dialogue's messages as the check's answers: tracker events in, `knowledge.answers` readings out."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from knowledge.answers import Reading, read_answer, read_conversation
from knowledge.data import QUESTIONS
from knowledge.questions import RESISTANCE_FIELDS, UNKNOWN

CHECK_ENDS = {
    "action_assess_stop",
    "action_assess_resistance",
    "action_assess_interferon",
    "action_cancel_check",
    "action_session_start",
}
BUTTON_ANSWERS = {"affirm": True, "deny": False, "dont_know": UNKNOWN}
# The entity of a button payload ('/inform{"drug":"entecavir"}') answers the questions of one kind
# (knowledge/data/questions.yaml); it is named after the kind except for these.
ENTITY_OF_KIND = {"grade": "biopsy_grade", "choice": "res_question"}
_BUTTON_SLOTS = [
    (ENTITY_OF_KIND.get(question["kind"], question["kind"]), slot)
    for slot, question in QUESTIONS.items()
    if question["kind"] != "yes_no"
]
PAYLOAD_ENTITIES: dict[str, tuple[str, ...]] = {
    entity: tuple(slot for other, slot in _BUTTON_SLOTS if other == entity) for entity, _ in _BUTTON_SLOTS
}


def is_payload(text: str) -> bool:
    """Button payloads ('/affirm', '/inform{...}') come in as text starting with '/'."""
    return text.startswith("/")


def payload_reading(
    intent: str, entities: Iterable[Mapping[str, Any]], requested: str | None, slots: list[str]
) -> Reading:
    """The answer a tapped button gives to the question it belongs to, read like typed words
    so that it is stored in the same form ('2' check-ups -> 2, '10^7 IU/mL' -> '10,000,000 IU/mL')."""
    reading = Reading()
    if requested and intent in BUTTON_ANSWERS:
        reading.take(requested, BUTTON_ANSWERS[intent])
    for entity in entities:
        targets = [slot for slot in PAYLOAD_ENTITIES.get(str(entity.get("entity")), ()) if slot in slots]
        slot = requested if requested in targets else next(iter(targets), None)
        value = str(entity.get("value"))
        if slot == "res_question":
            reading.take(slot, value if value in RESISTANCE_FIELDS else None)
        elif slot:
            read = read_answer(value.replace("_", " "), slot, slots)
            reading.take(slot, read.values.get(slot, read.problems.get(slot)))
    return reading


def message_reading(
    message: Mapping[str, Any], requested: str, slots: list[str], number_without_unit: str | None = None
) -> Reading:
    """What the latest message answers: a button's payload, or typed words read for `requested`."""
    text = message.get("text") or ""
    if is_payload(text):
        intent = (message.get("intent") or {}).get("name") or ""
        return payload_reading(intent, message.get("entities") or [], requested, slots)
    return read_answer(text, requested, slots, number_without_unit=number_without_unit)


def texts_since_last_check(events: list[dict[str, Any]]) -> list[str]:
    """What the patient typed since the last check ended (oldest first), this message included."""
    texts: list[str] = []
    for event in reversed(events):
        if event.get("event") == "action" and event.get("name") in CHECK_ENDS:
            break
        if event.get("event") == "session_started":
            break
        if event.get("event") == "user" and not is_payload(event.get("text") or ""):
            texts.append(event.get("text") or "")
    return texts[::-1]


def conversation_reading(events: list[dict[str, Any]], topic: str, question: str | None = None) -> Reading:
    """The values given for a check in the messages since the last check ended (for the
    resistance check: for `question`, or the question those messages ask)."""
    return read_conversation(texts_since_last_check(events), topic, question=question)
