"""Example facts with their expected answers: the rule tests' cases, also played by simulated patients.

Every verdict of every topic appears, with both sides of every threshold and the unknown cases.
`expect` may hold: relapse_risk, rules (must all be cited), absent (must not be cited),
failed (the exact set of not_met criteria), notes (note ids that must apply).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

TODAY = date(2025, 11, 22)


@dataclass(frozen=True)
class Case:
    id: str
    topic: str
    facts: dict[str, Any]
    verdict: str
    expect: dict[str, Any] = field(default_factory=dict)


def case_id(case: Case) -> str:
    """The case's id, for test parameters."""
    return case.id


# ---------------------------------------------------------------- STOP
EPOS_AT_THRESHOLDS = {
    "therapy": "entecavir",
    "cirrhosis": False,
    "hbeag_positive_before_treatment": True,
    "hbv_dna_undetectable": True,
    "alt_normal": True,
    "hbeag_seroconversion": True,
    "consolidation_months": 12,
    "consolidation_checks": 2,
    "months_on_treatment": 24,
}
ENEG_AT_THRESHOLDS = {
    "therapy": "entecavir",
    "cirrhosis": False,
    "hbeag_positive_before_treatment": False,
    "hbv_dna_undetectable": True,
    "alt_normal": True,
    "consolidation_months": 18,
    "consolidation_checks": 3,
    "months_on_treatment": 30,
}
NA_MET_RULES = ["STOP-RELAPSE", "STOP-FOLLOWUP", "STOP-NOT-MANDATORY"]
NA_NOT_MET_RULES = ["STOP-DANGER", "STOP-MONITOR"]


def _epos(case_id: str, verdict: str, expect: dict | None = None, **changes: Any) -> Case:
    return Case(f"epos-{case_id}", "stop", {**EPOS_AT_THRESHOLDS, **changes}, verdict, expect or {})


def _eneg(case_id: str, verdict: str, expect: dict | None = None, **changes: Any) -> Case:
    return Case(f"eneg-{case_id}", "stop", {**ENEG_AT_THRESHOLDS, **changes}, verdict, expect or {})


