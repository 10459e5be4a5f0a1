"""Plain-text helpers for reading what patients type: normalising, clauses, phrase lexicons.

Everything here runs in time linear in the text: one pass of simple regular expressions (no
nested repetition) and no pairwise loops over words or matches.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Generic, TypeVar

from .numbers import spell_out_numbers

T = TypeVar("T")

_SYMBOLS = str.maketrans(
    {
        "’": "'",
        "‘": "'",
        "`": "'",
        "´": "'",
        "“": '"',
        "”": '"',
        "–": "-",
        "—": "-",
        "−": "-",
        "×": "x",
        "≤": "<",
        "≥": ">",
    }
)
# A plus or minus glued to a word ("hbeag+", "e-") becomes a word of its own.
_WORD_HYPHEN = re.compile(r"(?<=[a-z])-(?=[a-z0-9])|(?<=[0-9])-(?=[a-z])")
_NOT_WITHOUT_APOSTROPHE = re.compile(  # texting: "didnt" as "did not", like "didn't"
    r"\b(did|do|does|is|was|are|were|has|have|had|would|could|should)nt\b"
)
# Misspellings of the words every question relies on ("negetive", "postive", "undetactable").
_MISSPELT = (
    (re.compile(r"\bn[ei]g[aei]?t[aei]?ve?\b"), "negative"),
    (re.compile(r"\bpos{1,2}[aeio]?t[aei]?ve?\b"), "positive"),
    (re.compile(r"\bund[ei]?t?[ae]?c?t?[aei]?ble\b"), "undetectable"),
    # texting shorthand for the words the questions turn on ("cn i stp my medicin")
    (re.compile(r"\bcn\b"), "can"),
    (re.compile(r"\bstp\b"), "stop"),
    (re.compile(r"\bsh(?:ud|ld)\b"), "should"),
    (re.compile(r"\bw[ao]t\b"), "what"),
    (re.compile(r"\bmed[ei]?c[ie]ne?\b"), "medicine"),
)
_GLUED_SIGN = re.compile(r"(?<=[a-z])(?<![0-9]e)([+]+|-(?=\s|$|[,.;!?)]|ve\b))")  # "hbeag-ve" too
# "no the scan was clear": a leading yes/no before a new subject is an answer of its own
# (but "no cirrhosis" is one phrase).
_LEADING_ANSWER = re.compile(
    r"^\s*(?:yes|yeah|yep|yup|no|nope|nah|ok|okay)\b(?=\s+(?:the|it|its|it's|i|i'm|im|my|that|they|he|she|we"
    r"|there|this|his|her|their|not|never|nothing|was|is|did|do|does|have|has|had|still|sadly|unfortunately"
    r"|previous|previously|earlier|before|both|actually|only|just)\b)"
)
# Clause breaks: punctuation and joining words are dropped; "now" starts the next clause (it says
# which result a value is).
_CLAUSE_BREAK = re.compile(
    r"[;!?\n]+|\.(?!\d)|,(?!\d{3}(?!\d))|(?<!\d)\s+-+\s+(?!\d)"  # a spaced dash, not a range "0 - 40"
    r"|\b(?:but|however|although|though|whereas|while|because|and|also|plus|as well as|so(?! far))\b"
    r"|(?=\bnow\b)"
)
_WORD = re.compile(r"[a-z0-9][a-z0-9'+^./<>-]*|[+<>?-]")


def normalise(text: str) -> str:
    """Lower case, plain quotes and dashes, "n't" and "nt" ("didnt") as "not", result words spelt
    right, glued signs split off, numbers in words as digits ("forty five" -> "45"), single spaces."""
    text = unicodedata.normalize("NFKC", text).translate(_SYMBOLS).lower()
    text = _GLUED_SIGN.sub(r" \1", text)
    text = _WORD_HYPHEN.sub(" ", text)  # "week-32", "3-month", "e-antigen" (not "0-40")
    text = _NOT_WITHOUT_APOSTROPHE.sub(r"\1 not", text.replace("n't", " not"))
    for misspelt, word in _MISSPELT:
        text = misspelt.sub(word, text)
    return spell_out_numbers(" ".join(text.split()))


@dataclass(frozen=True)
class Clause:
    """A stretch of the text between clause breaks (punctuation, 'but', 'and', ...)."""

    start: int
    end: int
    text: str
    joined_by_and: bool  # the clause follows "and"/"," (an anchor may carry over into it)


def clauses(text: str) -> list[Clause]:
    """The clauses of normalised text; a leading "yes"/"no" is a clause of its own."""
    leading = _LEADING_ANSWER.match(text)
    breaks = [(m.start(), m.end(), m.group()) for m in _CLAUSE_BREAK.finditer(text)]
    if leading:
        breaks.insert(0, (leading.end(), leading.end(), ","))
    found, position, joiner = [], 0, ""
    for start, end, word in [*breaks, (len(text), len(text), "")]:
        piece = text[position:start]
        if piece.strip():
            found.append(Clause(position, start, piece, joiner.strip() in {"and", ",", "also", "plus"}))
        position, joiner = end, word
    return found


@dataclass(frozen=True)
class Match(Generic[T]):
    start: int
    end: int
    phrase: str
    meaning: T


class Lexicon(Generic[T]):
    """Phrases with a meaning each, found as whole words, the longest phrase first."""

    def __init__(self, meanings: Mapping[str, T]):
        self.meanings = {normalise(phrase): meaning for phrase, meaning in meanings.items()}
        ordered = sorted(self.meanings, key=len, reverse=True)
        alternatives = "|".join(re.escape(phrase).replace(r"\ ", r"\s+") for phrase in ordered)
        self.pattern = re.compile(
            rf"(?<![\w+^<>]){'(?:' + alternatives + ')' if ordered else '(?!)'}(?![\w+^])"
        )

    @classmethod
    def of(cls, groups: Mapping[T, Iterable[str]]) -> Lexicon[T]:
        """A lexicon from meaning -> phrases; a phrase listed twice keeps its first meaning."""
        meanings: dict[str, T] = {}
        for meaning, phrases in groups.items():
            for phrase in phrases:
                meanings.setdefault(phrase, meaning)
        return cls(meanings)

    def find(self, text: str, start: int = 0, end: int | None = None) -> Iterator[Match[T]]:
        end = len(text) if end is None else end
        for found in self.pattern.finditer(text, start, end):
            phrase = " ".join(found.group().split())
            yield Match(found.start(), found.end(), phrase, self.meanings[phrase])

    def first(self, text: str) -> Match[T] | None:
        return next(self.find(text), None)


NEGATIONS = Lexicon.of(
    {
        True: [
            "no",
            "not",
            "never",
            "without",
            "none",
            "nor",
            "neither",
            "hardly",
            "nothing",
            "nobody",
            "cannot",
            "dont",
            "doesnt",
            "didnt",
            "isnt",
            "wasnt",
            "arent",
            "werent",
            "havent",
            "hasnt",
            "hadnt",
            "cant",
            "wont",
            "wouldnt",
            "couldnt",
            "shouldnt",
            "aint",
            "ruled",
        ]
    }
)
_NEGATION_REACH = 4  # words between a negation and what it negates
# "nobody has ever told me I have cirrhosis", "never been diagnosed with it", "nobody else in my
# family has hep b": the report is denied
_REPORTED_NEGATION = re.compile(
    r"\b(?:nobody|nobody's|no one|no 1|noone|no doctor|never|none of)(?!\w)[^.;,]*?"
    r"\b(?:told|said|mentioned|diagnosed|found|showed|shown|has|had|have|got)\b"
)
_BUT = re.compile(r"\b(?:but|though|although|however)\b")


def negated(text: str, start: int, clause_start: int = 0, ignore: Iterable[tuple[int, int]] = ()) -> bool:
    """True when a negation stands among the few words before `start` in the same clause, or the
    clause denies a report of it ("nobody ever told me I have ...").

    Spans in `ignore` (for example "not sure") do not count as negations.
    """
    skipped = list(ignore)
    window_start = clause_start
    words = list(_WORD.finditer(text, clause_start, start))[-(_NEGATION_REACH + 1) :]
    if words:
        window_start = words[0].start()
    for negation in NEGATIONS.find(text, window_start, start):
        if not any(low <= negation.start < high for low, high in skipped):
            return True
    after_but = max([clause_start, *(but.end() for but in _BUT.finditer(text, clause_start, start))])
    reported = _REPORTED_NEGATION.search(text, after_but, min(len(text), start + 8))  # "...has it"
    return reported is not None and reported.start() < start


def words(text: str) -> list[str]:
    """The words of normalised text."""
    return _WORD.findall(text)


def misspelt(word: str, spellings: Mapping[str, T]) -> T | None:
    """The meaning of the one spelling that `word` is a typo of: the same first two letters and one
    edit away, or two from a spelling of 10 letters or more ("entecavar" is entecavir). Words under
    6 letters are no typos here."""
    if not 6 <= len(word) <= 16:
        return None
    found = {
        meaning
        for spelling, meaning in spellings.items()
        if spelling[:2] == word[:2]
        and spelling != word
        and _within_edits(word, spelling, 2 if len(spelling) >= 10 else 1)
    }
    return found.pop() if len(found) == 1 else None


def _within_edits(a: str, b: str, most: int) -> bool:
    """Levenshtein distance of a and b is at most `most` (one row at a time)."""
    if abs(len(a) - len(b)) > most:
        return False
    previous = list(range(len(b) + 1))
    for i, char in enumerate(a, 1):
        current = [i]
        for j, other in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (char != other)))
        if min(current) > most:
            return False
        previous = current
    return previous[-1] <= most
