"""Find clinical values in a message with a blank spaCy pipeline (no downloaded model).

A `Matcher` finds anchors ("ALT", "viral load", "upper limit", "HBeAg", drug names, ...);
the value is the run of number and unit tokens that follows the anchor. Each span's text is
normalised by the `knowledge` parser, so a span becomes an entity only if the rule module
understands it.
"""
import re
from dataclasses import dataclass
from typing import Dict, Iterable, Iterator, List, Optional

import spacy
from spacy.matcher import Matcher, PhraseMatcher
from spacy.tokens import Doc, Span

from knowledge.data import DRUGS

DURATION_UNIT = r"^(years?|yrs?|months?|mos?|weeks?|wks?)$"
NUMBER_TOKEN = r"^[<>≤≥]?[\d.,]*\d[\d.,]*(?:[x×*]10[\^⁰¹²³⁴⁵⁶⁷⁸⁹\d]*|e[+-]?\d+|x|×)?$"
UNIT_WORDS = {
    "iu", "/", "ml", "copies", "copy", "cp", "per", "u", "l", "u/l", "iu/l", "iu/ml",
    "copies/ml", "cp/ml", "x", "×", "*", "times", "uln", "normal", "the", "upper", "limit",
    "of", "log", "log10", "10", "^", "ulm", "<", "≤", "(", ")", "ref", "-", "–", "to",
}
FILLER_WORDS = {
    "is", "was", "of", "at", "=", ":", "about", "around", "approximately", "roughly", "now",
    "level", "levels", "currently", "only", "still", "my", "result", "value", "reading",
    "came", "back", "as", "were", "are", "be", "been", "just", "over", "under", "nearly",
    "almost", "test", "count", "load",
}
UNDETECTABLE = ["undetectable", "not detected", "not detectable", "negative", "tnd",
                "target not detected", "below the limit", "below detection",
                "below the detection limit", "too low to detect", "below lloq"]
MISSPELLINGS = {
    "entecavir": ["entecavier", "entacavir", "entecavire", "entecovir", "entecavire"],
    "tenofovir": ["tenofavir", "tenefovir", "tenofovier", "tenofir"],
    "lamivudine": ["lamivudin", "lamivudene", "lamivudina"],
    "adefovir": ["adefovire", "adefavir"],
    "telbivudine": ["telbivudin", "telbuvidine"],
    "interferon": ["interferone", "intereferon", "inteferon", "interferron", "interfron"],
    "peg_interferon": ["peg-interferon", "peg-ifn", "pegylated-interferon", "peginterferone",
                       "peg interferone", "peg intron"],
}
WORD_VALUES = {"hbv_dna": UNDETECTABLE, "alt": ["normal", "to normal", "in the normal range"]}
NEGATIONS = {"no", "not", "n't", "never", "without", "dont", "don't", "didn't", "doesnt",
             "haven't", "hasn't", "isn't", "nt"}

ANCHORS = {
    "alt": ["alt", "alat", "sgpt", "alanine aminotransferase", "liver enzymes",
            "liver enzyme", "liver function"],
    "alt_uln": ["upper limit", "upper limit of normal", "uln", "normal range",
                "reference range", "ref", "ref range", "normal limit", "normal up to",
                "limit of normal", "reference"],
    "hbv_dna": ["hbv dna", "hbv-dna", "dna", "viral load", "virus level", "virus load",
                "vl", "hbvdna", "hbv - dna", "virus"],
    "hbeag": ["hbeag", "hbe ag", "e antigen", "e-antigen", "eag", "hbe antigen"],
    "cirrhosis": ["cirrhosis", "cirrhotic", "liver scarring", "scarring of the liver",
                  "scarred liver", "cirrosis", "cirhosis"],
    "age": ["i am", "i'm", "im", "age", "aged", "i m"],
}


@dataclass(frozen=True)
class ValueSpan:
    """A value found in the text: its kind, character offsets and raw text."""

    kind: str
    start: int
    end: int
    text: str
    role: Optional[str] = None


