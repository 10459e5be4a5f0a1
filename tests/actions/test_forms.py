"""The check forms' validators, run through rasa-sdk's executor with real tracker states."""

from __future__ import annotations

import pytest


def test_cirrhosis_first_and_a_yes_settles_the_stopping_check(run_action):
    run = run_action(
        "validate_stop_form", "/affirm", intent="affirm", active_loop="stop_form", requested_slot="cirrhosis"
    )
    assert run.slots()["cirrhosis"] is True and run.slots()["requested_slot"] is None


@pytest.mark.parametrize(
    "text, intent",
    [("no", "deny"), ("no, never been told that", "deny"), ("nope, the scan was fine", "inform")],
)
def test_typed_no_cirrhosis_goes_on_to_the_therapy(run_action, text, intent):
    run = run_action(
        "validate_stop_form", text, intent=intent, active_loop="stop_form", requested_slot="cirrhosis"
    )
    assert run.slots()["cirrhosis"] is False and run.slots()["requested_slot"] == "therapy"


def test_a_sentence_answers_a_yes_no_question_whatever_its_intent(run_action):
    run = run_action(
        "validate_stop_form",
        "it was positive",
        intent="ask_stop",
        active_loop="stop_form",
        requested_slot="hbeag_positive_before_treatment",
        slots={"cirrhosis": False, "therapy": "entecavir", "months_on_treatment": "36 months"},
    )
    assert run.slots()["hbeag_positive_before_treatment"] is True
    assert run.slots()["requested_slot"] == "hbv_dna_undetectable"


def test_values_given_up_front_are_taken_and_said_back(run_action):
    run = run_action(
        "validate_interferon_form",
        "my ALT is 120 and the lab limit is 40, is now a good time for interferon?",
        intent="check_interferon",
    )
    assert run.slots() == {"alt": "120 U/L", "alt_uln": "40", "requested_slot": None}
    assert run.said == ["utter_values_taken"]
    assert run.responses[0]["values"] == "ALT 120 U/L, upper limit 40 U/L"


def test_values_from_before_the_check_are_taken(run_action):
    run = run_action(
        "validate_interferon_form",
        "is now a good time for interferon?",
        intent="check_interferon",
        earlier=["what does an ALT of 95 mean?", "the upper limit on my report is 35"],
    )
    assert run.slots()["alt"] == "95 U/L" and run.slots()["alt_uln"] == "35"


def test_the_resistance_question_is_read_from_the_trigger_with_its_values(run_action):
    run = run_action(
        "validate_resistance_form",
        "my viral load went from 10^7 IU/mL to 10^5 IU/mL after "
        "3 months and 10^4 IU/mL at 6 months, is my tablet treatment working?",
        intent="check_resistance",
    )
    assert run.slots()["res_question"] == "na_response"
    assert run.slots()["hbv_dna_3m"] == "100,000 IU/mL" and run.slots()["requested_slot"] is None


def test_alt_in_units_asks_for_the_labs_upper_limit_next(run_action):
    run = run_action("validate_interferon_form", "85", active_loop="interferon_form", requested_slot="alt")
    assert run.slots()["alt"] == "85 U/L" and run.slots()["requested_slot"] == "alt_uln"


def test_an_unusable_answer_is_explained_then_left_unknown_the_second_time(run_action):
    answers = {"cirrhosis": False, "therapy": "entecavir"}
    first = run_action(
        "validate_stop_form",
        "600 years",
        active_loop="stop_form",
        requested_slot="months_on_treatment",
        slots=answers,
    )
    assert first.said == ["utter_answer_problem"] and "7,200 months" in first.responses[0]["understood"]
    assert first.slots()["months_on_treatment"] is None
    assert first.slots()["requested_slot"] == "months_on_treatment"
    second = run_action(
        "validate_stop_form",
        "ages",
        active_loop="stop_form",
        requested_slot="months_on_treatment",
        slots={**answers, "answer_tries": first.slots()["answer_tries"]},
    )
    assert second.said == ["utter_marked_unknown"] and second.slots()["months_on_treatment"] == "unknown"


