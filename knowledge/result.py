"""The answer of an assessment and its JSON form (the CLI contract)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from .data import NOTES, RULES
from .logic import Criterion
from .texts import fill


@dataclass(frozen=True)
class Assessment:
    """A verdict with its criteria, contributing rules, message and guideline notes.

    ``flags`` record assumptions behind the answer ('default_uln_used', 'borderline', ...);
    they are explained in ``message`` and ``notes`` and are not part of the JSON contract.
    """

    topic: str
    verdict: str
    criteria: tuple[Criterion, ...]
    rules: tuple[str, ...]
    relapse_risk: str | None
    message: str
    notes: tuple[str, ...]
    flags: frozenset[str] = field(default_factory=frozenset)

    @property
    def citations(self) -> tuple[dict[str, str], ...]:
        """One citation per rule: the seed text it comes from."""
        return tuple({"rule": rule, "seed": RULES[rule]["seed"]} for rule in self.rules)

    def to_dict(self) -> dict[str, Any]:
        """Exactly the keys of the CLI contract."""
        return {
            "topic": self.topic,
            "verdict": self.verdict,
            "criteria": [
                {"rule": c.rule, "criterion": c.criterion, "status": c.status.value} for c in self.criteria
            ],
            "rules": list(self.rules),
            "relapse_risk": self.relapse_risk,
            "message": self.message,
            "citations": list(self.citations),
            "notes": list(self.notes),
        }


def _note_applies(when: dict[str, list[str]], facts: dict[str, set[str]]) -> bool:
    return all(set(wanted) & facts[key] for key, wanted in when.items())


def applicable_notes(
    rules: Iterable[str], verdict: str, drug: str | None, flags: Iterable[str]
) -> tuple[str, ...]:
    """The guideline-currency notes of the data file whose conditions all match."""
    drugs = {drug} if drug is not None else set()
    facts = {"rules": set(rules), "verdicts": {verdict}, "drugs": drugs, "flags": set(flags)}
    return tuple(fill(note["text"]) for note in NOTES if _note_applies(note["when"], facts))
