"""Read lab values and durations as patients type them.

Each parser takes a number or free text and returns a frozen dataclass or a float. Anything
implausible or ambiguous raises :class:`LabValueError`, which says what was understood and what
is expected; nothing is guessed.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from typing import NamedTuple

from .data import CONSTANTS, LIMITS
from .numbers import WORD_VALUES

IU = "IU/mL"
COPIES = "copies/mL"
Value = str | int | float


class LabValueError(ValueError):
    """A refused value: ``understood`` is what was read (None if nothing), ``expected`` what is needed.

    ``field`` names the input field when the value came from one (None otherwise).
    """

    def __init__(self, understood: str | None, expected: str, field: str | None = None):
        super().__init__(understood, expected)
        self.understood = understood
        self.expected = expected
        self.field = field

    def __str__(self) -> str:
        understood = self.understood if self.understood is not None else "nothing usable"
        return f"understood {understood}; expected {self.expected}"


class UnitMissingError(LabValueError):
    """A number without a unit: ask the patient which unit (``value`` is the number read)."""

    def __init__(self, value: float, expected: str, field: str | None = None):
        super().__init__(f"the number {_show(value)} without a unit", expected, field)
        self.value = value


# ---------------------------------------------------------------- shared text handling

_SUPERSCRIPT_RUN = re.compile("[⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻]+")
_SUPERSCRIPT_DIGITS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻", "0123456789+-")
_SYMBOLS = str.maketrans(
    {"×": "x", "·": "x", "⋅": "x", "−": "-", "–": "-", "—": "-", "≤": "<", "≥": ">", "’": "'", "½": ".5"}
)
_NUMBER = r"(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.[0-9]+)?|\.[0-9]+"
_ANY_NUMBER = re.compile(_NUMBER)
_FLAGS = re.ASCII


def _normalise(text: str) -> str:
    """Lower-case, plain ASCII-like symbols, superscript exponents as '^n', single spaces."""
    text = _SUPERSCRIPT_RUN.sub(lambda m: "^" + m.group().translate(_SUPERSCRIPT_DIGITS), text)
    text = unicodedata.normalize("NFKC", text.translate(_SYMBOLS)).lower()
    return " ".join(text.split())


def _to_float(number: str) -> float:
    return float(number.replace(",", ""))


def _show(value: float) -> str:
    if not math.isfinite(value):
        return "an endless number"
    if abs(value) < 1e6:
        return f"{value:,.6g}"
    mantissa, exponent = f"{value:.3e}".split("e")
    return f"{float(mantissa):g} x 10^{int(exponent)}"


def _number_input(value: object, what: str) -> float | None:
    """A JSON number as a finite float, None for text; refuse anything else."""
    if isinstance(value, str):
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise LabValueError(f"a value of type {type(value).__name__}", f"{what} as a number or text")
    try:
        number = float(value)
    except OverflowError:
        number = math.inf
    if not math.isfinite(number):
        raise LabValueError("a number that is not finite", f"a plausible {what}")
    return number


def _refuse_negative(number: float, what: str) -> None:
    if number < 0:
        raise LabValueError(f"a negative number ({_show(number)})", f"a value of 0 or more for the {what}")


def _preceded_by_minus(text: str, position: int) -> bool:
    return re.search(r"(?:^|[^a-z0-9])-\s*$", text[:position], _FLAGS) is not None


def _too_many(numbers: list[str], expected: str) -> LabValueError:
    return LabValueError(f"several numbers ({', '.join(numbers)})", expected)


# ---------------------------------------------------------------- HBV DNA


@dataclass(frozen=True)
class HbvDna:
    """A viral load in IU/mL. When ``undetectable``, ``iu_per_ml`` is the assay's lower limit."""

    iu_per_ml: float
    undetectable: bool
    source_unit: str
    text: str

    @property
    def copies_per_ml(self) -> float:
        """The value in copies/mL with the usual conversion factor."""
        return self.iu_per_ml * float(CONSTANTS["copies_per_iu"])

    @property
    def log10_iu(self) -> float:
        return math.log10(self.iu_per_ml)

    def is_borderline(self, threshold_copies: float) -> bool:
        """True when a copies/mL threshold lies within the assay conversion range of an IU/mL value."""
        low, high = CONSTANTS["copies_per_iu_range"]
        return self.source_unit == IU and self.iu_per_ml * low <= threshold_copies <= self.iu_per_ml * high


