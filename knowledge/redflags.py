"""Red flags: symptoms that need urgent care now, whatever the conversation is about."""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from .data import RED_FLAGS

URGENT_MESSAGE: str = " ".join(RED_FLAGS["urgent_message"].split())

# Up to three words between two parts of a pattern, none of them a negation.
_GAP = r"(?: (?!(?:not|no|never|isn'?t|aren'?t|wasn'?t|weren'?t|don'?t|doesn'?t|didn'?t)\b)[\w']+){0,3}"
_NEGATION = re.compile(
    r"\b(?:no|not|never|without|none|nor|neither|denies|deny|free of|don'?t|dont|doesn'?t|didn'?t"
    r"|haven'?t|hasn'?t|isn'?t|aren'?t|wasn'?t|weren'?t)\b"
)
_CLAUSE_BREAK = re.compile(r"[,;:()]|\b(?:but|however|although|though|and now|now)\b")
_QUESTION_START = re.compile(r"^(?:what|which|how|can|could|does|do|is|are|why|when|should|will|would|may)\b")
_FIRST_PERSON = re.compile(r"\b(?:i|i'm|im|i've|ive|i'd|my|me|mine|myself|we|our|us)\b")
_SENTENCE = re.compile(r"(?:[^.!?\n]|[.!?](?=[^\s.!?]))+[.!?]*")  # '39.5' stays in one sentence


@dataclass(frozen=True)
class RedFlag:
    """A red flag found in the patient's text: its id, the words that matched, extra advice."""

    id: str
    phrase: str
    advice: str = ""


@dataclass(frozen=True)
class _Pattern:
    id: str
    regexes: tuple[re.Pattern, ...]
    advice: str
    interferon: bool
    always: bool


_PATTERNS = tuple(
    _Pattern(
        id=flag["id"],
        regexes=tuple(re.compile(p.replace("{gap}", _GAP)) for p in flag["patterns"]),
        advice=" ".join(flag.get("advice", "").split()),
        interferon=flag.get("interferon", False),
        always=flag.get("always", False),
    )
    for flag in RED_FLAGS["flags"]
)
RED_FLAG_IDS: tuple[str, ...] = tuple(pattern.id for pattern in _PATTERNS)


def _normalise(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).replace("’", "'").replace("‘", "'").lower()
    return re.sub(r"[ \t]+", " ", text)


def _negated(before: str) -> bool:
    """A negation among the last four words of the same clause."""
    clause = _CLAUSE_BREAK.split(before)[-1]
    return _NEGATION.search(" ".join(clause.split()[-4:])) is not None


def _is_general_question(sentence: str) -> bool:
    """'Can hepatitis B cause yellow eyes?' asks about the illness, not about the patient."""
    sentence = sentence.strip()
    is_question = sentence.endswith("?") or _QUESTION_START.match(sentence) is not None
    return is_question and not _FIRST_PERSON.search(sentence)


def detect_red_flags(text: str, on_interferon: bool | None = None) -> list[RedFlag]:
    """The red flags in a message, in data order, each once.

    Negated mentions ('no yellow eyes') and general questions are skipped, except for self-harm,
    which is always flagged. Interferon-related flags (severe depression, high fever) are checked
    unless the patient is known not to be on interferon.
    """
    found: dict[str, RedFlag] = {}
    for sentence in _SENTENCE.findall(_normalise(text)):
        general = _is_general_question(sentence)
        for pattern in _PATTERNS:
            if pattern.id in found or (pattern.interferon and on_interferon is False):
                continue
            if general and not pattern.always:
                continue
            for regex in pattern.regexes:
                match = next((m for m in regex.finditer(sentence)
                              if pattern.always or not _negated(sentence[: m.start()])), None)
                if match:
                    found[pattern.id] = RedFlag(pattern.id, match.group(), pattern.advice)
                    break
    return [found[flag_id] for flag_id in RED_FLAG_IDS if flag_id in found]
