"""Simulated patients who know their results and take a personal check over REST.

For a rule-test case (harness/verdict_cases.py) a patient knows the case's facts and
answers the bot's questions in one of three styles:
- buttons: taps the button that says the answer; types only what no button says (an exact
  viral load, an ALT in U/L, a lab limit other than 40 or 35);
- typed: answers in their own words from a phrasing bank (tests/conversations/phrasings-*.yml):
  short answers, sentences, hedges, numbers with and without units, misspellings;
- upfront: gives every known value in the first message, then types what is still asked.
A conversation passes when the bot's final answer carries the case's verdict; it also records
questions asked three times and values asked again after the patient gave them.

    python -m harness.patient --url http://localhost:5005 --bank dev [--style typed]
"""

from __future__ import annotations

import argparse
import functools
import itertools
import math
import random
import re
import sys
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from harness.rest import post
from harness.verdict_cases import ALL_CASES, TODAY, Case
from knowledge.data import TOPICS
from knowledge.facts import normalise_drug
from knowledge.labvalues import HbvDna, parse_alt, parse_duration_months, parse_hbv_dna
from knowledge.questions import RESISTANCE_FIELDS, SLOTS

REPO = Path(__file__).resolve().parents[1]
BANKS = REPO / "tests" / "conversations"
STYLES = ("buttons", "typed", "upfront")
DOMAIN = yaml.safe_load((REPO / "domain.yml").read_text())
YES_NO_SLOTS = {
    "cirrhosis",
    "ifn_response",
    "hbeag_positive_before_treatment",
    "hbv_dna_undetectable",
    "alt_normal",
    "hbeag_seroconversion",
    "hbeag_positive",
    "alt_was_normal",
    "alt_now_normal",
    "mutation_found",
    "family_history",
    "imaging_liver_lesions",
    "alt_falling",
    "bilirubin_raised",
}
DNA_SLOTS = {
    "hbv_dna",
    "hbv_dna_baseline",
    "hbv_dna_3m",
    "hbv_dna_6m",
    "hbv_dna_week32",
    "hbv_dna_current",
    "hbv_dna_nadir",
}
MAX_TURNS = 30
# Words in an up-front fragment that also state another fact ("undetectable with normal ALT for
# {value} since then" says the viral load is undetectable and ALT normal).
IMPLIED_FACTS = [
    (r"undetectable|not detected", "hbv_dna_undetectable"),
    (r"normal alt|alt (?:is )?normal", "alt_normal"),
    (r"seroconver|anti-?hbe", "hbeag_seroconversion"),
]


def _plain(text: str) -> str:
    return " ".join(text.split()).lower()


def _question_texts() -> list[tuple[str, str]]:
    """(start of the question text, slot) for every question of the checks."""
    found = []
    for slot in {slot for slots in SLOTS.values() for slot in slots}:
        for variation in DOMAIN["responses"][f"utter_ask_{slot}"]:
            if "condition" not in variation:
                found.append((_plain(variation["text"])[:45], slot))
    return found


QUESTIONS = _question_texts()
UNIT_QUESTION = "in iu/ml or in copies/ml?"
PROBLEM = "sorry, i couldn't use that answer"


def _verdict_patterns(topic: str) -> list[tuple[str, re.Pattern]]:
    patterns = []
    for verdict, template in TOPICS[topic]["verdicts"].items():
        text = re.escape(_plain(template))
        patterns.append((verdict, re.compile(re.sub(r"\\\{[^}]*\\\}", ".*?", text))))
    return patterns


VERDICTS = {topic: _verdict_patterns(topic) for topic in TOPICS}


# ---------------------------------------------------------------- what the patient knows


@dataclass
class Knowledge:
    """The patient's answer to each question of the check (None: they don't know)."""

    topic: str
    question: str | None
    answers: dict[str, Any]

    def get(self, slot: str) -> Any:
        return self.answers.get(slot)


