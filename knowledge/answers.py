"""Read what a patient types in a personal check: the answer to the question just asked, and
every value stated on the way (given up front, as a correction, or in a long message).

`read_statements` finds the values a message states for the questions of a check ("my ALT is 120
and the lab limit is 40"); `read_answer` also reads it as the answer to the question just asked
("it was positive", "no, the scan was clear", "about a million copies", "not sure").
`choose_question` picks the resistance question a message asks. The words are data
(`knowledge/data/questions.yaml`); a refused value is a LabValueError that says what was understood
and what is expected. Pure functions of the text: no Rasa, no I/O.
"""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Protocol

from . import values as find
from .data import ANSWER_TEXTS, ANSWER_WORDS, DRUGS, QUESTIONS
from .labvalues import LabValueError, UnitMissingError
from .phrases import Clause, Lexicon, Match, clauses, misspelt, negated, normalise
from .questions import RESISTANCE_FIELDS, UNKNOWN, slots_to_read

MAX_CHARS = 2000  # longer messages are read up to here
YES_NO, DRUG, DNA, ALT, ULN, DURATION, COUNT, AGE, GRADE, CHOICE = (
    "yes_no",
    "drug",
    "hbv_dna",
    "alt",
    "alt_uln",
    "duration",
    "count",
    "age",
    "grade",
    "choice",
)
EXPECTED: dict[str, str] = ANSWER_TEXTS["expected"]  # what an answer of each kind looks like
CHRONOLOGY = (
    "hbv_dna_baseline",
    "hbv_dna_3m",
    "hbv_dna_6m",
    "hbv_dna_week32",
    "hbv_dna_nadir",
    "hbv_dna_current",
    "hbv_dna",
)
INJECTIONS = LabValueError(
    "injections", "which ones: three times a week (standard interferon) or once a week (peginterferon)"
)


def _kind(slot: str) -> str:
    return str(QUESTIONS[slot]["kind"])


def _lexicon(groups: dict[Any, Iterable[str]]) -> Lexicon[Any]:
    return Lexicon.of({meaning: list(phrases) for meaning, phrases in groups.items()})


_ANCHORS = Lexicon(
    {
        phrase: tuple(slot for slot, q in QUESTIONS.items() if phrase in q.get("anchors", ()))
        for q in QUESTIONS.values()
        for phrase in q.get("anchors", ())
    }
)
_WORDS = {
    slot: _lexicon({True: q["yes"], False: q["no"], UNKNOWN: q.get("unknown", [])})
    for slot, q in QUESTIONS.items()
    if "yes" in q
}
_COMMON = _lexicon({True: ANSWER_WORDS["yes"], False: ANSWER_WORDS["no"], UNKNOWN: ANSWER_WORDS["unknown"]})
_HEDGES = _lexicon({UNKNOWN: ["maybe", "perhaps", "possibly", "might be", "could be"]})
_CUES = Lexicon(
    {
        phrase: tuple(slot for slot, q in QUESTIONS.items() if phrase in q.get("cues", ()))
        for q in QUESTIONS.values()
        for phrase in q.get("cues", ())
    }
)
_SLOT_UNKNOWN = {slot: _lexicon({UNKNOWN: q["unknown"]}) for slot, q in QUESTIONS.items() if "unknown" in q}
_NOW = _lexicon(
    {
        "now": [
            "now",
            "currently",
            "these days",
            "at the moment",
            "today",
            "latest",
            "still",
            "has become",
            "became",
            "turned",
            "went",
            "gone",
        ]
    }
)
_CHOICES = QUESTIONS["res_question"]["choices"]
_CHOICE_WORDS = Lexicon(
    {
        **{phrase: (choice, 1) for choice, c in _CHOICES.items() for phrase in c.get("weak", [])},
        **{phrase: (choice, 2) for choice, c in _CHOICES.items() for phrase in c["strong"]},
    }
)
_NO_BEFORE_SUBJECT = re.compile(r"\bno\s+")
# A button picked by its place: "2", "the second one", "option two", "number 3", "the last one".
_PLACES = (
    ("1", "first", "1st", "a"),
    ("2", "second", "2nd", "b"),
    ("3", "third", "3rd", "c"),
    ("4", "fourth", "4th", "d", "last"),
)
_COUNTED = ("one", "two", "three", "four")  # only after a word that makes them a place: "option one"
_PLACE_FORMS = ("{}", "{} one", "the {}", "the {} one", "{} option", "the {} option")
_COUNTED_FORMS = ("option {}", "number {}", "choice {}", "button {}")
_ORDINALS = _lexicon(
    {
        index: [
            *(form.format(word) for word in places for form in _PLACE_FORMS + _COUNTED_FORMS),
            *(form.format(_COUNTED[index]) for form in _COUNTED_FORMS),
        ]
        for index, places in enumerate(_PLACES)
    }
)
_DRUG_NAMES = _lexicon(
    {
        name: [name.replace("_", " "), *info["aliases"], *ANSWER_WORDS["drug_spellings"].get(name, [])]
        for name, info in DRUGS.items()
    }
)
_DRUG_CLASSES = _lexicon(ANSWER_WORDS["drug_classes"])
_DRUG_SPELLINGS = {  # one-word names and brand names long enough to be misspelt recognisably
    spelling: name
    for spelling, name in _DRUG_NAMES.meanings.items()
    if " " not in spelling and len(spelling) >= 7 and spelling.isalpha()
}
_LONG_WORD = re.compile(r"\b(?!interfer(?:e[sd]?|ing|ences?)\b)[a-z]{6,16}\b")  # not "interfere"
_UNITS = _lexicon(ANSWER_WORDS["units"])
_COUNT_WORDS = _lexicon(
    {
        0: ["none", "no checks", "no check-ups", "not one", "zero"],
        1: ["once", "one check"],
        2: ["twice", "a couple"],
        3: ["three times", "thrice", "several", "a few"],
    }
)