_DNA_EXPECTED = "a viral load such as '2.3 x 10^5 IU/mL', '5.36 log IU/mL', '<20 IU/mL' or 'undetectable'"
_DNA_QUANTITY = re.compile(
    rf"\blog(?:10)?\s*[:=]?\s*(?P<log_before>{_NUMBER})"
    rf"|(?P<log_after>{_NUMBER})\s*logs?(?:10)?\b"
    rf"|(?:(?P<mantissa>{_NUMBER})\s*[x*]\s*|(?<![0-9.]))10\s*(?:\^|\*\*)\s*(?P<exponent>[+-]?[0-9]+(?:\.[0-9]+)?)"
    rf"|(?P<e_mantissa>{_NUMBER})e(?P<e_exponent>[+-]?[0-9]+)(?![0-9])"
    rf"|(?P<plain>{_NUMBER})(?:\s*(?P<multiplier>thousand|million|billion|k)\b)?",
    _FLAGS,
)
_MULTIPLIERS = {None: 1.0, "k": 1e3, "thousand": 1e3, "million": 1e6, "billion": 1e9}
_UNDETECTABLE = re.compile(
    r"\bundetect|\bnon[- ]?detect|\bnot\s+detect|\bnone\s+detected\b|\bnegative\b|\btnd\b"
    r"|\bbelow\s+(?:the\s+)?(?:lower\s+)?(?:limit|detection|detectable|quantification|quantifiable)"
    r"|\blloq\b|\blod\b",
    _FLAGS,
)
_LIMIT_BEFORE = re.compile(
    r"(?:<|\bless\s+than|\bbelow|\bunder|\blimit(?:\s+of)?|\blloq|\blod|\bdetection)\s*[:=]?\s*$", _FLAGS
)
_ABOVE_BEFORE = re.compile(r"(?:>|\bmore\s+than|\bgreater\s+than|\babove|\bover)\s*$", _FLAGS)
_IU_UNIT = re.compile(r"\b(?:iu|ui|i\.u\.?|international\s+units?)(?![a-z])", _FLAGS)
_COPIES_UNIT = re.compile(r"\b(?:cop(?:y|ies)|cps?)(?![a-z])", _FLAGS)
_PER_LITRE = re.compile(r"(?:/|\bper\s+)\s*(?:l|litre|liter)\b", _FLAGS)
_ANTIGEN = re.compile(r"\bhb[esc]\s*ag\b|\b(?:e|s|surface|core)[- ]?antigen|\banti-?hb", _FLAGS)


def _quantity_value(match: re.Match[str]) -> float:
    try:
        if match["log_before"] or match["log_after"]:
            return 10 ** _to_float(match["log_before"] or match["log_after"])
        if match["exponent"] or match["e_mantissa"]:
            mantissa = (match["mantissa"] or match["e_mantissa"] or "1").replace(",", "")
            exponent = match["exponent"] or match["e_exponent"]
            if "." in exponent:
                return float(mantissa) * 10 ** float(exponent)
            return float(f"{mantissa}e{exponent}")
        return _to_float(match["plain"]) * _MULTIPLIERS[match["multiplier"]]
    except OverflowError:
        return math.inf


def _dna_unit(text: str, number: float) -> str:
    if _PER_LITRE.search(text):
        raise LabValueError("a unit per litre (used for ALT)", "HBV DNA in IU/mL or copies/mL")
    units = {unit for unit, pattern in ((IU, _IU_UNIT), (COPIES, _COPIES_UNIT)) if pattern.search(text)}
    if len(units) > 1:
        raise LabValueError("both IU/mL and copies/mL", "one unit, IU/mL or copies/mL")
    if not units:
        raise UnitMissingError(number, "the unit of the viral load: IU/mL or copies/mL")
    return units.pop()


