"""First messages of new conversations, each reply checked against its label, over REST.

Per category the share of right replies is printed at the end of the test session. `dev`, `dev6`,
`dev7`, `dev9`, `dev10`, `dev12`, `dev13`, `dev15`, `dev16` and `dev17` are sets the NLU and the routing
were tuned on; `final` and `final2`-`final7` were written independently and are kept for the final figure:
their failures are reported as figures only (so that nobody tunes on them).
"""

from __future__ import annotations

import io
from contextlib import redirect_stdout

import pytest

from tests.first_replies.replies import TARGETS, failures, report, run

pytestmark = pytest.mark.servers


# The held-out sets are not yet all at TARGETS (issue 11 stays open): there the test keeps what has
# been reached from slipping back. Never tune on the sets' failures. Each figure below is the lowest
# count measured so far on any model, local or trained afresh by CI (2026-11-27); a floor leaves
# FRESH_MODEL_SLACK items below it, because two models trained from the same data and seed differ by
# one or two items per figure (`final5` answers: 116/130 locally, 115/130 in CI at stop 23).
# `final` is not clean (tuned on before it was held out); `final4` and `final5` were first measured
# after the dev12 and before the dev13 round. Raise the counts as the figures rise.
FRESH_MODEL_SLACK = 2
HELD_OUT_LOWEST = {  # (right, of) for: answers, scoped, red flags, negated
    "final": ((137, 145), (187, 198), (108, 110), (58, 58)),
    "final2": ((150, 153), (191, 196), (105, 108), (56, 57)),
    "final3": ((147, 151), (197, 205), (106, 108), (55, 59)),
    "final4": ((125, 130), (153, 154), (97, 100), (49, 60)),
    "final5": ((115, 130), (142, 153), (100, 100), (57, 60)),
    "final6": ((126, 130), (146, 154), (95, 100), (51, 60)),  # first measured after the dev15 round
    "final7": ((126, 130), (149, 154), (99, 100), (53, 60)),  # first measured before the dev16 round
}
HELD_OUT_FLOORS = {
    name: {
        target: (right - FRESH_MODEL_SLACK) / of
        for (target, *_), (right, of) in zip(TARGETS, lowest, strict=True)
    }
    for name, lowest in HELD_OUT_LOWEST.items()
}
# A tuned set still under a target, with the kinds of message that keep it there (their failures
# are printed): dev13 (2026-11-27), 4 false alarms in 140 of symptom words about someone else or in
# jest that the lexicon cannot tell from a report ("a confused grandma (about the internet...)",
# "the man in the bed next to my dad had black stools", "my stomach's swollen... with pride").
# dev15 (2026-11-27), aimed at questions asked in unusual ways: after tuning, answers 176/190,
# 173/190 and 172/190 with three trainings, scoped 169/180 and 172/180, negated 24/25 ("should
# a swollen tummy worry someone with hep b? mine is fine, I'm writing a leaflet"); the floors leave
# FRESH_MODEL_SLACK items under the lower figure. Its misses are lay words the classifiers do not
# know yet ("the e thing", "a hard shrunken liver", "is it game over"). dev16 (2026-11-27), aimed at
# red flags in lay words and denied symptoms: after tuning, answers 56/60 and 5 false alarms in 120
# (a symptom asked about and answered "I used to", told of a friend "last year", explained by an
# illness that is over: "when he had glandular fever ... it cleared"). dev17 (2026-11-28), aimed at
# red flags and denied symptoms again: after tuning, 2 false alarms in 150, symptoms of someone
# without hepatitis B happening now ("my sister has pale stools and dark urine at the moment but she
# doesn't have hep b") and an illness said to be over only in the next sentence.
TUNED_BELOW_TARGET = {
    "dev13": {"negated symptoms raise no alarm": 0.97},
    "dev15": {
        "topic questions get their rule's answer": (172 - FRESH_MODEL_SLACK) / 190,
        "out-of-scope questions get the scoped reply": (169 - FRESH_MODEL_SLACK) / 180,
        "negated symptoms raise no alarm": (24 - FRESH_MODEL_SLACK) / 25,
    },
    "dev16": {
        "topic questions get their rule's answer": (56 - FRESH_MODEL_SLACK) / 60,
        "out-of-scope questions get the scoped reply": (52 - FRESH_MODEL_SLACK) / 54,
        "red flags get the urgent reply": (150 - FRESH_MODEL_SLACK) / 150,  # 2 caught by the classifier
        "negated symptoms raise no alarm": (115 - FRESH_MODEL_SLACK) / 120,
    },
    "dev17": {"negated symptoms raise no alarm": (148 - FRESH_MODEL_SLACK) / 150},
}


@pytest.mark.parametrize(
    "name",
    [
        *("dev", "dev6", "dev7", "dev9", "dev10", "dev12", "dev13", "dev15", "dev16", "dev17"),
        *("final", "final2", "final3", "final4", "final5", "final6", "final7"),
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