@dataclass
class Reading:
    """What a message says: values by slot (UNKNOWN when the patient does not know), refused
    values with their explanation, and a viral load typed without its unit (asked about next)."""

    values: dict[str, Any] = field(default_factory=dict)
    problems: dict[str, LabValueError] = field(default_factory=dict)
    missing_unit: tuple[str, str] | None = None  # (slot, the number as typed)
    used: list[tuple[int, int]] = field(default_factory=list, repr=False, compare=False)  # spans read

    @property
    def empty(self) -> bool:
        return not self.values and not self.problems and self.missing_unit is None

    def take(self, slot: str, value: Any) -> None:
        """Keep the first value read for a slot; a refusal only where nothing was read."""
        if isinstance(value, LabValueError):
            if slot not in self.values:
                self.problems.setdefault(slot, value)
        elif value is not None and slot not in self.values:
            self.values[slot] = value
            self.problems.pop(slot, None)


class _Message:
    """A normalised message with its clauses and the anchors ("ALT", "viral load") it names."""

    def __init__(self, text: str, slots: Sequence[str]):
        self.text = normalise(text[:MAX_CHARS])
        self.slots = list(slots)
        self.clauses: list[Clause] = clauses(self.text) or [
            Clause(0, len(self.text), self.text, False)
        ]  # "?"
        self.starts = [clause.start for clause in self.clauses]
        self.anchors = [m for m in _ANCHORS.find(self.text) if set(m.meaning) & set(self.slots)]
        common = list(_COMMON.find(self.text))
        answered = [(m.start, m.end) for m in common if m.meaning != UNKNOWN]  # "not that I know of": a no
        self.unknown_spans = sorted(
            [(m.start, m.end) for m in common if m.meaning == UNKNOWN]
            + [
                (m.start(), m.end())
                for m in _UNSURE.finditer(self.text)
                if not any(low <= m.start() and m.end() <= high for low, high in answered)
            ]
        )

    @functools.cached_property
    def stated_limits(self) -> list[tuple[int, int]]:
        """Spans of limit words followed by a number ("normal ALT goes up to 35"), in every check,
        whether or not it asks the limit (not "ALT within the normal range")."""
        return [
            (anchor.start, anchor.end)
            for anchor in _ANCHORS.find(self.text)
            if "alt_uln" in anchor.meaning and _number_after(self, anchor.end, []) is not None
        ]

    def clause_of(self, position: int) -> int:
        return max(0, bisect.bisect_right(self.starts, position) - 1)

    def topic_of(self, position: int, wanted: set[str]) -> str | None:
        """The slot among `wanted` whose anchor governs `position`: the nearest anchor before it in
        its clause, else the first after it in the clause, else the nearest in earlier clauses."""
        index = self.clause_of(position)
        before = [m for m in self.anchors if m.start <= position and self.clause_of(m.start) == index]
        after = [m for m in self.anchors if m.start > position and self.clause_of(m.start) == index]
        earlier = [m for m in self.anchors if self.clause_of(m.start) < index]
        for group in (reversed(before), after, reversed(earlier)):
            for anchor in group:
                chosen = [slot for slot in anchor.meaning if slot in wanted]
                if chosen:
                    return chosen[0]
        return None

    def has_anchor_of_other(
        self, index: int, slot: str, inside: Sequence[tuple[int, int]] = (), kind: str | None = None
    ) -> bool:
        """True when clause `index` names another question's subject (of `kind`, if given) and not
        `slot`'s (anchors within the spans `inside`, such as "virus" in "the virus dropped a lot",
        do not count)."""
        names = [
            m.meaning
            for m in self.anchors
            if self.clause_of(m.start) == index
            and not any(low <= m.start < high for low, high in inside)
            and (kind is None or any(_kind(named) == kind for named in m.meaning))
        ]
        return bool(names) and not any(slot in meaning for meaning in names)

    def negated(self, match: Match[Any]) -> bool:
        """A negation before `match` in its clause; "no" right before a subject ("no HBeAg, neg")
        says the subject is absent and does not turn a later word round."""
        clause = self.clauses[self.clause_of(match.start)]
        if not negated(self.text, match.start, clause.start, self.unknown_spans):
            return False
        if any(m.start < match.end and match.start < m.end for m in self.anchors):
            return True  # "no seroconversion": the subject itself is negated
        determiner = _NO_BEFORE_SUBJECT.search(self.text, clause.start, match.start)
        return not (
            determiner and any(m.start == determiner.end() and m.end <= match.start for m in self.anchors)
        )

    def cue(
        self, start: int, end: int, candidates: set[str], taken: Sequence[tuple[int, int]] = ()
    ) -> str | None:
        """The slot among `candidates` named by the cue nearest to the span, in its clauses (a
        span may cross one: "a year and a half"), not beyond another value (`taken`): first a
        "since ..." or "after ..." cue after it, then one before it in its clause, then the
        nearest before the span, then after it."""
        clause = self.clauses[self.clause_of(start)]
        last = self.clauses[self.clause_of(max(start, end - 1))]
        low = max([clause.start, *(e for s, e in taken if e <= start)])
        high = min([last.end, *(s for s, e in taken if s >= end)])
        cues = [
            m
            for m in _CUES.find(self.text, low, high)
            if set(m.meaning) & candidates
            and not (
                _AFTER_WORD.search(self.text, max(0, m.start - 7), m.start)
                and "hbv_dna_baseline" in m.meaning
            )
        ]
        before = [m for m in cues if m.end <= start]
        after = [m for m in cues if m.start >= end]
        if not before and not after:  # "I'm on entecavir, for 3 years": the cue just before the clause
            reach = max(0, *(e for s, e in taken if e <= start), start - 40)
            before = [m for m in _CUES.find(self.text, reach, start) if set(m.meaning) & candidates]
        if (
            not before and not after
        ):  # "before I started tablets, my viral load was ...": a clause that is only a cue
            before = self._cue_clause_before(start, candidates, taken)
        since = [
            m for m in after if m.phrase.startswith(("since ", "after "))
        ]  # "a year since reaching them"
        # "since reaching them I've kept on treatment 18 months": the "since" leads its clause
        since_before = [
            m for m in before if m.phrase.startswith(("since ", "after ")) and m.start >= clause.start
        ]
        for match in [*since, *reversed(since_before), *reversed(before), *after]:
            return next(slot for slot in match.meaning if slot in candidates)
        return None

    def _cue_clause_before(
        self, start: int, candidates: set[str], taken: Sequence[tuple[int, int]]
    ) -> list[Match[Any]]:
        index = self.clause_of(start)
        if index == 0:
            return []
        clause = self.clauses[index - 1]
        if any(clause.start < e <= start for s, e in taken):
            return []
        text = clause.text.strip(" ,;:.")
        cues = [m for m in _CUES.find(text) if set(m.meaning) & candidates]
        return (
            cues
            if cues and cues[0].start == 0 and len(text.split()) <= len(cues[0].phrase.split()) + 1
            else []
        )


