"""The data file against the spec: every rule id present, explained, reachable; data integrity."""

from __future__ import annotations

import re
from dataclasses import fields
from pathlib import Path

import pytest

from harness.verdict_cases import ALL_CASES, TODAY
from knowledge import RULE_IDS, assess, general_answer
from knowledge.data import CRITERIA, DRUGS, NOTES, RULES, SEEDS, TOPICS
from knowledge.facts import QUESTIONS, TOPIC_FACTS, converter_for, drug_class, normalise_drug

SPEC = Path(__file__).resolve().parents[2].parent / "shared" / "spec" / "clinical-rules.md"
SEED_DIR = SPEC.parent.parent / "seeds"
PREFIX_TOPIC = {"STOP": "stop", "RES": "resistance", "IFN": "interferon"}


def spec_rule_ids() -> list[str]:
    if not SPEC.exists():
        pytest.skip(f"spec not found at {SPEC} (it lives next to the repository, in shared/spec)")
    return re.findall(r"^\| ((?:STOP|RES|IFN)-[A-Z0-9-]+) \|", SPEC.read_text(encoding="utf-8"), re.MULTILINE)


def test_spec_has_rules_to_check() -> None:
    assert len(spec_rule_ids()) == 36


def test_every_spec_rule_is_in_the_data_file_in_spec_order() -> None:
    assert list(RULE_IDS) == spec_rule_ids()


@pytest.mark.parametrize("rule_id", RULE_IDS)
def test_every_rule_has_a_plain_general_answer_of_two_to_five_sentences(rule_id: str) -> None:
    answer = general_answer(rule_id)
    sentences = [s for s in re.split(r"(?<=[.!?])\s+", answer) if s]
    assert 2 <= len(sentences) <= 5 or (len(sentences) == 1 and len(answer) < 200)
    assert "{" not in answer and RULES[rule_id]["summary"].strip()


def test_every_spec_rule_is_reachable_from_some_assessment() -> None:
    reached = {rule for case in ALL_CASES for rule in assess(case.topic, case.facts, TODAY).rules}
    assert set(spec_rule_ids()) <= reached


@pytest.mark.parametrize("rule_id", RULE_IDS)
def test_seed_of_each_rule_matches_its_prefix_and_exists(rule_id: str) -> None:
    seed = RULES[rule_id]["seed"]
    assert seed == SEEDS[PREFIX_TOPIC[rule_id.split("-")[0]]]
    if SEED_DIR.exists():
        assert (SEED_DIR / seed).exists()


def test_thresholds_are_numbers_as_in_the_spec() -> None:
    assert RULES["STOP-NA-EPOS"]["thresholds"] == {
        "consolidation_months": 12,
        "consolidation_checks": 2,
        "months_on_treatment": 24,
    }
    assert RULES["STOP-NA-ENEG"]["thresholds"] == {
        "consolidation_months": 18,
        "consolidation_checks": 3,
        "months_on_treatment": 30,
    }
    assert RULES["RES-CHOICE-LAM"]["thresholds"]["hbv_dna_copies"] == 1e7
    assert RULES["RES-CHOICE-IFN"]["thresholds"] == {"hbv_dna_copies": 1e6, "alt_x_uln": 3}
    for rule in RULES.values():
        assert all(isinstance(v, (int, float)) for v in rule.get("thresholds", {}).values())


def test_topic_overviews() -> None:
    assert set(TOPICS) == set(PREFIX_TOPIC.values())
    for topic in TOPICS:
        assert len(general_answer(topic)) > 100


def test_unknown_rule_id_has_no_general_answer() -> None:
    with pytest.raises(KeyError):
        general_answer("STOP-NOPE")


def test_notes_cover_the_guideline_currency_section() -> None:
    assert {note["id"] for note in NOTES} >= {
        "first-line-na",
        "tenofovir-not-in-seeds",
        "epos-consolidation",
        "eneg-hbsag-loss",
        "relapse-figures-vary",
        "breakthrough-definition",
        "alt-upper-limits",
    }
    for note in NOTES:
        assert set(note["when"]) <= {"rules", "verdicts", "drugs", "flags"}


def test_every_criterion_used_has_plain_words() -> None:
    used = {
        (c.rule, c.criterion) for case in ALL_CASES for c in assess(case.topic, case.facts, TODAY).criteria
    }
    for rule, name in used:
        template = {**CRITERIA.get(name, {}), **RULES[rule].get("criteria", {}).get(name, {})}
        assert template.get("need") and template.get("ask"), (rule, name)


def test_every_input_field_has_a_converter() -> None:
    for facts_type in (*TOPIC_FACTS.values(), *QUESTIONS.values()):
        for field in fields(facts_type):
            assert field.metadata.get("derived") or callable(converter_for(field))


@pytest.mark.parametrize(
    "name, canonical, family",
    [
        ("Peg-Interferon", "peg_interferon", "PEG"),
        ("peginterferon", "peg_interferon", "PEG"),
        ("interferon", "interferon", "IFN"),
        ("Entecavir", "entecavir", "NA"),
        ("TAF", "tenofovir", "NA"),
        ("nucleos(t)ide analogue", "nucleoside_analogue", "NA"),
        ("3TC", "lamivudine", "NA"),
    ],
)
def test_drug_names(name: str, canonical: str, family: str) -> None:
    assert (normalise_drug(name), drug_class(name)) == (canonical, family)
    assert canonical in DRUGS
