"""The chat widget and the kiosk in headless Chromium, against the real servers."""
import json
import re
import time

import pytest

from knowledge import assess
from tests.servers import HOSPITAL_CONTACT

pytestmark = [pytest.mark.servers, pytest.mark.browser]

MESSAGES = ".rw-messages-container"
BOT_MESSAGES = ".rw-from-response .rw-message"
USER_MESSAGES = ".rw-from-client .rw-message"


def normalised(text: str) -> str:
    return " ".join(text.split())


def session_id(page) -> str:
    """The conversation id the widget keeps in the tab's storage (given by the server)."""
    stored = page.evaluate("() => window.sessionStorage.getItem('chat_session')")
    return json.loads(stored)["session_id"] if stored else ""


def wait_for_bot_text(page, starts_with: str, timeout: float = 20) -> None:
    wanted = normalised(starts_with)
    deadline = time.monotonic() + timeout
    texts = []
    while time.monotonic() < deadline:
        texts = [normalised(t) for t in page.locator(BOT_MESSAGES).all_inner_texts()]
        if any(text.startswith(wanted) for text in texts):
            return
        time.sleep(0.2)
    pytest.fail(f"no bot message starting with {starts_with!r}; bot said: {texts}")


def click_button(page, title: str) -> None:
    page.locator(".rw-reply", has_text=re.compile(rf"^\s*{re.escape(title)}\s*$")).last.click()


def test_the_page_shows_the_widget_with_its_options_loaded_from_this_server(widget):
    page = widget.open()
    page.locator(".rw-launcher").click()
    page.locator(".rw-reply", has_text="Timing of interferon").wait_for()
    assert page.locator(".rw-title").inner_text() == "Hepatitis B questions"
    assert page.locator(".rw-header").evaluate("e => getComputedStyle(e).backgroundColor") == "rgb(0, 85, 140)"
    assert page.locator("#hepb-chat").get_attribute("lang") == "en"
    assert [b.strip() for b in page.locator(".rw-reply").all_inner_texts()] == [
        "Stopping treatment", "Drug resistance", "Timing of interferon"]
    assert session_id(page)
    widget.shot("greeting")


def test_a_full_interferon_check_by_buttons_survives_a_reload(widget):
    expected = assess("interferon", {"alt": "5 x ULN"})
    assert expected.verdict == "appropriate"
    verdict = expected.message.splitlines()[0]

    page = widget.open()
    page.locator(".rw-launcher").click()
    click_button(page, "Timing of interferon")
    click_button(page, "Check if now is a good time for me")
    click_button(page, "2 to 10 times the upper limit")
    wait_for_bot_text(page, verdict)
    page.locator(".rw-reply", has_text="Talk to a person").wait_for()  # the end of the answer
    assert page.evaluate("() => window.__typingSeen"), "no typing indicator was shown"
    widget.shot("verdict")
    before = session_id(page)
    user_said = page.locator(USER_MESSAGES).all_inner_texts()
    assert [t.strip() for t in user_said] == [
        "Timing of interferon", "Check if now is a good time for me", "2 to 10 times the upper limit"]

    bot_said = page.locator(BOT_MESSAGES).all_inner_texts()
    page.reload()
    page.locator(MESSAGES).wait_for()
    wait_for_bot_text(page, verdict, timeout=5)
    assert page.locator(BOT_MESSAGES).all_inner_texts() == bot_said
    assert session_id(page) == before
    assert page.locator(USER_MESSAGES).all_inner_texts() == user_said
    widget.shot("after-reload")

    # the conversation carries on after the reload, and links in answers are links
    click_button(page, "Talk to a person")
    link = page.locator('.rw-message a[href="https://hospital.example/liver"]')
    link.wait_for()
    assert link.inner_text() == "hospital.example/liver"
    assert "hospital.example/liver" in HOSPITAL_CONTACT
    widget.shot("link")


def test_the_kiosk_fills_the_screen_with_large_touch_targets_and_starts_over(widget):
    page = widget.open("?kiosk=1&idle=2")
    page.locator(".rw-reply", has_text="Timing of interferon").wait_for()
    untouched = session_id(page)
    page.wait_for_timeout(3500)  # an untouched welcome screen is not reset (no empty sessions)
    assert session_id(page) == untouched and page.locator("#hepb-idle-warning").is_hidden()

    page = widget.open("?kiosk=1")
    page.locator(".rw-reply", has_text="Timing of interferon").wait_for()
    chat = page.locator(".rw-conversation-container").bounding_box()
    viewport = page.viewport_size
    assert chat["width"] >= viewport["width"] - 2 and chat["height"] >= viewport["height"] * 0.85
    start_over = page.locator("#hepb-start-over")
    assert start_over.is_visible()
    for target in [start_over, *page.locator(".rw-reply").all()]:
        box = target.bounding_box()
        assert box["height"] >= 48 and box["width"] >= 48, target
    first = session_id(page)
    click_button(page, "Stopping treatment")
    page.locator(USER_MESSAGES).first.wait_for()
    widget.shot("before-start-over")

    start_over.click()
    page.wait_for_function("old => { const s = sessionStorage.getItem('chat_session');"
                           " return s && JSON.parse(s).session_id && JSON.parse(s).session_id !== old; }",
                           arg=first)
    page.locator(".rw-reply", has_text="Timing of interferon").wait_for()
    assert page.locator(USER_MESSAGES).count() == 0
    widget.shot("after-start-over")


def test_the_kiosk_clears_the_screen_after_the_idle_timeout_with_a_new_session(widget):
    page = widget.open("?kiosk=1&idle=5")
    page.locator(".rw-reply", has_text="Timing of interferon").wait_for()
    page.locator(".rw-new-message").fill("is now a good time for interferon?")
    page.keyboard.press("Enter")
    click_button(page, "2 to 10 times the upper limit")
    verdict = assess("interferon", {"alt": "5 x ULN"}).message.splitlines()[0]
    wait_for_bot_text(page, verdict)
    first = session_id(page)
    widget.shot("with-answers")

    page.locator("#hepb-idle-warning").wait_for(state="visible", timeout=10_000)
    widget.shot("idle-warning")
    page.wait_for_function("old => { const s = sessionStorage.getItem('chat_session');"
                           " return s && JSON.parse(s).session_id && JSON.parse(s).session_id !== old; }",
                           arg=first, timeout=15_000)
    page.locator(".rw-reply", has_text="Timing of interferon").wait_for()
    assert page.locator(USER_MESSAGES).count() == 0
    on_screen = page.locator(MESSAGES).inner_text()
    stored = page.evaluate("() => JSON.stringify(Object.assign({}, sessionStorage, localStorage))")
    for trace in ["interferon?", "2 to 10 times", normalised(verdict)[:40], first]:
        assert trace not in on_screen and trace not in stored, trace
    widget.shot("after-idle-reset")
