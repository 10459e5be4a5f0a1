"""Deterministic rules for hepatitis B patient education (no Rasa, no I/O beyond its own data).

Assess a topic from typed facts (``assess_stop(StopFacts(...))``) or from JSON-like facts
(``assess("stop", {...})``); parse lab values; detect red flags; give general answers by rule id.
"""
from .data import RULE_IDS
from .facts import (DrugChoiceFacts, IfnWeek32Facts, InterferonFacts, MonitoringFacts, NaResponseFacts,
                    StopFacts, drug_class, facts_from_json, normalise_drug)
from .labvalues import (Alt, HbvDna, LabValueError, UnitMissingError, parse_alt, parse_duration_months,
                        parse_hbv_dna, parse_uln)
from .logic import Criterion, Status
from .redflags import RedFlag, detect_red_flags
from .result import Assessment
from .rules import assess
from .rules.interferon import assess_interferon
from .rules.resistance import assess_resistance
from .rules.stop import assess_stop
from .texts import general_answer

__all__ = [
    "RULE_IDS", "Assessment", "Criterion", "Status", "LabValueError", "UnitMissingError",
    "assess", "assess_stop", "assess_resistance", "assess_interferon", "facts_from_json",
    "StopFacts", "DrugChoiceFacts", "NaResponseFacts", "IfnWeek32Facts", "MonitoringFacts", "InterferonFacts",
    "normalise_drug", "drug_class",
    "HbvDna", "Alt", "parse_hbv_dna", "parse_alt", "parse_uln", "parse_duration_months",
    "RedFlag", "detect_red_flags", "general_answer",
]
