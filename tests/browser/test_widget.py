"""The chat widget and the kiosk in headless Chromium, against the real servers."""

from __future__ import annotations

import re

import pytest

from tests.browser.chat import (
    BOT_MESSAGES,
    INPUT,
    LAUNCHER,
    LOG,
    REPLIES,
    USER_MESSAGES,
    bot_texts,
    interferon_check,
    reply_titles,
    session_id,
    user_texts,
    wait_for_answer,
)
from tests.servers import HOSPITAL_CONTACT

pytestmark = [pytest.mark.servers, pytest.mark.browser]

SESSION_CHANGED = (
    "old => { const r = JSON.parse(sessionStorage.getItem('hepb-chat') || '{}');"
    " return r.sessionId && r.sessionId !== old; }"
)


def stored(page) -> str:
    return page.evaluate("() => JSON.stringify(Object.assign({}, sessionStorage, localStorage))")


def test_the_page_shows_the_widget_with_its_options_loaded_from_this_server(widget):
    page = widget.open()
    launcher = page.locator(LAUNCHER)
    assert launcher.get_attribute("aria-expanded") == "false"
    assert page.locator(".hepb-panel").is_hidden()
    assert session_id(page) == "", "no conversation before the chat is opened"
    launcher.click()
    wait_for_answer(page)
    assert launcher.is_hidden() and launcher.get_attribute("aria-expanded") == "true"
    assert page.locator(".hepb-title").inner_text() == "Hepatitis B questions"
    assert (
        page.locator(".hepb-header").evaluate("e => getComputedStyle(e).backgroundColor") == "rgb(0, 85, 140)"
    )
    assert page.locator(".hepb-chat").get_attribute("lang") == "en"
    assert page.locator(LOG).get_attribute("role") == "log"
    assert page.locator(LOG).get_attribute("aria-live") == "polite"
    assert len(reply_titles(page)) >= 2 and bot_texts(page)
    assert re.fullmatch(r"\S{16,}", session_id(page)), "the server's session id is kept"
    assert page.evaluate("() => localStorage.length") == 0 and page.context.cookies() == []
    widget.shot("greeting")


def test_the_widget_is_served_gzipped_within_its_budget(widget, capsys):
    responses = []
    widget.page.on("response", lambda response: responses.append(response))
    page = widget.open()
    page.locator(LAUNCHER).click()
    wait_for_answer(page)
    widget_files = {}
    for response in responses:
        name = response.url.rsplit("/", 1)[-1]
        if name in ("", "page.js", "page.css", "hepb-chat.js", "hepb-chat.css"):  # not config.js: 70 bytes
            assert response.headers.get("content-encoding") == "gzip", response.url
        if name in ("hepb-chat.js", "hepb-chat.css"):
            widget_files[name] = response.request.sizes()["responseBodySize"]
    assert set(widget_files) == {"hepb-chat.js", "hepb-chat.css"}
    total = sum(widget_files.values())
    with capsys.disabled():
        print(
            f"\n    chat widget over the wire: {total / 1024:.1f} KB gzipped "
            f"({', '.join(f'{n} {b / 1024:.1f} KB' for n, b in sorted(widget_files.items()))}); budget 150 KB"
        )
    assert total <= 150 * 1024


def test_a_full_interferon_check_by_buttons_survives_a_reload(widget):
    page = widget.open()
    page.locator(LAUNCHER).click()
    chosen = interferon_check(page)
    assert page.evaluate("() => window.__typingSeen"), "no typing indicator was shown"
    assert user_texts(page) == chosen, "each choice appears as the patient's message"
    assert page.locator(".hepb-from-bot ul li").count() >= 1, "the criteria are a list"
    widget.shot("verdict")
    before, bot_said, replies = session_id(page), bot_texts(page), reply_titles(page)

    page.reload()
    page.locator(BOT_MESSAGES).last.wait_for()
    assert bot_texts(page) == bot_said and user_texts(page) == chosen
    assert reply_titles(page) == replies, "the last answer's buttons are back"
    assert session_id(page) == before
    widget.shot("after-reload")

    # the conversation carries on after the reload on the same session, and links are links
    page.locator(INPUT).fill("/human_handoff")
    page.keyboard.press("Enter")
    link = page.locator(f'{BOT_MESSAGES} a[href="https://hospital.example/liver"]')
    link.wait_for()
    assert "hospital.example/liver" in HOSPITAL_CONTACT
    assert link.get_attribute("target") == "_blank" and "noopener" in link.get_attribute("rel")
    assert session_id(page) == before
    widget.shot("link")