def _checked_dna(number: float, unit: str, undetectable: bool, text: str) -> HbvDna:
    if number <= 0:
        raise LabValueError(f"a viral load of {_show(number)}", "a value above 0, or 'undetectable'")
    iu = number if unit == IU else number / CONSTANTS["copies_per_iu"]
    if iu <= 0:  # "3e-324 copies" is 0 IU/mL in floating point
        raise LabValueError(f"a viral load of {_show(number)} {unit}", "a value above 0, or 'undetectable'")
    if iu > LIMITS["hbv_dna_max_iu"]:
        raise LabValueError(
            f"a viral load of {_show(number)} {unit}",
            f"at most {_show(LIMITS['hbv_dna_max_iu'])} IU/mL; please check the number and its unit",
        )
    return HbvDna(iu, undetectable, unit, text)


def parse_hbv_dna(value: Value) -> HbvDna:
    """Read an HBV DNA result. Plain numbers are IU/mL; text needs a unit (else UnitMissingError).

    Accepts scientific ('2.3 x 10^5', '2.3×10⁵', '2.3e5'), plain ('230,000'), log ('5.36 log',
    'log10 5.36') forms in IU/mL or copies/mL, and undetectable results ('<20 IU/mL',
    'undetectable', 'TND', '<LLOQ'; without a number the limit is 20 IU/mL).
    """
    number = _number_input(value, "viral load")
    if number is not None:
        _refuse_negative(number, "viral load")
        return _checked_dna(number, IU, False, str(value))
    text = _normalise(str(value))
    if _ANTIGEN.search(text):
        raise LabValueError(f"an antigen result ('{value}')", f"the HBV DNA result: {_DNA_EXPECTED}")
    quantities = list(_DNA_QUANTITY.finditer(text))
    undetectable_word = _UNDETECTABLE.search(text)
    if len(quantities) > 1:
        raise _too_many([q.group() for q in quantities], f"one value: {_DNA_EXPECTED}")
    if not quantities:
        if undetectable_word:
            return HbvDna(float(CONSTANTS["undetectable_limit_iu"]), True, IU, str(value))
        raise LabValueError(f"no number in '{value}'", _DNA_EXPECTED)
    quantity = quantities[0]
    before = text[: quantity.start()]
    number = _quantity_value(quantity)
    if not math.isfinite(number):
        raise LabValueError("an endless number", f"a plausible viral load: {_DNA_EXPECTED}")
    if _ABOVE_BEFORE.search(before):
        raise LabValueError(f"more than {_show(number)}", "the exact value from the lab report")
    is_limit = _LIMIT_BEFORE.search(before) is not None
    if undetectable_word and not is_limit:
        raise LabValueError(
            f"both '{undetectable_word.group()}' and the value {_show(number)}",
            "either a measured value or an undetectable result such as '<20 IU/mL'",
        )
    if _preceded_by_minus(text, quantity.start()):
        _refuse_negative(-number, "viral load")
    return _checked_dna(number, _dna_unit(text, number), is_limit, str(value))


# ---------------------------------------------------------------- ALT and its upper limit


class UlnRatio(NamedTuple):
    """ALT as a multiple of the upper limit of normal, and whether the default limit was used."""

    x: float | None
    default_uln_used: bool


@dataclass(frozen=True)
class Alt:
    """An ALT result. ``normal`` is True when reported as normal or at most its upper limit."""

    u_per_l: float | None
    uln: float | None
    x_uln: float | None
    normal: bool

    def times_uln(self, uln: float | None = None) -> UlnRatio:
        """x = ALT / ULN, with ULN from `uln`, else the report's own limit, else the default (40 U/L)."""
        if self.u_per_l is None:
            return UlnRatio(self.x_uln, False)
        limit = uln if uln is not None else self.uln
        if limit is None:
            return UlnRatio(self.u_per_l / CONSTANTS["default_alt_uln"], True)
        return UlnRatio(self.u_per_l / limit, False)