class ValueSpanFinder:
    """Finds anchored value spans, drug names and yes/no facts in a message."""

    def __init__(self) -> None:
        self.nlp = spacy.blank("en")
        self.anchors = PhraseMatcher(self.nlp.vocab, attr="LOWER")
        for kind, phrases in ANCHORS.items():
            self.anchors.add(kind, [self.nlp.make_doc(phrase) for phrase in phrases])
        self.drugs = PhraseMatcher(self.nlp.vocab, attr="LOWER")
        for name, aliases in drug_aliases().items():
            self.drugs.add(name, [self.nlp.make_doc(alias) for alias in aliases])
        self.grades = Matcher(self.nlp.vocab)
        self.grades.add("biopsy_grade", [[{"LOWER": {"REGEX": r"^g[0-4]$"}}],
                                         [{"LOWER": "grade"}, {"TEXT": {"REGEX": r"^[0-4]$"}}]])
        self.durations = Matcher(self.nlp.vocab)
        unit = {"LOWER": {"REGEX": DURATION_UNIT}}
        amount = {"LOWER": {"REGEX": r"^(\d+(\.\d+)?|a|an|one|two|three|four|five|six|"
                                     r"seven|eight|nine|ten|eleven|twelve|half)$"}}
        self.durations.add("duration", [
            [amount, unit],
            [amount, {"LOWER": "and"}, {"LOWER": "a"}, {"LOWER": "half"}, unit],
            [amount, unit, {"LOWER": "and"}, {"LOWER": "a"}, {"LOWER": "half"}],
            [{"LOWER": "since"}, {"IS_ALPHA": True, "OP": "?"},
             {"TEXT": {"REGEX": r"^(19|20)\d\d$|^\d{1,2}/(19|20)\d\d$"}}],
        ])
        self.ages = Matcher(self.nlp.vocab)
        self.ages.add("age", [[{"TEXT": {"REGEX": r"^\d{1,3}$"}},
                               {"LOWER": {"IN": ["years", "yrs", "year"]}},
                               {"LOWER": "old"}],
                              [{"TEXT": {"REGEX": r"^\d{1,3}$"}}, {"LOWER": {"IN": ["yo", "y/o"]}}]])

    def find(self, text: str) -> List[ValueSpan]:
        """Every value span in `text`, in order of appearance, without overlaps."""
        doc = self.nlp.make_doc(text)
        spans = [*self._anchored(doc), *self._matched(doc)]
        return _without_overlaps(spans)

    def _anchored(self, doc: Doc) -> Iterator[ValueSpan]:
        for match_id, start, end in self.anchors(doc):
            kind = self.nlp.vocab.strings[match_id]
            if kind in ("hbeag", "cirrhosis"):
                yield from self._fact(doc, kind, start, end)
                continue
            value = _value_after(doc, end, words=WORD_VALUES.get(kind, ()))
            if value is None:
                continue
            if kind == "age" and not _is_plain_age(doc, value):
                continue
            yield _span(kind, value, role=_dna_role(doc, start, value) if kind == "hbv_dna" else None)

    def _matched(self, doc: Doc) -> Iterator[ValueSpan]:
        for match_id, start, end in self.drugs(doc):
            yield ValueSpan("drug", doc[start].idx, doc[end - 1].idx + len(doc[end - 1]),
                            self.nlp.vocab.strings[match_id])
        for matcher in (self.grades, self.durations, self.ages):
            for match_id, start, end in matcher(doc):
                kind = self.nlp.vocab.strings[match_id]
                span = doc[start:end]
                if kind == "age":
                    span = doc[start:start + 1]
                role = _duration_role(doc, start) if kind == "duration" else None
                yield _span(kind, span, role=role)

    def _fact(self, doc: Doc, kind: str, start: int, end: int) -> Iterator[ValueSpan]:
        negated = any(token.lower_ in NEGATIONS for token in doc[max(0, start - 4):start])
        if kind == "cirrhosis":
            yield ValueSpan("cirrhosis", doc[start].idx, doc[end - 1].idx + len(doc[end - 1]),
                            "false" if negated else "true")
            return
        after = [t.lower_ for t in doc[end:end + 4]]
        status = next((word for word in after if word in
                       {"positive", "pos", "+", "negative", "neg", "reactive"}), None)
        if status is None and doc[end - 1].text.endswith(("+", "-")):
            status = "positive" if doc[end - 1].text.endswith("+") else "negative"
        if status is None:
            return
        positive = status in {"positive", "pos", "+", "reactive"}
        if negated:
            positive = not positive
        role = "before_treatment" if any(
            t.lower_ in {"before", "originally", "initially", "start", "started", "first"}
            for t in doc[max(0, start - 6):end + 8]) else None
        yield ValueSpan("hbeag", doc[start].idx, doc[end - 1].idx + len(doc[end - 1]),
                        "positive" if positive else "negative", role)


