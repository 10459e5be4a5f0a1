"""Typed patient facts, one frozen dataclass per assessment (None = unknown), built from JSON."""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import Field, dataclass, field, fields
from datetime import date
from typing import Any

from .data import DRUGS, LIMITS
from .labvalues import (
    Alt,
    HbvDna,
    LabValueError,
    duration_in_weeks,
    parse_alt,
    parse_duration_months,
    parse_hbv_dna,
    parse_uln,
)


@dataclass(frozen=True)
class StopFacts:
    therapy: str | None = None
    cirrhosis: bool | None = None
    months_on_treatment: float | None = None
    ifn_response: bool | None = None
    hbeag_positive_before_treatment: bool | None = None
    hbv_dna_undetectable: bool | None = None
    alt_normal: bool | None = None
    hbeag_seroconversion: bool | None = None
    consolidation_months: float | None = None
    consolidation_checks: int | None = None
    # Derived, not an input field: the time on treatment when it was given in weeks only.
    course_weeks: float | None = field(default=None, metadata={"derived": True})


@dataclass(frozen=True)
class DrugChoiceFacts:
    drug: str | None = None
    hbeag_positive: bool | None = None
    hbv_dna: HbvDna | None = None
    alt_x_uln: float | None = None


@dataclass(frozen=True)
class NaResponseFacts:
    hbv_dna_baseline: HbvDna | None = None
    hbv_dna_3m: HbvDna | None = None
    hbv_dna_6m: HbvDna | None = None


@dataclass(frozen=True)
class IfnWeek32Facts:
    hbv_dna_baseline: HbvDna | None = None
    hbv_dna_week32: HbvDna | None = None


@dataclass(frozen=True)
class MonitoringFacts:
    hbv_dna_baseline: HbvDna | None = None
    hbv_dna_nadir: HbvDna | None = None
    hbv_dna_current: HbvDna | None = None
    alt_was_normal: bool | None = None
    alt_now_normal: bool | None = None
    mutation_found: bool | None = None


@dataclass(frozen=True)
class InterferonFacts:
    alt: Alt | None = None
    alt_uln: float | None = None
    alt_x_uln: float | None = None
    age: float | None = None
    family_history: bool | None = None
    hbeag_positive: bool | None = None
    imaging_liver_lesions: bool | None = None
    biopsy_grade: int | None = None
    bilirubin_raised: bool | None = None
    alt_falling: bool | None = None


ResistanceFacts = DrugChoiceFacts | NaResponseFacts | IfnWeek32Facts | MonitoringFacts
Facts = StopFacts | ResistanceFacts | InterferonFacts
QUESTIONS: dict[str, type[ResistanceFacts]] = {
    "drug_choice": DrugChoiceFacts,
    "na_response": NaResponseFacts,
    "ifn_week32": IfnWeek32Facts,
    "monitoring": MonitoringFacts,
}
TOPIC_FACTS: dict[str, type[StopFacts | InterferonFacts]] = {"stop": StopFacts, "interferon": InterferonFacts}
TOPICS = ("stop", "resistance", "interferon")


# ---------------------------------------------------------------- drug names


def _name_key(text: str) -> str:
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text.lower()).split())


_DRUG_BY_NAME = {_name_key(alias): drug for drug, info in DRUGS.items() for alias in (drug, *info["aliases"])}


def normalise_drug(name: str) -> str:
    """The canonical therapy or drug name ('Peg-Interferon' -> 'peg_interferon', 'TDF' -> 'tenofovir')."""
    drug = _DRUG_BY_NAME.get(_name_key(name)) if isinstance(name, str) else None
    if drug is None:
        raise LabValueError(f"the drug name {_brief(name)}", f"one of: {', '.join(DRUGS)}")
    return drug


def drug_class(name: str) -> str:
    """'IFN' (standard interferon), 'PEG' (pegylated interferon) or 'NA' (nucleos(t)ide analogue)."""
    return str(DRUGS[normalise_drug(name)]["class"])


def drug_label(name: str) -> str:
    """The name to show the patient."""
    return str(DRUGS[normalise_drug(name)]["label"])


# ---------------------------------------------------------------- JSON values


