"""Assessment, hand-off, cancel and overview actions, run through rasa-sdk's executor."""

from __future__ import annotations

import pytest

ALL_GOOD_EPOS = {
    "cirrhosis": False,
    "therapy": "entecavir",
    "months_on_treatment": 36,
    "hbeag_positive_before_treatment": True,
    "hbv_dna_undetectable": True,
    "alt_normal": True,
    "hbeag_seroconversion": True,
    "consolidation_months": 12,
    "consolidation_checks": 2,
}


def test_stop_assessment_meets_criteria_and_shows_relapse_sources_and_reminder(run_action):
    run = run_action("action_assess_stop", slots=ALL_GOOD_EPOS)
    assert "meet the criteria" in run.text
    assert "20 to 30 out of 100" in run.text
    assert "✔ met" in run.text and "✘" not in run.text
    assert "000_0c23a98b9f23b90d.txt" in run.text
    assert "with your doctor" in run.text
    assert all(value is None for value in run.slots().values())


def test_stop_assessment_lists_failed_and_unknown_criteria(run_action):
    answers = {**ALL_GOOD_EPOS, "consolidation_months": 6, "consolidation_checks": "unknown"}
    run = run_action("action_assess_stop", slots=answers)
    assert "✘ not met" in run.text and "? unknown" in run.text


@pytest.mark.parametrize(
    "answers, verdict_words",
    [
        ({"alt": "120 U/L", "alt_uln": "40"}, "good time"),
        ({"alt": "15 x ULN", "alt_falling": False}, "not"),
    ],
)
def test_interferon_assessment(run_action, answers, verdict_words):
    run = run_action("action_assess_interferon", slots=answers)
    assert verdict_words in run.text.lower()
    assert "002_0b03c99aa042034b.txt" in run.text


def test_human_handoff_uses_the_configured_contact(run_action, monkeypatch):
    monkeypatch.setenv("HOSPITAL_CONTACT", "the liver nurses on 01234 567890")
    run = run_action("action_human_handoff", "can I talk to a person", intent="human_handoff")
    assert "01234 567890" in run.text


def test_cancel_leaves_the_check_and_clears_answers(run_action):
    run = run_action(
        "action_cancel_check",
        "cancel",
        intent="cancel",
        active_loop="stop_form",
        requested_slot="therapy",
        slots={"cirrhosis": False},
    )
    assert {"event": "active_loop", "name": None} in [
        {"event": e["event"], "name": e.get("name")} for e in run.events if e["event"] == "active_loop"
    ]
    assert run.slots()["cirrhosis"] is None
    assert "stopped the questions" in run.text


def test_cancel_without_a_check(run_action):
    run = run_action("action_cancel_check", "cancel", intent="cancel")
    assert "nothing to cancel" in run.text
    assert run.events == []


@pytest.mark.parametrize(
    "topic, words, check",
    [
        ("stop", "cirrhosis", "/check_stop"),
        ("resistance", "resistance", "/check_resistance"),
        ("interferon", "ALT", "/check_interferon"),
    ],
)
def test_topic_button_shows_the_overview_and_offers_the_check(run_action, topic, words, check):
    run = run_action(
        "action_topic_overview",
        f'/choose_topic{{"topic":"{topic}"}}',
        intent="choose_topic",
        entities=[{"entity": "topic", "value": topic}],
    )
    assert words in run.text
    buttons = run.messages[0]["buttons"]
    assert buttons == [{"title": buttons[0]["title"], "payload": check}]


def test_topic_choice_without_a_topic_shows_help(run_action):
    run = run_action("action_topic_overview", "pick a topic", intent="choose_topic", entities=[])
    assert run.responses[0]["response"] == "utter_help"


def test_human_handoff_without_a_configured_contact_names_the_clinic(run_action, monkeypatch):
    monkeypatch.delenv("HOSPITAL_CONTACT", raising=False)
    run = run_action("action_human_handoff", "can I talk to a person", intent="human_handoff")
    assert "hepatitis clinic or nurse line" in run.text and "{" not in run.text


def test_refused_answer_is_explained_by_the_domain(run_action):
    run = run_action("action_assess_interferon", slots={"alt": "120 U/L", "alt_uln": "2"})
    assert run.said == ["utter_answer_refused"] and "start the check again" in run.text
