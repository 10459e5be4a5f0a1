"""First messages of new conversations, each reply checked against its label, over REST.

Per category the share of right replies is printed at the end of the test session. `dev` is the
set the NLU was tuned on; `final` was written independently and is kept for the final figure: its
failures are reported as figures only (so that nobody tunes on it).
"""
import io
from contextlib import redirect_stdout

import pytest

from tests.first_replies.replies import TARGETS, failures, report, run

pytestmark = pytest.mark.servers


@pytest.mark.parametrize("name", ["dev", "final"])
def test_first_replies(rasa_url, figures, name):
    results = run(rasa_url, name, run_id="test-")
    printed = io.StringIO()
    with redirect_stdout(printed):
        rates = report(results, name)
    figures.extend(printed.getvalue().rstrip().splitlines())
    below = {target: rates[target] for target, _, _, minimum in TARGETS if rates[target] < minimum}
    assert not below, f"below target: {below}" + ("" if name == "final" else "\n" + failures(results))
