"""No text tells the patient to stop, start, switch or change a drug."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from harness.verdict_cases import ALL_CASES, TODAY, Case, case_id
from knowledge import assess, general_answer
from knowledge.data import COMMON, CRITERIA, NOTES, RULES, TOPICS

DOMAIN = Path(__file__).resolve().parents[2] / "domain.yml"

ACTIONS = r"(?:stop|start|restart|switch|change|quit|end|discontinue|begin)"
MEDICINE = (
    r"(?:drugs?|medicines?|medications?|treatment|therapy|tablets?|pills?|interferon|injections?|antivirals?)"
)
DIRECTIVES = [
    re.compile(p, re.IGNORECASE)
    for p in (
        r"\byou (?:should|must|need to|have to|ought to|can|could|may|might)(?: now| safely)? "
        + ACTIONS
        + r"\b",
        r"\b(?:stop|start|quit) taking\b",
        r"\bswitch(?:ing)? (?:to|your)\b",
        r"\bchange your\b",
        r"\b" + ACTIONS + r" (?:your|the) " + MEDICINE + r"\b",
        r"^(?:please )?" + ACTIONS + r" (?:your |the |taking )?" + MEDICINE + r"\b",
        r"\bit is (?:time|safe|ok|okay) to " + ACTIONS + r"\b",
    )
]


def strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from strings(item)


def directive_in(text: str) -> list[str]:
    sentences = re.split(r"(?<=[.!?;:])\s+|\n", text)
    return [s for s in sentences for pattern in DIRECTIVES if pattern.search(s.strip())]


@pytest.mark.parametrize(
    "phrase",
    [
        "You should stop your tablets now.",
        "Stop taking entecavir.",
        "You can switch to tenofovir.",
        "Change your medicine.",
        "It is time to stop treatment.",
        "Start taking interferon.",
        "You may now stop.",
        "Please stop the medicine.",
    ],
)
def test_the_scan_catches_directives(phrase: str) -> None:
    assert directive_in(phrase)


def test_no_data_or_domain_text_contains_a_directive() -> None:
    responses = yaml.safe_load(DOMAIN.read_text())["responses"]
    texts = [
        *strings(RULES),
        *strings(TOPICS),
        *strings(COMMON),
        *strings(CRITERIA),
        *strings(NOTES),
        *(variation["text"] for variations in responses.values() for variation in variations),
        *(general_answer(rule) for rule in RULES),
    ]
    found = [(text, directive_in(text)) for text in texts if directive_in(text)]
    assert not found


@pytest.mark.parametrize("case", ALL_CASES, ids=case_id)
def test_no_answer_contains_a_directive(case: Case) -> None:
    result = assess(case.topic, case.facts, TODAY)
    assert not directive_in(result.message)
    assert not [note for note in result.notes if directive_in(note)]
    assert not [c.detail for c in result.criteria if directive_in(c.detail)]


def _syllables(word: str) -> int:
    word = re.sub(r"[^a-z]", "", word.lower())
    if len(word) <= 3:
        return 1
    word = re.sub(r"^y", "", re.sub(r"(?:[^laeiouy]es|ed|[^laeiouy]e)$", "", word))
    return max(1, len(re.findall(r"[aeiouy]{1,2}", word)))


def reading_grade(text: str) -> float:
    """Flesch-Kincaid grade level (school year), with a rough syllable count."""
    sentences = [s for s in re.split(r"[.!?:]+\s", text) if s.strip()]
    words = re.findall(r"[A-Za-z][A-Za-z'-]*", text)
    return 0.39 * len(words) / len(sentences) + 11.8 * sum(map(_syllables, words)) / len(words) - 15.59


def test_general_answers_are_easy_to_read() -> None:
    grades = {topic: reading_grade(general_answer(topic)) for topic in [*RULES, *TOPICS]}
    assert sum(grades.values()) / len(grades) <= 7.5, grades
    assert max(grades.values()) <= 11, grades


SEED_DIR = Path(__file__).resolve().parents[2].parent / "shared" / "seeds"


def _shingles(text: str, size: int = 7) -> set[tuple[str, ...]]:
    words = re.findall(r"[a-z0-9]+", text.lower())
    return {tuple(words[i : i + size]) for i in range(len(words) - size + 1)}


def test_no_text_copies_a_seed_sentence() -> None:
    if not SEED_DIR.exists():
        pytest.skip(f"seeds not found at {SEED_DIR}")
    seeds = set().union(*(_shingles(path.read_text(encoding="utf-8")) for path in SEED_DIR.glob("*.txt")))
    texts = [*strings(RULES), *strings(TOPICS), *strings(COMMON), *strings(CRITERIA), *strings(NOTES)]
    copied = {" ".join(shingle) for text in texts for shingle in _shingles(text) & seeds}
    assert not copied
