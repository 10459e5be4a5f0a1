"""Driving the chat widget in a page: its parts, the stored session and a personal check.

The checks assert on structure rather than wording (the assistant's texts change): a bot
message with buttons, and an assessment's final messages containing "Sources:".
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"

LAUNCHER = ".hepb-launcher"
LOG = ".hepb-log"
REPLIES = ".hepb-replies .hepb-reply"
BOT_MESSAGES = ".hepb-from-bot .hepb-bubble"
USER_MESSAGES = ".hepb-from-user .hepb-bubble"
INPUT = ".hepb-input"

# Which button to take at each step of the interferon check, best first; else the first button.
CHECK_CHOICES = [
    re.compile(r"interferon", re.I),
    re.compile(r"^\s*check", re.I),
    re.compile(r"2 to 10 times", re.I),
]
MAX_STEPS = 10

ANSWER_DONE = """() => !!document.querySelector('.hepb-replies')
  && document.querySelector('.hepb-typing').hidden"""


def session_id(page) -> str:
    """The conversation id the widget keeps in the tab's sessionStorage (the server's)."""
    return page.evaluate("() => (JSON.parse(sessionStorage.getItem('hepb-chat')) || {}).sessionId || ''")


def bot_texts(page) -> list[str]:
    return [" ".join(text.split()) for text in page.locator(BOT_MESSAGES).all_inner_texts()]


def user_texts(page) -> list[str]:
    return [text.strip() for text in page.locator(USER_MESSAGES).all_inner_texts()]


def reply_titles(page) -> list[str]:
    return [text.strip() for text in page.locator(REPLIES).all_inner_texts()]


def wait_for_answer(page, timeout: float = 60_000) -> None:
    """Until the latest answer is on screen in full: typing has stopped and its buttons are shown.
    (The timeout is generous: the machine's two cores may be busy with other work.)"""
    page.wait_for_function(ANSWER_DONE, timeout=timeout)


def has_sources(page) -> bool:
    return any("Sources:" in text for text in bot_texts(page))


def pick(titles: list[str]) -> str:
    for pattern in CHECK_CHOICES:
        for title in titles:
            if pattern.search(title):
                return title
    return titles[0]


def click_reply(page, title: str) -> None:
    page.locator(REPLIES, has_text=re.compile(rf"^\s*{re.escape(title)}\s*$")).first.click()


def interferon_check(page, choose: Callable[[object, str], None] = click_reply) -> list[str]:
    """From the greeting, answer by buttons until the assessment ("Sources:") is on screen;
    returns the titles chosen."""
    chosen: list[str] = []
    wait_for_answer(page)
    while not has_sources(page):
        assert len(chosen) < MAX_STEPS, f"no assessment after choosing {chosen}; bot said {bot_texts(page)}"
        title = pick(reply_titles(page))
        choose(page, title)
        chosen.append(title)
        page.wait_for_function(f"() => document.querySelectorAll({USER_MESSAGES!r}).length >= {len(chosen)}")
        wait_for_answer(page)
    return chosen


def run_axe(page) -> list[dict]:
    """axe-core (from node_modules, not a CDN) on the page: WCAG 2.0/2.1 A and AA violations."""
    page.evaluate(AXE.read_text())
    return page.evaluate("""async () => {
      const result = await axe.run(document, {runOnly: {type: 'tag',
        values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}});
      return result.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
        nodes: v.nodes.map(n => n.target.join(' ') + ': ' + n.failureSummary)}));
    }""")
