"""Helpers shared by the rule families: criteria described by the data file, and the answer."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from ..data import COMMON, RULES, thresholds
from ..logic import Criterion, Status, at_least, from_flag
from ..result import Assessment, applicable_notes
from ..texts import bullet_list, common_text, criterion_line, fill, rule_text, topic_text, verdict_text

# A cited rule: its id (its 'default' message is said), or (id, message key), or (id, None) to
# cite it without a message.
Cited = str | tuple[str, str | None]


def criterion(rule: str, name: str, status: Status, value: Any = None) -> Criterion:
    """A criterion with its plain-language line (what is needed, or what to ask when unknown)."""
    if status is Status.UNKNOWN:
        return Criterion(rule, name, status, criterion_line(rule, name, "ask"))
    return Criterion(rule, name, status, criterion_line(rule, name, "need", value))


def required_criteria(rule: str, facts: Any) -> list[Criterion]:
    """The rule's yes/no requirements (`requires`), then its minimums (`thresholds`), as in the data."""
    flags = [
        criterion(rule, name, from_flag(getattr(facts, name))) for name in RULES[rule].get("requires", [])
    ]
    minimums = [
        criterion(rule, name, at_least(getattr(facts, name), minimum), getattr(facts, name))
        for name, minimum in thresholds(rule).items()
    ]
    return flags + minimums


def answer(
    topic: str,
    verdict: str,
    criteria: Sequence[Criterion],
    cited: Iterable[Cited] = (),
    *,
    values: dict[str, Any] | None = None,
    parts: Iterable[str] = (),
    ask: Iterable[Criterion] | None = None,
    failed_header: str | None = None,
    relapse_risk: str | None = None,
    drug: str | None = None,
    flags: Iterable[str] = (),
) -> Assessment:
    """Assemble the answer. The message says, in order: the verdict; the failed criteria (when a
    header is given); what is still unknown (among `ask`, default all criteria); the extra
    `parts`; what each cited rule says; the assumptions behind the answer; the closing line."""
    values = values or {}
    messages = [(item, "default") if isinstance(item, str) else item for item in cited]
    flags = frozenset(flags) | ({"relapse_risk"} if relapse_risk else set())
    failed = [c.detail for c in criteria if c.status is Status.NOT_MET]
    unknown = [c.detail for c in (criteria if ask is None else ask) if c.status is Status.UNKNOWN]
    assumptions = [fill(text, **values) for flag, text in COMMON["assumptions"].items() if flag in flags]
    paragraphs = [
        verdict_text(topic, verdict, **values),
        bullet_list(failed_header, failed) if failed_header else "",
        bullet_list(common_text("unknown"), unknown),
        *parts,
        *(rule_text(rule, key, **values) for rule, key in messages if key is not None),
        *assumptions,
        topic_text(topic, "closing"),
    ]
    rules = tuple(dict.fromkeys([*(c.rule for c in criteria), *(rule for rule, _ in messages)]))
    return Assessment(
        topic=topic,
        verdict=verdict,
        criteria=tuple(criteria),
        rules=rules,
        relapse_risk=relapse_risk,
        message="\n".join(p for p in paragraphs if p),
        notes=applicable_notes(rules, verdict, drug, flags),
        flags=flags,
    )
