"""Table-driven checks of every verdict, both sides of every threshold and the unknown cases."""

from __future__ import annotations

import pytest

from harness.verdict_cases import (
    ALL_CASES,
    EPOS_AT_THRESHOLDS,
    IFN_CASES,
    RES_CASES,
    STOP_CASES,
    TODAY,
    Case,
    case_id,
)
from knowledge import (
    Status,
    StopFacts,
    assess,
    assess_interferon,
    assess_resistance,
    assess_stop,
    facts_from_json,
    parse_hbv_dna,
)
from knowledge.data import NOTES
from knowledge.texts import fill


def note_text(note_id: str) -> str:
    return next(fill(note["text"]) for note in NOTES if note["id"] == note_id)


def check_case(case: Case) -> None:
    result = assess(case.topic, case.facts, TODAY)
    assert result.verdict == case.verdict, result.message
    expect = case.expect
    if "relapse_risk" in expect:
        assert result.relapse_risk == expect["relapse_risk"]
    assert set(expect.get("rules", [])) <= set(result.rules)
    assert not set(expect.get("absent", [])) & set(result.rules)
    if "failed" in expect:
        assert {c.criterion for c in result.criteria if c.status is Status.NOT_MET} == expect["failed"]
    for note_id in expect.get("notes", []):
        assert note_text(note_id) in result.notes
    for note_id in expect.get("absent_notes", []):
        assert note_text(note_id) not in result.notes
    assert {c.rule for c in result.criteria} <= set(result.rules)


@pytest.mark.parametrize("case", STOP_CASES, ids=case_id)
def test_stop(case: Case) -> None:
    check_case(case)


@pytest.mark.parametrize("case", RES_CASES, ids=case_id)
def test_resistance(case: Case) -> None:
    check_case(case)


@pytest.mark.parametrize("case", IFN_CASES, ids=case_id)
def test_interferon(case: Case) -> None:
    check_case(case)


@pytest.mark.parametrize("case", ALL_CASES, ids=case_id)
def test_typed_facts_give_the_same_answer_as_json(case: Case) -> None:
    assess_topic = {"stop": assess_stop, "resistance": assess_resistance, "interferon": assess_interferon}
    typed = facts_from_json(case.topic, case.facts, TODAY)
    assert assess_topic[case.topic](typed) == assess(case.topic, case.facts, TODAY)


# ---------------------------------------------------------------- what the messages must say


def test_positive_stop_verdict_is_phrased_as_a_decision_with_relapse_and_follow_up() -> None:
    message = assess("stop", EPOS_AT_THRESHOLDS, TODAY).message
    assert message.startswith(
        "Your answers meet the criteria described in the guide; "
        "stopping is a decision to make with your doctor."
    )
    assert "20 to 30 out of 100" in message
    assert "every 1 to 2 months during the first year" in message


@pytest.mark.parametrize("therapy", ["interferon", "peg_interferon"])
def test_positive_interferon_stop_verdict_mentions_relapse_figures_and_follow_up(therapy: str) -> None:
    result = assess("stop", {"therapy": therapy, "cirrhosis": False, "months_on_treatment": 12}, TODAY)
    assert result.verdict == "criteria_met"
    assert "relapse figures only for tablet treatment" in result.message
    assert "every 1 to 2 months" in result.message


def test_failed_criteria_are_listed_with_the_patients_answer() -> None:
    result = assess("stop", {**EPOS_AT_THRESHOLDS, "consolidation_months": 8, "alt_normal": False}, TODAY)
    assert "Not met yet:" in result.message
    assert (
        "at least 12 more months of treatment after these goals were reached (your answer: 8 months)"
        in result.message
    )
    assert "ALT, a liver blood test, is back to normal" in result.message


def test_undetermined_lists_what_is_missing() -> None:
    result = assess("stop", {**EPOS_AT_THRESHOLDS, "consolidation_checks": None}, TODAY)
    assert (
        "I still need to know:\n- how many check-ups you have had since reaching these goals"
        in result.message
    )


def test_unknown_hbeag_status_says_which_criteria_already_fail_under_each_rule_set() -> None:
    facts = {**EPOS_AT_THRESHOLDS, "hbeag_positive_before_treatment": None, "months_on_treatment": 26}
    result = assess("stop", facts, TODAY)
    assert result.verdict == "undetermined"
    assert "If HBeAg was negative before treatment, these are not met yet:" in result.message
    assert "at least 30 months of treatment in total (your answer: 26 months)" in result.message
    assert "If HBeAg was positive before treatment" not in result.message
    assert {("STOP-NA-EPOS", "hbeag_positive_before_treatment", Status.UNKNOWN)} <= {
        (c.rule, c.criterion, c.status) for c in result.criteria
    }


def test_stop_facts_accept_drug_names_in_any_spelling() -> None:
    assert (
        assess_stop(StopFacts(therapy="Peg-Interferon", cirrhosis=False, months_on_treatment=12)).verdict
        == "criteria_met"
    )


def test_borderline_is_said_in_the_message() -> None:
    facts = {"question": "drug_choice", "drug": "lamivudine", "hbv_dna": "2 x 10^6 IU/mL"}
    assert "borderline" in assess("resistance", facts, TODAY).message


def test_value_given_in_copies_is_never_borderline() -> None:
    facts = {"question": "drug_choice", "drug": "lamivudine", "hbv_dna": "1.01 x 10^7 copies/mL"}
    assert "borderline" not in assess("resistance", facts, TODAY).message


def test_default_uln_is_said_in_the_message() -> None:
    result = assess("interferon", {"alt": "85 U/L"}, TODAY)
    assert "so I used 40 U/L" in result.message


def test_open_fall_below_the_assay_limit_is_explained_and_not_asked_again() -> None:
    facts = {"question": "na_response", "hbv_dna_baseline": "100 IU/mL", "hbv_dna_3m": "<20 IU/mL"}
    message = assess("resistance", facts, TODAY).message
    assert "below the detection limit" in message
    assert "after 3 months" not in message
    assert "after 6 months" in message


def test_interferon_choice_asks_only_for_the_missing_half() -> None:
    facts = {"question": "drug_choice", "drug": "interferon", "hbv_dna": "2e7 copies/mL"}
    message = assess("resistance", facts, TODAY).message
    assert "your ALT result" in message
    assert "viral load (HBV DNA), with its unit" not in message


def test_monitoring_signal_suggests_contacting_the_doctor_soon() -> None:
    facts = {"question": "monitoring", "mutation_found": True}
    assert "contact your doctor soon" in assess("resistance", facts, TODAY).message


def test_undetectable_nadir_without_a_limit_counts_as_20_iu() -> None:
    assert parse_hbv_dna("undetectable").iu_per_ml == 20


def test_criteria_contract_shape() -> None:
    criteria = assess("stop", EPOS_AT_THRESHOLDS, TODAY).to_dict()["criteria"]
    assert criteria[0] == {"rule": "STOP-CIRRHOSIS", "criterion": "cirrhosis", "status": "met"}
    assert [c["criterion"] for c in criteria[1:]] == [
        "hbv_dna_undetectable",
        "alt_normal",
        "hbeag_seroconversion",
        "consolidation_months",
        "consolidation_checks",
        "months_on_treatment",
    ]
