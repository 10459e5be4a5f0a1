"""Which rules apply to the answers, and which questions each needs (knowledge/data/rules.yaml)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .data import QUESTIONS, RULES
from .facts import drug_class, normalise_drug


def _matches(slot: str, value: Any, wanted: Any) -> bool:
    """A medicine matches its name or its class (IFN, PEG, NA); other answers match exactly."""
    options = wanted if isinstance(wanted, list) else [wanted]
    if QUESTIONS[slot]["kind"] == "drug":
        return normalise_drug(value) in options or drug_class(value) in options
    return value in options


def condition_states(rule_id: str, answers: Mapping[str, Any]) -> dict[str, bool | None]:
    """Each `applies_when` condition of the rule: met, not met, or None when its answer is not
    known (missing or None)."""
    return {
        slot: None if answers.get(slot) is None else _matches(slot, answers[slot], wanted)
        for slot, wanted in RULES[rule_id].get("applies_when", {}).items()
    }


def rule_applies(rule_id: str, answers: Mapping[str, Any]) -> bool | None:
    """True when the answers meet every condition of the rule, False when one fails, None when
    an answer it depends on is not known."""
    met = condition_states(rule_id, answers).values()
    if False in met:
        return False
    return None if None in met else True


def rule_for(candidates: tuple[str, ...], **answers: Any) -> str:
    """The one of `candidates` that applies to the answers."""
    return next(rule for rule in candidates if rule_applies(rule, answers))


def conditions(rule_id: str) -> tuple[str, ...]:
    """The questions whose answers select the rule."""
    return tuple(RULES[rule_id].get("applies_when", {}))


def needs(rule_id: str) -> tuple[str, ...]:
    """The questions whose answers the rule reads: `requires`, thresholds named after a
    question, and `asks`."""
    rule = RULES[rule_id]
    named = [*rule.get("requires", []), *rule.get("thresholds", {}), *rule.get("asks", [])]
    return tuple(dict.fromkeys(name for name in named if name in QUESTIONS))