STOP_CASES = [
    _epos(
        "all-at-thresholds",
        "criteria_met",
        {
            "relapse_risk": "20-30%",
            "rules": ["STOP-NA-EPOS", *NA_MET_RULES],
            "absent": NA_NOT_MET_RULES,
            "notes": ["epos-consolidation", "relapse-figures-vary"],
        },
    ),
    _epos(
        "consolidation-11.9-months",
        "criteria_not_met",
        {
            "failed": {"consolidation_months"},
            "relapse_risk": "70-80%",
            "rules": ["STOP-RELAPSE", *NA_NOT_MET_RULES],
        },
        consolidation_months=11.9,
    ),
    _epos(
        "consolidation-1-check",
        "criteria_not_met",
        {"failed": {"consolidation_checks"}},
        consolidation_checks=1,
    ),
    _epos(
        "treatment-23-months", "criteria_not_met", {"failed": {"months_on_treatment"}}, months_on_treatment=23
    ),
    _epos(
        "treatment-23.9-months",
        "criteria_not_met",
        {"failed": {"months_on_treatment"}},
        months_on_treatment=23.9,
    ),
    _epos(
        "dna-detectable", "criteria_not_met", {"failed": {"hbv_dna_undetectable"}}, hbv_dna_undetectable=False
    ),
    _epos("alt-abnormal", "criteria_not_met", {"failed": {"alt_normal"}}, alt_normal=False),
    _epos(
        "no-seroconversion",
        "criteria_not_met",
        {"failed": {"hbeag_seroconversion"}},
        hbeag_seroconversion=False,
    ),
    _epos(
        "durations-as-text", "criteria_met", {}, consolidation_months="a year", months_on_treatment="2 years"
    ),
    _epos(
        "more-than-enough",
        "criteria_met",
        {},
        consolidation_months=36,
        consolidation_checks=6,
        months_on_treatment=60,
    ),
    *(
        _epos(
            f"{name}-unknown",
            "undetermined",
            {"relapse_risk": None, "rules": ["STOP-MONITOR"]},
            **{name: None},
        )
        for name in (
            "hbv_dna_undetectable",
            "alt_normal",
            "hbeag_seroconversion",
            "consolidation_months",
            "consolidation_checks",
            "months_on_treatment",
        )
    ),
    _epos(
        "unknown-and-failed",
        "criteria_not_met",
        {"failed": {"alt_normal"}},
        alt_normal=False,
        consolidation_checks=None,
    ),
    _eneg(
        "all-at-thresholds",
        "criteria_met",
        {
            "relapse_risk": "50-60%",
            "rules": ["STOP-NA-ENEG", *NA_MET_RULES],
            "notes": ["eneg-hbsag-loss", "relapse-figures-vary"],
        },
    ),
    _eneg(
        "consolidation-17.9-months",
        "criteria_not_met",
        {"failed": {"consolidation_months"}, "relapse_risk": None, "rules": NA_NOT_MET_RULES},
        consolidation_months=17.9,
    ),
    _eneg(
        "consolidation-2-checks",
        "criteria_not_met",
        {"failed": {"consolidation_checks"}},
        consolidation_checks=2,
    ),
    _eneg(
        "treatment-29-months", "criteria_not_met", {"failed": {"months_on_treatment"}}, months_on_treatment=29
    ),
    _eneg("seroconversion-not-needed", "criteria_met", {}, hbeag_seroconversion=False),
    _eneg("dna-unknown", "undetermined", {}, hbv_dna_undetectable=None),
    _eneg("cirrhosis-unknown", "undetermined", {"rules": ["STOP-CIRRHOSIS"]}, cirrhosis=None),
    _eneg(
        "cirrhosis",
        "no_stopping_criteria",
        {"rules": ["STOP-CIRRHOSIS", *NA_NOT_MET_RULES], "relapse_risk": None},
        cirrhosis=True,
    ),
    _epos(
        "hbeag-before-unknown",
        "undetermined",
        {"rules": ["STOP-NA-EPOS", "STOP-NA-ENEG"]},
        hbeag_positive_before_treatment=None,
    ),
    _epos(
        "hbeag-before-unknown-and-failing",
        "undetermined",
        {},
        hbeag_positive_before_treatment=None,
        hbv_dna_undetectable=False,
    ),
    _epos("lamivudine", "criteria_met", {"notes": ["first-line-na"]}, therapy="lamivudine"),
    _epos("tenofovir", "criteria_met", {"notes": ["tenofovir-not-in-seeds"]}, therapy="TDF"),
    Case("therapy-unknown", "stop", {"cirrhosis": False}, "undetermined", {"rules": ["STOP-MONITOR"]}),
    Case("therapy-unknown-cirrhosis", "stop", {"cirrhosis": True}, "no_stopping_criteria"),
    Case(
        "ifn-6-months-responded",
        "stop",
        {"therapy": "interferon", "cirrhosis": False, "months_on_treatment": 6, "ifn_response": True},
        "criteria_met",
        {
            "rules": ["STOP-IFN-COURSE", "STOP-IFN-RESPONSE", "STOP-NOT-MANDATORY", "STOP-FOLLOWUP"],
            "absent": ["STOP-IFN-NORESPONSE"],
            "relapse_risk": None,
        },
    ),
    Case(
        "ifn-6-months-no-response",
        "stop",
        {"therapy": "interferon", "cirrhosis": False, "months_on_treatment": 6, "ifn_response": False},
        "criteria_met",
        {"rules": ["STOP-IFN-NORESPONSE"], "absent": ["STOP-IFN-RESPONSE"]},
    ),
    Case(
        "ifn-6-months-response-unknown",
        "stop",
        {"therapy": "interferon", "cirrhosis": False, "months_on_treatment": 6},
        "criteria_met",
        {"rules": ["STOP-IFN-RESPONSE", "STOP-IFN-NORESPONSE"]},
    ),
    Case(
        "ifn-5.9-months",
        "stop",
        {"therapy": "interferon", "cirrhosis": False, "months_on_treatment": 5.9, "ifn_response": True},
        "criteria_not_met",
        {"failed": {"months_on_treatment"}, "rules": NA_NOT_MET_RULES, "absent": ["STOP-IFN-RESPONSE"]},
    ),
    Case("ifn-months-unknown", "stop", {"therapy": "interferon", "cirrhosis": False}, "undetermined"),
    Case(
        "peg-12-months",
        "stop",
        {"therapy": "peginterferon", "cirrhosis": False, "months_on_treatment": 12},
        "criteria_met",
        {"rules": ["STOP-PEG-COURSE", "STOP-NOT-MANDATORY", "STOP-FOLLOWUP"]},
    ),
    Case(
        "peg-11-months",
        "stop",
        {"therapy": "peg-interferon", "cirrhosis": False, "months_on_treatment": 11},
        "criteria_not_met",
        {"failed": {"months_on_treatment"}},
    ),
    Case(
        "peg-48-weeks",
        "stop",
        {"therapy": "peginterferon", "cirrhosis": False, "months_on_treatment": "48 weeks"},
        "criteria_met",
        {"rules": ["STOP-PEG-COURSE"]},
    ),
    Case(
        "peg-47-weeks",
        "stop",
        {"therapy": "peginterferon", "cirrhosis": False, "months_on_treatment": "47 weeks"},
        "criteria_not_met",
        {"failed": {"months_on_treatment"}},
    ),
    Case(
        "peg-cirrhosis",
        "stop",
        {"therapy": "peg_interferon", "cirrhosis": True, "months_on_treatment": 12},
        "no_stopping_criteria",
    ),
]


