"""The guided checks ask only what the rules still need, and stop as soon as the verdict is settled."""

from __future__ import annotations

import dataclasses

import pytest

from knowledge.data import QUESTIONS
from knowledge.facts import facts_from_json
from knowledge.questions import (
    RESISTANCE_FIELDS,
    UNKNOWN,
    assess_answers,
    facts_json,
    next_questions,
    slots_to_read,
)

NA_EPOS_SO_FAR = {
    "cirrhosis": False,
    "therapy": "entecavir",
    "months_on_treatment": 36,
    "hbeag_positive_before_treatment": True,
}


@pytest.mark.parametrize(
    "topic, answers, expected",
    [
        ("stop", {}, ["cirrhosis", "therapy"]),
        ("stop", {"cirrhosis": True}, []),  # settled: no stopping criteria
        ("stop", {"cirrhosis": UNKNOWN}, ["therapy"]),
        ("stop", {"cirrhosis": False, "therapy": UNKNOWN}, []),  # nothing more can help
        ("stop", {"cirrhosis": False, "therapy": "interferon"}, ["months_on_treatment", "ifn_response"]),
        ("stop", {"cirrhosis": False, "therapy": "interferon", "months_on_treatment": 5}, []),
        ("stop", {"cirrhosis": False, "therapy": "peg_interferon"}, ["months_on_treatment"]),
        (
            "stop",
            NA_EPOS_SO_FAR,
            [
                "hbv_dna_undetectable",
                "alt_normal",
                "hbeag_seroconversion",
                "consolidation_months",
                "consolidation_checks",
            ],
        ),
        (
            "stop",
            {**NA_EPOS_SO_FAR, "hbeag_positive_before_treatment": False},
            ["hbv_dna_undetectable", "alt_normal", "consolidation_months", "consolidation_checks"],
        ),
        ("stop", {**NA_EPOS_SO_FAR, "months_on_treatment": 23}, []),  # fails both rule sets
        (
            "stop",
            {**NA_EPOS_SO_FAR, "months_on_treatment": 24},
            [
                "hbv_dna_undetectable",
                "alt_normal",
                "hbeag_seroconversion",
                "consolidation_months",
                "consolidation_checks",
            ],
        ),
        ("interferon", {}, ["alt"]),
        ("interferon", {"alt": "85 U/L"}, ["alt_uln"]),
        ("interferon", {"alt": "85 U/L", "alt_uln": "40"}, []),  # x = 2.1: appropriate
        (
            "interferon",
            {"alt": "79 U/L", "alt_uln": "40"},
            ["biopsy_grade", "age", "family_history", "hbeag_positive", "imaging_liver_lesions"],
        ),
        ("interferon", {"alt": "1.5 x ULN", "biopsy_grade": "G2"}, []),
        ("interferon", {"alt": "1.5 x ULN", "biopsy_grade": "G1", "age": 40}, []),
        (
            "interferon",
            {"alt": "1.5 x ULN", "biopsy_grade": UNKNOWN, "age": 39},
            ["family_history", "hbeag_positive", "imaging_liver_lesions"],
        ),
        ("interferon", {"alt": "10 x ULN"}, []),
        ("interferon", {"alt": "10.5 x ULN"}, ["alt_falling"]),
        ("interferon", {"alt": "10.5 x ULN", "alt_falling": False}, []),
        ("interferon", {"alt": "10.5 x ULN", "alt_falling": True}, ["bilirubin_raised"]),
        ("resistance", {}, ["res_question"]),
        ("resistance", {"res_question": "drug_choice"}, ["drug"]),
        ("resistance", {"res_question": "drug_choice", "drug": "adefovir"}, ["hbeag_positive"]),
        ("resistance", {"res_question": "drug_choice", "drug": "lamivudine"}, ["hbv_dna"]),
        ("resistance", {"res_question": "drug_choice", "drug": "entecavir"}, []),
        ("resistance", {"res_question": "drug_choice", "drug": "peg_interferon"}, ["hbv_dna", "alt"]),
        (
            "resistance",
            {"res_question": "drug_choice", "drug": "interferon", "hbv_dna": "10^4 copies/mL"},
            [],
        ),
        ("resistance", {"res_question": "drug_choice", "drug": "interferon", "alt": "60 U/L"}, ["alt_uln"]),
        ("resistance", {"res_question": "na_response"}, ["hbv_dna_baseline", "hbv_dna_3m", "hbv_dna_6m"]),
        (
            "resistance",
            {"res_question": "na_response", "hbv_dna_baseline": "10^7 IU/mL", "hbv_dna_3m": "5 x 10^6 IU/mL"},
            [],
        ),  # primary non-response
        ("resistance", {"res_question": "ifn_week32"}, ["hbv_dna_baseline", "hbv_dna_week32"]),
        (
            "resistance",
            {"res_question": "monitoring"},
            [
                "hbv_dna_current",
                "hbv_dna_nadir",
                "hbv_dna_baseline",
                "alt_was_normal",
                "alt_now_normal",
                "mutation_found",
            ],
        ),
    ],
)
def test_next_questions(topic, answers, expected):
    assert next_questions(topic, answers) == expected


def test_facts_drop_unknown_answers_and_derive_alt_x_uln_for_drug_choice():
    answers = {
        "res_question": "drug_choice",
        "drug": "interferon",
        "hbv_dna": "10^7 copies/mL",
        "alt": "60 U/L",
        "alt_uln": "40",
        "hbeag_positive": UNKNOWN,
    }
    assert facts_json("resistance", answers) == {
        "question": "drug_choice",
        "drug": "interferon",
        "hbv_dna": "10^7 copies/mL",
        "alt_x_uln": 1.5,
    }
    assert assess_answers("resistance", answers).verdict == "not_preferred"


def test_interferon_facts_keep_the_labs_own_limit():
    facts = facts_json("interferon", {"alt": "85 U/L", "alt_uln": "40", "age": UNKNOWN})
    assert facts == {"alt": "85 U/L", "alt_uln": 40.0}
    assert assess_answers("interferon", {"alt": "85 U/L", "alt_uln": "40"}).verdict == "appropriate"


SAMPLE_ANSWER = {
    "yes_no": True,
    "drug": "entecavir",
    "hbv_dna": "10^5 IU/mL",
    "alt": "85 U/L",
    "alt_uln": "40",
    "duration": "18 months",
    "count": 2,
    "age": 45,
    "grade": "G2",
}
CHECKS_AND_OPTIONS = [
    ("stop", None),
    ("interferon", None),
    *(("resistance", question) for question in RESISTANCE_FIELDS),
]


@pytest.mark.parametrize("topic, question", CHECKS_AND_OPTIONS)
def test_the_registry_questions_are_the_fields_of_the_assessment(topic, question):
    """Every question of a check feeds a field of its facts (the CLI contract), and every field is
    asked (ALT as a multiple of its limit, which the contract also takes, comes from 'alt')."""
    slots = slots_to_read(topic, {"res_question": question} if question else {})
    answers = {slot: SAMPLE_ANSWER[QUESTIONS[slot]["kind"]] for slot in slots}
    given = facts_json(topic, {**answers, "res_question": question} if question else answers)
    contract = facts_from_json(topic, given)
    fields = {f.name for f in dataclasses.fields(contract) if not f.metadata.get("derived")}
    assert set(given) - {"question"} <= fields
    assert fields - set(given) <= {"alt_x_uln"}
