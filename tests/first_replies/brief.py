"""Export the brief for writing a fresh test set to a directory outside the repository.

Whoever writes a fresh set (a person or a helper agent) must not see the training data, the
lexicons or the other sets; this writes all they need: the brief (WRITING-SETS.md), the general
answer keys with the start of each text, and the phrasing bank's skeleton (one example per list).

    python -m tests.first_replies.brief /path/outside/the/repo
"""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
SKELETON_SOURCE = REPO / "tests" / "conversations" / "phrasings-dev.yml"


def answer_keys() -> str:
    """One line per general answer: its key and the start of its text."""
    answers = yaml.safe_load((REPO / "data" / "responses" / "general_answers.yml").read_text())["responses"]
    return "".join(
        f"{name[len('utter_') :]} :: {' '.join(variations[0]['text'].split())[:250]}\n"
        for name, variations in answers.items()
    )


def skeleton(node: Any) -> Any:
    """The same keys and nesting, each list cut to its first example."""
    if isinstance(node, dict):
        return {key: skeleton(value) for key, value in node.items()}
    if isinstance(node, list):
        return [node[0], "..."] if node else ["..."]
    return node


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("directory", type=Path)
    target = parser.parse_args().directory.resolve()
    if target.is_relative_to(REPO):
        parser.error("write the brief outside the repository: a writer must not open it")
    target.mkdir(parents=True, exist_ok=True)
    shutil.copy(HERE / "WRITING-SETS.md", target / "WRITING-SETS.md")
    (target / "answer-keys.txt").write_text(answer_keys())
    bank = yaml.safe_load(SKELETON_SOURCE.read_text())
    (target / "bank-skeleton.yml").write_text(
        yaml.safe_dump(skeleton(bank), sort_keys=False, allow_unicode=True)
    )
    print(f"brief written to {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