# ---------------------------------------------------------------- RES
def _choice(case_id: str, verdict: str, expect: dict | None = None, **facts: Any) -> Case:
    return Case(
        f"choice-{case_id}", "resistance", {"question": "drug_choice", **facts}, verdict, expect or {}
    )


def _na(case_id: str, verdict: str, expect: dict | None = None, **facts: Any) -> Case:
    return Case(f"na-{case_id}", "resistance", {"question": "na_response", **facts}, verdict, expect or {})


def _w32(case_id: str, verdict: str, expect: dict | None = None, **facts: Any) -> Case:
    return Case(f"w32-{case_id}", "resistance", {"question": "ifn_week32", **facts}, verdict, expect or {})


def _monitor(case_id: str, verdict: str, expect: dict | None = None, **facts: Any) -> Case:
    return Case(
        f"monitor-{case_id}", "resistance", {"question": "monitoring", **facts}, verdict, expect or {}
    )


GATE_RULES = ["RES-GATE-1", "RES-PROFILE"]
NON_RESPONSE_RULES = ["RES-NA-3M", "RES-NA-6M", "RES-ADHERENCE", "RES-TESTING"]
SIGNAL_RULES = ["RES-HARM", "RES-SALVAGE", "RES-TESTING"]
QUIET_MONITORING = {
    "hbv_dna_baseline": "1e6 IU/mL",
    "hbv_dna_nadir": "100 IU/mL",
    "hbv_dna_current": "100 IU/mL",
    "alt_was_normal": True,
    "alt_now_normal": True,
    "mutation_found": False,
}

