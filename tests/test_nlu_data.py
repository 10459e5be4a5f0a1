"""The held-out NLU set stays blind: none of its sentences is in the training data."""
import re
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[1]


def examples(path: Path) -> dict:
    """Normalised example text -> intent, for one Rasa NLU file."""
    found = {}
    for block in yaml.safe_load(path.read_text())["nlu"]:
        for line in block["examples"].splitlines():
            if line.strip().startswith("- "):
                text = " ".join(re.sub(r"[^\w\s]", "", line.strip()[2:].lower()).split())
                found[text] = block["intent"]
    return found


def test_no_held_out_sentence_is_used_for_training():
    training = {}
    for path in (REPO / "data" / "nlu").glob("*.yml"):
        training.update(examples(path))
    held_out = examples(REPO / "tests" / "nlu" / "heldout.yml")
    assert len(held_out) >= 200
    assert sorted(set(held_out) & set(training)) == []