def drug_aliases() -> Dict[str, List[str]]:
    """Every name a patient may use for each drug: the rule data's aliases plus misspellings."""
    return {name: [name.replace("_", " "), *entry.get("aliases", []), *MISSPELLINGS.get(name, [])]
            for name, entry in DRUGS.items()}


def _value_after(doc: Doc, index: int, words: Iterable[str] = ()) -> Optional[Span]:
    """The run of number/unit tokens (or one of `words`) after an anchor, skipping filler."""
    while index < len(doc) and doc[index].lower_ in FILLER_WORDS:
        index += 1
    if index < len(doc):
        rest = doc[index:].text.lower()
        for phrase in words:
            if rest.startswith(phrase):
                return doc.char_span(doc[index].idx, doc[index].idx + len(phrase),
                                     alignment_mode="expand")
    end = index
    seen_number = False
    while end < len(doc):
        token = doc[end]
        if _is_number(token):
            seen_number = True
        elif not (seen_number or token.text == "<") or token.lower_ not in UNIT_WORDS:
            break
        end += 1
    while end > index and not _is_number(doc[end - 1]) and doc[end - 1].lower_ in {
            "the", "upper", "of", "to", "-", "–", "(", "<", "times", "x", "×", "*", "ref"}:
        end -= 1
    return doc[index:end] if seen_number else None


def _is_number(token) -> bool:
    return bool(re.match(NUMBER_TOKEN, token.text.lower()))


def _is_plain_age(doc: Doc, value: Span) -> bool:
    """A lone whole number not followed by a duration unit ("I'm 5 months in" is no age)."""
    next_word = doc[value.end].lower_ if value.end < len(doc) else ""
    return len(value) == 1 and value.text.isdigit() and not re.match(DURATION_UNIT, next_word)


def _dna_role(doc: Doc, anchor_start: int, value: Span) -> Optional[str]:
    """Which HBV DNA result this is, from words near the anchor (None if unclear)."""
    window = doc[max(0, anchor_start - 8):min(len(doc), value.end + 6)].text.lower()
    for role, cues in (
        ("week32", ("week 32", "32 weeks", "wk 32", "week32")),
        ("3m", ("3 months", "three months", "3 month", "3rd month")),
        ("6m", ("6 months", "six months", "6 month", "6th month")),
        ("baseline", ("before treatment", "before starting", "at the start", "baseline",
                      "initially", "before i started", "at first", "pre-treatment")),
        ("nadir", ("lowest", "nadir", "at its best", "bottom")),
        ("current", ("now", "latest", "current", "last test", "recently", "went up",
                     "gone up", "rose", "rising", "today")),
    ):
        if any(cue in window for cue in cues):
            return role
    return None


def _duration_role(doc: Doc, start: int) -> Optional[str]:
    """'consolidation' or 'treatment' when the words before a duration say which."""
    before = doc[max(0, start - 10):start].text.lower()
    if "consolidat" in before or "since then" in before or "since it" in before:
        return "consolidation"
    if any(cue in before for cue in ("for", "been on", "taking", "treated", "treatment")):
        return "treatment"
    return None


def _span(kind: str, span: Span, role: Optional[str] = None) -> ValueSpan:
    return ValueSpan(kind, span.start_char, span.end_char, span.text, role)


def _without_overlaps(spans: List[ValueSpan]) -> List[ValueSpan]:
    """Keep the longest span where spans overlap; order by position."""
    kept: List[ValueSpan] = []
    for span in sorted(spans, key=lambda s: (-(s.end - s.start), s.start)):
        if all(span.end <= other.start or span.start >= other.end for other in kept):
            kept.append(span)
    return sorted(kept, key=lambda s: s.start)
