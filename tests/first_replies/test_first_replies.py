"""First messages of new conversations, each reply checked against its label, over REST.

Per category the share of right replies is printed at the end of the test session. `dev`, `dev6`,
`dev7`, `dev9`, `dev10`, `dev12` and `dev13` are sets the NLU and the routing were tuned on;
`final`, `final2`, `final3`, `final4` and `final5` were written independently and are kept for the
final figure: their failures are reported as figures only (so that nobody tunes on them).
"""

from __future__ import annotations

import io
from contextlib import redirect_stdout

import pytest

from tests.first_replies.replies import TARGETS, failures, report, run

pytestmark = pytest.mark.servers


# The held-out sets are not yet all at TARGETS (issue 11 stays open): there the test keeps what has
# been reached from slipping back. Raise these as the figures rise; never tune on the sets' failures.
# Last measured 2026-11-27 (local, after the dev12 round, model retrained with its 7 new examples):
# `final` answers 95.9%, scoped 94.9% (188/198: the retrained model, not the routing, moved two; the
# same code on the earlier model gives 96.0%), red flags 108/110, negated 58/58; `final2` answers
# 98.0%, scoped 98.0%, red flags 106/108, negated 57/57; `final3` (first measured at 59cec32)
# answers 97.4%, scoped 96.1%, red flags 106/108, negated 55/59; `final4` (written for the final
# figure, first measured after the dev12 round) answers 96.2%, scoped 99.4%, red flags 97/100,
# negated 49/60.
HELD_OUT_FLOORS = {
    "final": {
        "topic questions get their rule's answer": 0.95,
        "out-of-scope questions get the scoped reply": 0.93,  # 94.4% (187/198) after the dev13 round
        "red flags get the urgent reply": 0.97,
        "negated symptoms raise no alarm": 0.98,
    },
    "final2": {  # red flags 106/108 with the model CI trained afresh on 2026-11-27 (107/108 locally)
        "topic questions get their rule's answer": 0.97,
        "out-of-scope questions get the scoped reply": 0.97,
        "red flags get the urgent reply": 0.97,  # 105/108 with the model CI trained on 2026-11-27 (stop 23)
        "negated symptoms raise no alarm": 0.98,
    },
    "final3": {
        "topic questions get their rule's answer": 0.96,
        "out-of-scope questions get the scoped reply": 0.95,
        "red flags get the urgent reply": 0.98,
        "negated symptoms raise no alarm": 0.91,
    },
    "final4": {
        "topic questions get their rule's answer": 0.95,
        "out-of-scope questions get the scoped reply": 0.98,
        "red flags get the urgent reply": 0.96,
        "negated symptoms raise no alarm": 0.80,
    },
    "final5": {  # written for the final figure; 89.2% / 92.8% / 100 of 100 / 57 of 60 after the dev13 round
        "topic questions get their rule's answer": 0.89,
        "out-of-scope questions get the scoped reply": 0.92,
        "red flags get the urgent reply": 0.99,
        "negated symptoms raise no alarm": 0.93,
    },
}
# A tuned set still under a target, with the kinds of message that keep it there (their failures
# are printed): dev13 (2026-11-27), 4 false alarms in 140 of symptom words about someone else or in
# jest that the lexicon cannot tell from a report ("a confused grandma (about the internet...)",
# "the man in the bed next to my dad had black stools", "my stomach's swollen... with pride").
TUNED_BELOW_TARGET = {"dev13": {"negated symptoms raise no alarm": 0.97}}


@pytest.mark.parametrize(
    "name",
    [
        *("dev", "dev6", "dev7", "dev9", "dev10", "dev12", "dev13"),
        *("final", "final2", "final3", "final4", "final5"),
    ],
)
def test_first_replies(rasa_url, figures, name):
    results = run(rasa_url, name, run_id="test-")
    printed = io.StringIO()
    with redirect_stdout(printed):
        rates = report(results, name)
    figures.extend(printed.getvalue().rstrip().splitlines())
    minimum = HELD_OUT_FLOORS.get(name) or {
        target: TUNED_BELOW_TARGET.get(name, {}).get(target, share) for target, _, _, share in TARGETS
    }
    below = {target: rates[target] for target in minimum if rates[target] < minimum[target]}
    assert not below, f"below target: {below}" + ("" if name in HELD_OUT_FLOORS else "\n" + failures(results))
