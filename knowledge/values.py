"""Find lab values, durations and other numbers in a patient's normalised text.

Each finder yields `Found` spans: where the value is, its canonical text for the dialogue and the
rule module (or the LabValueError that explains why it was refused). Finders use one linear pass
of a regular expression each; the lab-value parser then reads each span on its own.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

from .labvalues import (
    LabValueError,
    UnitMissingError,
    parse_alt,
    parse_duration_months,
    parse_hbv_dna,
    parse_uln,
)

_NUMBER = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+"
_QUANTITY = (
    rf"(?:{_NUMBER})\s*(?:x|\*)\s*10\s*(?:\^|\*\*)?\s*[+-]?\d+(?:\.\d+)?"  # 2.3 x 10^5
    rf"|10\s*(?:\^|\*\*)\s*[+-]?\d+(?:\.\d+)?"  # 10^5
    rf"|(?:{_NUMBER})\s*e\s*[+-]?\d+\b"  # 2.3e5
    rf"|log(?:10)?\s*(?:{_NUMBER})|(?:{_NUMBER})\s*logs?(?:10)?\b"  # log 5.36, 5.36 log
    rf"|(?:{_NUMBER})\s*(?:thousand|million|billion|k)\b"  # 2 million, 20k
    rf"|(?:{_NUMBER})"
)
_DNA_UNIT = (
    r"(?:iu|ui|i\.u\.|international\s+units?|copies|cps?)"  # "UI/mL" on French and Spanish reports
    r"(?:\s*(?:/|per|a)\s*(?:ml|millilitre|milliliter|l(?:itre|iter)?))?"
)
_LIMIT = r"(?:<|less\s+than|below|under|lower\s+than)"
_UNDETECTABLE = (
    r"undetectable|undetected|not\s+detect(?:ed|able)|non-?detect(?:ed|able)|none\s+detected"
    r"|target\s+not\s+detected|tnd|too\s+low\s+to\s+(?:detect|measure)|below\s+(?:the\s+)?"
    r"(?:detection(?:\s+limit)?|limit(?:\s+of\s+detection)?|lloq|level\s+of\s+detection)"
)
_DNA = re.compile(
    rf"(?P<limit>{_LIMIT}\s*)?(?P<quantity>{_QUANTITY})(?:\s*(?P<unit>{_DNA_UNIT})\b)?"
    rf"|(?P<undetectable>\b(?:{_UNDETECTABLE})\b)(?:\s*(?:,\s*(?={_LIMIT}))?\(?\s*(?:{_LIMIT}\s*)?(?P<under>{_NUMBER})(?!\s*(?:months?|weeks?|years?|days?|mos?|wks?|yrs?)\b)\s*(?:{_DNA_UNIT})?\)?)?",
    re.ASCII,
)
_PER_LITRE = re.compile(r"(?:/|per)\s*l(?:itre|iter)?$", re.ASCII)
_ALT_IN_UNITS = re.compile(
    rf"(?<![\d.^])(?:{_NUMBER})\s*(?:i?u\s*/\s*l|i?u\s+per\s+l(?:itre|iter)?|units?\s+per\s+l(?:itre|iter))\b",
    re.ASCII,
)
_MULTIPLE = re.compile(
    rf"(?P<x>{_NUMBER})\s*(?:x|times|-?fold|time)\s*(?:the\s+|my\s+|its\s+)?(?:uln|upper\s+limit(?:\s+of\s+normal)?"
    r"|upper\s+normal(?:\s+limit)?|normal|limit|the\s+limit|top\s+of\s+normal|ulm|above\s+normal|higher\s+than\s+normal)\b",
    re.ASCII,
)
_RANGE = re.compile(
    rf"(?<![\d.^])(?P<low>{_NUMBER})\s*(?:-|to)\s*(?P<high>{_NUMBER})(?![\d^])(?!\s*(?:months?|years?|weeks?))",
    re.ASCII,
)
_DURATION = re.compile(
    r"\b(?:since|from|started(?:\s+(?:in|on))?|began(?:\s+in)?|start(?:ing)?\s+(?:in|on))\s+"
    r"(?:(?:\d{1,2}(?:st|nd|rd|th)?\s+)?(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?,?\s+(?:of\s+)?\d{4}"
    r"|\d{1,2}\s*[/.-]\s*\d{4}|\d{4}\s*[/.-]\s*\d{1,2}(?:\s*[/.-]\s*\d{1,2})?|\d{4})(?!\d)"
    rf"|(?:(?:{_NUMBER})\s*|\bhalf\s+(?:an?\s+)?|\ban?\s+)(?:and\s+(?:a\s+)?half\s+)?"
    r"(?:years?|yrs?|yeras?|yaers?|months?|mos|mths?|mnths?|monhts?|moths?|weeks?|wks?|days?)\b"
    r"(?:\s+and\s+(?:a\s+)?half\b|\s+and\s+\d+\s+(?:months?|weeks?))?",
    re.ASCII,
)
_MISSPELT_UNITS = [
    (re.compile(r"\b(?:yeras?|yaers?)\b"), "years"),
    (re.compile(r"\b(?:mnths?|monhts?|moths?)\b"), "months"),
]
_GRADE = re.compile(
    r"\bg\s?(?P<g>[0-4])(?:\s?s\s?[0-4])?\b|\bgrade\s*(?P<grade>[0-4])\b|\ba(?P<a>[0-3])\s?f[0-4]\b", re.ASCII
)
_AGE = re.compile(
    r"\b(?:i'?m|i\s+am|im|aged?|age\s*(?:is|:|=)|(?:fe)?male,?|(?:i|he|she|just)\s+turned|turning|she'?s|he'?s|she\s+is|he\s+is|i\s+have"
    r"|(?:dad|father|mum|mom|mother|husband|wife|partner|son|daughter|brother|sister|grandma|grandad|uncle|aunt)\s+is)"
    r"\s+(?:now\s+)?(?P<a>\d{1,3})(?!\s*(?:%|days?|months?|weeks?|years?\s+(?:on|of|since|ago)|u/l|iu|copies|x|times|\.\d))\b"
    r"|\b(?P<b>\d{1,3})\s*(?:years?|yrs?|y)\.?\s*(?:old|of\s+age)\b|\b(?P<c>\d{1,3})\s*(?:yo|y/o|yrs old)\b"
    r"|(?<![\w.])(?P<d>\d{1,3})(?:,?\s+(?:male|female)\b|\s*/\s*(?:m|f|male|female)\b)"  # "39/F" (age/sex)
    r"|\bin\s+my\s+(?P<decade>[2-9]0)'?s\b",
    re.ASCII,
)
_COUNT = re.compile(
    r"(?<![\w.^])(?P<n>\d{1,3})"
    r"(?!\s*(?:-|\s)?(?:months?|monthly|weeks?|weekly|years?|yearly|days?|mos|iu|u/l|copies|log|x|"
    r"times? (?:the|normal|upper)))"
    r"\s+(?:[a-z0-9-]+\s+){0,3}?(?:checks?|check-ups?|checkups?|tests?|blood tests?|bloods|results|times|"
    r"visits|appointments|readings|follow[- ]?ups?|reviews|controls|occasions)\b"
    # "consolidation checks so far: 2", "check-ups: 3"
    r"|\b(?:checks?|check[- ]ups?|checkups?|follow[- ]?ups?)"
    r"(?:\s+(?:so far|since|since then|in total|since [a-z ]{1,30}?))?\s*[:=]\s*"
    r"(?P<after>\d{1,3})(?![\w^/]|\.\d|\s*(?:months?|weeks?|years?|days?|x\b|times))"
    r"|(?<!never )(?<!not )\b(?P<word>once|twice|thrice)\b",  # not "they never once told me"
    re.ASCII,
)
_PLAIN_NUMBER = re.compile(rf"(?<![\w.^])(?P<n>{_NUMBER})(?![\w^]|\.\d)", re.ASCII)


@dataclass(frozen=True)
class Found:
    """A value found in the text: its span, its canonical value (or why it was refused)."""

    start: int
    end: int
    text: str
    value: Any = None
    error: LabValueError | None = None


def _number(value: float) -> str:
    return f"{value:,.0f}" if value >= 1000 else f"{value:g}"


def canonical_dna(text: str) -> str:
    """The canonical text of a viral load ('10,000,000 IU/mL', '<20 IU/mL'), or LabValueError."""
    dna = parse_hbv_dna(text)
    if dna.undetectable:
        return f"<{_number(dna.iu_per_ml)} IU/mL"
    if dna.source_unit == "copies/mL":
        return f"{_number(dna.copies_per_ml)} copies/mL"
    return f"{_number(dna.iu_per_ml)} IU/mL"


def canonical_alt(text: str) -> str:
    """'120 U/L', '120 U/L (ref 0-40)', '3 x ULN' or 'normal'; raises LabValueError."""
    alt = parse_alt(text)
    if alt.u_per_l is not None:
        reference = f" (ref 0-{_number(alt.uln)})" if alt.uln is not None else ""
        return f"{_number(alt.u_per_l)} U/L{reference}"
    return f"{alt.x_uln:g} x ULN" if alt.x_uln is not None else "normal"


def _found(match: re.Match[str], read: Any, text: str | None = None) -> Found:
    span_text = match.group() if text is None else text
    try:
        return Found(match.start(), match.end(), span_text, read(span_text))
    except LabValueError as error:
        return Found(match.start(), match.end(), span_text, error=error)


def viral_loads(text: str) -> Iterator[Found]:
    """Viral loads: a number with an IU/mL or copies/mL unit, or an undetectable result (its
    limit in IU/mL when no unit is given). Numbers without a unit: see `bare_dna`."""
    for match in _DNA.finditer(text):
        if (match["quantity"] and not match["unit"] and not match["limit"]) or _PER_LITRE.search(
            match["unit"] or ""
        ):
            continue  # a number without a unit, or per litre (ALT)
        if match["undetectable"]:
            unit = re.search(_DNA_UNIT, match.group()[match.start("under") - match.start() :])
            limit = f"<{match['under']} {unit.group() if unit else 'IU/mL'}"
            yield _found(match, canonical_dna, limit if match["under"] else "undetectable")
        else:
            yield _found(match, canonical_dna)


def has_dna_unit(text: str) -> bool:
    return re.search(rf"\b{_DNA_UNIT}", text) is not None


def bare_dna(text: str) -> Iterator[Found]:
    """Numbers that may be viral loads though their unit is missing (then asked for) or wrong."""
    for match in _DNA.finditer(text):
        if match["quantity"] and (not match["unit"] or _PER_LITRE.search(match["unit"])):
            yield _found(match, canonical_dna)


def alts_in_units(text: str) -> Iterator[Found]:
    """ALT values written with their unit: '85 U/L', '85 iu/l'."""
    for match in _ALT_IN_UNITS.finditer(text):
        yield _found(match, canonical_alt)


def alt_multiples(text: str) -> Iterator[Found]:
    """'2.5 times the upper limit', '3x ULN': ALT as a multiple of the upper limit."""
    for match in _MULTIPLE.finditer(text):
        yield _found(match, canonical_alt, f"{match['x']} x ULN")


def ranges(text: str) -> Iterator[Found]:
    """Reference ranges such as '0-40' or '7 to 56' (the upper end is the limit)."""
    for match in _RANGE.finditer(text):
        yield _found(match, lambda span: _number(parse_uln(re.sub(r"\s*to\s*", "-", span))))


def numbers(text: str) -> Iterator[Found]:
    """Plain numbers (no unit, not part of a larger value)."""
    for match in _PLAIN_NUMBER.finditer(text):
        yield Found(match.start(), match.end(), match["n"], float(match["n"].replace(",", "")))


def alt_value(text: str) -> str:
    """Canonical ALT for a number or phrase read after an ALT anchor ('85' -> '85 U/L')."""
    return canonical_alt(text)


def uln_value(text: str) -> str:
    return _number(parse_uln(text))


def durations(text: str, today: date) -> Iterator[Found]:
    """Durations and start dates: '18 months', 'a year and a half', 'since March 2023'."""
    for match in _DURATION.finditer(text):
        span = match.group()
        for pattern, spelling in _MISSPELT_UNITS:
            span = pattern.sub(spelling, span)
        yield _found(match, lambda raw: canonical_duration(raw, today), span)


def canonical_duration(text: str, today: date) -> str:
    """'48 weeks' stays in weeks (a peginterferon course counts them); others in months."""
    months = parse_duration_months(text, today)
    if re.fullmatch(r"\s*[\d.,]+\s*(?:weeks?|wks?)\s*", text):
        return f"{float(text.split()[0].replace(',', '').rstrip('wks')):g} weeks"
    return f"{round(months, 2):g} months"


def counts(text: str) -> Iterator[Found]:
    """How many check-ups: '2 checks', '3 normal blood tests', 'twice'."""
    words = {"once": 1, "twice": 2, "thrice": 3}
    for match in _COUNT.finditer(text):
        yield Found(
            match.start(),
            match.end(),
            match.group(),
            words[match["word"]] if match["word"] else int(match["n"] or match["after"]),
        )


def grades(text: str) -> Iterator[Found]:
    """Biopsy inflammation grades: 'G2', 'grade 2', 'G2S1', 'A2F1'."""
    for match in _GRADE.finditer(text):
        yield Found(
            match.start(), match.end(), match.group(), f"G{match['g'] or match['grade'] or match['a']}"
        )


def ages(text: str) -> Iterator[Found]:
    """Ages: "I'm 45", "she's 45", '45 years old', '45 years of age', 'i have 45 years', 'aged 45',
    'in my fifties' (the middle of the decade)."""
    for match in _AGE.finditer(text):
        if match["decade"]:
            yield Found(match.start(), match.end(), match.group(), int(match["decade"]) + 5)
        else:
            yield Found(
                match.start(),
                match.end(),
                match.group(),
                int(match["a"] or match["b"] or match["c"] or match["d"]),
            )


def unit_missing(found: Found) -> bool:
    return isinstance(found.error, UnitMissingError)
