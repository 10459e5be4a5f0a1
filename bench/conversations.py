"""Scripted conversations for the latency and load benchmarks.

The personal checks are those of tests/conversations/scripted.yml (one per verdict of each
topic, free text and button payloads; the REST test tests/integration/test_scripted_checks.py
runs them too), each opened with a greeting; the
general conversations add knowledge-base questions, a red flag mid-check, a hand-off and an
off-topic message. A check conversation "succeeds" when its last answer carries the rule
module's verdict for the case's facts, as the integration test asserts.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import List, Optional

import yaml

SCRIPTED = Path(__file__).resolve().parents[1] / "tests" / "conversations" / "scripted.yml"


@dataclass(frozen=True)
class Conversation:
    name: str
    messages: List[str]
    expected_first_line: Optional[str] = None  # verdict line the last answer must contain
    kind: str = "check"
    facts: dict = field(default_factory=dict)

    def succeeded(self, last_reply_text: str) -> Optional[bool]:
        if self.expected_first_line is None:
            return None
        return (self.expected_first_line in last_reply_text and "Sources:" in last_reply_text
                and "your doctor" in last_reply_text)


GENERAL = [
    ("general-questions", ["hi", "when can hep b tablets be stopped?", "what is drug resistance?",
                           "why does ALT matter for interferon?", "thanks", "bye"]),
    ("red-flag-mid-check", ["/check_stop", "I vomited blood this morning", "no", "entecavir",
                            "cancel"]),
    ("question-mid-check", ["is now a good time for interferon?", "what does ALT mean?", "85 U/L",
                            "talk to a person"]),
    ("off-topic", ["what's the weather like tomorrow?", "how long do I have to take hepatitis B medicine?",
                   "ok thanks"]),
]


def conversations() -> List[Conversation]:
    """The personal-check conversations (one per verdict) and the general ones."""
    from knowledge import assess

    found = []
    for case in yaml.safe_load(SCRIPTED.read_text()):
        expected = assess(case["topic"], case["facts"])
        found.append(Conversation(f"{case['topic']}-{case['verdict']}", ["hello", *case["messages"]],
                                  expected.message.splitlines()[0], "check", case["facts"]))
    found += [Conversation(name, messages, None, "general") for name, messages in GENERAL]
    return found


def turns_per_round() -> int:
    return sum(len(c.messages) for c in conversations())
