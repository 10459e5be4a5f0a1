"""Numbers as patients write them: words ("forty five", "a million", "ten to the eighth") and
misspelt units ("copys/ml", "UI/mL"), rewritten into the forms the lab-value parser reads.

`spell_out_numbers` works on normalised text (see `knowledge.phrases.normalise`) in one pass.
"""

from __future__ import annotations

import re

_UNITS = {
    "zero": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
}
_TENS = {
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fourty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}
WORD_VALUES = {**_UNITS, **_TENS}  # "seven" -> 7, "forty" -> 40 (also read by the duration parser)
_SCALES = {"hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000}
_ORDINALS = {
    "first": 1,
    "second": 2,
    "third": 3,
    "fourth": 4,
    "fifth": 5,
    "sixth": 6,
    "seventh": 7,
    "eighth": 8,
    "ninth": 9,
    "tenth": 10,
    "eleventh": 11,
    "twelfth": 12,
}
_NUMBER_WORD = "|".join([*_UNITS, *_TENS, *_SCALES, "a", "an", "and"])
# A run of number words; "a"/"an"/"and" only count inside a run that has a real number word.
_WORD_RUN = re.compile(rf"\b(?:(?:{_NUMBER_WORD})(?:[ -]+|$))+", re.ASCII)
_POWER = re.compile(
    r"\b(\d+(?:\.\d+)?)\s*(?:to the power of|to the power|to the)\s*"
    r"(\d+|" + "|".join(_ORDINALS) + r")(?:st|nd|rd|th)?\b",
    re.ASCII,
)
_HALF = re.compile(r"\bhalf (?:a|an) (million|thousand|billion)\b", re.ASCII)
_UNIT_SPELLINGS = [
    (  # German and Spanish reports too
        re.compile(r"\b(?:cop(?:p)?(?:ies|ys|ie|is|y)|cpoies|cpies|coies|copes|kopien|copias)\b", re.ASCII),
        "copies",
    ),
    (re.compile(r"\b(?:u\.?i\.?|ie)(?=\s*(?:/|per\b))", re.ASCII), "iu"),  # French, Spanish, German reports
    (re.compile(r"\b(?:mls|mil|mili|millilitre|milliliter|millilitres|milliliters)\b", re.ASCII), "ml"),
    (re.compile(r"\biu\s*ml\b", re.ASCII), "iu/ml"),
]


def _run_value(words: list[str]) -> int | None:
    """The number a run of number words spells; None when it spells none ("a", or a lone
    "million" that belongs to a number written in digits)."""
    if not words or words[0] in _SCALES:
        return None
    total, current, seen = 0, 0, False
    for word in words:
        if word in ("a", "an"):
            current = current or 1
        elif word in _UNITS or word in _TENS:
            current, seen = current + _UNITS.get(word, _TENS.get(word, 0)), True
        elif word == "hundred":
            current, seen = (current or 1) * 100, True
        elif word in _SCALES:
            total, current, seen = total + (current or 1) * _SCALES[word], 0, True
    return total + current if seen else None


_ONE_AS_PRONOUN = re.compile(
    r"\s*(?:of|more|thing|too|was|is|are|were|that|which|who|i|you|they|told|said|knows?|"
    r"has|had|before|after|in|on|at|[.,;!?]|$)"
)


def _replace_run(match: re.Match[str]) -> str:
    text = match.group()
    if (
        text.strip() == "one"
        and _ONE_AS_PRONOUN.match(match.string, match.end())
        and match.string.strip() != "one"
    ):
        return text  # "the last one was", "no one told me": not a number
    trailing = text[len(text.rstrip(" -")) :]
    words = [word for word in re.split(r"[ -]+", text) if word]
    kept = list(words)
    while kept and kept[-1] in ("a", "an", "and"):  # "two and a half": "and a" stays
        kept.pop()
    value = _run_value(kept)
    if value is None:
        return text
    return " ".join([str(value), *words[len(kept) :]]) + trailing


_DECADES = re.compile(r"\b(twent|thirt|fort|fourt|fift|sixt|sevent|eight|ninet)ies\b", re.ASCII)


def spell_out_numbers(text: str) -> str:
    """'ten to the eighth copies' -> '10^8 copies'; 'forty five' -> '45'; 'half a million' -> '500000';
    'fifties' -> '50s'."""
    text = _DECADES.sub(lambda m: f"{_TENS[m[1] + 'y']}s", text)
    text = _HALF.sub(lambda m: str(_SCALES[m[1]] // 2), text)
    text = _WORD_RUN.sub(_replace_run, text)
    text = _POWER.sub(lambda m: f"{m[1]}^{_ORDINALS.get(m[2], m[2])}", text)
    for pattern, replacement in _UNIT_SPELLINGS:
        text = pattern.sub(replacement, text)
    return text