# ---------------------------------------------------------------- values by kind


def _drugs(message: _Message) -> list[tuple[int, Any]]:
    """Drug names, brand names, misspellings and drug classes; bare 'injections' are unclear."""
    found: list[tuple[int, Any]] = [(m.start, m.meaning) for m in _DRUG_NAMES.find(message.text)]
    if not found:  # "entecavar": a typo of a name
        typos = (
            (word.start(), name)
            for word in _LONG_WORD.finditer(message.text)
            if (name := _drug_typo(word.group())) is not None
        )
        first = next(typos, None)
        found = [first] if first else []
    classes = list(_DRUG_CLASSES.find(message.text))
    named = {value for _, value in found}
    for match in classes:
        if match.meaning == "injection":
            continue
        if match.meaning in ("interferon", "peg_interferon") and named & {"interferon", "peg_interferon"}:
            found = [
                (start, match.meaning if value in ("interferon", "peg_interferon") else value)
                for start, value in found
            ]
        elif not named:
            found.append((match.start, match.meaning))
    if not found and any(m.meaning == "injection" for m in classes):
        found.append((classes[0].start, INJECTIONS))
    return sorted(found, key=lambda item: item[0])


@functools.lru_cache(maxsize=4096)
def _drug_typo(word: str) -> str | None:
    return misspelt(word, _DRUG_SPELLINGS)


def _taken_spans(found: Iterable[find.Found]) -> list[tuple[int, int]]:
    return [(f.start, f.end) for f in found]


def _read_dna(message: _Message, reading: Reading, asked: str | None) -> list[tuple[int, int]]:
    """Viral loads, each given to the question its cue names ('at 3 months', 'lowest')."""
    dna_slots = [slot for slot in message.slots if _kind(slot) == DNA]
    loads = [load for load in find.viral_loads(message.text) if not _normal_below(message, load)]
    spans = _taken_spans(loads)
    if "hbv_dna_undetectable" in message.slots and loads:
        current = [f for f in loads if message.cue(f.start, f.end, {"hbv_dna_current"}, spans)]
        latest = (current or loads)[-1]
        undetectable = True if _under_a_limit(latest) else latest.error or _undetectable(latest.value)
        if undetectable is True and message.negated(Match(latest.start, latest.end, latest.text, None)):
            undetectable = False  # "it isn't undetectable"
        reading.take("hbv_dna_undetectable", undetectable)
    if not dna_slots:
        return spans
    cued: list[tuple[str, find.Found]] = []
    uncued: list[tuple[str | None, find.Found]] = []
    for load in loads:
        slot = message.cue(load.start, load.end, set(dna_slots), spans)
        if len(loads) == 1 and asked in dna_slots and slot in (None, "hbv_dna_current", "hbv_dna"):
            slot = asked  # "the last one was 10^5": the answer to the question asked
        if slot:
            cued.append((slot, load))
        else:
            uncued.append((slot, load))
    for slot, load in cued:
        reading.take(slot, load.error or load.value)
    open_slots = sorted((s for s in dna_slots if s not in reading.values), key=CHRONOLOGY.index)
    if asked in open_slots and len(uncued) == 1:
        reading.take(asked, uncued[0][1].error or uncued[0][1].value)
    elif uncued and len(uncued) == len(open_slots):
        for slot, (_, load) in zip(open_slots, uncued, strict=True):
            reading.take(slot, load.error or load.value)
    elif "hbv_dna" in dna_slots and uncued:
        reading.take("hbv_dna", uncued[0][1].error or uncued[0][1].value)
    _same_latest_load(reading, dna_slots)
    return spans


def _under_a_limit(load: find.Found) -> bool:
    return load.text.startswith(("<", "less", "below", "under", "lower"))


def _normal_below(message: _Message, load: find.Found) -> bool:
    """'normal is below 40', 'the reference range is under 35': an ALT limit, not a viral load
    under the assay's limit (which has a unit or names the viral load)."""
    if not _under_a_limit(load) or find.has_dna_unit(load.text):
        return False
    words_before = message.text[max(0, load.start - 40) : load.start]
    return any(
        "alt_uln" in anchor.meaning and _LIMIT_WORD_BEFORE.fullmatch(words_before[anchor.end :])
        for anchor in _ANCHORS.find(words_before)
    )


def _same_latest_load(reading: Reading, dna_slots: Sequence[str]) -> None:
    """A viral load cued as the latest ("on the latest bloods") is also the viral load now that the
    first choice of medicine asks for."""
    if "hbv_dna" in dna_slots and "hbv_dna" not in reading.values and "hbv_dna_current" in reading.values:
        reading.take("hbv_dna", reading.values["hbv_dna_current"])


def _undetectable(canonical: str) -> bool:
    return canonical.startswith("<")


