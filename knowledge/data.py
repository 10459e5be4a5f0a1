"""The packaged data (``knowledge/data/rules.yaml`` and ``questions.yaml``), loaded once at import time."""
from __future__ import annotations

from importlib.resources import files
from typing import Any

import yaml



def _load(name: str) -> dict[str, Any]:
    return yaml.safe_load(files(__package__).joinpath(f"data/{name}").read_text(encoding="utf-8"))


_DATA = _load("rules.yaml")
_QUESTIONS = _load("questions.yaml")

SEEDS: dict[str, str] = _DATA["seeds"]
CONSTANTS: dict[str, Any] = _DATA["constants"]
LIMITS: dict[str, Any] = _DATA["limits"]
DRUGS: dict[str, dict[str, Any]] = _DATA["drugs"]
TOPICS: dict[str, dict[str, Any]] = _DATA["topics"]
COMMON: dict[str, Any] = _DATA["common"]
CRITERIA: dict[str, dict[str, str]] = _DATA["criteria"]
RULES: dict[str, dict[str, Any]] = _DATA["rules"]
NOTES: list[dict[str, Any]] = _DATA["notes"]
RED_FLAGS: dict[str, Any] = _DATA["red_flags"]

CHECKS: dict[str, list[str]] = _QUESTIONS["checks"]
QUESTIONS: dict[str, dict[str, Any]] = _QUESTIONS["questions"]
ANSWER_WORDS: dict[str, Any] = _QUESTIONS["answers"]
ROUTING: dict[str, list[str]] = _QUESTIONS["routing"]

RULE_IDS: tuple[str, ...] = tuple(RULES)


def thresholds(rule_id: str) -> dict[str, float]:
    """The numeric thresholds of one rule (empty when it has none)."""
    return dict(RULES[rule_id].get("thresholds", {}))
