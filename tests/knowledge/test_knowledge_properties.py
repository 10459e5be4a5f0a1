"""Property tests: parsers refuse only with LabValueError; the CLI always answers 0 or 2 with JSON."""

from __future__ import annotations

import io
import json
import math
import subprocess
import sys
from datetime import date
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from harness.verdict_cases import TODAY
from knowledge import (
    LabValueError,
    Status,
    detect_red_flags,
    parse_alt,
    parse_duration_months,
    parse_hbv_dna,
    parse_uln,
)
from knowledge.cli import main
from knowledge.facts import QUESTIONS, TOPIC_FACTS
from knowledge.logic import all_of, any_of, negate

REPO = Path(__file__).resolve().parents[2]
SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])

LAB_WORDS = [
    "x",
    "10^",
    "e",
    "log",
    "log10",
    "IU/mL",
    "copies/mL",
    "cp/mL",
    "<",
    ">",
    "-",
    ",",
    ".",
    "U/L",
    "ULN",
    "times",
    "normal",
    "ref",
    "0-40",
    "upper limit",
    "undetectable",
    "since",
    "March",
    "years",
    "months",
    "weeks",
    "a",
    "half",
    "and",
    "one",
    "twenty",
    "×",
    "⁵",
    "/",
    "2023",
    "less than",
]
lab_like_text = st.builds(
    lambda words, joiner: joiner.join(words),
    st.lists(
        st.one_of(
            st.sampled_from(LAB_WORDS),
            st.integers(-(10**6), 10**400).map(str),
            st.floats(allow_nan=True).map(str),
        ),
        max_size=8,
    ),
    st.sampled_from([" ", ""]),
)
any_text = st.one_of(st.text(), lab_like_text)
any_number = st.one_of(st.integers(min_value=-(10**30), max_value=10**30), st.floats(allow_nan=True))
json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(10**20), 10**20)
    | st.floats(allow_nan=False, allow_infinity=False)
    | any_text,
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=5), children, max_size=3)
    ),
    max_leaves=6,
)
FIELDS = sorted({f for cls in (*TOPIC_FACTS.values(), *QUESTIONS.values()) for f in cls.__dataclass_fields__})
dna = st.one_of(
    st.sampled_from(["2.3 x 10^5 IU/mL", "undetectable", "<20 IU/mL", "5 log IU/mL", "1e7 copies/mL"]),
    st.floats(0.1, 1e9),
)
months = st.one_of(st.floats(0, 100), st.sampled_from(["2 years", "since March 2023", "18 months"]))
PLAUSIBLE = {  # values the contract accepts, so that most generated facts reach the rules
    "therapy": st.sampled_from(["interferon", "peg_interferon", "nucleoside_analogue", "entecavir", "TDF"]),
    "drug": st.sampled_from(
        ["interferon", "peginterferon", "entecavir", "lamivudine", "adefovir", "telbivudine"]
    ),
    "months_on_treatment": months,
    "consolidation_months": months,
    "consolidation_checks": st.integers(0, 6),
    "alt": st.one_of(
        st.sampled_from(["85 U/L", "normal", "2.5x ULN", "ALT 85 (ref 0-40)"]), st.floats(0, 2000)
    ),
    "alt_uln": st.floats(5, 200),
    "alt_x_uln": st.floats(0, 30),
    "age": st.floats(0, 120),
    "biopsy_grade": st.one_of(st.integers(0, 4), st.sampled_from(["G2", "g3"])),
    **{name: dna for name in FIELDS if name.startswith("hbv_dna") and name != "hbv_dna_undetectable"},
}


def facts_for(facts_type: type) -> st.SearchStrategy:
    """Facts of one assessment: mostly plausible values, sometimes any JSON value."""
    return st.fixed_dictionaries(
        {},
        optional={
            name: st.one_of(
                PLAUSIBLE.get(name, st.booleans()), PLAUSIBLE.get(name, st.booleans()), json_values
            )
            for name in facts_type.__dataclass_fields__
        },
    )


topic_and_facts = st.one_of(
    *(st.tuples(st.just(topic), facts_for(cls)) for topic, cls in TOPIC_FACTS.items()),
    *(
        st.tuples(
            st.just("resistance"), facts_for(cls).map(lambda facts, q=question: {**facts, "question": q})
        )
        for question, cls in QUESTIONS.items()
    ),
)


@SETTINGS
@given(value=st.one_of(any_text, any_number, st.booleans(), st.none()))
def test_parsers_refuse_only_with_lab_value_error(value) -> None:
    for parse in (parse_hbv_dna, parse_alt, parse_uln, lambda v: parse_duration_months(v, TODAY)):
        try:
            result = parse(value)
        except LabValueError as error:
            assert error.expected and str(error).startswith("understood ")
        else:
            assert result is not None


