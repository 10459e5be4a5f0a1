"""Which questions a guided check still needs, in an order that ends as soon as it can.

Answers are keyed by question name (the chat's slot names, knowledge/data/questions.yaml); a
value of ``UNKNOWN`` means the patient was asked and does not know. A question is asked when a
rule that applies needs it (knowledge/data/rules.yaml, knowledge/selection.py); the interferon
check follows the criteria of its own assessment. Questions follow the assessment's fields,
except that the resistance check asks ``res_question`` (the contract's ``question``) and
derives ``alt_x_uln`` from ``alt`` and ``alt_uln``.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from .data import CHECK_SPECS, CHECKS, QUESTIONS, RULE_IDS, RULES, SEEDS
from .labvalues import parse_alt
from .logic import Status
from .result import Assessment
from .rules import assess
from .selection import condition_states, conditions, needs

UNKNOWN = "unknown"

SLOTS: dict[str, tuple[str, ...]] = {topic: tuple(slots) for topic, slots in CHECKS.items()}
_OPTIONS: dict[str, dict[str, Any]] = QUESTIONS["res_question"]["choices"]
RESISTANCE_FIELDS: dict[str, tuple[str, ...]] = {
    question: tuple(option["asks"]) for question, option in _OPTIONS.items()
}
# Verdicts that no further answer can change, per check (per question of the resistance check).
FINAL_VERDICTS: dict[str, set[str]] = {
    **{topic: set(spec.get("final_verdicts", ())) for topic, spec in CHECK_SPECS.items()},
    **{question: set(option["final_verdicts"]) for question, option in _OPTIONS.items()},
}
_TOPIC_OF_SEED = {seed: topic for topic, seed in SEEDS.items()}
# The rules that decide what a check asks: those that need a question or are selected by one.
_ASKING_RULES: dict[str, tuple[str, ...]] = {
    topic: tuple(
        rule
        for rule in RULE_IDS
        if _TOPIC_OF_SEED[RULES[rule]["seed"]] == topic and (needs(rule) or conditions(rule))
    )
    for topic in SLOTS
}


def _known(answers: Mapping[str, Any]) -> dict[str, Any]:
    return {name: value for name, value in answers.items() if value not in (None, UNKNOWN)}


def _alt_needs_uln(answers: Mapping[str, Any]) -> bool:
    """An ALT in U/L means nothing without its lab's upper limit."""
    if "alt" not in _known(answers):
        return False
    alt = parse_alt(answers["alt"])
    return alt.u_per_l is not None and alt.uln is None


def _alt_x_uln_from_answers(answers: Mapping[str, Any]) -> float:
    """ALT ÷ ULN from the answers 'alt' and 'alt_uln' (default ULN when unknown; 1 for 'normal')."""
    uln = float(answers["alt_uln"]) if "alt_uln" in _known(answers) else None
    x = parse_alt(answers["alt"]).times_uln(uln).x
    return 1.0 if x is None else x  # None: ALT reported only as 'normal'


def _needed_by_rules(topic: str, answers: Mapping[str, Any]) -> set[str]:
    """What the rules that apply need; the answers that select a rule whose other conditions
    hold; and, for rules whose first condition holds but a later one is not known (tablets, but
    HBeAg before treatment not known), what all of them need."""
    known = _known(answers)
    needed: set[str] = set()
    undecided: list[set[str]] = []
    for rule in _ASKING_RULES[topic]:
        states = condition_states(rule, known)
        if False in states.values():
            continue
        needed |= {slot for slot in states if all(states[other] for other in states if other != slot)}
        if None not in states.values():
            needed |= set(needs(rule))
        elif next(iter(states.values())):
            undecided.append(set(needs(rule)))
    return needed | (set.intersection(*undecided) if undecided else set())


def _needed_by_interferon_answer(answers: Mapping[str, Any]) -> set[str]:
    """ALT; below the window, the biopsy grade unless it decides already and the other biopsy
    factors until one is present (IFN-BIOPSY); above it, the conditions of IFN-HIGH-THEN, each
    once those before it are met. Read from the assessment's criteria: the rules' own tree."""
    needed = {"alt"}
    criteria = assess_answers("interferon", answers).criteria
    biopsy = {c.criterion: c.status for c in criteria if c.rule == "IFN-BIOPSY"}
    if biopsy and biopsy.pop("biopsy_grade") is not Status.MET:
        needed.add("biopsy_grade")
        if Status.MET not in biopsy.values():
            needed |= set(biopsy)
    for condition in (c for c in criteria if c.rule == "IFN-HIGH-THEN"):
        needed.add(condition.criterion)
        if condition.status is not Status.MET:
            break
    return needed


def _needed(topic: str, answers: Mapping[str, Any]) -> set[str]:
    needed = (
        _needed_by_interferon_answer(answers) if topic == "interferon" else _needed_by_rules(topic, answers)
    )
    return needed | ({"alt_uln"} if "alt" in needed and _alt_needs_uln(answers) else set())


def facts_json(topic: str, answers: Mapping[str, Any]) -> dict[str, Any]:
    """The assessment's input (the CLI contract's JSON) for the known answers."""
    known = _known(answers)
    if "alt_uln" in known:
        known["alt_uln"] = float(known["alt_uln"])
    if topic != "resistance":
        return {name: value for name, value in known.items() if name in SLOTS[topic]}
    question = known.get("res_question")
    fields = {name: known[name] for name in RESISTANCE_FIELDS.get(str(question), ()) if name in known}
    if question == "drug_choice" and "alt" in fields:
        fields["alt_x_uln"] = round(_alt_x_uln_from_answers(known), 3)
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
    order = slots_to_read(topic, answers)
    needed = _needed(topic, answers) & set(order)
    if "alt_uln" in needed and "alt_uln" not in answers:
        return ["alt_uln"]  # an ALT in U/L means nothing without its limit: ask before deciding
    final = FINAL_VERDICTS[answers["res_question"] if topic == "resistance" else topic]
    if final and assess_answers(topic, answers, today).verdict in final:
        return []
    return [name for name in order if name not in answers and name in needed]
