"""Read the patient's answers from a message: pure functions, no Rasa objects.

A message can answer the question just asked (free text, a button, "I don't know") and can
also carry values for other questions of the same check (given up front or as a
correction); entities from `components.clinical_values` say which.
"""
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Dict, Iterable, List, Mapping, Optional

from knowledge.facts import normalise_drug
from knowledge.labvalues import LabValueError, parse_alt, parse_duration_months, parse_hbv_dna, parse_uln
from knowledge.questions import UNKNOWN

from components.normalise import normalise
from components.phrasing import is_question

BOOLEAN = "boolean"
DRUG = "drug"
HBV_DNA = "hbv_dna"
ALT = "alt"
ALT_ULN = "alt_uln"
DURATION = "duration"
COUNT = "count"
AGE = "age"
GRADE = "biopsy_grade"
QUESTION = "res_question"

SLOT_KINDS: Dict[str, str] = {
    **dict.fromkeys([
        "cirrhosis", "ifn_response", "hbeag_positive_before_treatment", "hbv_dna_undetectable",
        "alt_normal", "hbeag_seroconversion", "hbeag_positive", "alt_was_normal",
        "alt_now_normal", "mutation_found", "family_history", "imaging_liver_lesions",
        "alt_falling", "bilirubin_raised"], BOOLEAN),
    "therapy": DRUG, "drug": DRUG,
    **dict.fromkeys(["hbv_dna", "hbv_dna_baseline", "hbv_dna_3m", "hbv_dna_6m",
                     "hbv_dna_week32", "hbv_dna_nadir", "hbv_dna_current"], HBV_DNA),
    "alt": ALT, "alt_uln": ALT_ULN,
    "months_on_treatment": DURATION, "consolidation_months": DURATION,
    "consolidation_checks": COUNT, "age": AGE, "biopsy_grade": GRADE, "res_question": QUESTION,
}

DNA_ROLES = {"baseline": "hbv_dna_baseline", "3m": "hbv_dna_3m", "6m": "hbv_dna_6m",
             "week32": "hbv_dna_week32", "nadir": "hbv_dna_nadir", "current": "hbv_dna_current"}
DURATION_ROLES = {"treatment": "months_on_treatment", "consolidation": "consolidation_months"}
RESISTANCE_QUESTIONS = ("drug_choice", "na_response", "ifn_week32", "monitoring")
YES_NO = {"true": True, "yes": True, "y": True, "positive": True,
          "false": False, "no": False, "n": False, "negative": False}
ANSWER_INTENTS = {"inform", "affirm", "deny", "dont_know", "nlu_fallback"}
EXPECTED = {
    BOOLEAN: 'yes, no, or "I don\'t know"',
    COUNT: 'a number of check-ups, for example "2"',
    AGE: 'your age in years, for example "45"',
    GRADE: 'a biopsy grade from G0 to G4, for example "G2"',
    QUESTION: "one of the options on the buttons",
}


@dataclass
class Reading:
    """What one message says: slot values (possibly UNKNOWN) and problems to explain."""

    values: Dict[str, Any] = field(default_factory=dict)
    problems: List[str] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not self.values and not self.problems


def read_message(intent: str, text: str, entities: Iterable[Mapping[str, Any]],
                 requested_slot: Optional[str], form_slots: Iterable[str],
                 today: Optional[date] = None) -> Reading:
    """Everything `text` tells about the slots of one check.

    Values come from the extractor's entities, and the whole text is read as the answer to
    the requested question only when no entity said anything. An empty Reading means the
    message is not an answer (a question, a greeting, ...): the form lets the dialogue
    handle it and asks again afterwards.
    """
    if intent not in ANSWER_INTENTS and not intent.startswith("check_") and is_question(text):
        return Reading()
    today = today or date.today()
    form_slots = set(form_slots)
    reading = Reading()
    for entity in entities:
        slot = _slot_for_entity(entity, requested_slot, form_slots)
        if slot is not None:
            _store(reading, slot, _entity_value(slot, entity, today))
    if requested_slot and reading.empty and intent in ANSWER_INTENTS:
        _store(reading, requested_slot, _answer_to_requested(requested_slot, intent, text, today))
    return reading


def _entity_value(slot: str, entity: Mapping[str, Any], today: date) -> Any:
    """The slot value an entity gives; a lab value can answer a yes/no question about it."""
    raw = str(entity.get("value"))
    if SLOT_KINDS[slot] == BOOLEAN and entity.get("entity") == ALT:
        return _as_flag(lambda: parse_alt(raw).normal)
    if SLOT_KINDS[slot] == BOOLEAN and entity.get("entity") == HBV_DNA:
        return _as_flag(lambda: parse_hbv_dna(raw).undetectable)
    return _parse(slot, raw, today)


