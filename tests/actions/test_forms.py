"""The check forms' validators, run through rasa-sdk's executor."""
import pytest


def test_cirrhosis_first_and_a_yes_settles_the_stopping_check(run_action):
    run = run_action("validate_stop_form", "/affirm", intent="affirm",
                     active_loop="stop_form", requested_slot="cirrhosis")
    assert run.slots() == {"cirrhosis": True, "requested_slot": None}


def test_no_cirrhosis_goes_on_to_the_therapy(run_action):
    run = run_action("validate_stop_form", "no", intent="deny",
                     active_loop="stop_form", requested_slot="cirrhosis")
    assert run.slots() == {"cirrhosis": False, "requested_slot": "therapy"}


def test_values_given_up_front_are_not_asked_again(run_action):
    run = run_action("validate_interferon_form",
                     "my ALT is 120 with the upper limit 40, can I have interferon?",
                     intent="check_interferon")
    assert run.slots() == {"alt": "120 U/L", "alt_uln": "40", "requested_slot": None}


def test_alt_in_units_asks_for_the_labs_upper_limit_next(run_action):
    run = run_action("validate_interferon_form", "85", active_loop="interferon_form",
                     requested_slot="alt")
    assert run.slots() == {"alt": "85 U/L", "requested_slot": "alt_uln"}


@pytest.mark.parametrize("text, expected_in_message", [
    ("banana", "banana"),
    ("600 years", "7,200 months"),
])
def test_invalid_value_is_explained_and_asked_again(run_action, text, expected_in_message):
    run = run_action("validate_stop_form", text, active_loop="stop_form",
                     requested_slot="months_on_treatment",
                     slots={"cirrhosis": False, "therapy": "entecavir"})
    assert run.slots() == {"months_on_treatment": None, "requested_slot": "months_on_treatment"}
    assert "I couldn't use that answer" in run.text and "I need a duration" in run.text
    assert expected_in_message in run.text


def test_viral_load_without_unit_asks_for_the_unit_and_keeps_earlier_answers(run_action):
    answers = {"res_question": "na_response"}
    run = run_action("validate_resistance_form", "230000", active_loop="resistance_form",
                     requested_slot="hbv_dna_baseline", slots=answers)
    assert run.slots() == {"hbv_dna_baseline": None, "requested_slot": "hbv_dna_baseline"}
    assert "without a unit" in run.text and "IU/mL" in run.text


def test_i_dont_know_records_unknown(run_action):
    run = run_action("validate_stop_form", "no idea", intent="dont_know",
                     active_loop="stop_form", requested_slot="cirrhosis")
    assert run.slots() == {"cirrhosis": "unknown", "requested_slot": "therapy"}


def test_unrelated_question_is_left_to_the_dialogue(run_action):
    run = run_action("validate_stop_form", "what does cirrhosis mean?", intent="ask_stop",
                     active_loop="stop_form", requested_slot="cirrhosis")
    assert run.slots() == {"requested_slot": "cirrhosis"}
    assert run.responses == []


def test_correction_of_an_earlier_answer_is_taken_and_acknowledged(run_action):
    answers = {"alt": "50 U/L", "alt_uln": "40"}
    run = run_action("validate_interferon_form", "actually my ALT was 95", active_loop="interferon_form",
                     requested_slot="biopsy_grade", slots=answers)
    assert run.slots() == {"alt": "95 U/L", "requested_slot": None}
    assert "updated" in run.text


def test_resistance_check_asks_only_what_the_chosen_question_needs(run_action):
    run = run_action("validate_resistance_form", '/inform{"res_question":"ifn_week32"}',
                     active_loop="resistance_form", requested_slot="res_question",
                     entities=[{"entity": "res_question", "value": "ifn_week32"}])
    assert run.slots() == {"res_question": "ifn_week32", "requested_slot": "hbv_dna_baseline"}


def test_dna_value_with_a_role_fills_that_result(run_action):
    answers = {"res_question": "na_response", "hbv_dna_baseline": "2,000,000 IU/mL"}
    run = run_action("validate_resistance_form", "at 3 months my viral load was 10^6 IU/mL",
                     active_loop="resistance_form", requested_slot="hbv_dna_3m", slots=answers)
    assert run.slots() == {"hbv_dna_3m": "1,000,000 IU/mL", "requested_slot": None}
