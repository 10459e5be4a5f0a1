"""Simulated patients take every verdict case of the rule tests over REST, in three styles.

Figures per phrasing bank and style are printed at the end of the test session. `dev`, `dev2`,
`dev3`, `dev5`-`dev10` and `dev12`-`dev17` are banks the answer reader was tuned on (each written
fresh, measured once, then used for tuning), and so is `final2` since its up-front figure was looked
into (2026-11-27); `final` and `final3`-`final7` were written independently, are
kept for the final figure, and their failures are reported as figures only (so that nobody tunes on
them).
"""

from __future__ import annotations

import io
from collections import Counter
from contextlib import redirect_stdout

import pytest

from harness.patient import report, run_all

pytestmark = pytest.mark.servers
TARGETS = {"buttons": 1.0, "typed": 0.95, "upfront": 0.95}
# The held-out banks are not yet all at TARGETS (issue 10 stays open): there the test keeps what has
# been reached from slipping back. Never tune on the banks' failures (they are not printed). Each
# figure below is the lowest count of right verdicts (of 113 conversations per style) measured so far
# on any model, local or trained afresh by CI (2026-11-27); typed and up-front floors leave
# FRESH_MODEL_SLACK conversations below it, because two models trained from the same data and seed
# differ by one or two (`dev12` typed: 111 locally, 109 in CI at stop 23). Buttons do not go through
# the NLU and stay at 100%. `final` is not clean; `final4` and `final5` were first measured after the
# dev12 and before the dev13 round. Raise the counts as the figures rise.
FRESH_MODEL_SLACK = 2
HELD_OUT_LOWEST = {  # typed, up front
    "final": (103, 109),
    "final3": (110, 109),
    "final4": (109, 103),
    "final5": (101, 105),
    "final6": (105, 109),  # first measured after the dev15 round
    "final7": (109, 109),  # first measured before the dev16 round
}


def held_out_floors(bank: str, outcomes) -> dict[str, float]:
    """The lowest acceptable share per style for a held-out bank."""
    typed, upfront = HELD_OUT_LOWEST[bank]
    per_style = Counter(o.style for o in outcomes)
    return {
        "buttons": TARGETS["buttons"],
        "typed": (typed - FRESH_MODEL_SLACK) / per_style["typed"],
        "upfront": (upfront - FRESH_MODEL_SLACK) / per_style["upfront"],
    }


# Held-out banks may not ask a question three times more often than first measured (`final3`: once
# in a typed conversation; `final5`: in 3).
HELD_OUT_THREE_TIMES = {"final3": 1, "final5": 3}


@pytest.mark.parametrize(
    "bank",
    [
        *("dev", "dev2", "dev3", "dev5", "dev6", "dev7", "dev8", "dev9", "dev10", "dev12", "dev13", "dev14"),
        *("dev15", "dev16", "dev17", "final", "final2", "final3", "final4", "final5", "final6", "final7"),
    ],
)
def test_patients_reach_the_rule_modules_verdict(rasa_url, figures, bank):
    outcomes = run_all(rasa_url, bank, run_id="test-")
    printed = io.StringIO()
    with redirect_stdout(printed):
        rates = report(outcomes)
    figures.append(f"checks by simulated patients, phrasing bank {bank!r} ({len(outcomes)} conversations):")
    figures.extend(printed.getvalue().rstrip().splitlines())
    wrong = [
        f"{o.style} {o.case}: expected {o.expected}, got {o.verdict}; last: {o.transcript[-1]}"
        for o in outcomes
        if not o.right
    ]
    minimum = held_out_floors(bank, outcomes) if bank in HELD_OUT_LOWEST else TARGETS
    below = {style: rate for style, rate in rates.items() if rate < minimum[style]}
    assert not below, f"below target: {below}" + (
        "" if bank in HELD_OUT_LOWEST else "\n" + "\n".join(wrong[:40])
    )
    three_times = [f"{o.style} {o.case}: {o.asked_three_times}" for o in outcomes if o.asked_three_times]
    if bank in HELD_OUT_LOWEST:  # a count, not the conversations (nobody tunes on them)
        assert len(three_times) <= HELD_OUT_THREE_TIMES.get(bank, 0), f"{len(three_times)} asked three times"
    else:
        assert not three_times, "\n".join(three_times)
