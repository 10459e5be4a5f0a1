"""The packaged data (``knowledge/data/rules.yaml`` and ``questions.yaml``), loaded once at import time."""

from __future__ import annotations

from importlib.resources import files
from typing import Any

import yaml


def _load(name: str) -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(
        files(__package__).joinpath(f"data/{name}").read_text(encoding="utf-8")
    )
    return data


_DATA = _load("rules.yaml")
_QUESTIONS = _load("questions.yaml")

SEEDS: dict[str, str] = {topic: seed["file"] for topic, seed in _DATA["seeds"].items()}
SEED_TITLES: dict[str, str] = {seed["file"]: seed["title"] for seed in _DATA["seeds"].values()}
CONSTANTS: dict[str, Any] = _DATA["constants"]
LIMITS: dict[str, Any] = _DATA["limits"]
DRUGS: dict[str, dict[str, Any]] = _DATA["drugs"]
TOPICS: dict[str, dict[str, Any]] = _DATA["topics"]
COMMON: dict[str, Any] = _DATA["common"]
CRITERIA: dict[str, dict[str, str]] = _DATA["criteria"]
RULES: dict[str, dict[str, Any]] = _DATA["rules"]
NOTES: list[dict[str, Any]] = _DATA["notes"]
RED_FLAGS: dict[str, Any] = _DATA["red_flags"]

QUESTIONS: dict[str, dict[str, Any]] = _QUESTIONS["questions"]
CHECK_SPECS: dict[str, dict[str, Any]] = _QUESTIONS["checks"]
ANSWER_TEXTS: dict[str, Any] = _QUESTIONS["texts"]
ANSWER_WORDS: dict[str, Any] = _QUESTIONS["answers"]
ROUTING: dict[str, list[str]] = _QUESTIONS["routing"]

RULE_IDS: tuple[str, ...] = tuple(RULES)


def _with_options(asks: list[str]) -> list[str]:
    """The questions, each choice question followed by those of its options (once each)."""
    slots: list[str] = []
    for slot in asks:
        options = QUESTIONS[slot].get("choices", {}).values()
        slots += [slot, *(name for option in options for name in option["asks"])]
    return list(dict.fromkeys(slots))


# Every question a check may ask, in the order it asks them.
CHECKS: dict[str, list[str]] = {topic: _with_options(spec["asks"]) for topic, spec in CHECK_SPECS.items()}


def thresholds(rule_id: str) -> dict[str, float]:
    """The numeric thresholds of one rule (empty when it has none)."""
    return dict(RULES[rule_id].get("thresholds", {}))
