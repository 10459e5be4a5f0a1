"""Which questions a guided check still needs, in an order that ends as soon as it can.

Answers are keyed by question name (the chat's slot names); a value of ``UNKNOWN`` means the
patient was asked and does not know. Questions follow the assessment's fields, except that
the resistance check asks ``res_question`` (the contract's ``question``) and derives
``alt_x_uln`` from ``alt`` and ``alt_uln``.
"""
from __future__ import annotations

from datetime import date
from typing import Any, Callable, Mapping

from .data import CHECKS, thresholds
from .facts import drug_class
from .labvalues import parse_alt
from .result import Assessment
from .rules import assess

UNKNOWN = "unknown"

SLOTS: dict[str, tuple[str, ...]] = {topic: tuple(slots) for topic, slots in CHECKS.items()}

RESISTANCE_FIELDS: dict[str, tuple[str, ...]] = {
    "drug_choice": ("drug", "hbeag_positive", "hbv_dna", "alt", "alt_uln"),
    "na_response": ("hbv_dna_baseline", "hbv_dna_3m", "hbv_dna_6m"),
    "ifn_week32": ("hbv_dna_baseline", "hbv_dna_week32"),
    "monitoring": ("hbv_dna_current", "hbv_dna_nadir", "hbv_dna_baseline", "alt_was_normal",
                   "alt_now_normal", "mutation_found"),
}

# Verdicts that no further answer can change: the check may end as soon as one is reached.
SETTLED: dict[str, set[str]] = {
    "stop": {"no_stopping_criteria", "criteria_not_met"},
    "drug_choice": {"not_preferred", "no_objection"},
    "na_response": {"primary_non_response", "poor_response", "adequate_response"},
    "ifn_week32": {"adjust_plan", "on_track"},
    "monitoring": {"clinical_resistance"},
    "interferon": set(),  # the interferon tree ends through relevance alone
}


def _known(answers: Mapping[str, Any], name: str) -> bool:
    return answers.get(name) not in (None, UNKNOWN)


def _therapy_class(answers: Mapping[str, Any], name: str) -> str | None:
    return drug_class(answers[name]) if _known(answers, name) else None


def _alt_needs_uln(answers: Mapping[str, Any]) -> bool:
    if not _known(answers, "alt"):
        return False
    alt = parse_alt(answers["alt"])
    return alt.u_per_l is not None and alt.uln is None


def _alt_times_uln(answers: Mapping[str, Any]) -> float | None:
    """ALT ÷ ULN from the answers (default ULN when unknown), None without a usable ALT."""
    if not _known(answers, "alt"):
        return None
    alt = parse_alt(answers["alt"])
    if alt.normal and alt.u_per_l is None and alt.x_uln is None:
        return 1.0
    uln = float(answers["alt_uln"]) if _known(answers, "alt_uln") else None
    return alt.times_uln(uln).x


def _stop_relevant(name: str, answers: Mapping[str, Any]) -> bool:
    therapy = _therapy_class(answers, "therapy")
    return {
        "cirrhosis": True,
        "therapy": answers.get("cirrhosis") is not True,
        "months_on_treatment": therapy is not None,
        "ifn_response": therapy == "IFN",
        "hbeag_seroconversion": therapy == "NA" and answers.get("hbeag_positive_before_treatment") is True,
    }.get(name, therapy == "NA")


def _biopsy_factor_present(answers: Mapping[str, Any]) -> bool:
    """Any IFN-BIOPSY factor known to be present."""
    old_enough = _known(answers, "age") and float(answers["age"]) >= thresholds("IFN-BIOPSY")["age"]
    return bool(old_enough or answers.get("family_history") is True
                or answers.get("imaging_liver_lesions") is True or answers.get("hbeag_positive") is False)


