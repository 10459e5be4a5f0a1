"""The lab-value parser: every accepted form, and refusals that say what was understood."""

from __future__ import annotations

from datetime import date

import pytest

from knowledge import (
    LabValueError,
    UnitMissingError,
    parse_alt,
    parse_duration_months,
    parse_hbv_dna,
    parse_uln,
)

TODAY = date(2025, 11, 22)


def approx(value: float) -> object:
    return pytest.approx(value, rel=1e-9)


# ---------------------------------------------------------------- HBV DNA


@pytest.mark.parametrize(
    "text, iu_per_ml, unit",
    [
        pytest.param("2.3 x 10^5 IU/mL", 2.3e5, "IU/mL", id="times-caret"),
        pytest.param("2.3×10⁵ IU/mL", 2.3e5, "IU/mL", id="unicode-superscript"),
        pytest.param("2.3*10^5 IU/mL", 2.3e5, "IU/mL", id="asterisk"),
        pytest.param("2.3x10^5 iu/ml", 2.3e5, "IU/mL", id="no-spaces-lower-case"),
        pytest.param("2.3e5 IU/ml", 2.3e5, "IU/mL", id="e-notation"),
        pytest.param("2.3E+05 IU/mL", 2.3e5, "IU/mL", id="e-notation-upper"),
        pytest.param("230,000 IU/mL", 2.3e5, "IU/mL", id="thousands-comma"),
        pytest.param("230000 IU/mL", 2.3e5, "IU/mL", id="plain"),
        pytest.param("10^7 IU/mL", 1e7, "IU/mL", id="bare-power"),
        pytest.param("5.36 log IU/mL", 10**5.36, "IU/mL", id="log-after"),
        pytest.param("log 5.36 IU/mL", 10**5.36, "IU/mL", id="log-before"),
        pytest.param("5.36 log10 IU/mL", 10**5.36, "IU/mL", id="log10-after"),
        pytest.param("log10 5.36 IU/mL", 10**5.36, "IU/mL", id="log10-before"),
        pytest.param("5.6 copies/mL", 1.0, "copies/mL", id="copies"),
        pytest.param("560 COPIES/ML", 100.0, "copies/mL", id="copies-upper-case"),
        pytest.param("560 copies per ml", 100.0, "copies/mL", id="copies-per-ml"),
        pytest.param("560 cp/mL", 100.0, "copies/mL", id="cp"),
        pytest.param("560 copies", 100.0, "copies/mL", id="copies-bare"),
        pytest.param("my viral load was 2.3x10^5 IU/mL last week", 2.3e5, "IU/mL", id="surrounding-words"),
        pytest.param("2 million IU/mL", 2e6, "IU/mL", id="million"),
    ],
)
def test_hbv_dna_forms(text: str, iu_per_ml: float, unit: str) -> None:
    dna = parse_hbv_dna(text)
    assert (dna.iu_per_ml, dna.source_unit, dna.undetectable, dna.text) == (
        approx(iu_per_ml),
        unit,
        False,
        text,
    )


@pytest.mark.parametrize(
    "text, limit_iu",
    [
        pytest.param("<20 IU/mL", 20, id="below-20"),
        pytest.param("< 10 IU/ml", 10, id="below-10"),
        pytest.param("<500 copies/mL", 500 / 5.6, id="below-copies"),
        pytest.param("less than 20 IU/mL", 20, id="less-than"),
        pytest.param("undetectable", 20, id="undetectable"),
        pytest.param("Undetectable (<15 IU/mL)", 15, id="undetectable-with-limit"),
        pytest.param("not detected", 20, id="not-detected"),
        pytest.param("negative", 20, id="negative"),
        pytest.param("TND", 20, id="tnd"),
        pytest.param("target not detected", 20, id="target-not-detected"),
        pytest.param("below the limit", 20, id="below-the-limit"),
        pytest.param("below the limit of 10 IU/mL", 10, id="below-the-limit-of"),
        pytest.param("below detection", 20, id="below-detection"),
        pytest.param("<LLOQ", 20, id="lloq"),
    ],
)
def test_undetectable_forms_use_the_lower_limit(text: str, limit_iu: float) -> None:
    dna = parse_hbv_dna(text)
    assert dna.undetectable and dna.iu_per_ml == approx(limit_iu)


