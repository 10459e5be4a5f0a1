"""Simulated patients take every verdict case of the rule tests over REST, in three styles.

Figures per phrasing bank and style are printed at the end of the test session. `dev`, `dev2`,
`dev3`, `dev5`, `dev6`, `dev7`, `dev8`, `dev9`, `dev10`, `dev12`, `dev13` and `dev14` are banks the answer
reader was tuned on (each written fresh, measured once, then used for tuning), and so is `final2`
since its up-front figure was looked into (2026-11-27); `final`, `final3`, `final4` and `final5` were written
independently, are kept for the final figure, and their failures are reported as figures only (so
that nobody tunes on them).
"""

from __future__ import annotations

import io
from contextlib import redirect_stdout

import pytest

from harness.patient import report, run_all

pytestmark = pytest.mark.servers
TARGETS = {"buttons": 1.0, "typed": 0.95, "upfront": 0.95}
# The held-out banks are not yet all at TARGETS (issue 10 stays open): there the test keeps what has
# been reached from slipping back. Raise these as the figures rise; never tune on the banks' failures
# (they are not printed). Last measured 2026-11-27 (local, model of 7bdfe69): `final` buttons 100%,
# typed 93.8%, up front 98.2%; `final3` (written for the final figure, measured at 59cec32 and at
# 7e7f741) buttons 100%, typed 99.1%, up front 97.3%.
# A model trained afresh (as CI does) measured `final` typed at 91.2% on 2026-11-27 (71d3deb), so
# its floor leaves room for the training run. `final3` asked one question three times in one typed
# conversation at its first measurement: held-out banks may not do so more often than measured.
# `final4` (written for the final figure, first measured after the dev12 round): buttons 100%, typed
# 96.5%, up front 91.2% (a given value asked again in 9). `final5` (written for the final figure,
# first measured before the dev13 round): buttons 100%, typed 90.3% (a question asked three times
# in 3 conversations), up front 92.9%; after the dev13 and dev14 rounds 100% / 90.3% / 93.8%.
# `final3` typed is 98.2% (a question asked three times in one conversation); its floor leaves one
# conversation of room for a model trained afresh.
HELD_OUT_FLOORS = {
    "final": {"buttons": 1.0, "typed": 0.90, "upfront": 0.95},
    "final3": {"buttons": 1.0, "typed": 0.97, "upfront": 0.95},  # 98.2% / 96.5% after the dev13 round
    "final4": {"buttons": 1.0, "typed": 0.94, "upfront": 0.89},
    "final5": {"buttons": 1.0, "typed": 0.89, "upfront": 0.92},  # 90.3% / 93.8% after the dev14 round
}
HELD_OUT_THREE_TIMES = {"final3": 1, "final5": 3}


@pytest.mark.parametrize(
    "bank",
    [
        *("dev", "dev2", "dev3", "dev5", "dev6", "dev7", "dev8", "dev9", "dev10", "dev12", "dev13", "dev14"),
        *("final", "final2", "final3", "final4", "final5"),
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
    minimum = HELD_OUT_FLOORS.get(bank, TARGETS)
    below = {style: rate for style, rate in rates.items() if rate < minimum[style]}
    assert not below, f"below target: {below}" + (
        "" if bank in HELD_OUT_FLOORS else "\n" + "\n".join(wrong[:40])
    )
    three_times = [f"{o.style} {o.case}: {o.asked_three_times}" for o in outcomes if o.asked_three_times]
    if bank in HELD_OUT_FLOORS:  # a count, not the conversations (nobody tunes on them)
        assert len(three_times) <= HELD_OUT_THREE_TIMES.get(bank, 0), f"{len(three_times)} asked three times"
    else:
        assert not three_times, "\n".join(three_times)