RES_CASES = [
    _choice(
        "adefovir-hbeag-positive",
        "not_preferred",
        {"rules": ["RES-CHOICE-ADV", *GATE_RULES, "RES-EPOS-GOAL"], "notes": ["first-line-na"]},
        drug="adefovir",
        hbeag_positive=True,
    ),
    _choice(
        "adefovir-hbeag-negative",
        "no_objection",
        {"rules": ["RES-ENEG-GOAL"]},
        drug="adefovir",
        hbeag_positive=False,
    ),
    _choice("adefovir-hbeag-unknown", "undetermined", {}, drug="adefovir"),
    _choice(
        "lamivudine-dna-at-1e7-copies", "no_objection", {}, drug="lamivudine", hbv_dna="1 x 10^7 copies/mL"
    ),
    _choice(
        "lamivudine-dna-above-1e7-copies",
        "not_preferred",
        {"rules": ["RES-CHOICE-LAM"]},
        drug="lamivudine",
        hbv_dna="1.01 x 10^7 copies/mL",
    ),
    _choice("lamivudine-dna-unknown", "undetermined", {}, drug="lamivudine"),
    _choice(
        "lamivudine-borderline-above",
        "not_preferred",
        {"notes": ["borderline-conversion"]},
        drug="lamivudine",
        hbv_dna="2 x 10^6 IU/mL",
    ),
    _choice(
        "lamivudine-borderline-below",
        "no_objection",
        {"notes": ["borderline-conversion"]},
        drug="lamivudine",
        hbv_dna="1.75 x 10^6 IU/mL",
    ),
    _choice(
        "interferon-high-dna-low-alt",
        "not_preferred",
        {"rules": ["RES-CHOICE-IFN"]},
        drug="interferon",
        hbv_dna="1.01e6 copies/mL",
        alt_x_uln=2.99,
    ),
    _choice(
        "interferon-dna-at-1e6-copies",
        "no_objection",
        {},
        drug="interferon",
        hbv_dna="1e6 copies/mL",
        alt_x_uln=2.99,
    ),
    _choice(
        "interferon-alt-at-3x",
        "no_objection",
        {},
        drug="peg_interferon",
        hbv_dna="1.01e6 copies/mL",
        alt_x_uln=3,
    ),
    _choice(
        "interferon-alt-unknown-dna-high", "undetermined", {}, drug="interferon", hbv_dna="2e7 copies/mL"
    ),
    _choice("interferon-alt-unknown-dna-low", "no_objection", {}, drug="interferon", hbv_dna="1e5 copies/mL"),
    _choice("interferon-dna-unknown-alt-high", "no_objection", {}, drug="interferon", alt_x_uln=5),
    _choice("interferon-dna-unknown-alt-low", "undetermined", {}, drug="interferon", alt_x_uln=1),
    _choice(
        "entecavir",
        "no_objection",
        {"rules": GATE_RULES},
        drug="entecavir",
        hbeag_positive=True,
        hbv_dna="1e9 copies/mL",
    ),
    _choice("tenofovir", "no_objection", {"notes": ["tenofovir-not-in-seeds"]}, drug="tenofovir"),
    _choice("nucleoside-analogue", "no_objection", {}, drug="nucleoside_analogue"),
    _choice("drug-unknown", "undetermined", {"rules": GATE_RULES}),
    _na(
        "adequate-at-thresholds",
        "adequate_response",
        {"absent": ["RES-ADHERENCE"]},
        hbv_dna_baseline="6 log IU/mL",
        hbv_dna_3m="5 log IU/mL",
        hbv_dna_6m="4 log IU/mL",
    ),
    _na(
        "3m-drop-0.99",
        "primary_non_response",
        {"rules": NON_RESPONSE_RULES, "failed": {"hbv_dna_3m"}},
        hbv_dna_baseline="6 log IU/mL",
        hbv_dna_3m="5.01 log IU/mL",
        hbv_dna_6m="4 log IU/mL",
    ),
    _na(
        "3m-failure-wins-over-unknown-6m",
        "primary_non_response",
        {},
        hbv_dna_baseline="6 log IU/mL",
        hbv_dna_3m="5.5 log IU/mL",
    ),
    _na(
        "6m-drop-1.99",
        "poor_response",
        {"rules": NON_RESPONSE_RULES, "failed": {"hbv_dna_6m"}},
        hbv_dna_baseline="6 log IU/mL",
        hbv_dna_3m="5 log IU/mL",
        hbv_dna_6m="4.01 log IU/mL",
    ),
    _na("6m-unknown", "undetermined", {}, hbv_dna_baseline="6 log IU/mL", hbv_dna_3m="5 log IU/mL"),
    _na("baseline-unknown", "undetermined", {}, hbv_dna_3m="5 log IU/mL", hbv_dna_6m="4 log IU/mL"),
    _na(
        "undetectable-at-6m",
        "adequate_response",
        {},
        hbv_dna_baseline=1e6,
        hbv_dna_3m=1e5,
        hbv_dna_6m="undetectable",
    ),
    _na(
        "undetectable-below-a-low-baseline",
        "undetermined",
        {},
        hbv_dna_baseline="100 IU/mL",
        hbv_dna_3m="<20 IU/mL",
        hbv_dna_6m="<20 IU/mL",
    ),
    _na(
        "copies-and-iu-mixed",
        "adequate_response",
        {},
        hbv_dna_baseline="5.6 x 10^6 copies/mL",
        hbv_dna_3m="10^5 IU/mL",
        hbv_dna_6m="10^4 IU/mL",
    ),
    _w32(
        "drop-1.99",
        "adjust_plan",
        {"rules": ["RES-IFN-W32"]},
        hbv_dna_baseline="6 log IU/mL",
        hbv_dna_week32="4.01 log IU/mL",
    ),
    _w32("drop-2.0", "on_track", {}, hbv_dna_baseline="6 log IU/mL", hbv_dna_week32="4 log IU/mL"),
    _w32("week32-unknown", "undetermined", {}, hbv_dna_baseline="6 log IU/mL"),
    _monitor("quiet", "no_signal", {"absent": SIGNAL_RULES}, **QUIET_MONITORING),
    _monitor(
        "rebound-0.99-log", "no_signal", {}, **{**QUIET_MONITORING, "hbv_dna_current": "2.99 log IU/mL"}
    ),
    _monitor(
        "rebound-1.0-log",
        "virological_rebound",
        {"rules": ["RES-GATE-3", *SIGNAL_RULES], "notes": ["breakthrough-definition"]},
        **{**QUIET_MONITORING, "hbv_dna_current": "1000 IU/mL"},
    ),
    _monitor(
        "rebound-from-undetectable-nadir",
        "virological_rebound",
        {},
        **{**QUIET_MONITORING, "hbv_dna_nadir": "undetectable", "hbv_dna_current": "200 IU/mL"},
    ),
    _monitor(
        "below-1-log-from-undetectable-nadir",
        "no_signal",
        {},
        **{**QUIET_MONITORING, "hbv_dna_nadir": "undetectable", "hbv_dna_current": "190 IU/mL"},
    ),
    _monitor(
        "breakthrough-1.0-log-above-baseline",
        "breakthrough",
        {"rules": ["RES-GATE-3"]},
        **{**QUIET_MONITORING, "hbv_dna_baseline": "1e4 IU/mL", "hbv_dna_current": "1e5 IU/mL"},
    ),
    _monitor(
        "breakthrough-0.99-log-is-rebound",
        "virological_rebound",
        {},
        **{**QUIET_MONITORING, "hbv_dna_baseline": "1e4 IU/mL", "hbv_dna_current": "4.99 log IU/mL"},
    ),
    _monitor(
        "clinical-resistance",
        "clinical_resistance",
        {"rules": ["RES-GATE-4", *SIGNAL_RULES]},
        **{
            **QUIET_MONITORING,
            "hbv_dna_baseline": "1e4 IU/mL",
            "hbv_dna_current": "1e5 IU/mL",
            "alt_now_normal": False,
        },
    ),
    _monitor(
        "alt-was-already-abnormal",
        "virological_rebound",
        {},
        **{
            **QUIET_MONITORING,
            "hbv_dna_current": "1000 IU/mL",
            "alt_was_normal": False,
            "alt_now_normal": False,
        },
    ),
    _monitor("alt-abnormal-without-rise", "no_signal", {}, **{**QUIET_MONITORING, "alt_now_normal": False}),
    _monitor(
        "genotypic",
        "genotypic_resistance",
        {"rules": ["RES-GATE-2", *SIGNAL_RULES]},
        **{**QUIET_MONITORING, "mutation_found": True},
    ),
    _monitor("mutation-only-known", "genotypic_resistance", {}, mutation_found=True),
    _monitor("nothing-known", "undetermined", {"rules": SIGNAL_RULES, "absent": ["RES-GATE-1"]}),
    _monitor("mutation-unknown", "undetermined", {}, **{**QUIET_MONITORING, "mutation_found": None}),
]

