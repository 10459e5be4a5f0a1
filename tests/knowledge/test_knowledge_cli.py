"""The command-line contract (shared/spec/rule-module-cli.md): output keys, verdicts, exit codes."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from harness.verdict_cases import ALL_CASES, EPOS_AT_THRESHOLDS, TODAY, Case, case_id
from knowledge.cli import main

REPO = Path(__file__).resolve().parents[2]
RESULT_KEYS = {"topic", "verdict", "criteria", "rules", "relapse_risk", "message", "citations", "notes"}
ERROR_KEYS = {"error", "field"}
CONTRACT_VERDICTS = {
    "stop": {"criteria_met", "criteria_not_met", "undetermined", "no_stopping_criteria"},
    "resistance": {
        "not_preferred",
        "no_objection",
        "undetermined",
        "primary_non_response",
        "poor_response",
        "adequate_response",
        "adjust_plan",
        "on_track",
        "clinical_resistance",
        "breakthrough",
        "virological_rebound",
        "genotypic_resistance",
        "no_signal",
    },
    "interferon": {
        "appropriate",
        "lower_response",
        "biopsy_recommended",
        "treatment_recommended",
        "defer_interferon",
        "interferon_possible_with_specialist",
        "undetermined",
    },
}
SEEDS = {
    "STOP": "000_0c23a98b9f23b90d.txt",
    "RES": "001_05060cdba714c47d.txt",
    "IFN": "002_0b03c99aa042034b.txt",
}


def run(argv: list[str], stdin: str = "") -> tuple[int, dict]:
    out = io.StringIO()
    status = main(argv, io.StringIO(stdin), out, today=TODAY)
    text = out.getvalue()
    assert text.endswith("\n") and text.count("\n") == 1
    return status, json.loads(text)


def check_result(payload: dict, topic: str) -> None:
    assert set(payload) == RESULT_KEYS
    assert payload["topic"] == topic and payload["verdict"] in CONTRACT_VERDICTS[topic]
    for criterion in payload["criteria"]:
        assert set(criterion) == {"rule", "criterion", "status"}
        assert criterion["status"] in {"met", "not_met", "unknown"}
        assert criterion["rule"] in payload["rules"]
    assert len(payload["rules"]) == len(set(payload["rules"]))
    assert payload["citations"] == [{"rule": r, "seed": SEEDS[r.split("-")[0]]} for r in payload["rules"]]
    assert payload["relapse_risk"] in {None, "20-30%", "70-80%", "50-60%"}
    assert isinstance(payload["message"], str) and payload["message"]
    assert all(isinstance(note, str) and note for note in payload["notes"])


@pytest.mark.parametrize("case", ALL_CASES, ids=case_id)
def test_every_case_through_the_cli(case: Case) -> None:
    status, payload = run(["assess", case.topic], json.dumps(case.facts))
    assert status == 0
    check_result(payload, case.topic)
    assert payload["verdict"] == case.verdict


def test_every_contract_verdict_is_produced_by_some_case() -> None:
    produced = {(case.topic, case.verdict) for case in ALL_CASES}
    assert {(t, v) for t, verdicts in CONTRACT_VERDICTS.items() for v in verdicts} == produced


@pytest.mark.parametrize(
    "argv, stdin, field, words",
    [
        pytest.param(["assess", "diet"], "{}", None, "unknown topic", id="unknown-topic"),
        pytest.param(["assess", "stop"], "{therapy: 1}", None, "not valid JSON", id="invalid-json"),
        pytest.param(["assess", "stop"], "", None, "not valid JSON", id="empty-input"),
        pytest.param(["assess", "stop"], "[1, 2]", None, "expected a JSON object", id="array"),
        pytest.param(["assess", "stop"], '"text"', None, "expected a JSON object", id="string"),
        pytest.param(["assess", "stop"], '{"months_on_treatment": NaN}', None, "not valid JSON", id="nan"),
        pytest.param(
            ["assess", "stop"], '{"colour": "red"}', "colour", "expected one of", id="unknown-field"
        ),
        pytest.param(
            ["assess", "stop"], '{"cirrhosis": "yes"}', "cirrhosis", "true or false", id="string-for-bool"
        ),
        pytest.param(
            ["assess", "stop"], '{"cirrhosis": 1}', "cirrhosis", "true or false", id="number-for-bool"
        ),
        pytest.param(
            ["assess", "stop"],
            '{"consolidation_checks": 2.5}',
            "consolidation_checks",
            "whole number",
            id="fractional-count",
        ),
        pytest.param(
            ["assess", "stop"],
            '{"consolidation_checks": true}',
            "consolidation_checks",
            "whole number",
            id="bool-for-count",
        ),
        pytest.param(
            ["assess", "stop"],
            '{"months_on_treatment": 700}',
            "months_on_treatment",
            "between 0 and 600",
            id="implausible-duration",
        ),
        pytest.param(
            ["assess", "stop"],
            '{"months_on_treatment": "18"}',
            "months_on_treatment",
            "the unit",
            id="duration-without-unit",
        ),
        pytest.param(["assess", "stop"], '{"therapy": "aspirin"}', "therapy", "one of", id="unknown-drug"),
        pytest.param(["assess", "stop"], '{"therapy": 5}', "therapy", "one of", id="number-for-drug"),
        pytest.param(
            ["assess", "stop"],
            '{"question": "drug_choice"}',
            "question",
            "expected one of",
            id="question-outside-resistance",
        ),
        pytest.param(["assess", "resistance"], "{}", "question", "drug_choice", id="missing-question"),
        pytest.param(
            ["assess", "resistance"], '{"question": "diet"}', "question", "drug_choice", id="unknown-question"
        ),
        pytest.param(
            ["assess", "resistance"],
            '{"question": "drug_choice", "hbv_dna_3m": 1000}',
            "hbv_dna_3m",
            "expected one of: question, drug",
            id="field-of-another-question",
        ),
        pytest.param(
            ["assess", "resistance"],
            '{"question": "drug_choice", "hbv_dna": "2.3 x 10^5"}',
            "hbv_dna",
            "IU/mL or copies/mL",
            id="dna-without-unit",
        ),
        pytest.param(
            ["assess", "resistance"],
            '{"question": "monitoring", "hbv_dna_current": "lots"}',
            "hbv_dna_current",
            "a viral load such as",
            id="unparseable-dna",
        ),
        pytest.param(
            ["assess", "resistance"],
            '{"question": "monitoring", "hbv_dna_current": 1e11}',
            "hbv_dna_current",
            "at most",
            id="implausible-dna",
        ),
        pytest.param(
            ["assess", "interferon"], '{"alt": 20000}', "alt", "at most 10,000", id="implausible-alt"
        ),
        pytest.param(["assess", "interferon"], '{"alt": -3}', "alt", "0 or more", id="negative-alt"),
        pytest.param(
            ["assess", "interferon"], '{"alt_x_uln": 300}', "alt_x_uln", "from 0 to 250", id="implausible-x"
        ),
        pytest.param(
            ["assess", "interferon"], '{"alt_x_uln": "2.5"}', "alt_x_uln", "a number", id="string-for-x"
        ),
        pytest.param(
            ["assess", "interferon"], '{"alt_uln": 500}', "alt_uln", "between 5 and 200", id="implausible-uln"
        ),
        pytest.param(["assess", "interferon"], '{"age": 130}', "age", "from 0 to 120", id="implausible-age"),
        pytest.param(
            ["assess", "interferon"], '{"biopsy_grade": "G5"}', "biopsy_grade", "G0 to G4", id="grade-5"
        ),
        pytest.param(
            ["assess", "interferon"], '{"biopsy_grade": "high"}', "biopsy_grade", "G0 to G4", id="grade-word"
        ),
        pytest.param([], "", None, "usage", id="no-arguments"),
        pytest.param(["assess"], "", None, "usage", id="no-topic"),
        pytest.param(["assess", "stop", "extra"], "", None, "usage", id="extra-argument"),
        pytest.param(["explain", "STOP-NOPE"], "", None, "unknown rule id", id="unknown-rule"),
    ],
)
def test_refusals_exit_2_with_error_and_field(argv: list[str], stdin: str, field, words: str) -> None:
    status, payload = run(argv, stdin)
    assert status == 2
    assert set(payload) == ERROR_KEYS
    assert payload["field"] == field
    assert words in payload["error"]


def test_null_means_unknown() -> None:
    status, payload = run(
        ["assess", "stop"], json.dumps({**EPOS_AT_THRESHOLDS, "consolidation_checks": None})
    )
    assert (status, payload["verdict"]) == (0, "undetermined")


def test_explain_prints_the_general_answer() -> None:
    status, payload = run(["explain", "STOP-NA-EPOS"])
    assert status == 0
    assert set(payload) == {"rule", "seed", "summary", "explain"}
    assert "at least 12 more months" in payload["explain"] and payload["seed"] == SEEDS["STOP"]


def test_internal_errors_become_json_not_tracebacks(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr("knowledge.cli.assess", broken)
    status, payload = run(["assess", "stop"], "{}")
    assert status == 2 and set(payload) == ERROR_KEYS and "internal error" in payload["error"]


# ---------------------------------------------------------------- real processes


def run_process(args: list[str], stdin: bytes) -> tuple[int, dict, str]:
    done = subprocess.run(
        [sys.executable, "-m", "knowledge", *args], input=stdin, capture_output=True, cwd=REPO, timeout=60
    )
    return done.returncode, json.loads(done.stdout.decode("utf-8")), done.stderr.decode()


def test_process_assess() -> None:
    status, payload, stderr = run_process(["assess", "stop"], json.dumps(EPOS_AT_THRESHOLDS).encode())
    assert (status, stderr) == (0, "")
    check_result(payload, "stop")
    assert payload["verdict"] == "criteria_met" and payload["relapse_risk"] == "20-30%"


@pytest.mark.parametrize(
    "args, stdin",
    [
        pytest.param(["assess", "stop"], b"{not json", id="invalid-json"),
        pytest.param(["assess", "stop"], b"\xff\xfe\x00", id="not-utf8"),
        pytest.param(["assess", "interferon"], b'{"alt": "lots"}', id="unparseable"),
        pytest.param(["frobnicate"], b"", id="usage"),
    ],
)
def test_process_refusals(args: list[str], stdin: bytes) -> None:
    status, payload, stderr = run_process(args, stdin)
    assert (status, stderr) == (2, "")
    assert set(payload) == ERROR_KEYS


def test_process_utf8_input_and_output() -> None:
    facts = {"question": "drug_choice", "drug": "lamivudine", "hbv_dna": "2,3×10⁶ IU/mL"}
    status, payload, _ = run_process(["assess", "resistance"], json.dumps(facts, ensure_ascii=False).encode())
    assert status == 2 and payload["field"] == "hbv_dna"
    facts["hbv_dna"] = "2.3×10⁶ IU/mL"
    status, payload, _ = run_process(["assess", "resistance"], json.dumps(facts, ensure_ascii=False).encode())
    assert status == 0 and payload["verdict"] == "not_preferred"