def _read_alt(message: _Message, reading: Reading, taken: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """ALT (a number after an ALT word, 'U/L', or a multiple of the upper limit) and its limit."""
    alt_slots = {"alt", "alt_normal", "alt_was_normal", "alt_now_normal"} & set(message.slots)
    spans: list[tuple[int, int]] = []
    uln = None
    for found in find.ranges(message.text):
        if not _overlaps(found, taken):
            spans.append((found.start, found.end))
            uln = uln or found.value
    multiples = [found for found in find.alt_multiples(message.text) if not _overlaps(found, taken)]
    multiple_spans = [(found.start, found.end) for found in multiples]
    for anchor in (m for m in message.anchors if "alt_uln" in m.meaning and not _overlaps(m, multiple_spans)):
        number = _number_after(message, anchor.end, taken + spans + multiple_spans)
        if number:
            spans.append((number.start, number.end))
            uln = uln or (None if number.error else number.text)
    if uln and "alt_uln" in message.slots:
        reading.take("alt_uln", _safely(find.uln_value, uln))
    spans += multiple_spans
    alts: list[tuple[int, Any]] = [(found.start, found.error or found.value) for found in multiples]
    for found in find.alts_in_units(message.text):
        if not _overlaps(found, taken + spans):
            spans.append((found.start, found.end))
            alts.append((found.start, found.error or found.value))
    for anchor in (m for m in message.anchors if "alt" in m.meaning):
        used = taken + spans
        number = _number_after(message, anchor.end, used) or _number_for(message, anchor, used)
        if number:
            spans.append((number.start, number.end))
            alts.append((number.start, _safely(find.alt_value, number.text)))
    if not alts and "alt" in alt_slots:  # "my ALT is normal": a value for the interferon check
        for anchor in (m for m in message.anchors if "alt" in m.meaning):
            index = message.clause_of(anchor.start)
            said = _polarity(message, "alt_normal", message.clauses[index].start, _topic_end(message, index))
            if said and said[0][1] is True:
                alts.append((anchor.start, "normal"))
    for start, value in sorted(alts, key=lambda item: item[0]):
        _give_alt(message, reading, alt_slots, start, value, uln)
    return spans


def _give_alt(
    message: _Message, reading: Reading, alt_slots: set[str], start: int, value: Any, uln: str | None
) -> None:
    if "alt" in alt_slots:
        reading.take("alt", value)
    elif alt_slots and not isinstance(value, LabValueError):
        normal = _alt_is_normal(value, uln)
        slot = (
            "alt_normal"
            if "alt_normal" in alt_slots
            else (message.cue(start, start + 1, {"alt_was_normal", "alt_now_normal"}) or "alt_now_normal")
        )
        if slot in alt_slots:
            reading.take(slot, normal)


def _alt_is_normal(canonical: str, uln: str | None) -> bool:
    from .labvalues import parse_alt

    alt = parse_alt(canonical)
    if alt.u_per_l is None:
        return alt.normal
    x = alt.times_uln(float(uln) if uln else None).x
    return x is not None and x <= 1


def _number_for(message: _Message, anchor: Match[Any], taken: list[tuple[int, int]]) -> find.Found | None:
    """The number just before "for (the) ALT" ("70 for ALT, the lab's limit is 40")."""
    found = _VALUE_FOR.search(message.text, max(0, anchor.start - 24), anchor.start)
    if not found:
        return None
    number = find.Found(found.start(1), found.end(1), found[1], float(found[1]))
    return None if _overlaps(number, taken) else number


def _number_after(message: _Message, position: int, taken: list[tuple[int, int]]) -> find.Found | None:
    """The first plain number after `position` in its clause, not inside another value; after a
    subject that ends its clause, the number an aside later says it was ("my ALT, from Tuesday,
    was 70")."""
    index = message.clause_of(position)
    clause = message.clauses[index]
    for number in find.numbers(message.text[: clause.end]):
        if number.start >= position and not _overlaps(number, taken):
            return number if number.start - position < 40 else None
    if message.text[position : clause.end].strip():
        return None
    for number in find.numbers(message.text[: position + 40]):
        if number.start >= clause.end and not _overlaps(number, taken):
            return number if _WAS_BEFORE.search(message.text, position, number.start) else None
    return None


class _Span(Protocol):
    @property
    def start(self) -> int: ...
    @property
    def end(self) -> int: ...


def _overlaps(found: _Span, spans: Iterable[tuple[int, int]]) -> bool:
    return any(found.start < end and start < found.end for start, end in spans)


def _safely(read: Any, text: str) -> Any:
    try:
        return read(text)
    except LabValueError as error:
        return error


def _read_durations(
    message: _Message, reading: Reading, asked: str | None, today: date, taken: list[tuple[int, int]]
) -> list[tuple[int, int]]:
    """Durations, given to time on treatment or consolidation by the words around them; the first
    one without such words is the time on treatment, when nothing else says it."""
    slots = {slot for slot in message.slots if _kind(slot) == DURATION}
    spans: list[tuple[int, int]] = []
    uncued: find.Found | None = None
    durations = [
        found
        for found in find.durations(message.text, today)
        if not (
            _overlaps(found, taken) or _is_interval(message.text, found) or _is_some_day(message.text, found)
        )
    ]
    for found in durations:
        spans.append((found.start, found.end))
        if not slots:
            continue
        if asked in slots and len(durations) == 1 and not _IN_TOTAL.search(message.text):
            # "I've been on it a year" answers either duration question: the one asked
            reading.take(asked, found.error or found.value)
            continue
        slot = message.cue(found.start, found.end, slots, taken + spans[:-1]) or (
            asked if asked in slots else None
        )
        if slot is None and found.text.startswith(("since", "from", "start", "began")):
            slot = "months_on_treatment" if "months_on_treatment" in slots else None  # a start date
        if slot:
            reading.take(slot, found.error or found.value)
        elif uncued is None:
            uncued = found
    if uncued is not None and "months_on_treatment" in slots and "months_on_treatment" not in reading.values:
        reading.take("months_on_treatment", uncued.error or uncued.value)  # "..., for 2 years; ..."
    return spans


def _is_interval(text: str, found: find.Found) -> bool:
    """'every 6 months', '6 months apart', '3 times a week', '3 shots a week': how often, not how long."""
    before = text[max(0, found.start - 16) : found.start].strip()
    return (
        before.endswith(("every", "each", "times", "once", "twice", "per"))
        or (found.text.startswith("a ") and _COUNTED_THINGS.search(before) is not None)
        or text[found.end : found.end + 7].strip().startswith(("apart", "between"))
    )


def _is_some_day(text: str, found: find.Found) -> bool:
    """'I'd like to stop one day': some time in the future, not one day of treatment."""
    before = text[: found.start].rstrip()
    return found.text == "1 day" and before != "" and not before.endswith(("for", "just", "only"))


_IN_TOTAL = re.compile(
    r"\b(?:in total|altogether|overall|all together|since (?:i|we|he|she) (?:started|began))\b"
)
_BEFORE = re.compile(
    r"\b(?:before|start|started|starting|began|begun|beginning|diagnosis|diagnosed|baseline|initially|originally|pre"
    r"|pretreatment|prior"
    r"|to begin with|at first|at the outset)\b"
)
# Uncertainty in any wording: "not rlly sure", "i am not knowing this", "cant rememeber",
# "couldn't tell you", "I'd have to look at my letters".
_UNSURE = re.compile(
    r"\b(?:not|no|never|dont|don't|didnt|didn't|cant|can't|cannot|couldnt|couldn't|wouldnt|wouldn't)\s+"
    r"(?:[a-z']+\s+){0,2}?(?:sure|certain|know|knowing|kno|knw|remember|rememeber|remeber|rember|recall)\b|"
    r"\b(?:couldnt|couldn't|cant|can't|cannot)\s+tell\s+you\b|"
    r"\b(?:have|need|got)\s+to\s+(?:look|check|ask|find out)\b|\bno\s+(?:idea|clue)\b"
)
_ANY_DIGIT = re.compile(r"\d")
_CODE = re.compile(r"<\s*/?\s*[a-z][^>]*>|\{\{|\$\{|\b[a-z]+://")  # markup, templates, links: no answer
_WAS_BEFORE = re.compile(r"\b(?:was|is|were|came back(?: at)?|reads?|read)\s*[:=]?\s*$")
_DENIED_AFTER = re.compile(
    r"\s*(?:[:=-]\s*)?(?:none|nil|no|negative|absent)\b"
    r"|\s+(?:is\s+|are\s+)?not\s+(?:there|present|yet|found|seen)\b"
    r"|\s+(?:was\s+|were\s+|has\s+been\s+|have\s+been\s+|is\s+|been\s+)?(?:ruled\s+out|excluded)\b"
)
_AFTER_WORD = re.compile(r"\b(?:after|since)\s+$")  # "3 months after starting" is no baseline
_YEARS_ONLY = re.compile(
    r"\s*(?:i\s+have\s+|i\s+am\s+)?(\d{1,3})\s*(?:years?|yrs?|y)(?:\s+old)?\s*$"
)  # "39 years", said to "how old are you?"
_UNTIL_BEFORE = re.compile(r"\b(?:until|till|up to|up till|up until)\s*$")
_TRAILING_NOW = re.compile(r"now(?:\s+(?:too|as well|again|though))?\W*")
_VALUE_FOR = re.compile(r"(?<![\w.^/])(\d+(?:\.\d+)?)\s+for\s+(?:the\s+|my\s+|his\s+|her\s+)?$")
_LIMIT_WORD_BEFORE = re.compile(r"\s*(?:is|was|are|being|of)?\s*[:=]?\s*")  # "normal range is" below 40
_LIMIT_AFTER = re.compile(r"\s*to\s+\d")
_TIMES_BEFORE = re.compile(r"(?:\dx|\btimes|\bx|×|\bfold)\s*(?:the\s+)?$")
_COUNTED_THINGS = re.compile(r"\d+\s+[a-z]+$")  # "3 shots" before "a week"
_FREQUENCY_AFTER = re.compile(
    r"\s*(?:(?:a|per|each|every)\s+(?:day|week|month|fortnight)|daily|weekly|monthly)\b"
)


_CHECKED = re.compile(r"\b(?:check|test|blood|result|visit|appointment|follow|review|reading|scan|clinic)")


def _read_counts(
    message: _Message, reading: Reading, taken: list[tuple[int, int]], asked: str | None
) -> None:
    """Check-ups counted: '2 checks', 'three normal blood tests', 'twice' (not '3 times a week', and
    not 'my doctor once mentioned stopping' unless the question asked for the count)."""
    if "consolidation_checks" not in message.slots:
        return
    for found in find.counts(message.text):
        if _overlaps(found, taken) or _FREQUENCY_AFTER.match(message.text, found.end):
            continue
        clause = message.clauses[message.clause_of(found.start)]
        said_in_passing = found.text.isalpha() and asked != "consolidation_checks"
        if said_in_passing and not _CHECKED.search(message.text, clause.start, clause.end):
            continue
        reading.take("consolidation_checks", _count(found.value))


def _count(number: float) -> Any:
    if number < 0 or number > 100 or not float(number).is_integer():
        return LabValueError(f'"{number:g}"', EXPECTED[COUNT])
    return int(number)


# ---------------------------------------------------------------- yes/no facts


def _polarity(message: _Message, slot: str, low: int, high: int) -> list[tuple[int, Any]]:
    """(position, True/False/UNKNOWN) for each of the slot's own words starting in text[low:high]."""
    found = []
    for match in _WORDS[slot].find(message.text, low):
        if match.start >= high:
            break
        if (
            _TIMES_BEFORE.search(message.text, max(0, match.start - 12), match.start)
            or _LIMIT_AFTER.match(message.text, match.end)
            or _inside_limit(message, match)
        ):
            continue  # "2.99 times normal" is a value, not "normal"; "goes up to 40" is a limit
        value = match.meaning
        if value is not UNKNOWN and message.negated(match):
            value = not value
        elif value is True and _DENIED_AFTER.match(message.text, match.end):
            value = False  # "cirrhosis: none"
        found.append((match.start, value))
    return found


def _inside_limit(message: _Message, match: Match[Any]) -> bool:
    """'normal' in "the lab's normal ALT goes up to 35" names the limit, not the patient's ALT."""
    return any(low <= match.start < high for low, high in message.stated_limits)


def _read_facts(message: _Message, reading: Reading) -> None:
    """Yes/no facts stated with their subject: 'no cirrhosis', 'my bilirubin went up'."""
    for slot in message.slots:
        if _kind(slot) != YES_NO or slot in reading.values:
            continue
        for anchor in (m for m in message.anchors if slot in m.meaning):
            value = _fact_at(message, slot, anchor)
            if value is not None:
                reading.take(slot, value)
                break


def _fact_at(message: _Message, slot: str, anchor: Match[Any]) -> Any:
    index = message.clause_of(anchor.start)
    clause = message.clauses[index]
    own = [(m.start, m.end) for m in _WORDS[slot].find(message.text, clause.start) if m.start < clause.end]
    if any(
        clause.start <= start < clause.end and not any(low < end and start < high for low, high in own)
        for start, end in message.unknown_spans
    ):
        return (
            UNKNOWN  # "I'm not sure if it worked", "I don't know my HBeAg" (not "never been told I have it")
        )
    end = _topic_end(message, index)
    words = [
        (position, value)
        for position, value in _polarity(message, slot, message.clauses[index].start, end)
        if _same_time(message, slot, position)
    ]
    if words:
        ends = {m.start: m.end for m in _WORDS[slot].find(message.text, message.clauses[index].start)}

        def distance(item: tuple[int, Any]) -> int:  # 0 when the words contain the anchor
            return max(0, item[0] - anchor.end, anchor.start - ends.get(item[0], item[0]))

        return min(words, key=distance)[1]
    if QUESTIONS[slot].get("anchor_says") == "yes":  # "cirrhosis: none", "anti-HBe not there yet"
        return not (message.negated(anchor) or _DENIED_AFTER.match(message.text, anchor.end))
    return None


def _topic_end(message: _Message, index: int) -> int:
    """Where the subject named in clause `index` stops: before the next clause naming another
    ("ALT now within the normal range": the lab's range is still about the ALT)."""
    about_alt = any(message.clause_of(m.start) == index and "alt" in m.meaning for m in message.anchors)
    for later in range(index + 1, len(message.clauses)):
        if any(
            message.clause_of(m.start) == later and not (about_alt and set(m.meaning) == {"alt_uln"})
            for m in message.anchors
        ):
            return message.clauses[later].start
    return len(message.text)


def _same_time(message: _Message, slot: str, position: int) -> bool:
    """For questions about before and now (ALT), a word counts where its clause's cue agrees."""
    if slot not in ("alt_was_normal", "alt_now_normal", "hbeag_positive_before_treatment"):
        return True
    index = message.clause_of(position)
    clause = message.clauses[index]
    if slot == "hbeag_positive_before_treatment":  # "anti-HBe now positive and HBeAg negative": now
        linked = _linked_clauses(message, index)
        beside_antibody = any(
            c.start <= m.start < c.end and "hbeag_seroconversion" in m.meaning
            for c in linked
            for m in message.anchors
        )  # "anti-hbe pos, hbeag neg"
        said_now = (
            _NOW.first(clause.text)
            or beside_antibody
            or any(_NOW.first(c.text) for c in linked if c.start < clause.start)
            or _now_follows(message, index)
        )
        return not said_now or _BEFORE.search(clause.text) is not None
    if _now_follows(message, index):
        return slot == "alt_now_normal"  # "... and ALT back to normal now"
    cue = message.cue(position, position + 1, {"alt_was_normal", "alt_now_normal"})
    return (cue or "alt_now_normal") == slot


def _now_follows(message: _Message, index: int) -> bool:
    """The clause after `index` is a trailing "now" ("e negative | now", "ALT back to normal | now")."""
    following = message.clauses[index + 1].text if index + 1 < len(message.clauses) else ""
    until = _UNTIL_BEFORE.search(message.clauses[index].text)  # "ALT was fine until now": before
    return _TRAILING_NOW.fullmatch(following.strip()) is not None and not until


def _linked_clauses(message: _Message, index: int) -> list[Clause]:
    """The clauses next to clause `index` joined to it by "and" or a comma."""
    linked = []
    for other in (index - 1, index + 1):
        if 0 <= other < len(message.clauses):
            low, high = sorted((message.clauses[other], message.clauses[index]), key=lambda c: c.start)
            if message.text[low.end : high.start].strip() in ("and", ",", ""):
                linked.append(message.clauses[other])
    return linked


def _read_seroconversion(message: _Message, reading: Reading) -> None:
    """Stop check: 'HBeAg positive before, negative now' is a seroconversion."""
    if "hbeag_seroconversion" not in message.slots or "hbeag_seroconversion" in reading.values:
        return
    for anchor in (m for m in message.anchors if "hbeag_positive_before_treatment" in m.meaning):
        index = message.clause_of(anchor.start)
        for position, value in _polarity(
            message,
            "hbeag_positive_before_treatment",
            message.clauses[index].start,
            _topic_end(message, index),
        ):
            clause = message.clauses[message.clause_of(position)]
            if value is not UNKNOWN and _NOW.first(clause.text) and "before" not in clause.text:
                reading.take("hbeag_seroconversion", not value)


# ---------------------------------------------------------------- the reading


def read_statements(
    text: str, slots: Sequence[str], today: date | None = None, asked: str | None = None
) -> Reading:
    """The values a message states for the questions `slots` of one check (none in markup or code)."""
    message = _Message(text, slots)
    reading = Reading()
    if _CODE.search(text.lower()):
        return reading  # "<script>alert(1)</script>" states no ALT of 1
    for _, value in _drugs(message)[:1]:
        for slot in ("therapy", "drug"):
            if slot in slots and not (slot == "drug" and value == "nucleoside_analogue" and asked != "drug"):
                reading.take(slot, value)  # "the tablet I started with" does not say which: the question asks
    taken = _read_dna(message, reading, asked)
    taken += _read_durations(message, reading, asked, today or date.today(), taken)
    taken += _read_alt(message, reading, taken)
    _read_counts(message, reading, taken, asked)
    reading.used = taken
    for slot, finder in (("age", find.ages), ("biopsy_grade", find.grades)):
        if slot in slots:
            for found in finder(message.text):
                reading.take(slot, found.value)
    _read_facts(message, reading)
    _read_seroconversion(message, reading)
    if "res_question" in slots:
        reading.take("res_question", choose_question(text))
    return reading


def read_answer(
    text: str,
    asked: str,
    slots: Sequence[str],
    today: date | None = None,
    number_without_unit: str | None = None,
) -> Reading:
    """The answer to the question `asked`, and any other value the message states.

    `number_without_unit` is a viral load typed earlier without its unit: a reply that is only
    a unit ("IU/mL", "copies") completes it.
    """
    text = _ECHOED_QUESTION.sub("", text)  # "cirrhosis? no, they ruled that out"
    reading = read_statements(text, slots, today, asked)
    if asked in reading.values or _CODE.search(text.lower()):
        return reading
    message = _Message(text, slots)
    kind = _kind(asked)
    if kind == DNA and number_without_unit:
        unit = _UNITS.first(message.text)
        if unit:
            reading.take(asked, _safely(find.canonical_dna, f"{number_without_unit} {unit.meaning}"))
    own_unknown = _SLOT_UNKNOWN.get(asked)
    if own_unknown and own_unknown.first(message.text):
        reading.take(asked, UNKNOWN)
    if kind != YES_NO and message.unknown_spans and not _ANY_DIGIT.search(message.text):
        reading.take(asked, UNKNOWN)  # "I'm not certain, sorry" to "how many check-ups?"
    if asked not in reading.values and asked not in reading.problems:
        reading.take(asked, _ANSWERS[kind](message, asked, reading))
    if asked not in reading.values and asked not in reading.problems and reading.missing_unit is None:
        reading.take(asked, _unknown(message, asked))
    return reading


_ECHOED_QUESTION = re.compile(r"^\s*[^?.!,\d]{1,30}\?+\s+(?=\w)")  # not "3400? copies"


def _unknown(message: _Message, slot: str) -> Any:
    own = _SLOT_UNKNOWN.get(slot)
    if own and own.first(message.text):
        return UNKNOWN
    if message.unknown_spans or _HEDGES.first(message.text) or message.text.strip() == "?":
        return UNKNOWN
    return None


def _yes_no_answer(message: _Message, slot: str, reading: Reading) -> Any:
    own_spans = [(m.start, m.end) for m in _WORDS[slot].find(message.text)]
    own = [
        (position, value)
        for index, clause in enumerate(message.clauses)
        if not message.has_anchor_of_other(index, slot, own_spans)
        for position, value in _polarity(message, slot, clause.start, clause.end)
        if _same_time(message, slot, position) or not message.anchors
    ]
    common = [
        (m.start, m.meaning)
        for m in _COMMON.find(message.text)
        if not message.has_anchor_of_other(message.clause_of(m.start), slot)
    ]
    unsure = [
        (low, high)
        for low, high in message.unknown_spans
        if not any(low < end and start < high for start, end in own_spans)
    ]
    unsure_clauses = {message.clause_of(start) for start, _ in unsure}
    if own and all(message.clause_of(position) in unsure_clauses for position, _ in own):
        return UNKNOWN  # "I'm not sure if it worked"
    if not own and message.unknown_spans:
        return UNKNOWN  # "I'm not certain, sorry", "not rlly sure tbh"
    first = _COMMON.first(message.text)  # "yes according to my results": a leading yes/no answers it
    leading = (
        (0, first.meaning)
        if first
        and first.start == 0
        and first.meaning is not UNKNOWN
        and not message.has_anchor_of_other(0, slot, kind=YES_NO)
        else None
    )
    if leading and not own:
        return leading[1]  # "no, never been told that"
    if not own and unsure:
        return UNKNOWN  # "not sure, never asked": a plain yes/no beside "not sure" is no answer
    for votes in (own, common):
        decided = {value for _, value in votes if value is not UNKNOWN}
        if len(decided) == 1:
            return decided.pop()
        if len(decided) > 1:
            return UNKNOWN if message.unknown_spans else votes[0][1]
    if slot in ("alt_normal", "alt_now_normal", "alt_was_normal"):  # "32"; "30, normal goes up to 35"
        uln = _limit_stated(message)
        number = _number_after(message, 0, reading.used + uln[1])
        if number and (len(message.text) < 30 or uln[0]):
            return _alt_is_normal(find.alt_value(number.text), uln[0]) if not number.error else number.error
    return None


def _limit_stated(message: _Message) -> tuple[str | None, list[tuple[int, int]]]:
    """The ALT upper limit a message states, whether or not the check asks it, and where it is."""
    reading = Reading()
    spans = _read_alt(_Message(message.text, ["alt_uln"]), reading, [])
    uln = reading.values.get("alt_uln")
    return (uln if isinstance(uln, str) else None), spans


def _drug_answer(message: _Message, slot: str, reading: Reading) -> Any:
    found = _drugs(message)
    return found[0][1] if found else None


def _dna_answer(message: _Message, slot: str, reading: Reading) -> Any:
    for found in find.bare_dna(message.text):
        if find.unit_missing(found):
            reading.missing_unit = (slot, found.text.strip())
            return None
        return found.error or found.value
    return None


def _alt_answer(message: _Message, slot: str, reading: Reading) -> Any:
    number = _number_after(message, 0, reading.used)
    if number:
        return _safely(find.alt_value, number.text)
    words = _WORDS["alt_normal"].find(message.text)
    for match in words:
        normal = match.meaning if not message.negated(match) else not match.meaning
        if normal is True:
            return "normal"
        return LabValueError(
            f'"{match.phrase}"',
            "how high: the number (for example '120') or how many times the upper limit it is",
        )
    return None


def _uln_answer(message: _Message, slot: str, reading: Reading) -> Any:
    number = _number_after(message, 0, reading.used)
    return _safely(find.uln_value, number.text) if number else None


def _duration_answer(message: _Message, slot: str, reading: Reading) -> Any:
    number = _number_after(message, 0, reading.used)
    if number and len(message.text.split()) <= 3:
        return UnitMissingError(number.value, "the unit: months, years or weeks")
    return None


def _count_answer(message: _Message, slot: str, reading: Reading) -> Any:
    number = _number_after(message, 0, reading.used)
    if number:
        return _count(number.value)
    for match in _COUNT_WORDS.find(message.text):
        return match.meaning
    if any(m.meaning is False for m in _COMMON.find(message.text)):
        return 0
    return None


def _age_answer(message: _Message, slot: str, reading: Reading) -> Any:
    years = _YEARS_ONLY.match(message.text)
    if years:
        return int(years[1]) if 0 < int(years[1]) <= 120 else LabValueError(f'"{years[0]}"', EXPECTED[AGE])
    number = _number_after(message, 0, reading.used)
    if number:
        if 0 < number.value <= 120 and float(number.value).is_integer():
            return int(number.value)
        return LabValueError(f'"{number.text}"', EXPECTED[AGE])
    return None


def _grade_answer(message: _Message, slot: str, reading: Reading) -> Any:
    number = _number_after(message, 0, reading.used)
    if number and number.value in (0, 1, 2, 3, 4):
        return f"G{int(number.value)}"
    if number:
        return LabValueError(f'"{number.text}"', EXPECTED[GRADE])
    return None


def _choice_answer(message: _Message, slot: str, reading: Reading) -> Any:
    chosen = choose_question(message.text, answering=True)
    if chosen:
        return chosen
    ordinal = _ORDINALS.first(message.text)
    if ordinal and len(message.text) < 24:
        return list(_CHOICES)[ordinal.meaning]
    return None


_ANSWERS = {
    YES_NO: _yes_no_answer,
    DRUG: _drug_answer,
    DNA: _dna_answer,
    ALT: _alt_answer,
    ULN: _uln_answer,
    DURATION: _duration_answer,
    COUNT: _count_answer,
    AGE: _age_answer,
    GRADE: _grade_answer,
    CHOICE: _choice_answer,
}


def choose_question(text: str, answering: bool = False) -> str | None:
    """The resistance question a message asks ('is my medicine a good first choice?' ->
    'drug_choice'), or None when unclear. Of two choices that score the same, one with a strong
    word wins over weak words ("the interferon injections, good first choice?"); outside an answer,
    a weak hint alone is not enough."""
    scores: dict[str, int] = {}
    strong: set[str] = set()
    for match in _CHOICE_WORDS.find(normalise(text[:MAX_CHARS])):
        choice, weight = match.meaning
        scores[choice] = scores.get(choice, 0) + weight
        if weight == 2:
            strong.add(choice)
    if not scores:
        return None
    best = max(scores.values())
    leaders = [choice for choice, score in scores.items() if score == best]
    if len(leaders) > 1:
        leaders = [choice for choice in leaders if choice in strong]
    if len(leaders) != 1 or (best < 2 and not answering):
        return None
    return leaders[0]


_QUESTION_OF_RESULT = {
    "hbv_dna_3m": "na_response",
    "hbv_dna_6m": "na_response",
    "hbv_dna_week32": "ifn_week32",
    "hbv_dna_nadir": "monitoring",
    "hbv_dna_current": "monitoring",
    "alt_was_normal": "monitoring",
    "alt_now_normal": "monitoring",
    "mutation_found": "monitoring",
}


def read_conversation(
    texts: Sequence[str], topic: str, today: date | None = None, question: str | None = None
) -> Reading:
    """The values stated in a check's messages so far (oldest first; a later message wins).

    For the resistance check the question is `question`, else chosen from the words ("is it a
    good first choice?"), else from the results given (a 3-month viral load: the early response).
    """
    reading = Reading()
    answers: dict[str, Any] = {}
    if topic == "resistance":
        question = question or choose_question(" . ".join(texts)) or _question_of_results(texts, today)
        if question:
            answers["res_question"] = question
            reading.take("res_question", question)
    slots = [slot for slot in slots_to_read(topic, answers) if slot != "res_question"]
    # The warning signs ask for the latest viral load: one given without a cue is the latest.
    uncued_is_latest = "hbv_dna_current" in slots and "hbv_dna" not in slots
    for text in reversed(texts):
        later = read_statements(text, [*slots, "hbv_dna"] if uncued_is_latest else slots, today)
        if uncued_is_latest and "hbv_dna" in later.values:
            later.values.setdefault("hbv_dna_current", later.values.pop("hbv_dna"))
        for slot, value in later.values.items():
            reading.take(slot, value)
        for slot, problem in later.problems.items():
            reading.take(slot, problem)
    return reading


def _question_of_results(texts: Sequence[str], today: date | None) -> str | None:
    """The question that the results given point to: timed viral loads to the early response or
    week 32, a lowest or latest value or a mutation to the warning signs; a medicine with a viral
    load or ALT and nothing timed to the choice of the first medicine."""
    slots = sorted({slot for fields in RESISTANCE_FIELDS.values() for slot in fields})
    given = {slot for text in texts for slot in read_statements(text, slots, today).values}
    found = {
        _QUESTION_OF_RESULT[slot]
        for slot in given
        if slot in _QUESTION_OF_RESULT and slot not in ("alt_was_normal", "alt_now_normal")
    }
    if not found and "drug" in given and given & {"hbv_dna", "hbeag_positive", "alt"}:
        return "drug_choice"
    return found.pop() if len(found) == 1 else None


def shown(slot: str, value: Any) -> str:
    """How a collected value is repeated to the patient ('ALT 120 U/L', 'no cirrhosis')."""
    spec = QUESTIONS[slot]["shown"]
    if value == UNKNOWN:
        label = (
            spec.get("yes") if isinstance(spec, dict) else spec.split(":")[0].replace("{value}", "").strip()
        )
        return str(ANSWER_TEXTS["not_known"]).format(label=label)
    if isinstance(spec, dict):
        return str(spec["yes" if value else "no"])
    if slot == "res_question":
        return str(_CHOICES[value]["shown"])
    if slot in ("therapy", "drug"):
        value = DRUGS[value]["label"]
    return str(spec.format(value=value))
