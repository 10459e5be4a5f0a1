"""The brief for writers of fresh test sets: exported outside the repository, complete, and in the
shape every phrasing bank has."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.first_replies.brief import REPO, answer_keys, skeleton

BANKS = sorted((REPO / "tests" / "conversations").glob("phrasings-*.yml"))


def shape(node):
    if isinstance(node, dict):
        return {key: shape(value) for key, value in node.items()}
    return type(node).__name__


def test_every_general_answer_is_listed_once():
    answers = yaml.safe_load((REPO / "data" / "responses" / "general_answers.yml").read_text())["responses"]
    keys = [line.split(" :: ")[0] for line in answer_keys().splitlines()]
    assert keys == [name[len("utter_") :] for name in answers]
    assert all(" :: " in line and len(line) > 40 for line in answer_keys().splitlines())


@pytest.mark.parametrize("bank", BANKS, ids=[path.stem for path in BANKS])
def test_each_bank_has_the_skeleton_shape(bank):
    skeleton_shape = shape(
        skeleton(yaml.safe_load((REPO / "tests/conversations/phrasings-dev.yml").read_text()))
    )
    assert shape(yaml.safe_load(bank.read_text())) == skeleton_shape


def test_skeleton_keeps_one_example_per_list():
    assert skeleton({"a": {"b": ["x", "y", "z"]}, "c": []}) == {"a": {"b": ["x", "..."]}, "c": ["..."]}


def test_the_brief_is_written_outside_the_repository_only(tmp_path: Path):
    inside = subprocess.run(
        [sys.executable, "-m", "tests.first_replies.brief", str(REPO / "brief-here")],
        cwd=REPO,
        capture_output=True,
        text=True,
    )
    assert inside.returncode != 0 and "outside the repository" in inside.stderr
    assert not (REPO / "brief-here").exists()
    outside = subprocess.run(
        [sys.executable, "-m", "tests.first_replies.brief", str(tmp_path / "brief")],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
    )
    assert "brief written" in outside.stdout
    assert {p.name for p in (tmp_path / "brief").iterdir()} == {
        "WRITING-SETS.md",
        "answer-keys.txt",
        "bank-skeleton.yml",
    }
