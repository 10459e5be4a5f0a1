"""What scripts/generate.py writes is up to date: the general answers the bot serves are the
knowledge base's (every rule can be asked), and the checks' slots and forms in domain.yml are
those of the registry of check questions."""

from __future__ import annotations

import importlib.util
import json
import re
from pathlib import Path

import yaml

from actions.answers import PAYLOAD_ENTITIES
from knowledge import RULE_IDS
from knowledge.data import CHECKS

REPO = Path(__file__).resolve().parents[1]
spec = importlib.util.spec_from_file_location("generate", REPO / "scripts" / "generate.py")
generate = importlib.util.module_from_spec(spec)
spec.loader.exec_module(generate)


def test_generated_answers_file_is_up_to_date():
    committed = (REPO / "data" / "responses" / "general_answers.yml").read_text(encoding="utf-8")
    assert committed == generate.render_answers(), "run `make generate` and commit the result"


def test_domain_checks_are_up_to_date():
    committed = (REPO / "domain.yml").read_text(encoding="utf-8")
    assert committed == generate.render_domain(committed), "run `make generate` and commit the result"


def test_domain_forms_ask_the_registry_questions_each_with_its_response():
    domain = yaml.safe_load((REPO / "domain.yml").read_text(encoding="utf-8"))
    forms = {name.removesuffix("_form"): form["required_slots"] for name, form in domain["forms"].items()}
    assert forms == CHECKS
    for slot in {slot for slots in CHECKS.values() for slot in slots}:
        assert domain["slots"][slot]["mappings"] == [{"type": "custom"}], slot
        assert f"utter_ask_{slot}" in domain["responses"], slot


def test_every_rule_id_has_an_answer_and_training_examples():
    nlu = {}
    for path in (REPO / "data" / "nlu").glob("*.yml"):
        for block in yaml.safe_load(path.read_text())["nlu"]:
            nlu[block["intent"]] = block["examples"]
    for rule_id in RULE_IDS:
        intent = generate.response_key(rule_id).removeprefix("utter_")
        examples = [line for line in nlu.get(intent, "").splitlines() if line.strip()]
        assert len(examples) >= 8, f"{rule_id}: {intent} has {len(examples)} training examples"


def test_every_button_of_a_question_answers_that_question():
    domain = yaml.safe_load((REPO / "domain.yml").read_text(encoding="utf-8"))
    for slot in {slot for slots in CHECKS.values() for slot in slots}:
        for variant in domain["responses"][f"utter_ask_{slot}"]:
            for button in variant.get("buttons", []):
                payload = re.fullmatch(r"/inform\{\{(.*)\}\}", button["payload"])
                if payload:
                    entities = json.loads("{" + payload[1] + "}")
                    assert all(slot in PAYLOAD_ENTITIES[entity] for entity in entities), (slot, button)