_ALT_EXPECTED = "an ALT value such as '85 U/L', 'ALT 85 (ref 0-40)', '2.5 times the upper limit' or 'normal'"
_X_ULN = re.compile(
    rf"(?P<x>{_NUMBER})\s*(?:x|times|-?fold)\s*(?:the\s+)?"
    r"(?:uln|upper\s+limit(?:\s+of\s+normal)?|upper\s+normal(?:\s+limit)?|normal)\b",
    _FLAGS,
)
_REFERENCE = re.compile(
    r"(?:\b(?:ref(?:erence)?(?:\s+range)?|normal(?:\s+range)?|range|uln|upper\s+limit(?:\s+of\s+normal)?"
    r"|up\s+to)\b\s*(?:is\s+)?[:=]?\s*<?\s*"
    rf"|(?<![0-9.])(?=(?:{_NUMBER})\s*-\s*(?:{_NUMBER}))|\(\s*<\s*)"
    rf"(?:(?P<low>{_NUMBER})\s*-\s*)?(?P<high>{_NUMBER})",
    _FLAGS,
)
_SAID_NORMAL = re.compile(r"\bnormal\b|\bwnl\b", _FLAGS)
_SAID_ABNORMAL = re.compile(r"\b(?:not|abnormal|above|over|high|higher|raised|elevated|increased)\b", _FLAGS)
_WRONG_ALT_UNIT = re.compile(r"/\s*ml\b|\bcop(?:y|ies)\b|kat\b|mmol|\bmg\b", _FLAGS)


def _checked_uln(uln: float, text: str) -> float:
    low, high = LIMITS["alt_uln"]
    if not low <= uln <= high:
        raise LabValueError(
            f"an upper limit of normal of {_show(uln)} U/L in '{text}'",
            f"an upper limit between {low} and {high} U/L",
        )
    return uln


def _checked_alt(u_per_l: float | None, uln: float | None, x_uln: float | None) -> Alt:
    if u_per_l is not None:
        _refuse_negative(u_per_l, "ALT")
        if u_per_l > LIMITS["alt_max_u_per_l"]:
            raise LabValueError(
                f"an ALT of {_show(u_per_l)} U/L", f"at most {LIMITS['alt_max_u_per_l']:,} U/L"
            )
        if uln is not None:
            x_uln = u_per_l / uln
    if x_uln is not None:
        _refuse_negative(x_uln, "multiple of the upper limit")
        if x_uln > LIMITS["alt_x_uln"][1]:
            raise LabValueError(
                f"ALT at {_show(x_uln)} times the upper limit",
                f"at most {LIMITS['alt_x_uln'][1]} times the upper limit",
            )
    return Alt(u_per_l, uln, x_uln, x_uln is not None and x_uln <= 1)


def _reference(text: str, original: str) -> tuple[str, float | None]:
    """Take a reference range or upper limit out of the text; return the rest and the limit."""
    references = list(_REFERENCE.finditer(text))
    if not references:
        return text, None
    if len(references) > 1:
        raise _too_many([r.group() for r in references], "one ALT value and at most one reference range")
    reference = references[0]
    high = _to_float(reference["high"])
    if reference["low"] is not None and _to_float(reference["low"]) >= high:
        raise LabValueError(f"the range '{reference.group()}'", "a range such as '0-40'")
    return text[: reference.start()] + " " + text[reference.end() :], _checked_uln(high, original)


def parse_alt(value: Value) -> Alt:
    """Read an ALT result: U/L ('85', '85 IU/L', 'ALT 85 (ref 0-40)', 'ALT 85, upper limit 40'),
    a multiple of the upper limit ('2.5 times normal', '2.5x ULN') or 'normal'."""
    number = _number_input(value, "ALT")
    if number is not None:
        return _checked_alt(number, None, None)
    text = _normalise(str(value))
    if _WRONG_ALT_UNIT.search(text):
        raise LabValueError(f"a unit that is not U/L in '{value}'", _ALT_EXPECTED)
    multiple = _X_ULN.search(text)
    if multiple:
        others = _ANY_NUMBER.findall(text[: multiple.start()] + text[multiple.end() :])
        if others:
            raise _too_many([multiple["x"], *others], _ALT_EXPECTED)
        if _preceded_by_minus(text, multiple.start()):
            _refuse_negative(-_to_float(multiple["x"]), "multiple of the upper limit")
        return _checked_alt(None, None, _to_float(multiple["x"]))
    rest, uln = _reference(text, str(value))
    numbers = list(_ANY_NUMBER.finditer(rest))
    if not numbers:
        if _SAID_NORMAL.search(text) and not _SAID_ABNORMAL.search(text) and uln is None:
            return Alt(None, None, None, True)
        raise LabValueError(f"no ALT number in '{value}'", _ALT_EXPECTED)
    if len(numbers) > 1:
        raise _too_many([n.group() for n in numbers], _ALT_EXPECTED)
    alt = _to_float(numbers[0].group())
    if _preceded_by_minus(rest, numbers[0].start()):
        alt = -alt
    return _checked_alt(alt, uln, None)


