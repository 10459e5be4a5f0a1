"""How a message is phrased (no Rasa import, shared by the NLU components and the actions)."""

from __future__ import annotations

import re

QUESTION_WORDS = {
    "what",
    "what's",
    "whats",
    "how",
    "why",
    "when",
    "which",
    "who",
    "can",
    "could",
    "should",
    "is",
    "are",
    "does",
    "do",
    "will",
    "would",
    "tell",
    "explain",
}


def is_question(text: str) -> bool:
    """True when the message asks something (a question mark, or it opens with a question word)."""
    words = text.lower().split()
    return "?" in text or (bool(words) and words[0] in QUESTION_WORDS)


_OPEN_QUESTION_AFTER = re.compile(r"[,.;:!-]\s*(?:so\s+)?(?:what|what's|whats|how|why|which)\b", re.I)


def asks_after_a_statement(text: str) -> bool:
    """A question after a statement, without a question mark: "my fibroscan said 7.2 kPa, what does
    that mean"."""
    return is_question(text) or _OPEN_QUESTION_AFTER.search(text) is not None
