"""The general answers the bot serves are the knowledge base's, and every rule can be asked."""
import importlib.util
from pathlib import Path

import yaml

from knowledge import RULE_IDS

REPO = Path(__file__).resolve().parents[1]
spec = importlib.util.spec_from_file_location("generate_answers", REPO / "scripts" / "generate_answers.py")
generate_answers = importlib.util.module_from_spec(spec)
spec.loader.exec_module(generate_answers)


def test_generated_answers_file_is_up_to_date():
    committed = (REPO / "data" / "responses" / "general_answers.yml").read_text(encoding="utf-8")
    assert committed == generate_answers.render(), "run `make answers` and commit the result"


def test_every_rule_id_has_an_answer_and_training_examples():
    nlu = {}
    for path in (REPO / "data" / "nlu").glob("*.yml"):
        for block in yaml.safe_load(path.read_text())["nlu"]:
            nlu[block["intent"]] = block["examples"]
    for rule_id in RULE_IDS:
        intent = generate_answers.response_key(rule_id).removeprefix("utter_")
        examples = [line for line in nlu.get(intent, "").splitlines() if line.strip()]
        assert len(examples) >= 8, f"{rule_id}: {intent} has {len(examples)} training examples"