@pytest.mark.parametrize("number", [2000, 2000.0, 0.5])
def test_plain_numbers_are_iu_per_ml(number: float) -> None:
    dna = parse_hbv_dna(number)
    assert (dna.iu_per_ml, dna.source_unit) == (number, "IU/mL")


def test_copies_conversion() -> None:
    assert parse_hbv_dna("1000 IU/mL").copies_per_ml == approx(5600)
    assert parse_hbv_dna("5600 copies/mL").iu_per_ml == approx(1000)


@pytest.mark.parametrize(
    "text, threshold, borderline",
    [
        pytest.param("2 x 10^6 IU/mL", 1e7, True, id="iu-within-range-above"),
        pytest.param("1.75 x 10^6 IU/mL", 1e7, True, id="iu-within-range-below"),
        pytest.param("1.7 x 10^6 IU/mL", 1e7, False, id="iu-below-range"),
        pytest.param("3 x 10^6 IU/mL", 1e7, False, id="iu-above-range"),
        pytest.param("1.01 x 10^7 copies/mL", 1e7, False, id="copies-never-borderline"),
    ],
)
def test_borderline_against_a_copies_threshold(text: str, threshold: float, borderline: bool) -> None:
    assert parse_hbv_dna(text).is_borderline(threshold) is borderline


@pytest.mark.parametrize("text", ["2.3 x 10^5", "230000", "5.36 log", "<20"])
def test_number_without_unit_asks_for_the_unit(text: str) -> None:
    with pytest.raises(UnitMissingError) as caught:
        parse_hbv_dna(text)
    assert "without a unit" in str(caught.value) and "IU/mL or copies/mL" in str(caught.value)
    assert caught.value.value > 0


@pytest.mark.parametrize(
    "value, understood, expected",
    [
        pytest.param("-5 IU/mL", "negative", "0 or more", id="negative-text"),
        pytest.param(-5, "negative", "0 or more", id="negative-number"),
        pytest.param("2 x 10^10 IU/mL", "2 x 10^10 IU/mL", "at most 1 x 10^10", id="implausibly-high"),
        pytest.param(2e10, "2 x 10^10", "at most 1 x 10^10", id="implausibly-high-number"),
        pytest.param("11 log IU/mL", "IU/mL", "at most", id="implausible-log"),
        pytest.param("0 IU/mL", "0", "above 0", id="zero"),
        pytest.param("2000 or 3000 IU/mL", "several numbers (2000, 3000)", "one value", id="two-numbers"),
        pytest.param("2.3 x 10 5 IU/mL", "several numbers", "one value", id="broken-exponent"),
        pytest.param("2000 IU/mL copies", "both IU/mL and copies/mL", "one unit", id="two-units"),
        pytest.param("85 U/L", "per litre", "IU/mL or copies/mL", id="alt-unit"),
        pytest.param("HBeAg negative", "antigen", "HBV DNA", id="antigen"),
        pytest.param(
            "negative, 2000 IU/mL", "both 'negative' and the value 2,000", "either", id="contradiction"
        ),
        pytest.param(">1.7 x 10^8 IU/mL", "more than", "exact value", id="above-range"),
        pytest.param("high", "no number in 'high'", "a viral load such as", id="no-number"),
        pytest.param(True, "bool", "number or text", id="boolean"),
        pytest.param(float("nan"), "not finite", "plausible", id="nan"),
    ],
)
def test_hbv_dna_refusals_say_what_was_understood_and_expected(value, understood: str, expected: str) -> None:
    with pytest.raises(LabValueError) as caught:
        parse_hbv_dna(value)
    error = caught.value
    assert understood in error.understood and expected in error.expected
    assert str(error) == f"understood {error.understood}; expected {error.expected}"
    assert not isinstance(error, UnitMissingError)


# ---------------------------------------------------------------- ALT and ULN


