"""The scripted checks (tests/conversations/scripted.yml, also used by the benchmarks) over REST:
each ends with the rule module's verdict for the facts its answers amount to."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
import yaml

from knowledge import assess
from tests.integration.rest import send, texts

pytestmark = pytest.mark.servers
CASES = yaml.safe_load((Path(__file__).resolve().parents[1] / "conversations" / "scripted.yml").read_text())
conversation_ids = itertools.count()


@pytest.mark.parametrize("case", CASES, ids=[f"{case['topic']}-{case['verdict']}" for case in CASES])
def test_scripted_check_ends_with_the_rule_modules_verdict(rasa_url, case):
    expected = assess(case["topic"], case["facts"])
    assert expected.verdict == case["verdict"], "the case's facts do not give the verdict it is named after"
    sender = f"scripted-{case['topic']}-{case['verdict']}-{next(conversation_ids)}"
    replies = [send(rasa_url, sender, message) for message in case["messages"]]
    final = texts(replies[-1])
    assert expected.message.splitlines()[0] in final, "\n\n".join(texts(r) for r in replies)
    assert "Sources:" in final and "your doctor" in final
