"""A turn's cost flat in the conversation's length, with Rasa's results: the incremental
``applied_events``, tracker clones, and the conversation cache against Rasa's own SQL store."""

from __future__ import annotations

import asyncio
import copy
import time

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (
    ActionExecuted,
    ActionExecutionRejected,
    ActionReverted,
    ActiveLoop,
    BotUttered,
    FollowupAction,
    Restarted,
    SessionStarted,
    SlotSet,
    UserUtteranceReverted,
    UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker, EventVerbosity

from server import flat_turns
from server.tracker_store import PrivateTrackerStore, forget
from tests.servers import REPO

DOMAIN = Domain.load(str(REPO / "domain.yml"))
FORMS = ["stop_form", "resistance_form"]
EVENTS = st.one_of(
    st.builds(lambda: ActionExecuted("action_listen")),
    st.builds(
        lambda text: UserUttered(text, {"name": "inform", "confidence": 1.0}),
        st.sampled_from(["yes", "no", "3"]),
    ),
    st.builds(
        lambda name: ActionExecuted(name), st.sampled_from([*FORMS, "utter_greet", "action_assess_stop"])
    ),
    st.builds(lambda name: ActiveLoop(name), st.sampled_from([*FORMS, None])),
    st.builds(lambda name: ActionExecutionRejected(name), st.sampled_from(FORMS)),
    st.builds(lambda value: SlotSet("cirrhosis", value), st.sampled_from([True, False, None])),
    st.builds(lambda: BotUttered("hi")),
    st.builds(lambda: FollowupAction("action_listen")),
    st.builds(UserUtteranceReverted),
    st.builds(ActionReverted),
    st.builds(Restarted),
    st.builds(SessionStarted),
)


def state(tracker: DialogueStateTracker) -> dict:
    """Everything a tracker's behaviour depends on (events by identity)."""
    return {
        "events": [id(event) for event in tracker.events],
        "slots": {name: (type(slot), slot.value) for name, slot in tracker.slots.items()},
        **{
            name: getattr(tracker, name)
            for name in (
                "sender_id",
                "active_loop",
                "latest_action",
                "followup_action",
                "_paused",
                "latest_message",
                "latest_bot_utterance",
                "_max_event_history",
                "is_rule_tracker",
                "sender_source",
            )
        },
    }


@settings(max_examples=300, deadline=None)
@given(st.lists(EVENTS, max_size=40))
@example([ActionExecuted("stop_form"), ActionExecuted("stop_form"), ActiveLoop("stop_form")])
def test_applied_events_continued_equal_rasas_after_every_event(events):
    tracker = DialogueStateTracker("me", DOMAIN.slots)
    for event in events:
        tracker.events.append(event)
        assert flat_turns.applied_events(tracker) == flat_turns._STOCK_APPLIED_EVENTS(tracker)


@settings(max_examples=200, deadline=None)
@given(st.lists(EVENTS, max_size=40))
def test_a_clone_is_in_the_state_of_a_copy_and_independent_of_its_original(events):
    tracker = DialogueStateTracker.from_events("me", [*events, ActiveLoop("stop_form")], DOMAIN.slots)
    twin = flat_turns.clone(tracker)
    copied = state(tracker.copy())
    copied["events"] = [id(event) for event in tracker.events]  # copy() keeps the event objects too
    assert state(twin) == copied
    before = copy.deepcopy(state(tracker))
    twin.update(SlotSet("cirrhosis", "changed"))
    twin.update(ActionExecutionRejected("stop_form"))  # changes the form state in place
    twin.update(ActiveLoop("resistance_form"))
    twin.update(ActionExecuted("utter_greet"))
    assert state(tracker) == before


def test_copy_is_a_clone_in_the_state_rasas_copy_replays(monkeypatch):
    tracker = DialogueStateTracker.from_events(
        "me",
        [ActionExecuted("action_listen"), ActiveLoop("stop_form"), SlotSet("cirrhosis", True)],
        DOMAIN.slots,
    )
    flat_turns.install()
    copied = tracker.copy()
    assert state(copied) == state(flat_turns._STOCK_COPY(tracker)) | {"events": state(tracker)["events"]}
    copied.update(SlotSet("cirrhosis", False))
    assert tracker.get_slot("cirrhosis") is True


MESSAGES = st.builds(
    lambda text, channel: UserUttered(text, {"name": "inform", "confidence": 1.0}, input_channel=channel),
    st.sampled_from(["yes", "entecavir", "/affirm", "3 years"]),
    st.sampled_from(["rest", "socketio"]),
)
CHECK_EVENTS = st.one_of(
    EVENTS,
    MESSAGES,
    st.builds(
        lambda name: ActionExecuted(name),
        st.sampled_from(
            ["action_assess_stop", "action_cancel_check", "action_session_start", "validate_stop_form"]
        ),
    ),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(CHECK_EVENTS, max_size=60))
def test_the_action_server_gets_what_the_actions_read_from_the_whole_conversation(events):
    from rasa.core.actions.action import RemoteAction
    from rasa.utils.endpoints import EndpointConfig
    from rasa_sdk import Tracker

    from actions.answers import texts_since_last_check

    flat_turns.install()
    tracker = DialogueStateTracker.from_events("me", [*events, SlotSet("cirrhosis", True)], DOMAIN.slots)
    action = RemoteAction("validate_stop_form", EndpointConfig("http://localhost:5055/webhook"))
    sent = action._action_call_format(tracker, DOMAIN)
    whole = flat_turns._STOCK_ACTION_CALL_FORMAT(action, tracker, DOMAIN)
    assert len(sent["tracker"]["events"]) <= len(whole["tracker"]["events"])
    assert {**sent, "tracker": {**sent["tracker"], "events": None}} == {
        **whole,
        "tracker": {**whole["tracker"], "events": None},
    }
    assert whole["tracker"]["events"][-len(sent["tracker"]["events"]) :] == sent["tracker"]["events"]
    read, full = Tracker.from_dict(sent["tracker"]), Tracker.from_dict(whole["tracker"])
    assert texts_since_last_check(read.events) == texts_since_last_check(full.events)
    assert read.slots_to_validate() == full.slots_to_validate()
    assert read.get_latest_input_channel() == full.get_latest_input_channel()


def test_a_long_check_sends_the_action_server_only_the_current_check():
    flat_turns.install()
    tracker = DialogueStateTracker("me", DOMAIN.slots)
    for number in range(95):
        turn(tracker, str(number), True)
        if number % 10 == 9:
            tracker.update(ActionExecuted("action_assess_stop"))
    from rasa.core.actions.action import RemoteAction
    from rasa.utils.endpoints import EndpointConfig

    sent = RemoteAction("validate_stop_form", EndpointConfig("http://x"))._action_call_format(tracker, DOMAIN)
    assert len(tracker.events) > 500
    assert len(sent["tracker"]["events"]) == 1 + 6 * 5  # the last check's end, then the five turns since


def test_install_refuses_another_rasa_version(monkeypatch):
    import rasa

    monkeypatch.setattr(rasa, "__version__", "3.7.0")
    with pytest.raises(RuntimeError, match=r"written for Rasa 3\.6"):
        flat_turns.install()


def turn(tracker: DialogueStateTracker, text: str, slot_value, now: float = 0) -> None:
    now = now or time.time()
    for event in (
        UserUttered(text, {"name": "inform", "confidence": 1.0}, timestamp=now),
        ActionExecuted("stop_form", timestamp=now),
        ActiveLoop("stop_form", timestamp=now),
        SlotSet("cirrhosis", slot_value, timestamp=now),
        BotUttered(f"got {text}", timestamp=now),
        ActionExecuted("action_listen", timestamp=now),
    ):
        tracker.update(event)


def as_rasa_reads(store: SQLTrackerStore, sender: str) -> dict:
    tracker = asyncio.run(SQLTrackerStore.retrieve(store, sender))
    return tracker.current_state(EventVerbosity.ALL) if tracker else None


@pytest.fixture
def two_servers(tmp_path, monkeypatch):
    """Two conversation stores on one database, as two servers of `make cluster` share one."""
    monkeypatch.setenv("RETENTION_DAYS", "30")
    folder = tmp_path / "state"
    one, two = (PrivateTrackerStore(DOMAIN, db=str(folder / "tracker.db")) for _ in range(2))
    rasa = SQLTrackerStore(DOMAIN, dialect="sqlite", db=str(folder / "tracker.db"))
    return one, two, rasa


def test_each_server_reads_what_the_other_wrote_as_rasa_reads_it(two_servers):
    one, two, rasa = two_servers
    sender = "rest:patient"
    tracker = DialogueStateTracker.from_events(
        sender,
        [ActionExecuted("action_session_start"), SessionStarted(), ActionExecuted("action_listen")],
        DOMAIN.slots,
    )
    asyncio.run(one.save(tracker))
    for number in range(6):
        store = (one, two)[number % 2]
        tracker = asyncio.run(store.retrieve(sender))
        assert tracker.current_state(EventVerbosity.ALL) == as_rasa_reads(rasa, sender)
        turn(tracker, f"answer {number}", number % 3 == 0)
        asyncio.run(store.save(tracker))
    for store in (one, two):
        assert asyncio.run(store.retrieve(sender)).current_state(EventVerbosity.ALL) == as_rasa_reads(
            rasa, sender
        )
    assert sender in one.cache.entries and sender in two.cache.entries


def test_a_turn_that_failed_before_saving_leaves_nothing_behind(two_servers):
    one, _, rasa = two_servers
    sender = "rest:failed"
    tracker = DialogueStateTracker("rest:failed", DOMAIN.slots)
    turn(tracker, "first", True)
    asyncio.run(one.save(tracker))
    unsaved = asyncio.run(one.retrieve(sender))
    turn(unsaved, "never saved", False)
    again = asyncio.run(one.retrieve(sender))
    assert again.current_state(EventVerbosity.ALL) == as_rasa_reads(rasa, sender)
    assert again.get_slot("cirrhosis") is True


def test_a_forgotten_conversation_and_a_new_session_are_read_again(two_servers):
    one, two, rasa = two_servers
    for sender in ("rest:forget-me", "rest:new-session"):
        tracker = DialogueStateTracker(sender, DOMAIN.slots)
        turn(tracker, "hello", True)
        asyncio.run(one.save(tracker))
        assert asyncio.run(two.retrieve(sender)) is not None
    forget(one.engine, "rest:new-session")  # forgotten, then the patient starts again:
    tracker = DialogueStateTracker("rest:new-session", DOMAIN.slots)
    turn(tracker, "hello again", False)  # SQLite gives the new rows the deleted rows' ids
    asyncio.run(one.save(tracker))
    read = asyncio.run(two.retrieve("rest:new-session"))
    assert read.current_state(EventVerbosity.ALL) == as_rasa_reads(rasa, "rest:new-session")
    forget(one.engine, "rest:forget-me")
    assert asyncio.run(two.retrieve("rest:forget-me")) is None
    tracker = asyncio.run(one.retrieve("rest:new-session"))
    tracker.update(ActionExecuted("action_session_start", timestamp=time.time() + 1))
    tracker.update(SessionStarted(timestamp=time.time() + 1))
    turn(tracker, "back again", False, now=time.time() + 2)
    asyncio.run(one.save(tracker))
    read = asyncio.run(two.retrieve("rest:new-session"))
    assert read.current_state(EventVerbosity.ALL) == as_rasa_reads(rasa, "rest:new-session")
    assert [event.text for event in read.events if isinstance(event, UserUttered)] == ["back again"]


def test_the_cache_keeps_at_most_its_number_of_events(two_servers):
    one, _, _ = two_servers
    one.cache.max_events = 20
    for number in range(5):
        tracker = DialogueStateTracker(f"rest:{number}", DOMAIN.slots)
        turn(tracker, "hello", True)
        asyncio.run(one.save(tracker))
        asyncio.run(one.retrieve(f"rest:{number}"))
    assert one.cache.held == sum(len(entry.tracker.events) for entry in one.cache.entries.values()) <= 20
    assert list(one.cache.entries) == ["rest:2", "rest:3", "rest:4"]


def test_a_store_error_fails_the_message_instead_of_answering_from_an_empty_conversation(two_servers, caplog):
    import sqlalchemy as sa
    from rasa.core.tracker_store import FailSafeTrackerStore, InMemoryTrackerStore

    one, _, _ = two_servers
    tracker = DialogueStateTracker("rest:mid-check", DOMAIN.slots)
    turn(tracker, "hello", True)
    asyncio.run(one.save(tracker))
    with one.engine.begin() as connection:
        connection.execute(sa.text("ALTER TABLE events RENAME TO events_away"))  # the database fails
    wrapped = FailSafeTrackerStore(one)  # as Rasa's agent wraps every store
    with pytest.raises(sa.exc.OperationalError):
        asyncio.run(wrapped.retrieve("rest:mid-check"))
    with pytest.raises(sa.exc.OperationalError):
        asyncio.run(wrapped.save(tracker))
    assert (
        "The conversation store (sqlite:///" in caplog.text and "the message is not answered" in caplog.text
    )
    other = FailSafeTrackerStore(InMemoryTrackerStore(DOMAIN))  # other stores keep Rasa's fallback
    other._tracker_store.retrieve = None  # any error: calling None
    assert asyncio.run(other.retrieve("rest:someone")) is None
