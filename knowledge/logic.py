"""Three-valued criteria and the verdict logic shared by all topics.

A criterion is ``met`` when the answer counts in favour of the topic's positive verdict (criteria
met, no objection, adequate response, no signal, interferon usable), ``not_met`` when it counts
against it, and ``unknown`` when the patient does not know or did not say.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import Enum


class Status(str, Enum):
    MET = "met"
    NOT_MET = "not_met"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class Criterion:
    """One check: the rule it comes from, its name, its status and a plain-language line."""

    rule: str
    criterion: str
    status: Status
    detail: str


def _compare(value: float, threshold: float) -> int:
    """-1, 0 or 1; values within floating-point noise of the threshold count as equal."""
    if math.isclose(value, threshold, rel_tol=1e-9, abs_tol=1e-9):
        return 0
    return -1 if value < threshold else 1


def from_flag(value: bool | None, favourable: bool = True) -> Status:
    """MET when the yes/no answer equals the favourable one, UNKNOWN when there is no answer."""
    if value is None:
        return Status.UNKNOWN
    return Status.MET if value == favourable else Status.NOT_MET


def at_least(value: float | None, threshold: float) -> Status:
    """MET when value >= threshold (inclusive)."""
    if value is None:
        return Status.UNKNOWN
    return Status.MET if _compare(value, threshold) >= 0 else Status.NOT_MET


def at_most(value: float | None, threshold: float) -> Status:
    """MET when value <= threshold (inclusive)."""
    if value is None:
        return Status.UNKNOWN
    return Status.MET if _compare(value, threshold) <= 0 else Status.NOT_MET


def negate(status: Status) -> Status:
    return {Status.MET: Status.NOT_MET, Status.NOT_MET: Status.MET}.get(status, Status.UNKNOWN)


def all_of(statuses: Iterable[Status]) -> Status:
    """Kleene AND: any NOT_MET wins, then any UNKNOWN, else MET."""
    statuses = set(statuses)
    for status in (Status.NOT_MET, Status.UNKNOWN):
        if status in statuses:
            return status
    return Status.MET


def any_of(statuses: Iterable[Status]) -> Status:
    """Kleene OR: any MET wins, then any UNKNOWN, else NOT_MET."""
    return negate(all_of(negate(status) for status in statuses))


def decide(criteria: Iterable[Criterion], positive: str, negative: str | Mapping[str, str]) -> str:
    """Any not_met -> the negative verdict (per criterion name for the first failed one, when a
    mapping is given); else any unknown -> 'undetermined'; else the positive verdict."""
    criteria = list(criteria)
    failed = [c for c in criteria if c.status is Status.NOT_MET]
    if failed:
        return negative if isinstance(negative, str) else negative[failed[0].criterion]
    if any(c.status is Status.UNKNOWN for c in criteria):
        return "undetermined"
    return positive
