"""Command line: ``python -m knowledge assess stop|resistance|interferon < facts.json``.

Prints one JSON object. Exit 0 with a result; exit 2 with ``{"error": ..., "field": ...}`` for
refused input or wrong usage. Never a traceback.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from datetime import date
from typing import IO, Any

from .data import RULES
from .facts import TOPICS
from .labvalues import LabValueError
from .rules import assess
from .texts import general_answer

USAGE = (
    "usage: python -m knowledge assess stop|resistance|interferon < facts.json"
    " | python -m knowledge explain RULE-ID"
)


class _Refusal(Exception):
    def __init__(self, error: str, field: str | None = None):
        super().__init__(error)
        self.payload = {"error": error, "field": field}


def _refuse_constant(name: str) -> None:
    raise ValueError(f"{name} is not a number JSON allows")


def _read_json(stdin: IO[str]) -> Any:
    raw = stdin.buffer.read() if hasattr(stdin, "buffer") else stdin.read()
    try:
        text = raw.decode("utf-8-sig") if isinstance(raw, bytes) else raw
        return json.loads(text, parse_constant=_refuse_constant)
    except (ValueError, RecursionError) as error:
        raise _Refusal(f"input is not valid JSON: {error}") from None


def _explain(rule_id: str) -> dict[str, Any]:
    if rule_id not in RULES:
        raise _Refusal(f"unknown rule id {rule_id!r}; expected one of: {', '.join(RULES)}")
    rule = RULES[rule_id]
    return {
        "rule": rule_id,
        "seed": rule["seed"],
        "summary": " ".join(rule["summary"].split()),
        "explain": general_answer(rule_id),
    }


def _run(argv: Sequence[str], stdin: IO[str], today: date) -> tuple[int, dict[str, Any]]:
    if list(argv) in (["-h"], ["--help"]):
        return 0, {"usage": USAGE}
    if len(argv) == 2 and argv[0] == "explain":
        return 0, _explain(argv[1])
    if len(argv) != 2 or argv[0] != "assess":
        raise _Refusal(USAGE)
    if argv[1] not in TOPICS:
        raise _Refusal(f"unknown topic {argv[1]!r}; expected one of: {', '.join(TOPICS)}")
    facts = _read_json(stdin)
    if not isinstance(facts, dict):
        raise _Refusal(f"input is a JSON {type(facts).__name__}; expected a JSON object of facts")
    return 0, assess(argv[1], facts, today).to_dict()


def main(
    argv: Sequence[str] | None = None,
    stdin: IO[str] | None = None,
    stdout: IO[str] | None = None,
    today: date | None = None,
) -> int:
    """Run one command; write its JSON answer to `stdout`; return the exit status (0 or 2)."""
    stdout = stdout or sys.stdout
    try:
        status, payload = _run(
            sys.argv[1:] if argv is None else argv, stdin or sys.stdin, today or date.today()
        )
    except _Refusal as refusal:
        status, payload = 2, refusal.payload
    except LabValueError as error:
        status, payload = 2, {"error": str(error), "field": error.field}
    except Exception as error:  # the contract allows no traceback, whatever happens
        status, payload = (
            2,
            {"error": f"internal error ({type(error).__name__}); the input was not assessed", "field": None},
        )
    stdout.write(json.dumps(payload, ensure_ascii=False) + "\n")
    return status