def _as_flag(read: Any) -> Any:
    try:
        return read()
    except LabValueError as error:
        return error


def _slot_for_entity(entity: Mapping[str, Any], requested: Optional[str],
                     form_slots: set) -> Optional[str]:
    kind, role = entity.get("entity"), entity.get("role")
    candidates: List[str] = []
    if kind == HBV_DNA:
        candidates = [DNA_ROLES[role]] if role in DNA_ROLES else [requested or "", "hbv_dna"]
        candidates = [slot for slot in candidates if SLOT_KINDS.get(slot) == HBV_DNA]
        candidates.append("hbv_dna_undetectable")
    elif kind == ALT:
        candidates = ["alt", "alt_normal"]
    elif kind == DURATION:
        candidates = [DURATION_ROLES[role]] if role in DURATION_ROLES else [requested or ""]
        candidates = [slot for slot in candidates if SLOT_KINDS.get(slot) == DURATION]
    elif kind == DRUG:
        candidates = ["therapy", "drug"]
    elif kind == "hbeag":
        candidates = (["hbeag_positive_before_treatment"] if role == "before_treatment" else
                      ["hbeag_positive", "hbeag_positive_before_treatment"])
    elif kind == COUNT:
        candidates = ["consolidation_checks"]
    elif kind in SLOT_KINDS:
        candidates = [kind]
    return next((slot for slot in candidates if slot in form_slots), None)


def _answer_to_requested(slot: str, intent: str, text: str, today: date) -> Any:
    kind = SLOT_KINDS[slot]
    if intent == "dont_know":
        return UNKNOWN if kind != QUESTION else LabValueError(None, EXPECTED[QUESTION])
    if kind == BOOLEAN and intent in ("affirm", "deny"):
        return intent == "affirm"
    return _parse(slot, text, today)


def _parse(slot: str, raw: str, today: date) -> Any:
    """The slot value for `raw`, or the LabValueError explaining why it was refused."""
    kind = SLOT_KINDS[slot]
    text = raw.strip()
    try:
        if kind == BOOLEAN:
            return YES_NO[text.lower().strip(" .!")]
        if kind in (HBV_DNA, ALT, ALT_ULN):
            {HBV_DNA: parse_hbv_dna, ALT: parse_alt, ALT_ULN: parse_uln}[kind](text)
            return normalise(kind, text)
        if kind == DURATION:
            return round(parse_duration_months(text, today), 2)
        if kind in (COUNT, AGE):
            return _whole_number(text, kind)
        if kind == GRADE:
            return _grade(text)
        if kind in (DRUG, QUESTION):
            return _choice(slot, text)
    except KeyError:
        pass
    except LabValueError as error:
        return error
    return LabValueError(f'"{text}"', EXPECTED[kind])


def _whole_number(text: str, kind: str) -> Any:
    digits = "".join(ch for ch in text if ch.isdigit() or ch == ".")
    words = {"none": 0, "zero": 0, "one": 1, "once": 1, "two": 2, "twice": 2, "three": 3,
             "four": 4, "five": 5, "six": 6}
    number = next((value for word, value in words.items() if word in text.lower().split()), None)
    if digits and digits.count(".") <= 1 and digits != ".":
        number = float(digits)
    upper = 120 if kind == AGE else 100
    if number is None or not 0 <= number <= upper:
        return LabValueError(f'"{text}"', EXPECTED[kind])
    return int(number) if float(number).is_integer() else number


def _grade(text: str) -> Any:
    digits = [ch for ch in text if ch.isdigit()]
    if len(digits) == 1 and digits[0] in "01234":
        return f"G{digits[0]}"
    return LabValueError(f'"{text}"', EXPECTED[GRADE])


def _choice(slot: str, text: str) -> Any:
    if slot == "res_question":
        value = text.lower().strip().replace(" ", "_")
        return value if value in RESISTANCE_QUESTIONS else LabValueError(f'"{text}"', EXPECTED[QUESTION])
    return normalise_drug(text)


def _store(reading: Reading, slot: str, value: Any) -> None:
    if isinstance(value, LabValueError):
        reading.problems.append(explain(slot, value))
    elif value is not None:
        reading.values[slot] = value


def explain(slot: str, error: LabValueError) -> str:
    """A patient-facing explanation of a refused answer."""
    understood = error.understood or "nothing I could use"
    return (f"Sorry, I couldn't use that answer. I understood {understood}, "
            f"but I need {error.expected}.")