def knowledge_of(case: Case) -> Knowledge:
    facts = dict(case.facts)
    answers: dict[str, Any] = {}
    question = facts.pop("question", None)
    for name, value in facts.items():
        if value is None:
            continue
        if name in DNA_SLOTS:
            answers[name] = parse_hbv_dna(value)
        elif name in ("months_on_treatment", "consolidation_months"):
            weeks = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*weeks?\s*", value) if isinstance(value, str) else None
            answers[name] = (
                ("weeks", float(weeks[1])) if weeks else ("months", parse_duration_months(value, TODAY))
            )
        elif name == "biopsy_grade":
            answers[name] = int(str(value).upper().lstrip("G"))
        elif name in ("therapy", "drug"):
            answers[name] = normalise_drug(value)
        elif name not in ("alt", "alt_uln", "alt_x_uln"):
            answers[name] = value
    if "alt_x_uln" in facts:
        answers["alt"] = ("x", float(facts["alt_x_uln"]))
    elif facts.get("alt") is not None:
        alt = parse_alt(facts["alt"])
        if alt.u_per_l is not None:
            answers["alt"] = ("u", alt.u_per_l)
            uln = facts.get("alt_uln") or alt.uln
            if uln is not None:
                answers["alt_uln"] = float(uln)
        else:
            answers["alt"] = ("x", alt.x_uln) if alt.x_uln is not None else ("normal",)
    return Knowledge(case.topic, question, answers)


# ---------------------------------------------------------------- how values are written


def _number(value: float) -> str:
    return f"{value:,.0f}" if value >= 10000 and float(value).is_integer() else f"{value:g}"


def dna_forms(dna: HbvDna, units: dict[str, list[str]], rng: random.Random) -> list[str]:
    """Ways to write a viral load that keep its exact value."""
    if dna.undetectable:
        return ["undetectable", f"<{dna.iu_per_ml:g} IU/mL", "not detected", "TND", "undetectable, below 20"]
    unit_name = "copies/mL" if dna.source_unit == "copies/mL" else "IU/mL"
    value = dna.copies_per_ml if unit_name == "copies/mL" else dna.iu_per_ml
    unit = rng.choice(units[unit_name])
    exponent = math.log10(value)
    forms = []
    if abs(exponent - round(exponent)) < 1e-9:
        e = round(exponent)
        forms += [f"10^{e} {unit}", f"1 x 10^{e} {unit}", f"{e} log {unit}"]
        if e >= 6:
            words = {6: "a million", 7: "10 million", 8: "100 million", 9: "a billion"}
            forms.append(f"{words[e]} {unit}")
    else:
        mantissa = value / 10 ** math.floor(exponent)
        if abs(mantissa - round(mantissa, 2)) < 1e-9:
            forms.append(f"{round(mantissa, 2):g} x 10^{math.floor(exponent)} {unit}")
        if abs(exponent - round(exponent, 2)) < 1e-9:
            forms.append(f"{round(exponent, 2):g} log {unit}")
    if float(value).is_integer() and value < 1e9:
        forms.append(f"{value:,.0f} {unit}")
    return [form for form in forms if _same_dna(form, dna)] or [f"{value:g} {unit}"]


def _same_dna(text: str, dna: HbvDna) -> bool:
    try:
        parsed = parse_hbv_dna(text)
    except ValueError:
        return False
    return (
        math.isclose(parsed.iu_per_ml, dna.iu_per_ml, rel_tol=1e-6)
        and parsed.undetectable == dna.undetectable
    )


