"""First messages of new conversations, each reply checked against its label, over REST.

Per category the share of right replies is printed at the end of the test session. `dev`, `dev6`
and `dev7` are sets the NLU and the routing were tuned on; `final` was written independently and is
kept for the final figure: its failures are reported as figures only (so that nobody tunes on it).
"""

from __future__ import annotations

import io
from contextlib import redirect_stdout

import pytest

from tests.first_replies.replies import TARGETS, failures, report, run

pytestmark = pytest.mark.servers


# The held-out set is not yet at TARGETS (issue 11 stays open): there the test keeps what has been
# reached from slipping back. Last measured in CI (2026-11-26, 8ebc474): answers 93.1%,
# scoped 96.5%, red flags 108/110, negated 58/58. Raise these as the figures rise; never tune on the
# set's failures.
HELD_OUT_FLOORS = {
    "topic questions get their rule's answer": 0.92,
    "out-of-scope questions get the scoped reply": 0.94,
    "red flags get the urgent reply": 0.97,
    "negated symptoms raise no alarm": 0.98,
}


@pytest.mark.parametrize("name", ["dev", "dev6", "dev7", "final"])
def test_first_replies(rasa_url, figures, name):
    results = run(rasa_url, name, run_id="test-")
    printed = io.StringIO()
    with redirect_stdout(printed):
        rates = report(results, name)
    figures.extend(printed.getvalue().rstrip().splitlines())
    minimum = HELD_OUT_FLOORS if name == "final" else {target: share for target, _, _, share in TARGETS}
    below = {target: rates[target] for target in minimum if rates[target] < minimum[target]}
    assert not below, f"below target: {below}" + ("" if name == "final" else "\n" + failures(results))