# ---------------------------------------------------------------- IFN
LOW_ALT_NO_FACTORS = {
    "age": 39,
    "family_history": False,
    "hbeag_positive": True,
    "imaging_liver_lesions": False,
}


def _ifn(case_id: str, verdict: str, expect: dict | None = None, **facts: Any) -> Case:
    return Case(f"ifn-{case_id}", "interferon", facts, verdict, expect or {})


IFN_CASES = [
    _ifn(
        "x-1.99",
        "lower_response",
        {"rules": ["IFN-WINDOW", "IFN-LOW", "IFN-BIOPSY"]},
        alt_x_uln=1.99,
        biopsy_grade=1,
        **LOW_ALT_NO_FACTORS,
    ),
    _ifn("x-2.0", "appropriate", {"rules": ["IFN-WINDOW", "IFN-PHASE", "IFN-FAVOURABLE"]}, alt_x_uln=2.0),
    _ifn("x-10.0", "appropriate", {}, alt_x_uln=10.0),
    _ifn("x-10.01", "defer_interferon", {"rules": ["IFN-HIGH"]}, alt_x_uln=10.01),
    _ifn("alt-80-uln-40", "appropriate", {"notes": ["alt-upper-limits"]}, alt="80 U/L", alt_uln=40),
    _ifn(
        "alt-79.6-default-uln",
        "lower_response",
        {"notes": ["default-uln", "alt-upper-limits"]},
        alt="79.6",
        **LOW_ALT_NO_FACTORS,
    ),
    _ifn("alt-80-default-uln", "appropriate", {"notes": ["default-uln"]}, alt=80),
    _ifn("alt-with-own-range", "appropriate", {"absent_notes": ["default-uln"]}, alt="ALT 70 (ref 0-35)"),
    _ifn(
        "alt-uln-field-wins", "lower_response", {}, alt="ALT 70 (ref 0-35)", alt_uln=40, **LOW_ALT_NO_FACTORS
    ),
    _ifn("alt-x-uln-wins-over-alt", "appropriate", {}, alt="30 U/L", alt_x_uln=3),
    _ifn("alt-as-multiple", "appropriate", {}, alt="2.5 times normal"),
    _ifn("alt-normal", "lower_response", {}, alt="normal", **LOW_ALT_NO_FACTORS),
    _ifn("age-39", "lower_response", {}, alt_x_uln=1.5, **LOW_ALT_NO_FACTORS),
    _ifn(
        "age-40",
        "biopsy_recommended",
        {"rules": ["IFN-BIOPSY", "IFN-LOW"]},
        alt_x_uln=1.5,
        **{**LOW_ALT_NO_FACTORS, "age": 40},
    ),
    _ifn(
        "family-history",
        "biopsy_recommended",
        {},
        alt_x_uln=1.5,
        **{**LOW_ALT_NO_FACTORS, "family_history": True},
    ),
    _ifn(
        "hbeag-negative",
        "biopsy_recommended",
        {},
        alt_x_uln=1.5,
        **{**LOW_ALT_NO_FACTORS, "hbeag_positive": False},
    ),
    _ifn(
        "imaging",
        "biopsy_recommended",
        {},
        alt="normal",
        **{**LOW_ALT_NO_FACTORS, "imaging_liver_lesions": True},
    ),
    _ifn("factors-unknown", "lower_response", {}, alt_x_uln=1.5),
    _ifn(
        "biopsy-g2",
        "treatment_recommended",
        {"rules": ["IFN-BIOPSY"]},
        alt_x_uln=1.5,
        biopsy_grade="G2",
        **LOW_ALT_NO_FACTORS,
    ),
    _ifn("biopsy-g1-with-factor", "biopsy_recommended", {}, alt_x_uln=1.5, biopsy_grade=1, age=60),
    _ifn("biopsy-g1-no-factor", "lower_response", {}, alt_x_uln=1.5, biopsy_grade="g1", **LOW_ALT_NO_FACTORS),
    _ifn(
        "high-falling-no-bilirubin",
        "interferon_possible_with_specialist",
        {"rules": ["IFN-HIGH", "IFN-HIGH-THEN"]},
        alt_x_uln=12,
        alt_falling=True,
        bilirubin_raised=False,
    ),
    _ifn("high-not-falling", "defer_interferon", {}, alt_x_uln=12, alt_falling=False, bilirubin_raised=False),
    _ifn(
        "high-bilirubin-raised", "defer_interferon", {}, alt_x_uln=12, alt_falling=True, bilirubin_raised=True
    ),
    _ifn("high-bilirubin-unknown", "defer_interferon", {}, alt_x_uln=12, alt_falling=True),
    _ifn("no-alt", "undetermined", {"rules": ["IFN-WINDOW"]}, age=50),
    _ifn("uln-without-alt", "undetermined", {}, alt_uln=40),
]

ALL_CASES = STOP_CASES + RES_CASES + IFN_CASES
