"""The packaged rule data (``knowledge/data/rules.yaml``), loaded once at import time."""
from __future__ import annotations

from importlib.resources import files
from typing import Any

import yaml

_DATA: dict[str, Any] = yaml.safe_load(
    files(__package__).joinpath("data/rules.yaml").read_text(encoding="utf-8")
)

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

RULE_IDS: tuple[str, ...] = tuple(RULES)


def thresholds(rule_id: str) -> dict[str, float]:
    """The numeric thresholds of one rule (empty when it has none)."""
    return dict(RULES[rule_id].get("thresholds", {}))
