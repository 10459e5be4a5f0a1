"""Micro-benchmark of the rule module: time per assessment, per topic.

Run from the repository root:  python bench/bench_rules.py
"from JSON" includes validating and parsing the facts (lab-value strings); "typed" starts from
already-built fact dataclasses, as the chatbot layer does once it holds the parsed values.
"""
from __future__ import annotations

import sys
import timeit
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from knowledge import (assess, assess_interferon, assess_resistance, assess_stop,  # noqa: E402
                       detect_red_flags, facts_from_json)

TODAY = date(2025, 11, 22)
SCENARIOS = {
    "stop (NA, HBeAg+)": ("stop", {
        "therapy": "entecavir", "cirrhosis": False, "hbeag_positive_before_treatment": True,
        "hbv_dna_undetectable": True, "alt_normal": True, "hbeag_seroconversion": True,
        "consolidation_months": "18 months", "consolidation_checks": 3, "months_on_treatment": "since March 2022"}),
    "stop (PEG-IFN)": ("stop", {"therapy": "peg-interferon", "cirrhosis": False, "months_on_treatment": "48 weeks"}),
    "resistance drug_choice": ("resistance", {
        "question": "drug_choice", "drug": "lamivudine", "hbeag_positive": True, "hbv_dna": "2.3 x 10^6 IU/mL"}),
    "resistance na_response": ("resistance", {
        "question": "na_response", "hbv_dna_baseline": "6.2 log IU/mL", "hbv_dna_3m": "2.3e4 IU/mL",
        "hbv_dna_6m": "<20 IU/mL"}),
    "resistance ifn_week32": ("resistance", {
        "question": "ifn_week32", "hbv_dna_baseline": "3.1 x 10^7 copies/mL", "hbv_dna_week32": "85,000 copies/mL"}),
    "resistance monitoring": ("resistance", {
        "question": "monitoring", "hbv_dna_baseline": "1.2e6 IU/mL", "hbv_dna_nadir": "undetectable",
        "hbv_dna_current": "450 IU/mL", "alt_was_normal": True, "alt_now_normal": False, "mutation_found": None}),
    "interferon": ("interferon", {"alt": "ALT 85 U/L (ref 0-40)", "age": 45, "family_history": False,
                                  "hbeag_positive": True, "imaging_liver_lesions": False}),
}
TYPED = {"stop": assess_stop, "resistance": assess_resistance, "interferon": assess_interferon}


def best_seconds_per_call(function) -> float:
    timer = timeit.Timer(function)
    return min(timer.repeat(repeat=5, number=(number := timer.autorange()[0]))) / number


def measure() -> dict:
    """Seconds per call for every scenario (from JSON and typed) and for red-flag detection."""
    rows = {}
    for name, (topic, facts) in SCENARIOS.items():
        typed_facts = facts_from_json(topic, facts, TODAY)
        rows[name] = {"from_json_s": best_seconds_per_call(lambda: assess(topic, facts, TODAY)),
                      "typed_s": best_seconds_per_call(lambda: TYPED[topic](typed_facts))}
    message = "My eyes have looked a bit yellow since Tuesday and my pee is dark, is that the entecavir?"
    return {"assessments": rows, "red_flags_s": best_seconds_per_call(lambda: detect_red_flags(message))}


def main() -> None:
    results = measure()
    print(f"{'scenario':26} {'from JSON':>22} {'typed':>22}")
    for name, row in [*results["assessments"].items(), ("red flags (1 message)", {"from_json_s": results["red_flags_s"]})]:
        print(f"{name:26}" + "".join(f" {row[k] * 1e6:8.1f} µs {1 / row[k]:9,.0f}/s" for k in ("from_json_s", "typed_s")
                                     if k in row))


if __name__ == "__main__":
    main()