@pytest.mark.parametrize(
    "value, u_per_l, uln, x_uln, normal",
    [
        pytest.param(85, 85, None, None, False, id="number"),
        pytest.param("85", 85, None, None, False, id="text-number"),
        pytest.param("85 U/L", 85, None, None, False, id="u-per-l"),
        pytest.param("85 IU/L", 85, None, None, False, id="iu-per-l"),
        pytest.param("85 u/l", 85, None, None, False, id="lower-case"),
        pytest.param("ALT 85 (ref 0-40)", 85, 40, 2.125, False, id="with-reference"),
        pytest.param("ALT 85, upper limit 40", 85, 40, 2.125, False, id="with-upper-limit"),
        pytest.param("ALT 85 U/L (normal < 40)", 85, 40, 2.125, False, id="normal-below"),
        pytest.param("30 (0-40)", 30, 40, 0.75, True, id="bare-range-normal-value"),
        pytest.param("2.5 times normal", None, None, 2.5, False, id="times-normal"),
        pytest.param("2.5x ULN", None, None, 2.5, False, id="x-uln"),
        pytest.param("2.5 × ULN", None, None, 2.5, False, id="times-sign-uln"),
        pytest.param("2.5 times the upper limit of normal", None, None, 2.5, False, id="words"),
        pytest.param("normal", None, None, None, True, id="normal"),
        pytest.param("my ALT was normal", None, None, None, True, id="normal-in-sentence"),
    ],
)
def test_alt_forms(value, u_per_l, uln, x_uln, normal) -> None:
    alt = parse_alt(value)
    assert (alt.u_per_l, alt.uln, alt.normal) == (u_per_l, uln, normal)
    assert alt.x_uln == (None if x_uln is None else approx(x_uln))


@pytest.mark.parametrize(
    "value, given_uln, x, default_used",
    [
        pytest.param("85", None, 85 / 40, True, id="default-40"),
        pytest.param("85", 50, 85 / 50, False, id="given-uln"),
        pytest.param("ALT 85 (ref 0-40)", None, 85 / 40, False, id="own-uln"),
        pytest.param("ALT 85 (ref 0-40)", 35, 85 / 35, False, id="given-uln-wins"),
        pytest.param("2.5x ULN", 35, 2.5, False, id="multiple"),
        pytest.param("normal", None, None, False, id="normal"),
    ],
)
def test_alt_times_uln(value, given_uln, x, default_used) -> None:
    ratio = parse_alt(value).times_uln(given_uln)
    assert ratio.default_uln_used is default_used
    assert ratio.x == (None if x is None else approx(x))


@pytest.mark.parametrize(
    "value, understood, expected",
    [
        pytest.param(-5, "negative", "0 or more", id="negative"),
        pytest.param("-5 U/L", "negative", "0 or more", id="negative-text"),
        pytest.param(10001, "10,001 U/L", "at most 10,000", id="too-high"),
        pytest.param("300x ULN", "300 times", "at most 250", id="multiple-too-high"),
        pytest.param("85 (ref 0-3)", "3 U/L", "between 5 and 200", id="implausible-uln"),
        pytest.param("85 (ref 40-0)", "40-0", "0-40", id="reversed-range"),
        pytest.param("85 and 90", "several numbers (85, 90)", "an ALT value", id="two-values"),
        pytest.param("85 IU/mL", "not U/L", "an ALT value", id="viral-load-unit"),
        pytest.param("high", "no ALT number", "an ALT value", id="words-only"),
        pytest.param("not normal", "no ALT number", "an ALT value", id="not-normal"),
        pytest.param("0-40", "no ALT number", "an ALT value", id="range-only"),
    ],
)
def test_alt_refusals(value, understood: str, expected: str) -> None:
    with pytest.raises(LabValueError) as caught:
        parse_alt(value)
    assert understood in caught.value.understood and expected in caught.value.expected


@pytest.mark.parametrize(
    "value", [40, "40", "upper limit 40", "0-40", "ref 0-40", "40 U/L", "<40", "ULN: 40"]
)
def test_uln_forms(value) -> None:
    assert parse_uln(value) == 40


