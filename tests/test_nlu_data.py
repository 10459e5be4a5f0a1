"""Held-out sets stay blind: no sentence of a test set is used for training.

Covered: the held-out NLU set, the first-reply sets and the simulated patients' phrasing banks
(every string in them). Sentences are compared lower-cased, without punctuation.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

REPO = Path(__file__).resolve().parents[1]
TEST_SETS = [
    REPO / "tests" / "nlu" / "heldout.yml",
    *sorted((REPO / "tests" / "first_replies").glob("*.yml")),
    *sorted((REPO / "tests" / "conversations").glob("phrasings-*.yml")),
]


def normalised(text: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", "", text.lower()).split())


def nlu_examples(path: Path) -> dict:
    """Normalised example text -> intent, for one Rasa NLU file."""
    found = {}
    for block in yaml.safe_load(path.read_text())["nlu"]:
        for line in block["examples"].splitlines():
            if line.strip().startswith("- "):
                found[normalised(line.strip()[2:])] = block["intent"]
    return found


def strings(data: Any) -> Iterator[str]:
    if isinstance(data, str):
        yield data
    elif isinstance(data, dict):
        for value in data.values():
            yield from strings(value)
    elif isinstance(data, list):
        for value in data:
            yield from strings(value)


def sentences_of(path: Path) -> set:
    if path.name == "heldout.yml":
        return set(nlu_examples(path))
    data = yaml.safe_load(path.read_text())
    if path.parent.name == "first_replies":
        return {normalised(entry["text"]) for entry in data}
    return {normalised(text) for text in strings(data) if "{value}" not in text}


@pytest.fixture(scope="module")
def training() -> dict:
    found = {}
    for path in (REPO / "data" / "nlu").glob("*.yml"):
        found.update(nlu_examples(path))
    return found


@pytest.mark.parametrize("path", TEST_SETS, ids=[p.relative_to(REPO).as_posix() for p in TEST_SETS])
def test_no_test_sentence_is_used_for_training(training, path):
    sentences = sentences_of(path)
    assert len(sentences) >= 200
    assert sorted(sentences & set(training)) == []
