"""The custom NLU components: value extraction on blank spaCy, and the safety intent guard."""
import pytest
from rasa.shared.nlu.constants import INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message

from components.clinical_values import ClinicalValueExtractor
from components.intent_guard import SafetyIntentGuard, is_bare_value

EXTRACTOR = ClinicalValueExtractor()


def extract(text):
    message = Message(data={TEXT: text})
    EXTRACTOR.process([message])
    return [(e["entity"], e["value"], e.get("role")) for e in message.get("entities")]


@pytest.mark.parametrize("text, expected", [
    ("my ALT is 120 with the upper limit 40, can I have interferon?",
     [("alt", "120 U/L", None), ("alt_uln", "40", None), ("drug", "interferon", None)]),
    ("ALT 85 (ref 0-40)", [("alt", "85 U/L (ref 0-40)", None)]),
    ("my alt is 2.5x ULN", [("alt", "2.5 x ULN", None)]),
    ("alt is back to normal", [("alt", "normal", None)]),
    ("viral load 2.3 x 10^5 IU/mL", [("hbv_dna", "230,000 IU/mL", None)]),
    ("my viral load is 2.3×10⁵ copies/mL", [("hbv_dna", "230,000 copies/mL", None)]),
    ("HBV DNA <20 IU/ml", [("hbv_dna", "<20 IU/mL", None)]),
    ("my hbv dna is undetectable", [("hbv_dna", "<20 IU/mL", None)]),
    ("viral load 5.36 log10 IU/mL", [("hbv_dna", "229,087 IU/mL", None)]),
    ("at 3 months my viral load was 10^6 IU/mL",
     [("duration", "3 months", None), ("hbv_dna", "1,000,000 IU/mL", "3m")]),
    ("before treatment my viral load was 10^7 IU/mL", [("hbv_dna", "10,000,000 IU/mL", "baseline")]),
    ("I have been on tenofavir for 3 years and I do not have cirrhosis",
     [("drug", "tenofovir", None), ("duration", "36 months", "treatment"), ("cirrhosis", "false", None)]),
    ("I have cirrhosis", [("cirrhosis", "true", None)]),
    ("I was HBeAg positive before treatment", [("hbeag", "positive", "before_treatment")]),
    ("I'm 45 and HBeAg-negative", [("age", "45", None), ("hbeag", "negative", None)]),
    ("I'm 5 months into treatment", [("duration", "5 months", None)]),
    ("consolidation for a year and a half", [("duration", "18 months", "consolidation")]),
    ("peg-interferon for 48 weeks", [("drug", "peg_interferon", None), ("duration", "11.04 months", "treatment")]),
    ("biopsy showed G2", [("biopsy_grade", "G2", None)]),
    ("what is hepatitis b?", []),
])
def test_extractor_finds_values_with_normalised_values(text, expected):
    assert extract(text) == expected


def test_value_the_parser_refuses_keeps_its_raw_text():
    assert extract("my ALT is 85000") == [("alt", "85000", None)]


def guard(text, intent):
    message = Message(data={TEXT: text, INTENT: {"name": intent, "confidence": 0.6}})
    SafetyIntentGuard().process([message])
    return message.get(INTENT)["name"]


@pytest.mark.parametrize("text, classified, expected", [
    ("my eyes have gone yellow", "inform", "report_red_flag"),
    ("I threw up blood this morning", "check_stop", "report_red_flag"),
    ("85", "greet", "inform"),
    ("<20 IU/mL", "nlu_fallback", "inform"),
    ("18 months", "ask_stop", "inform"),
    ("interferon", "ask_interferon", "inform"),
    ("G2", "greet", "inform"),
    ("I'm on tenofovir", "check_stop", "inform"),
    ("peg interferon", "ask_interferon", "inform"),
    ("the biopsy showed grade 3", "ask_interferon", "inform"),
    ("what does 2 times ULN mean?", "ask_interferon", "ask_interferon"),
    ("my ALT is 30, would interferon help me", "check_interferon", "check_interferon"),
    ("hello", "greet", "greet"),
    ("yes", "affirm", "affirm"),
])
def test_guard_overrides_only_red_flags_and_bare_values(text, classified, expected):
    assert guard(text, classified) == expected


@pytest.mark.parametrize("text", ["85 U/L", "2.3 x 10^5 copies/mL", "since March 2023", "a year and a half",
                                  "2.5 times normal", "undetectable", "1,000 IU/mL", "grade 2", "45"])
def test_bare_values(text):
    assert is_bare_value(text)


@pytest.mark.parametrize("text", ["hello", "yes", "can I stop at 24 months?",
                                  "interferon failed after 6 months, is it stopped"])
def test_not_bare_values(text):
    assert not is_bare_value(text)