@pytest.mark.parametrize(
    "value, understood",
    [
        pytest.param(4, "4 U/L", id="too-low"),
        pytest.param(201, "201 U/L", id="too-high"),
        pytest.param("40 or 50", "'40 or 50'", id="two"),
        pytest.param("abc", "no number", id="none"),
        pytest.param("-40", "negative", id="negative"),
    ],
)
def test_uln_refusals(value, understood: str) -> None:
    with pytest.raises(LabValueError) as caught:
        parse_uln(value)
    assert understood in caught.value.understood


# ---------------------------------------------------------------- durations


@pytest.mark.parametrize(
    "value, months",
    [
        pytest.param(18, 18, id="number"),
        pytest.param(18.5, 18.5, id="fraction"),
        pytest.param("2 years", 24, id="years"),
        pytest.param("18 months", 18, id="months"),
        pytest.param("1.5 years", 18, id="decimal-years"),
        pytest.param("a year and a half", 18, id="a-year-and-a-half"),
        pytest.param("one year", 12, id="word-one"),
        pytest.param("Twelve months", 12, id="word-twelve"),
        pytest.param("two and a half years", 30, id="two-and-a-half"),
        pytest.param("half a year", 6, id="half-a-year"),
        pytest.param("twenty-four months", 24, id="compound-word"),
        pytest.param("6 mo", 6, id="mo"),
        pytest.param("2 yrs", 24, id="yrs"),
        pytest.param("48 weeks", 48 * 7 / 30.4375, id="weeks"),
        pytest.param("2 years and 3 months", 27, id="two-parts"),
        pytest.param("about 2 years", 24, id="about"),
        pytest.param("1½ years", 18, id="half-sign"),
        pytest.param("I have been on it for 3 years", 36, id="sentence"),
        pytest.param("since March 2023", 32, id="since-month-year"),
        pytest.param("since mar 2023", 32, id="since-short-month"),
        pytest.param("since 03/2023", 32, id="since-mm-yyyy"),
        pytest.param("since 2023-03", 32, id="since-yyyy-mm"),
        pytest.param("since 2021", 47, id="since-year-counts-from-december"),
        pytest.param(
            "since 15 March 2024", (date(2025, 11, 22) - date(2024, 3, 15)).days / 30.4375, id="since-day"
        ),
        pytest.param("started in November 2025", 0, id="started-this-month"),
    ],
)
def test_duration_forms(value, months: float) -> None:
    assert parse_duration_months(value, TODAY) == approx(months)


def test_since_is_relative_to_today() -> None:
    assert parse_duration_months("since March 2023", date(2024, 3, 1)) == 12


@pytest.mark.parametrize(
    "value, understood, expected",
    [
        pytest.param(-1, "-1 months", "between 0 and 600", id="negative"),
        pytest.param("51 years", "612 months", "between 0 and 600", id="over-50-years"),
        pytest.param("since 2026", "future", "in the past", id="future-year"),
        pytest.param("since December 2025", "future", "in the past", id="future-month"),
        pytest.param("since 2025", "this year", "the month too", id="this-year-only"),
        pytest.param("since 13/2023", "13/2023", "real start date", id="month-13"),
        pytest.param("less than 2 years", "less than 2 years", "not overstated", id="less-than"),
        pytest.param("2-3 years", "unclear part(s): 2", "a duration such as", id="range"),
        pytest.param("a couple of years", "'a couple of years'", "a duration such as", id="vague"),
        pytest.param("since March", "'since March'", "a duration such as", id="no-year"),
        pytest.param(True, "bool", "number or text", id="boolean"),
    ],
)
def test_duration_refusals(value, understood: str, expected: str) -> None:
    with pytest.raises(LabValueError) as caught:
        parse_duration_months(value, TODAY)
    assert understood in caught.value.understood and expected in caught.value.expected


def test_duration_number_without_unit_asks_for_the_unit() -> None:
    with pytest.raises(UnitMissingError) as caught:
        parse_duration_months("18", TODAY)
    assert caught.value.value == 18 and "months, years or weeks" in caught.value.expected