def parse_uln(value: Value) -> float:
    """Read the lab's upper limit of normal for ALT in U/L: '40', 'upper limit 40', '0-40', '40 U/L'."""
    number = _number_input(value, "upper limit of normal")
    if number is not None:
        return _checked_uln(number, str(value))
    text = _normalise(str(value))
    rest, uln = _reference(text, str(value))
    numbers = _ANY_NUMBER.findall(rest)
    if uln is None and len(numbers) == 1:
        if _preceded_by_minus(rest, rest.index(numbers[0])):
            _refuse_negative(-_to_float(numbers[0]), "upper limit")
        return _checked_uln(_to_float(numbers[0]), str(value))
    if uln is not None and not numbers:
        return uln
    expected = "one upper limit such as '40', '0-40' or 'upper limit 40'"
    raise LabValueError(f"'{value}'" if numbers else f"no number in '{value}'", expected)


# ---------------------------------------------------------------- durations

_WORD_NUMBERS = WORD_VALUES  # "two years", "forty-eight weeks"
_COMPOUND_NUMBER = re.compile(
    r"\b(twenty|thirty|forty|fifty)[\s-]+(one|two|three|four|five|six|seven|eight|nine)\b"
)
_WORD_NUMBER = re.compile(r"\b(" + "|".join(_WORD_NUMBERS) + r")\b")
_AND_HALF = r"and\s+(?:a\s+)?half"
_DURATION = re.compile(
    rf"(?:(?P<number>{_NUMBER})\s*|(?P<half>\bhalf\s+(?:an?\s+)?)|(?P<article>\ban?\s+))"
    rf"(?P<half_before>{_AND_HALF}\s+)?"
    r"(?P<unit>years?|yrs?|months?|mos?|mths?|weeks?|wks?|days?|[ymwd])\b"
    rf"(?P<half_after>\s+{_AND_HALF}\b)?",
    _FLAGS,
)
_UNIT_WORDS = re.compile(r"\b(?:years?|yrs?|months?|mos?|mths?|weeks?|wks?|days?|half)\b", _FLAGS)
_UNDERSTATED = re.compile(
    r"(?:\bless\s+than|\bunder|\balmost|\bnearly|\bnot\s+(?:yet|quite)|\bup\s+to|\bat\s+most|\bfewer\s+than|<)\s*$",
    _FLAGS,
)
_MONTHS = {
    "jan": 1,
    "feb": 2,
    "mar": 3,
    "apr": 4,
    "may": 5,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "oct": 10,
    "nov": 11,
    "dec": 12,
}
_SINCE = re.compile(
    r"\b(?:since|from|start(?:ed|ing)?(?:\s+(?:in|on))?|beg[au]n(?:\s+in)?)\s+(?:"
    r"(?:(?P<day>[0-9]{1,2})(?:st|nd|rd|th)?\s+)?"
    r"(?P<month_name>jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?,?\s+(?:of\s+)?(?P<year>[0-9]{4})"
    r"|(?P<month_first>[0-9]{1,2})\s*[/.-]\s*(?P<year_last>[0-9]{4})"
    r"|(?P<year_first>[0-9]{4})\s*[/.-]\s*(?P<month_last>[0-9]{1,2})(?:\s*[/.-]\s*(?P<day_last>[0-9]{1,2}))?"
    r"|(?P<year_only>[0-9]{4}))(?![0-9])",
    _FLAGS,
)
_UNIT_MONTHS: dict[str, float] = {
    "y": 12.0,
    "m": 1.0,
    "w": 7 / CONSTANTS["days_per_month"],
    "d": 1 / CONSTANTS["days_per_month"],
}
_DURATION_EXPECTED = (
    "a duration such as '18 months', '2 years', 'a year and a half', '48 weeks' or 'since March 2023'"
)


def _words_to_digits(text: str) -> str:
    text = _COMPOUND_NUMBER.sub(lambda m: str(_WORD_NUMBERS[m[1]] + _WORD_NUMBERS[m[2]]), text)
    return _WORD_NUMBER.sub(lambda m: str(_WORD_NUMBERS[m[1]]), text)


