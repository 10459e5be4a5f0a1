"""The scripted checks of tests/conversations/scripted.yml (a data file): one per verdict of each
topic, typed words and button payloads, each opened with a greeting."""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

import yaml

SCRIPTED = Path(__file__).resolve().parents[1] / "tests" / "conversations" / "scripted.yml"


class Conversation(NamedTuple):
    name: str
    messages: list[str]
    kind: str = "general"  # or "check"
    verdict: str | None = None  # first line of the rule module's answer that ends a check

    def succeeded(self, last_reply: str) -> bool:
        return bool(self.verdict) and all(
            part in last_reply for part in (self.verdict, "Sources:", "your doctor")
        )


def scripted_checks() -> list[Conversation]:
    from knowledge import assess

    return [
        Conversation(
            f"{case['topic']}-{case['verdict']}",
            ["hello", *case["messages"]],
            "check",
            assess(case["topic"], case["facts"]).message.splitlines()[0],
        )
        for case in yaml.safe_load(SCRIPTED.read_text())
    ]