def _interferon_relevant(name: str, answers: Mapping[str, Any]) -> bool:
    if name == "alt":
        return True
    if name == "alt_uln":
        return _alt_needs_uln(answers)
    x = _alt_times_uln(answers)
    if x is None:
        return False
    window = thresholds("IFN-WINDOW")
    if name in ("alt_falling", "bilirubin_raised"):
        return x > window["window_high"] and (name == "alt_falling" or answers.get("alt_falling") is True)
    if x >= window["window_low"]:
        return False
    grade = str(answers.get("biopsy_grade", "")).upper().lstrip("G")
    if grade.isdigit() and int(grade) >= thresholds("IFN-BIOPSY")["biopsy_grade"]:
        return False
    return name == "biopsy_grade" or not _biopsy_factor_present(answers)


def _resistance_relevant(name: str, answers: Mapping[str, Any]) -> bool:
    question = answers.get("res_question")
    if name == "res_question":
        return True
    if question not in RESISTANCE_FIELDS or name not in RESISTANCE_FIELDS[question]:
        return False
    if question != "drug_choice" or name == "drug":
        return True
    drug = answers.get("drug")
    if not _known(answers, "drug"):
        return False
    if drug == "adefovir":
        return name == "hbeag_positive"
    if drug == "lamivudine":
        return name == "hbv_dna"
    if drug_class(drug) in ("IFN", "PEG"):
        return name == "hbv_dna" or name == "alt" or (name == "alt_uln" and _alt_needs_uln(answers))
    return False


RELEVANT: dict[str, Callable[[str, Mapping[str, Any]], bool]] = {
    "stop": _stop_relevant, "resistance": _resistance_relevant, "interferon": _interferon_relevant,
}


def facts_json(topic: str, answers: Mapping[str, Any]) -> dict[str, Any]:
    """The assessment's input (the CLI contract's JSON) for the known answers."""
    known = {name: value for name, value in answers.items() if value not in (None, UNKNOWN)}
    if "alt_uln" in known:
        known["alt_uln"] = float(known["alt_uln"])
    if topic != "resistance":
        return {name: value for name, value in known.items() if name in SLOTS[topic]}
    question = known.get("res_question")
    fields = {name: known[name] for name in RESISTANCE_FIELDS.get(question, ()) if name in known}
    if question == "drug_choice" and "alt" in fields:
        fields["alt_x_uln"] = round(_alt_times_uln(known), 3)
        del fields["alt"]
        fields.pop("alt_uln", None)
    return {"question": question, **fields}


def assess_answers(topic: str, answers: Mapping[str, Any], today: date | None = None) -> Assessment:
    """Run the topic's assessment on the answers collected so far."""
    return assess(topic, facts_json(topic, answers), today=today)


def slots_to_read(topic: str, answers: Mapping[str, Any]) -> tuple[str, ...]:
    """The questions whose values a message may give: the check's, or for the resistance check
    the chosen question's (all of them while none is chosen)."""
    if topic == "resistance" and answers.get("res_question") in RESISTANCE_FIELDS:
        return RESISTANCE_FIELDS[answers["res_question"]]
    return SLOTS[topic]


def next_questions(topic: str, answers: Mapping[str, Any], today: date | None = None) -> list[str]:
    """The questions still worth asking, in order; empty when the verdict is settled."""
    if topic == "resistance" and answers.get("res_question") not in RESISTANCE_FIELDS:
        return ["res_question"]
    relevant = RELEVANT[topic]
    if "alt_uln" in SLOTS[topic] and "alt_uln" not in answers and relevant("alt_uln", answers):
        return ["alt_uln"]  # an ALT in U/L means nothing without its limit: ask before deciding
    settled_key = answers["res_question"] if topic == "resistance" else topic
    if SETTLED[settled_key] and assess_answers(topic, answers, today).verdict in SETTLED[settled_key]:
        return []
    order = RESISTANCE_FIELDS[answers["res_question"]] if topic == "resistance" else SLOTS[topic]
    return [name for name in order if name not in answers and relevant(name, answers)]
