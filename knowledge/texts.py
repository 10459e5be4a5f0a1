"""Patient-facing text: fill the data file's templates, show numbers in plain form."""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

from .data import COMMON, CONSTANTS, CRITERIA, RULES, TOPICS, thresholds

_POWER_WORDS = {6: "1 million", 7: "10 million", 8: "100 million", 9: "1 billion", 10: "10 billion"}


def show_number(value: float) -> str:
    """12.0 -> '12'; 0.987 -> '0.99'; 1e7 -> '10^7 (10 million)'; 230000 -> '2.3 x 10^5'."""
    if abs(value) < 1e5:
        return f"{round(value, 2) + 0.0:g}"
    exponent = math.floor(math.log10(abs(value)))
    mantissa = round(value / 10**exponent, 2)
    if abs(mantissa) >= 10:
        mantissa, exponent = mantissa / 10, exponent + 1
    if mantissa == 1:
        words = _POWER_WORDS.get(exponent)
        return f"10^{exponent} ({words})" if words else f"10^{exponent}"
    return f"{mantissa:g} x 10^{exponent}"


def _shown(value: Any) -> Any:
    if isinstance(value, (bool, str)):
        return value
    if isinstance(value, (int, float)):
        return show_number(value)
    if isinstance(value, (list, tuple)):
        return [_shown(item) for item in value]
    return value


def fill(template: str, rule_id: str | None = None, **values: Any) -> str:
    """Fill a template with the constants, the rule's thresholds and the given values."""
    context = {**CONSTANTS, **(thresholds(rule_id) if rule_id else {}), **values}
    return template.format_map({key: _shown(value) for key, value in context.items()})


def rule_text(rule_id: str, key: str = "default", **values: Any) -> str:
    """A message fragment of one rule."""
    return fill(RULES[rule_id]["messages"][key], rule_id, **values)


def verdict_text(topic: str, verdict: str, **values: Any) -> str:
    """The opening sentence(s) of a topic's verdict."""
    return fill(TOPICS[topic]["verdicts"][verdict], **values)


def topic_text(topic: str, key: str, **values: Any) -> str:
    """Any other text of a topic (questions, headers, closing line)."""
    return fill(TOPICS[topic]["texts"][key], **values)


def common_text(key: str, **values: Any) -> str:
    """Text shared by all topics."""
    return fill(COMMON[key], **values)


def criterion_line(rule_id: str, name: str, kind: str, value: Any = None) -> str:
    """One criterion in plain words: `kind` is 'need' or 'ask'; `value` adds the patient's answer."""
    template = {**CRITERIA.get(name, {}), **RULES[rule_id].get("criteria", {}).get(name, {})}
    line = fill(template[kind], rule_id)
    if value is None or "answer" not in template:
        return line
    return f"{line} (your answer: {fill(template['answer'], value=value)})"


def general_answer(rule_id: str) -> str:
    """The plain-language general answer for a rule id, or a topic overview for a topic name."""
    if rule_id in TOPICS:
        return fill(TOPICS[rule_id]["explain"])
    if rule_id not in RULES:
        raise KeyError(f"unknown rule id {rule_id!r}")
    return fill(RULES[rule_id]["explain"], rule_id)


def bullet_list(header: str, lines: Iterable[str]) -> str:
    """A header and one '- ' line per item (duplicates dropped); empty when there are no items."""
    items = list(dict.fromkeys(lines))
    return "\n".join([header, *(f"- {item}" for item in items)]) if items else ""
