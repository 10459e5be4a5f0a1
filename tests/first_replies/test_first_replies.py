"""First messages of new conversations, each reply checked against its label, over REST.

Per category the share of right replies is printed at the end of the test session. `dev`, `dev6`,
`dev7`, `dev9` and `dev10` are sets the NLU and the routing were tuned on; `final`, `final2` and
`final3` were written independently and are kept for the final figure: their failures are reported
as figures only (so that nobody tunes on them).
"""

from __future__ import annotations

import io
from contextlib import redirect_stdout

import pytest

from tests.first_replies.replies import TARGETS, failures, report, run

pytestmark = pytest.mark.servers


# The held-out sets are not yet all at TARGETS (issue 11 stays open): there the test keeps what has
# been reached from slipping back. Raise these as the figures rise; never tune on the sets' failures.
# Last measured 2026-11-27 (local, 62200f2, model of 7bdfe69): `final` answers 95.2%, scoped 96.0%,
# red flags 108/110, negated 58/58; `final2` answers 98.0%, scoped 98.0%, red flags 107/108, negated
# 56/57; `final3` (written for the final figure; first measured at 59cec32) answers 96.7% -> 97.4%,
# scoped 97.1%, red flags 106/108, negated 54/59.
HELD_OUT_FLOORS = {
    "final": {
        "topic questions get their rule's answer": 0.95,
        "out-of-scope questions get the scoped reply": 0.95,
        "red flags get the urgent reply": 0.97,
        "negated symptoms raise no alarm": 0.98,
    },
    "final2": {  # red flags 106/108 with the model CI trained afresh on 2026-11-27 (107/108 locally)
        "topic questions get their rule's answer": 0.97,
        "out-of-scope questions get the scoped reply": 0.97,
        "red flags get the urgent reply": 0.98,
        "negated symptoms raise no alarm": 0.98,
    },
    "final3": {
        "topic questions get their rule's answer": 0.96,
        "out-of-scope questions get the scoped reply": 0.96,
        "red flags get the urgent reply": 0.98,
        "negated symptoms raise no alarm": 0.91,
    },
}


@pytest.mark.parametrize("name", ["dev", "dev6", "dev7", "dev9", "dev10", "final", "final2", "final3"])
def test_first_replies(rasa_url, figures, name):
    results = run(rasa_url, name, run_id="test-")
    printed = io.StringIO()
    with redirect_stdout(printed):
        rates = report(results, name)
    figures.extend(printed.getvalue().rstrip().splitlines())
    minimum = HELD_OUT_FLOORS.get(name) or {target: share for target, _, _, share in TARGETS}
    below = {target: rates[target] for target in minimum if rates[target] < minimum[target]}
    assert not below, f"below target: {below}" + ("" if name in HELD_OUT_FLOORS else "\n" + failures(results))