@SETTINGS
@given(value=any_text)
def test_parsed_dna_is_positive_and_plausible(value) -> None:
    try:
        dna = parse_hbv_dna(value)
    except LabValueError:
        return
    assert 0 < dna.iu_per_ml <= 1e10 and math.isfinite(dna.copies_per_ml)


@SETTINGS
@given(value=any_text, today=st.dates(min_value=date(1990, 1, 1), max_value=date(2100, 1, 1)))
def test_parsed_durations_are_within_limits(value, today) -> None:
    try:
        months = parse_duration_months(value, today)
    except LabValueError:
        return
    assert 0 <= months <= 600


def run_cli(argv: list[str], stdin: str) -> tuple[int, dict]:
    out = io.StringIO()
    status = main(argv, io.StringIO(stdin), out, today=TODAY)
    return status, json.loads(out.getvalue())


def check_answer(status: int, payload: dict) -> None:
    assert status in (0, 2)
    if status == 0:
        assert set(payload) == {
            "topic",
            "verdict",
            "criteria",
            "rules",
            "relapse_risk",
            "message",
            "citations",
            "notes",
        }
    else:
        assert set(payload) == {"error", "field"} and isinstance(payload["error"], str)


@SETTINGS
@given(topic_facts=topic_and_facts)
def test_cli_answers_contract_shaped_facts_with_0_or_2_and_json(topic_facts) -> None:
    topic, facts = topic_facts
    check_answer(*run_cli(["assess", topic], json.dumps(facts)))


@SETTINGS
@given(
    topic=st.sampled_from(["stop", "resistance", "interferon"]),
    question=st.sampled_from([*QUESTIONS, None]),
    facts=st.dictionaries(st.sampled_from(FIELDS), json_values, max_size=6),
)
def test_cli_answers_any_mix_of_contract_fields_with_0_or_2_and_json(topic, question, facts) -> None:
    if question is not None:
        facts = {**facts, "question": question}
    check_answer(*run_cli(["assess", topic], json.dumps(facts)))


@SETTINGS
@given(topic=st.sampled_from(["stop", "resistance", "interferon", "other"]), stdin=any_text)
def test_cli_answers_any_text_with_0_or_2_and_json(topic, stdin) -> None:
    check_answer(*run_cli(["assess", topic], stdin))


@SETTINGS
@given(argv=st.lists(st.text(max_size=12), max_size=3))
def test_cli_answers_any_arguments_with_0_or_2_and_json(argv) -> None:
    status, payload = run_cli(argv, "{}")
    assert status in (0, 2) and isinstance(payload, dict)


@settings(max_examples=5, deadline=None)
@given(facts=st.dictionaries(st.sampled_from(FIELDS), json_values, max_size=4))
def test_cli_process_answers_any_facts_with_0_or_2_and_json(facts) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "knowledge", "assess", "stop"],
        cwd=REPO,
        timeout=60,
        input=json.dumps(facts).encode(),
        capture_output=True,
    )
    assert done.returncode in (0, 2) and done.stderr == b""
    assert isinstance(json.loads(done.stdout), dict)


@SETTINGS
@given(text=st.text(), on_interferon=st.sampled_from([None, True, False]))
def test_red_flag_detection_never_fails(text, on_interferon) -> None:
    flags = detect_red_flags(text, on_interferon=on_interferon)
    assert len({flag.id for flag in flags}) == len(flags)


statuses = st.sampled_from(list(Status))


@given(st.lists(statuses, max_size=5))
def test_kleene_or_is_the_dual_of_and(values) -> None:
    assert any_of(values) is negate(all_of(negate(v) for v in values))
    assert all_of(values) is (
        Status.NOT_MET
        if Status.NOT_MET in values
        else Status.UNKNOWN
        if Status.UNKNOWN in values
        else Status.MET
    )


@SETTINGS
@given(
    mantissa=st.decimals(min_value=1, max_value=9.99, places=2),
    exponent=st.integers(0, 9),
    form=st.sampled_from(["{m} x 10^{e}", "{m}×10^{e}", "{m}*10^{e}", "{m}e{e}", "{m}E+{e}"]),
    unit=st.sampled_from([("IU/mL", 1.0), ("iu/ml", 1.0), ("copies/mL", 5.6), ("cp/mL", 5.6)]),
)
def test_scientific_forms_round_trip(mantissa, exponent, form, unit) -> None:
    text = form.format(m=mantissa, e=exponent) + " " + unit[0]
    expected_iu = float(mantissa) * 10**exponent / unit[1]
    if expected_iu > 1e10:
        return
    assert math.isclose(parse_hbv_dna(text).iu_per_ml, expected_iu, rel_tol=1e-9)


@SETTINGS
@given(
    years=st.integers(0, 20),
    months=st.integers(0, 11),
    form=st.sampled_from(["{y} years and {m} months", "{y} yrs {m} mo", "{y} y {m} m"]),
)
def test_duration_parts_add_up(years, months, form) -> None:
    assert parse_duration_months(form.format(y=years, m=months), TODAY) == 12 * years + months