def duration_forms(duration: tuple[str, float]) -> list[str]:
    unit, amount = duration
    if unit == "weeks":
        return [f"{amount:g} weeks"]
    forms = [f"{amount:g} months"]
    if amount % 12 == 0:
        years = int(amount // 12)
        forms += [f"{years} years" if years > 1 else "a year", f"{years} yrs" if years > 1 else "1 year"]
    if amount == 18:
        forms.append("a year and a half")
    return forms


def alt_forms(alt: tuple, units: list[str]) -> list[str]:
    if alt[0] == "normal":
        return ["normal", "it's normal", "within the normal range"]
    if alt[0] == "x":
        return [f"{alt[1]:g} times the upper limit", f"{alt[1]:g}x ULN", f"{alt[1]:g} times normal"]
    return [f"{alt[1]:g}", f"{alt[1]:g} {units[0]}", f"{alt[1]:g} {units[-1]}"]


# ---------------------------------------------------------------- buttons


def _button_for_range(buttons: list[dict], value: float, bounds: list[float]) -> dict | None:
    """The button whose range holds `value` (buttons in order, one per range between bounds)."""
    index = sum(1 for bound in bounds if value >= bound)
    ranged = [b for b in buttons if b["payload"] != "/dont_know"]
    return ranged[index] if index < len(ranged) else None


def button_answer(slot: str, value: Any, buttons: list[dict]) -> str | None:
    """The payload of the button that says the patient's answer, or None (then they type)."""
    by_payload = {b["payload"]: b for b in buttons}
    if value is None:
        return "/dont_know" if "/dont_know" in by_payload else None
    if slot in YES_NO_SLOTS:
        return "/affirm" if value else "/deny"
    if slot in ("therapy", "drug"):
        payload = f'/inform{{"drug":"{value}"}}'
        return payload if payload in by_payload else None
    if slot in ("months_on_treatment", "consolidation_months"):
        if value[0] == "weeks":
            return None
        return _button_for_range(buttons, value[1], [6, 12, 18, 24, 30])["payload"]
    if slot == "consolidation_checks":
        return _button_for_range(buttons, value, [1, 2, 3])["payload"]
    if slot == "age":
        return _button_for_range(buttons, value, [40])["payload"]
    if slot == "biopsy_grade":
        return _button_for_range(buttons, value, [2])["payload"]
    if slot == "alt":
        if value[0] == "normal":
            return buttons[0]["payload"]
        if value[0] == "x":
            bounds = [1e-9, 2.0, 3.0, 10.0 + 1e-9]
            return _button_for_range(buttons, value[1], bounds)["payload"] if value[1] > 1 else None
        return None
    if slot == "alt_uln":
        matching = [b for b in buttons if b["title"] == f"{value:g} U/L"]
        return matching[0]["payload"] if matching else None
    if slot in DNA_SLOTS and value.undetectable:
        return buttons[0]["payload"]
    return None


# ---------------------------------------------------------------- the patient


@dataclass
class Outcome:
    case: str
    style: str
    expected: str
    verdict: str | None
    transcript: list[tuple[str, str]] = field(default_factory=list)
    asked_three_times: list[str] = field(default_factory=list)
    asked_again: list[str] = field(default_factory=list)

    @property
    def right(self) -> bool:
        return self.verdict == self.expected


class Patient:
    """Answers the bot's questions for one case in one style, from one phrasing bank."""

    def __init__(self, case: Case, style: str, bank: dict[str, Any], seed: int):
        self.case = case
        self.style = style
        self.bank = bank
        self.rng = random.Random(seed)
        self.knows = knowledge_of(case)
        self.given: set = set()

    def pick(self, options: list[str]) -> str:
        return self.rng.choice(options)

    # -- first message
    def first_message(self) -> str:
        """Typed styles: a trigger in own words (with every value, up front). Buttons: a greeting,
        whose topic buttons lead to the topic's check button (see `converse`)."""
        topic, question = self.knows.topic, self.knows.question
        if self.style == "buttons":
            return "hello"
        triggers = self.bank["triggers"]
        if topic == "resistance":
            options = (
                triggers["resistance"][question]
                if self.rng.random() < 0.6
                else triggers["resistance_unspecified"]
            )
            trigger = self.pick(self.consistent(options) if question == "drug_choice" else options)
        else:
            trigger = self.pick(self.consistent(triggers[topic]))
        if self.style == "typed":
            return trigger
        return self.upfront_message()

    def consistent(self, phrasings: list[str]) -> list[str]:
        """Phrasings that do not name a treatment the patient is not on ("my tablets" from a patient
        on interferon, "was adefovir a good start?" from a patient on lamivudine); the interferon
        check's drug is the one the patient may start, not one they are on."""
        therapy = self.knows.get("therapy") or self.knows.get("drug")
        interferons = {"interferon", "peg_interferon"}
        own_kind = {therapy, "nucleoside_analogue"} | (interferons if therapy in interferons else set())
        other_names = [
            re.escape(word)
            for drug, words in self.bank["drug_words"].items()
            if drug not in own_kind and self.knows.topic != "interferon"
            for word in words
        ]
        if therapy is not None:
            other_names.append(
                r"interferon|injection|jab|shot"
                if therapy not in ("interferon", "peg_interferon")
                else r"tablet|pill|capsule|antiviral"  # "antivirals" are read as tablets
            )
        if not other_names:
            return phrasings
        other = re.compile(rf"\b(?:{'|'.join(other_names)})", re.IGNORECASE)
        return [p for p in phrasings if not other.search(p)] or phrasings

    def upfront_message(self) -> str:
        topic, question = self.knows.topic, self.knows.question
        slots = RESISTANCE_FIELDS[question] if topic == "resistance" else SLOTS[topic]
        fragments = []
        for slot in slots:
            value = self.knows.get(slot)
            if value is None or slot == "alt_uln":
                continue
            fragment = self.upfront_fragment(slot, value)
            if fragment:
                fragments.append(fragment)
                self.given.add(slot)
        self.rng.shuffle(fragments)
        closers = self.bank["closers"]
        closer = self.pick(
            closers["resistance"][question] if topic == "resistance" else self.consistent(closers[topic])
        )
        joined = ""
        for index, fragment in enumerate(fragments):
            joiner = "" if index == 0 else self.pick([", ", " and ", ". ", "; "])
            joined += joiner + fragment
        return f"{joined}. {closer}" if joined else closer

    def upfront_fragment(self, slot: str, value: Any) -> str | None:
        templates = self.bank["upfront"].get(slot)
        if not templates:
            return None
        if slot not in YES_NO_SLOTS:  # a fragment must not also state a fact the patient does not know
            templates = [
                t
                for t in templates
                if not any(
                    re.search(words, t, re.IGNORECASE) and self.knows.get(fact) is None
                    for words, fact in IMPLIED_FACTS
                )
            ] or templates
        if slot in YES_NO_SLOTS:
            return self.pick(templates["yes" if value else "no"])
        if slot == "alt" and "alt_uln" in self.knows.answers:
            uln = self.knows.get("alt_uln")
            self.given.add("alt_uln")
            alt = self.pick(templates).replace("{value}", f"{value[1]:g}")
            return f"{alt} {self.pick(self.bank['upfront']['alt_uln']).replace('{value}', f'{uln:g}')}"
        return self.pick(templates).replace("{value}", self.format_value(slot, value))

    # -- answers
    def format_value(self, slot: str, value: Any) -> str:
        units = self.bank["units"]
        if slot in DNA_SLOTS:
            return self.pick(dna_forms(value, units, self.rng))
        if slot in ("months_on_treatment", "consolidation_months"):
            return self.pick(duration_forms(value))
        if slot == "alt":
            return self.pick(alt_forms(value, units["U/L"]))
        if slot in ("therapy", "drug"):
            return self.pick(self.bank["drug_words"][value])
        if slot == "biopsy_grade":
            return self.pick([f"G{value}", f"g{value}", f"grade {value}"])
        return f"{value:g}" if isinstance(value, float) else str(value)

    def typed_answer(self, slot: str) -> str:
        value = self.knows.question if slot == "res_question" else self.knows.get(slot)
        if value is None:
            return self.pick(self.bank["yes_no"]["unknown"])
        if slot == "res_question":
            return self.pick(self.bank["choose_resistance_question"][value])
        if slot in YES_NO_SLOTS:
            own = self.bank["slots"].get(slot, {}).get("yes" if value else "no", [])
            generic = self.bank["yes_no"]["yes" if value else "no"]
            return self.pick(own + generic)
        kind = {
            "therapy": "drug",
            "months_on_treatment": "duration",
            "consolidation_months": "duration",
            "consolidation_checks": "count",
        }.get(slot, "hbv_dna" if slot in DNA_SLOTS else slot)
        template = self.pick(self.bank["values"][kind])
        if slot in DNA_SLOTS and not value.undetectable and self.rng.random() < 0.25:
            number = self.format_value(slot, value)
            for unit in sorted({u for us in self.bank["units"].values() for u in us}, key=len, reverse=True):
                number = number.replace(f" {unit}", "")
            if re.fullmatch(r"[\d.,^x ]+", number):  # a number without its unit: the bot asks which
                return template.replace("{value}", number)
        return template.replace("{value}", self.format_value(slot, value))

    def answer(self, slot: str, buttons: list[dict]) -> str:
        if slot == "res_question" and self.style == "buttons":
            return f'/inform{{"res_question":"{self.knows.question}"}}'
        value = self.knows.get(slot) if slot != "res_question" else self.knows.question
        if self.style == "buttons":
            payload = button_answer(slot, value, buttons)
            if payload:
                return payload
            if value is None:
                return "I don't know"
            return (
                self.format_value(slot, value)
                if slot not in ("alt", "alt_uln")
                else (f"{value[1]:g}" if slot == "alt" else f"{value:g}")
            )
        if slot == "res_question":
            return self.typed_answer(slot) if value else self.pick(self.bank["yes_no"]["unknown"])
        return self.typed_answer(slot)

    def unit_answer(self, slot: str) -> str:
        value = self.knows.get(slot)
        return self.pick(
            self.bank["unit_answers"]["copies/mL" if value.source_unit == "copies/mL" else "IU/mL"]
        )


def asked_slot(replies: list[dict]) -> tuple[str | None, list[dict]]:
    """The question the bot asked last (a slot, 'unit' or None) and its buttons."""
    for reply in reversed(replies):
        text = _plain(reply.get("text") or "")
        if UNIT_QUESTION in text:
            return "unit", reply.get("buttons") or []
        for start, slot in QUESTIONS:
            if text.startswith(start):
                return slot, reply.get("buttons") or []
    return None, []


def verdict_of(topic: str, replies: list[dict]) -> str | None:
    """The verdict of the assessment among the replies: its first line is the verdict's text."""
    for reply in replies:
        text = reply.get("text") or ""
        if "sources:" not in text.lower():
            continue
        first_line = _plain(text.split("\n")[0])
        for verdict, pattern in VERDICTS[topic]:
            if pattern.fullmatch(first_line):
                return verdict
    return None


Send = Callable[[str, str], list[dict]]


def tap(replies: list[dict], payload_start: str) -> str | None:
    """The payload of the first button whose payload starts with `payload_start`."""
    return next(
        (
            button["payload"]
            for reply in replies
            for button in reply.get("buttons") or []
            if button["payload"].startswith(payload_start)
        ),
        None,
    )


def converse(send: Send, case: Case, style: str, bank: dict[str, Any], seed: int, sender: str) -> Outcome:
    patient = Patient(case, style, bank, seed)
    outcome = Outcome(case.id, style, case.verdict, None)
    asked: dict[str, int] = {}
    last_slot = ""
    message = patient.first_message()
    if style == "buttons":  # greeting -> topic button -> the topic's "check my own ..." button
        for wanted in (f'/choose_topic{{"topic":"{case.topic}"}}', f"/check_{case.topic}"):
            replies = send(sender, message)
            outcome.transcript.append((message, "\n".join(r.get("text") or "" for r in replies)))
            message = tap(replies, wanted) or wanted
    for _ in range(MAX_TURNS):
        replies = send(sender, message)
        outcome.transcript.append((message, "\n".join(r.get("text") or "" for r in replies)))
        outcome.verdict = verdict_of(case.topic, replies)
        if outcome.verdict:
            break
        slot, buttons = asked_slot(replies)
        if slot is None:
            break
        if slot == "unit":
            message = patient.unit_answer(last_slot)
            continue
        asked[slot] = asked.get(slot, 0) + 1
        if asked[slot] == 3:
            outcome.asked_three_times.append(slot)
        if slot in patient.given and asked[slot] == 1:
            outcome.asked_again.append(slot)
        last_slot = slot
        message = patient.answer(slot, buttons)
    return outcome


def rest_sender(url: str) -> Send:
    return functools.partial(post, url)


def load_bank(name: str) -> dict[str, Any]:
    return yaml.safe_load((BANKS / f"phrasings-{name}.yml").read_text())


def run_all(
    url: str,
    bank_name: str,
    styles=STYLES,
    cases: list[Case] | None = None,
    workers: int = 4,
    run_id: str = "",
) -> list[Outcome]:
    bank = load_bank(bank_name)
    send = rest_sender(url)
    jobs = [(case, style, index) for style in styles for index, case in enumerate(cases or ALL_CASES)]
    with ThreadPoolExecutor(workers) as pool:
        return list(
            pool.map(
                lambda job: converse(
                    send,
                    job[0],
                    job[1],
                    bank,
                    job[2],  # ids of <= 64 characters
                    f"patient-{run_id}{bank_name}-{job[1]}-{job[2]}",
                ),
                jobs,
            )
        )


def report(outcomes: list[Outcome]) -> dict[str, float]:
    """Print the right-verdict rate per style; return it."""
    rates = {}
    for style, group in itertools.groupby(sorted(outcomes, key=lambda o: o.style), key=lambda o: o.style):
        group = list(group)
        right = sum(o.right for o in group)
        rates[style] = right / len(group)
        three = sum(bool(o.asked_three_times) for o in group)
        again = sum(bool(o.asked_again) for o in group)
        print(
            f"  {style:8} right verdict {right}/{len(group)} = {rates[style]:.1%}; "
            f"a question asked 3 times in {three}; a given value asked again in {again}"
        )
    return rates


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="http://localhost:5005")
    parser.add_argument("--bank", default="dev")
    parser.add_argument("--style", choices=STYLES, action="append")
    parser.add_argument("--show-failures", action="store_true")
    args = parser.parse_args()
    outcomes = run_all(args.url, args.bank, tuple(args.style or STYLES), run_id=f"{random.random():.6f}-")
    report(outcomes)
    if args.show_failures:
        for outcome in outcomes:
            if not outcome.right or outcome.asked_again or outcome.asked_three_times:
                print(
                    f"\n--- {outcome.style} {outcome.case}: expected {outcome.expected}, "
                    f"got {outcome.verdict}"
                    f" {outcome.asked_again or ''} {outcome.asked_three_times or ''}"
                )
                for sent, said in outcome.transcript:
                    print(f"  > {sent}\n    {said[:300]!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
