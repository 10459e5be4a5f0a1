"""The rule families, one module per topic, and `assess` for JSON-like facts."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from ..facts import facts_from_json
from ..result import Assessment
from .interferon import assess_interferon
from .resistance import assess_resistance
from .stop import assess_stop

ASSESSORS: dict[str, Callable[[Any], Assessment]] = {
    "stop": assess_stop,
    "resistance": assess_resistance,
    "interferon": assess_interferon,
}


def assess(topic: str, facts: dict[str, Any], today: date | None = None) -> Assessment:
    """Validate JSON-like facts (CLI field names; None or missing = unknown) and assess the topic.

    Raises LabValueError (with ``field``) for refused input.
    """
    typed_facts = facts_from_json(topic, facts, today)
    return ASSESSORS[topic](typed_facts)