def test_a_message_typed_while_an_answer_is_appearing_keeps_its_place_after_a_reload(widget):
    """An answer in several messages appears one message at a time; what the patient types
    meanwhile comes after all of it, on screen as in the stored conversation."""
    page = widget.open()
    page.locator(LAUNCHER).click()
    wait_for_answer(page)
    page.locator(INPUT).fill(
        "is now the right time for me to begin interferon?"
    )  # an introduction, a question
    page.keyboard.press("Enter")
    page.locator(BOT_MESSAGES).nth(1).wait_for()
    page.locator(INPUT).fill("thank you")
    page.keyboard.press("Enter")
    page.wait_for_function(
        "() => document.querySelector('.hepb-typing').hidden"
        f" && document.querySelectorAll({BOT_MESSAGES!r}).length > 3"
    )
    page.wait_for_timeout(1500)  # nothing more on its way
    transcript = page.locator(LOG).inner_text()
    page.reload()
    page.locator(BOT_MESSAGES).last.wait_for()
    assert page.locator(LOG).inner_text() == transcript


def test_start_over_forgets_the_conversation_and_the_server_gives_a_new_session(widget):
    page = widget.open()
    page.locator(LAUNCHER).click()
    wait_for_answer(page)
    page.locator(INPUT).fill("is interferon right for me now?")
    page.keyboard.press("Enter")
    wait_for_answer(page)
    first = session_id(page)

    page.locator(".hepb-start-over").click()
    page.wait_for_function(SESSION_CHANGED, arg=first)
    wait_for_answer(page)
    assert page.locator(USER_MESSAGES).count() == 0
    assert "interferon right for me" not in page.locator(LOG).inner_text()
    assert "interferon right for me" not in stored(page) and first not in stored(page)


def test_an_id_the_server_does_not_confirm_is_replaced_by_the_one_it_does(widget):
    """The widget keeps the id from session_confirm, not the one it asked for, and starts afresh."""
    page = widget.open()
    page.evaluate("""() => sessionStorage.setItem('hepb-chat', JSON.stringify({sessionId: 'forged-id',
        open: true, messages: [{from: 'user', text: 'an earlier secret'}]}))""")
    page.reload()
    page.wait_for_function(SESSION_CHANGED, arg="forged-id")
    wait_for_answer(page)
    assert "an earlier secret" not in page.locator(LOG).inner_text()
    assert "could not be continued" in page.locator(".hepb-status").inner_text()
    confirmed = session_id(page)
    # the server answers on the confirmed session (it ignores messages for sessions not joined)
    count = page.locator(BOT_MESSAGES).count()
    page.locator(REPLIES).first.click()
    page.wait_for_function(f"() => document.querySelectorAll({BOT_MESSAGES!r}).length > {count}")
    assert session_id(page) == confirmed


def test_the_kiosk_fills_the_screen_with_large_touch_targets_and_starts_over(widget):
    page = widget.open("?kiosk=1&idle=2")
    wait_for_answer(page)
    untouched = session_id(page)
    page.wait_for_timeout(3500)  # an untouched welcome screen is not reset (no empty sessions)
    assert session_id(page) == untouched and page.locator(".hepb-idle-warning").is_hidden()

    page = widget.open("?kiosk=1")
    wait_for_answer(page)
    assert page.locator(".hepb-demo-page, .demo-page").is_hidden(), "only the chat is on screen"
    chat = page.locator(".hepb-panel").bounding_box()
    viewport = page.viewport_size
    assert chat["width"] >= viewport["width"] - 2 and chat["height"] >= viewport["height"] - 2
    start_over = page.locator(".hepb-start-over")
    assert page.locator(".hepb-close").count() == 0 and page.locator(LAUNCHER).count() == 0
    for target in [start_over, *page.locator(REPLIES).all(), page.locator(".hepb-send")]:
        box = target.bounding_box()
        assert box["height"] >= 64 and box["width"] >= 64, target
    first = session_id(page)
    page.locator(REPLIES).first.click()
    wait_for_answer(page)
    widget.shot("before-start-over")

    start_over.click()
    page.wait_for_function(SESSION_CHANGED, arg=first)
    wait_for_answer(page)
    assert page.locator(USER_MESSAGES).count() == 0
    widget.shot("after-start-over")


def test_the_kiosk_clears_the_screen_after_the_idle_timeout_with_a_new_session(widget):
    page = widget.open("?kiosk=1&idle=5")
    wait_for_answer(page)
    page.locator(INPUT).fill("is now a good time for interferon?")
    page.keyboard.press("Enter")
    wait_for_answer(page)
    page.locator(INPUT).fill("half typed")
    said = bot_texts(page)[-1]
    first = session_id(page)
    widget.shot("with-answers")

    page.locator(".hepb-idle-warning").wait_for(state="visible", timeout=10_000)
    widget.shot("idle-warning")
    page.wait_for_function(SESSION_CHANGED, arg=first, timeout=15_000)
    wait_for_answer(page)
    assert page.locator(USER_MESSAGES).count() == 0 and page.locator(INPUT).input_value() == ""
    on_screen = page.locator(LOG).inner_text()
    for trace in ["good time for interferon?", said[:40], first]:
        assert trace not in on_screen and trace not in stored(page), trace
    widget.shot("after-idle-reset")