def _brief(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _flag(value: Any, today: date) -> bool:
    if not isinstance(value, bool):
        raise LabValueError(_brief(value), "true or false (a JSON boolean)")
    return value


def _number_within(limit: str, what: str, integer: bool = False) -> Callable[[Any, date], float]:
    low, high = LIMITS[limit]

    def convert(value: Any, today: date) -> float:
        expected = f"{what}: {'a whole number' if integer else 'a number'} from {low} to {high}"
        if not _is_number(value):
            raise LabValueError(_brief(value), expected)
        try:
            number = float(value)
        except OverflowError:
            number = math.inf
        if not low <= number <= high or (integer and not number.is_integer()):
            raise LabValueError(_brief(value), expected)
        return int(number) if integer else number

    return convert


_grade_number = _number_within("biopsy_grade", "a biopsy grade (G0 to G4)", integer=True)


def _biopsy_grade(value: Any, today: date) -> int:
    """0-4, or 'G0'..'G4' in any case."""
    match = re.fullmatch(r"\s*g?\s*([0-9]{1,3})\s*", value, re.IGNORECASE) if isinstance(value, str) else None
    return int(_grade_number(int(match[1]) if match else value, today))


def _without_date(parse: Callable[[Any], Any]) -> Callable[[Any, date], Any]:
    return lambda value, today: parse(value)


_CONVERTERS: dict[str, Callable[[Any, date], Any]] = {
    "therapy": _without_date(normalise_drug),
    "drug": _without_date(normalise_drug),
    "months_on_treatment": parse_duration_months,
    "consolidation_months": parse_duration_months,
    "consolidation_checks": _number_within("consolidation_checks", "a number of check-ups", integer=True),
    "hbv_dna": _without_date(parse_hbv_dna),
    "hbv_dna_baseline": _without_date(parse_hbv_dna),
    "hbv_dna_3m": _without_date(parse_hbv_dna),
    "hbv_dna_6m": _without_date(parse_hbv_dna),
    "hbv_dna_week32": _without_date(parse_hbv_dna),
    "hbv_dna_nadir": _without_date(parse_hbv_dna),
    "hbv_dna_current": _without_date(parse_hbv_dna),
    "alt": _without_date(parse_alt),
    "alt_uln": _without_date(parse_uln),
    "alt_x_uln": _number_within("alt_x_uln", "ALT as a multiple of the upper limit of normal"),
    "age": _number_within("age", "an age in years"),
    "biopsy_grade": _biopsy_grade,
}


def converter_for(field: Field[Any]) -> Callable[[Any, date], Any]:
    """How a JSON value of this field is checked: yes/no fields need JSON booleans."""
    return _flag if field.type == "bool | None" else _CONVERTERS[field.name]


def _facts_type(topic: str, data: dict[str, Any]) -> type[Facts]:
    if topic not in TOPICS:
        raise LabValueError(f"the topic {_brief(topic)}", f"one of: {', '.join(TOPICS)}")
    if topic != "resistance":
        return TOPIC_FACTS[topic]
    question = data.get("question")
    if question not in QUESTIONS:
        understood = "no question" if question is None else f"the question {_brief(question)}"
        raise LabValueError(understood, f"a question: one of {', '.join(QUESTIONS)}", field="question")
    return QUESTIONS[question]


def facts_from_json(topic: str, data: Any, today: date | None = None) -> Facts:
    """Validate a JSON object of facts (field names of the CLI contract) into the topic's dataclass.

    Missing fields and null mean unknown. Refusals raise LabValueError with ``field`` set.
    For 'resistance', the field 'question' picks the dataclass.
    """
    if not isinstance(data, dict):
        raise LabValueError(f"a JSON {type(data).__name__} ({_brief(data)})", "a JSON object of facts")
    facts_type = _facts_type(topic, data)
    allowed = {f.name: f for f in fields(facts_type) if not f.metadata.get("derived")}
    values = {}
    for name, value in data.items():
        if topic == "resistance" and name == "question":
            continue
        if name not in allowed:
            extra = ["question"] if topic == "resistance" else []
            raise LabValueError(
                f"the field {_brief(name)}", f"one of: {', '.join([*extra, *allowed])}", field=name
            )
        if value is None:
            continue
        try:
            values[name] = converter_for(allowed[name])(value, today or date.today())
        except LabValueError as error:
            error.field = name
            raise
    if facts_type is StopFacts and duration_in_weeks(data.get("months_on_treatment")) is not None:
        values["course_weeks"] = duration_in_weeks(data["months_on_treatment"])
    return facts_type(**values)
