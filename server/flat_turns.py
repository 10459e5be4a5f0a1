"""Keep what one turn costs from growing with the length of the conversation (Rasa 3.6.x).

Rasa recomputes several things from the whole conversation on every turn. Three of them are
made incremental here, with the same results:

- ``DialogueStateTracker.applied_events()`` (the events that count, without reverted ones)
  walks every event, several times a turn: to start a session, to find the last message, and
  for every policy's dialogue states. Its result for a conversation's first n events does not
  change when events are added after them, unless an added event names a form (an
  ``ActiveLoop``) that none of the first n named: the walk is then redone from the start. A
  tracker keeps the walk it last made (``_applied_walk``) and continues it.
- ``clone(tracker)`` copies a tracker's state without replaying its events (Rasa's
  ``tracker.copy()`` replays them all, and Rasa copies the tracker before every action it
  runs): ``tracker.copy()`` becomes ``clone``, and the conversation store keeps each
  conversation's tracker between turns and hands out clones (``server.tracker_store``).
- The request to the action server carries the events the project's actions read, not the
  whole conversation: the form validators read the patient's messages back to the last end
  of a check or start of a session (``actions.answers.texts_since_last_check``), rasa-sdk
  reads the slots that were just set and the latest message's channel; every other part of
  the tracker (slots, latest message, form) is sent as before (``action_call_format``).

``install()`` checks the Rasa version (3.6.x) and the tracker attributes these rely on, and
refuses to start on anything else. ``tests/server/test_flat_turns.py`` compares them with
Rasa's own results on real conversations.
"""

from __future__ import annotations

import copy
import itertools
from collections import deque
from typing import Any

