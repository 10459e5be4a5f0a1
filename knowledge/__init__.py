"""Deterministic rules for hepatitis B patient education (no Rasa, no I/O beyond its own data).

Assess a topic from typed facts (``assess_stop(StopFacts(...))``) or from JSON-like facts
(``assess("stop", {...})``); parse lab values; detect red flags; give general answers by rule id.
"""

from __future__ import annotations

from .data import RULE_IDS
from .facts import (
    DrugChoiceFacts,
    IfnWeek32Facts,
    InterferonFacts,
    MonitoringFacts,
    NaResponseFacts,
    StopFacts,
    drug_class,
    facts_from_json,
    normalise_drug,
)
from .labvalues import (
    Alt,
    HbvDna,
    LabValueError,
    UnitMissingError,
    parse_alt,
    parse_duration_months,
    parse_hbv_dna,
    parse_uln,
)
from .logic import Criterion, Status
from .redflags import RedFlag, detect_red_flags
from .result import Assessment
from .rules import assess
from .rules.interferon import assess_interferon
from .rules.resistance import assess_resistance
from .rules.stop import assess_stop
from .texts import general_answer

__all__ = [
    "RULE_IDS",
    "Alt",
    "Assessment",
    "Criterion",
    "DrugChoiceFacts",
    "HbvDna",
    "IfnWeek32Facts",
    "InterferonFacts",
    "LabValueError",
    "MonitoringFacts",
    "NaResponseFacts",
    "RedFlag",
    "Status",
    "StopFacts",
    "UnitMissingError",
    "assess",
    "assess_interferon",
    "assess_resistance",
    "assess_stop",
    "detect_red_flags",
    "drug_class",
    "facts_from_json",
    "general_answer",
    "normalise_drug",
    "parse_alt",
    "parse_duration_months",
    "parse_hbv_dna",
    "parse_uln",
]
