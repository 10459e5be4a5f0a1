"""The rule module alone: time per assessment of each scenario of bench/rule-scenarios.yml.

    python bench/bench_rules.py

"from JSON" includes parsing the facts (lab-value strings); "typed" starts from fact dataclasses.
"""

from __future__ import annotations

import sys
import timeit
from datetime import date
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from knowledge import assess, assess_interferon, assess_resistance, assess_stop, detect_red_flags, facts_from_json

TODAY = date(2025, 11, 22)
SCENARIOS = yaml.safe_load((Path(__file__).parent / "rule-scenarios.yml").read_text())
TYPED = {"stop": assess_stop, "resistance": assess_resistance, "interferon": assess_interferon}


def best_seconds_per_call(function) -> float:
    timer = timeit.Timer(function)
    return min(timer.repeat(repeat=5, number=(number := timer.autorange()[0]))) / number


def measure() -> dict:
    """Seconds per call for every scenario (from JSON and typed) and for red-flag detection."""
    rows = {}
    for name, scenario in SCENARIOS.items():
        topic, facts = scenario["topic"], scenario["facts"]
        typed_facts = facts_from_json(topic, facts, TODAY)
        from_json = best_seconds_per_call(lambda topic=topic, facts=facts: assess(topic, facts, TODAY))
        typed = best_seconds_per_call(lambda topic=topic, facts=typed_facts: TYPED[topic](facts))
        rows[name] = {"from_json_s": from_json, "typed_s": typed}
    message = "My eyes have looked a bit yellow since Tuesday and my pee is dark, is that the entecavir?"
    return {"assessments": rows, "red_flags_s": best_seconds_per_call(lambda: detect_red_flags(message))}


def main() -> None:
    results = measure()
    print(f"{'scenario':26} {'from JSON':>22} {'typed':>22}")
    for name, row in [*results["assessments"].items(), ("red flags (1 message)", {"from_json_s": results["red_flags_s"]})]:
        cells = "".join(f" {row[k] * 1e6:8.1f} µs {1 / row[k]:9,.0f}/s" for k in ("from_json_s", "typed_s") if k in row)
        print(f"{name:26}{cells}")


if __name__ == "__main__":
    main()
