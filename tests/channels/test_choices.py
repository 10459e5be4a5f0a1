"""Buttons as numbered text choices and the mapping of a reply back to its payload."""

from __future__ import annotations

from channels.choices import ChoiceMemory, labels, render

YES_NO = [{"title": "Yes", "payload": "/affirm"}, {"title": "No", "payload": "/deny"}]
LONG = [
    {"title": "Is my medicine a good first choice?", "payload": "/a"},
    {"title": "Is my tablet treatment working (3 and 6 months)?", "payload": "/b"},
]


def test_short_choices_on_one_line_long_ones_one_per_line():
    assert render("Cirrhosis?", YES_NO) == "Cirrhosis?\n1. Yes  2. No"
    assert render("What would you like to check?", LONG) == (
        "What would you like to check?\n1. Is my medicine a good first choice?\n"
        "2. Is my tablet treatment working (3 and 6 months)?"
    )


def test_numeric_titles_get_letters_and_link_buttons_are_shown_as_links():
    assert labels([{"title": "None", "payload": "0"}, {"title": "2", "payload": "2"}]) == ["A", "B"]
    assert render("More:", [{"title": "Leaflet", "url": "https://hospital.example/hbv"}]) == (
        "More:\nLeaflet: https://hospital.example/hbv"
    )
    assert render("Plain text.", []) == "Plain text."


def test_choices_are_per_sender_consumed_by_the_next_reply_and_expire():
    memory = ChoiceMemory(ttl_seconds=3600)
    memory.remember("+1", YES_NO)
    memory.remember("+2", LONG)
    assert memory.resolve("+2", "1") == "/a"
    assert memory.resolve("+1", "(2)") == "/deny"
    assert memory.resolve("+1", "2") == "2"  # consumed

    expired = ChoiceMemory(ttl_seconds=-1)
    expired.remember("+1", YES_NO)
    assert expired.resolve("+1", "1") == "1"


def test_the_memory_is_bounded():
    memory = ChoiceMemory(max_senders=2)
    for sender in ["+1", "+2", "+3"]:
        memory.remember(sender, YES_NO)
    assert memory.pending("+1") is None and memory.pending("+3") is not None