def _checked_months(months: float, understood: str) -> float:
    low, high = LIMITS["months"]
    if not low <= months <= high:
        raise LabValueError(understood, f"a duration between {low} and {high} months ({high // 12} years)")
    return months


def _months_since(match: re.Match[str], today: date) -> float:
    """Months from a start date to today. A year alone counts from its December (never overstated)."""
    year = int(match["year"] or match["year_last"] or match["year_first"] or match["year_only"])
    if match["month_name"]:
        month = _MONTHS[match["month_name"]]
    else:
        month = int(match["month_first"] or match["month_last"] or 12)
    day = match["day"] or match["day_last"]
    understood = f"'{match.group()}'"
    if not 1 <= month <= 12 or year < today.year - LIMITS["months"][1] // 12 - 1:
        raise LabValueError(understood, "a real start date within the last 50 years")
    if match["year_only"] and year == today.year:
        raise LabValueError(f"a start this year ({year})", "the month too, for example 'since March 2023'")
    if day:
        try:
            start = date(year, month, int(day))
        except ValueError:
            raise LabValueError(understood, "a real calendar date") from None
        if start > today:
            raise LabValueError(f"a start date in the future ({start.isoformat()})", "a date in the past")
        return (today - start).days / float(CONSTANTS["days_per_month"])
    if (year, month) > (today.year, today.month):
        raise LabValueError(f"a start date in the future ('{match.group()}')", "a date in the past")
    return float((today.year - year) * 12 + today.month - month)


def _component_months(match: re.Match[str]) -> float | None:
    """Months in one '<amount> <unit>' part, None when it is not a duration ('a m')."""
    unit = match["unit"]
    if len(unit) == 1 and match["number"] is None:
        return None
    if match["number"] is not None:
        amount = _to_float(match["number"])
    else:
        amount = 0.5 if match["half"] else 1.0
    if match["half_before"] or match["half_after"]:
        amount += 0.5
    return amount * _UNIT_MONTHS[unit[0]]


_WEEKS_ONLY = re.compile(r"\s*([0-9]+(?:\.[0-9]+)?)\s*(?:weeks?|wks?)\s*", _FLAGS)


def duration_in_weeks(value: object) -> float | None:
    """The number of weeks when a duration is given in weeks only ('48 weeks'), else None."""
    match = _WEEKS_ONLY.fullmatch(_normalise(value)) if isinstance(value, str) else None
    return float(match[1]) if match else None


def parse_duration_months(value: Value, today: date) -> float:
    """Read a duration in months. Numbers are months; text: '2 years', '1.5 years', 'a year and a
    half', '18 months', '6 mo', '48 weeks', 'since March 2023', 'since 03/2023', 'since 2021'.

    'Since <month> <year>' counts calendar months up to `today`; a year alone counts from its
    December, so the figure is never overstated.
    """
    number = _number_input(value, "duration")
    if number is not None:
        return _checked_months(number, f"{_show(number)} months")
    text = _words_to_digits(_normalise(str(value)))
    since = _SINCE.search(text)
    if since:
        rest = text[: since.start()] + " " + text[since.end() :]
        if _ANY_NUMBER.search(rest):
            raise LabValueError(
                f"a start date and other numbers in '{value}'", "either a start date or a duration"
            )
        return _checked_months(_months_since(since, today), f"a start {since.group()}")
    total, rest, found = 0.0, text, False
    for match in _DURATION.finditer(text):
        months = _component_months(match)
        if months is None:
            continue
        if _UNDERSTATED.search(text[: match.start()]):
            raise LabValueError(
                f"less than {match.group().strip()}", "the actual duration, so it is not overstated"
            )
        total, found = total + months, True
        rest = rest.replace(match.group(), " ", 1)
    leftover = _ANY_NUMBER.findall(rest) or _UNIT_WORDS.findall(rest)
    if not found or leftover:
        understood = f"'{value}'" + (
            f" with unclear part(s): {', '.join(leftover)}" if leftover and found else ""
        )
        numbers = _ANY_NUMBER.findall(text)
        if not found and len(numbers) == 1 and not _UNIT_WORDS.search(text):
            raise UnitMissingError(_to_float(numbers[0]), "the unit: months, years or weeks")
        raise LabValueError(understood, _DURATION_EXPECTED)
    return _checked_months(total, f"{_show(total)} months")