def test_viral_load_without_unit_asks_for_the_unit_and_a_unit_completes_it(run_action):
    answers = {"res_question": "na_response"}
    run = run_action(
        "validate_resistance_form",
        "230000",
        active_loop="resistance_form",
        requested_slot="hbv_dna_baseline",
        slots=answers,
    )
    assert run.slots()["pending_number"] == "230000" and run.slots()["unit_missing"] is True
    assert run.slots()["requested_slot"] == "hbv_dna_baseline"
    unit = run_action(
        "validate_resistance_form",
        "copies",
        active_loop="resistance_form",
        requested_slot="hbv_dna_baseline",
        slots={**answers, "pending_number": "230000", "unit_missing": True},
    )
    assert unit.slots()["hbv_dna_baseline"] == "230,000 copies/mL" and unit.slots()["unit_missing"] is None


def test_i_dont_know_records_unknown(run_action):
    run = run_action(
        "validate_stop_form",
        "no idea",
        intent="dont_know",
        active_loop="stop_form",
        requested_slot="cirrhosis",
    )
    assert run.slots()["cirrhosis"] == "unknown" and run.slots()["requested_slot"] == "therapy"


def test_unrelated_question_is_left_to_the_dialogue(run_action):
    run = run_action(
        "validate_stop_form",
        "what does cirrhosis mean?",
        intent="ask_stop",
        active_loop="stop_form",
        requested_slot="cirrhosis",
    )
    assert run.slots() == {"requested_slot": "cirrhosis"}
    assert run.responses == []


def test_a_red_flag_is_left_to_the_dialogue(run_action):
    run = run_action(
        "validate_stop_form",
        "no, but my eyes went yellow",
        intent="report_red_flag",
        active_loop="stop_form",
        requested_slot="cirrhosis",
    )
    assert run.slots() == {"requested_slot": "cirrhosis"}


def test_correction_of_an_earlier_answer_is_taken_and_acknowledged(run_action):
    answers = {"alt": "50 U/L", "alt_uln": "40"}
    run = run_action(
        "validate_interferon_form",
        "actually my ALT was 95",
        active_loop="interferon_form",
        requested_slot="biopsy_grade",
        slots=answers,
    )
    assert run.slots()["alt"] == "95 U/L" and run.slots()["requested_slot"] is None
    assert run.said == ["utter_answer_updated"]


def test_the_resistance_question_typed_in_own_words(run_action):
    run = run_action(
        "validate_resistance_form",
        "is my medicine a good first choice?",
        intent="ask_resistance",
        active_loop="resistance_form",
        requested_slot="res_question",
    )
    assert run.slots()["res_question"] == "drug_choice" and run.slots()["requested_slot"] == "drug"


def test_resistance_check_asks_only_what_the_chosen_question_needs(run_action):
    run = run_action(
        "validate_resistance_form",
        '/inform{"res_question":"ifn_week32"}',
        active_loop="resistance_form",
        requested_slot="res_question",
        entities=[{"entity": "res_question", "value": "ifn_week32"}],
    )
    assert run.slots()["res_question"] == "ifn_week32" and run.slots()["requested_slot"] == "hbv_dna_baseline"


def test_dna_value_with_a_role_fills_that_result(run_action):
    answers = {"res_question": "na_response", "hbv_dna_baseline": "2,000,000 IU/mL"}
    run = run_action(
        "validate_resistance_form",
        "at 3 months my viral load was 10^6 IU/mL",
        active_loop="resistance_form",
        requested_slot="hbv_dna_3m",
        slots=answers,
    )
    assert run.slots()["hbv_dna_3m"] == "1,000,000 IU/mL" and run.slots()["requested_slot"] is None


def test_tablets_whose_name_is_unknown_are_enough_for_the_stop_rules(run_action):
    run = run_action(
        "validate_stop_form",
        "my antiviral pills, don't know the name",
        active_loop="stop_form",
        requested_slot="therapy",
        slots={"cirrhosis": False},
    )
    assert run.slots()["therapy"] == "nucleoside_analogue"
    assert run.slots()["requested_slot"] == "months_on_treatment"