from rasa.shared.core.events import (
    ActionExecuted,
    ActionReverted,
    ActiveLoop,
    Event,
    Restarted,
    SessionStarted,
    UserUtteranceReverted,
    UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker

from actions.answers import CHECK_ENDS

SUPPORTED_RASA = "3.6."
# The attributes of a Rasa 3.6 tracker; clone() copies each one (a new one would go uncopied).
TRACKER_ATTRIBUTES = {
    "_max_event_history",
    "events",
    "sender_id",
    "slots",
    "sender_source",
    "is_rule_tracker",
    "_paused",
    "followup_action",
    "latest_action",
    "latest_message",
    "latest_bot_utterance",
    "active_loop",
    "model_id",
    "assistant_id",
}
_STOCK_APPLIED_EVENTS = DialogueStateTracker.applied_events
_STOCK_COPY = DialogueStateTracker.copy
_STOCK_ACTION_CALL_FORMAT: Any = None  # RemoteAction._action_call_format, set by install()


class AppliedWalk:
    """Where ``applied_events`` stopped: how many events it read, the first and last of them,
    the forms named so far and the events that count."""

    __slots__ = ("applied", "first", "last", "loop_names", "read")

    def __init__(
        self, read: int, first: Event | None, last: Event | None, loop_names: frozenset, applied: list[Event]
    ) -> None:
        self.read, self.first, self.last = read, first, last
        self.loop_names, self.applied = loop_names, applied

    def continues(self, events: Any) -> bool:
        """Whether ``events`` still start with the events this walk read."""
        return (
            len(events) >= self.read
            and self.read > 0
            and events[0] is self.first
            and events[self.read - 1] is self.last
        )


def _walk(
    tracker: DialogueStateTracker, events: list[Event], applied: list[Event], loop_names: frozenset
) -> None:
    """Rasa 3.6's ``applied_events`` loop over ``events``, appending to ``applied``."""
    for event in events:
        if isinstance(event, (Restarted, SessionStarted)):
            applied.clear()
        elif isinstance(event, ActionReverted):
            tracker._undo_till_previous(ActionExecuted, applied)
        elif isinstance(event, UserUtteranceReverted):
            tracker._undo_till_previous(UserUttered, applied)
            tracker._undo_till_previous(ActionExecuted, applied)
        elif (
            isinstance(event, ActionExecuted)
            and event.action_name in loop_names
            and not tracker._first_loop_execution_or_unhappy_path(event.action_name, applied)
        ):
            tracker._undo_till_previous_loop_execution(event.action_name, applied)
        else:
            applied.append(event)


def applied_events(self: DialogueStateTracker) -> list[Event]:
    """``DialogueStateTracker.applied_events``, continuing the walk made last time."""
    events = self.events
    walk: AppliedWalk | None = self.__dict__.get("_applied_walk")
    new = list(events)
    if walk is not None and walk.continues(events):
        new = new[walk.read :]
        if any(
            isinstance(event, ActiveLoop) and event.name and event.name not in walk.loop_names
            for event in new
        ):
            walk = None
    else:
        walk = None
    if walk is None:
        new = list(events)
        loop_names = frozenset(event.name for event in new if isinstance(event, ActiveLoop) and event.name)
        applied: list[Event] = []
    else:
        loop_names, applied = walk.loop_names, list(walk.applied)
    _walk(self, new, applied, loop_names)
    if events:
        self._applied_walk = AppliedWalk(len(events), events[0], events[-1], loop_names, applied)
    return list(applied)


def clone(tracker: DialogueStateTracker) -> DialogueStateTracker:
    """A tracker in the same state as ``tracker`` (``tracker.copy()`` without the replay): the
    same event objects in a new list, copies of the slots and of the form state (the only parts
    Rasa changes in place; the last action and message are replaced, never changed)."""
    twin = copy.copy(tracker)
    twin.events = deque(tracker.events, tracker.events.maxlen)
    twin.slots = type(tracker.slots)((name, copy.copy(slot)) for name, slot in tracker.slots.items())
    twin.active_loop = copy.copy(tracker.active_loop)  # changed in place when a form is rejected
    walk = tracker.__dict__.get("_applied_walk")
    if walk is not None:
        twin._applied_walk = AppliedWalk(
            walk.read, walk.first, walk.last, walk.loop_names, list(walk.applied)
        )
    return twin


def first_event_the_actions_read(events: Any) -> int:
    """Index of the first event the action server needs: the last end of a check or start of a
    session (where the validators stop reading back), or the latest message if it is earlier."""
    boundary = latest_message = None
    for index in range(len(events) - 1, -1, -1):
        event = events[index]
        if latest_message is None and isinstance(event, UserUttered):
            latest_message = index
        if boundary is None and (
            isinstance(event, SessionStarted)
            or (isinstance(event, ActionExecuted) and event.action_name in CHECK_ENDS)
        ):
            boundary = index
        if boundary is not None and latest_message is not None:
            return min(boundary, latest_message)
    return 0 if latest_message is None or boundary is None else boundary


def action_call_format(self: Any, tracker: DialogueStateTracker, domain: Any) -> dict[str, Any]:
    """Rasa's request to the action server, with the events from ``first_event_the_actions_read``."""
    start = first_event_the_actions_read(tracker.events)
    if start:
        view = copy.copy(tracker)  # the same state; only the events differ
        view.events = deque(itertools.islice(tracker.events, start, None))
        tracker = view
    return _STOCK_ACTION_CALL_FORMAT(self, tracker, domain)


def check_rasa() -> None:
    """Refuse a Rasa version these were not written for."""
    import rasa

    tracker = DialogueStateTracker("check", [])
    if not rasa.__version__.startswith(SUPPORTED_RASA) or set(vars(tracker)) != TRACKER_ATTRIBUTES:
        raise RuntimeError(
            f"server/flat_turns.py was written for Rasa {SUPPORTED_RASA}x, whose trackers have the "
            f"attributes {sorted(TRACKER_ATTRIBUTES)}; this is Rasa {rasa.__version__} with "
            f"{sorted(vars(tracker))}: check applied_events and the tracker's state and update this file."
        )


def install() -> None:
    """Make ``applied_events`` incremental, copies without replay, action calls without the
    events the actions never read (idempotent)."""
    from rasa.core.actions.action import RemoteAction

    check_rasa()
    global _STOCK_ACTION_CALL_FORMAT
    if RemoteAction._action_call_format is not action_call_format:
        _STOCK_ACTION_CALL_FORMAT = RemoteAction._action_call_format
    DialogueStateTracker.applied_events = applied_events  # type: ignore[method-assign]
    DialogueStateTracker.copy = clone  # type: ignore[method-assign]
    RemoteAction._action_call_format = action_call_format  # type: ignore[method-assign]
