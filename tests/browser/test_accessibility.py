"""WCAG 2.1 AA in the browser: keyboard only, axe-core, a 320 px phone and 200% zoom, reduced
motion; screenshots at phone, desktop and kiosk sizes (test-output/browser/)."""

from __future__ import annotations

import pytest

from tests.browser.chat import (
    BOT_MESSAGES,
    LAUNCHER,
    LOG,
    REPLIES,
    interferon_check,
    run_axe,
    session_id,
    user_texts,
    wait_for_answer,
)

pytestmark = [pytest.mark.servers, pytest.mark.browser]

FOCUSED = """() => { const e = document.activeElement, s = getComputedStyle(e);
  return {classes: e.className || e.tagName, text: (e.innerText || '').trim(),
          outline: s.outlineStyle, width: parseFloat(s.outlineWidth) || 0}; }"""
VIEWS = {  # name: (width, height, query)
    "phone": (320, 640, ""),
    "desktop": (1280, 800, ""),
    "kiosk": (1080, 1920, "?kiosk=1"),
}


def focused(page) -> dict:
    return page.evaluate(FOCUSED)


def tab_to(page, wanted, limit: int = 40) -> None:
    """Press Tab until ``wanted(focused element)``; every control passed shows a focus ring."""
    for _ in range(limit):
        element = focused(page)
        if element["classes"] not in ("BODY", "HTML"):
            assert element["outline"] != "none" and element["width"] >= 2, f"no visible focus: {element}"
        if wanted(element):
            return
        page.keyboard.press("Tab")
    pytest.fail(f"Tab never reached the control; focus is on {focused(page)}")


def choose_by_keyboard(page, title: str) -> None:
    tab_to(page, lambda e: "hepb-reply" in e["classes"] and e["text"] == title)
    page.keyboard.press("Enter")
    wait_for_answer(page)
    assert "hepb-reply" in focused(page)["classes"], "focus goes to the next choices"


def test_a_full_check_by_keyboard_only(widget):
    page = widget.open()
    tab_to(page, lambda e: "hepb-launcher" in e["classes"])
    page.keyboard.press("Enter")
    assert "hepb-log" in focused(page)["classes"], "opening moves focus into the chat"
    wait_for_answer(page)
    assert "hepb-reply" in focused(page)["classes"], "the greeting's choices take the focus"

    chosen = interferon_check(page, choose=choose_by_keyboard)
    assert user_texts(page) == chosen
    widget.shot("verdict-by-keyboard")

    answers = page.locator(BOT_MESSAGES).count()
    tab_to(page, lambda e: "hepb-input" in e["classes"])
    page.keyboard.type("thank you")
    page.keyboard.press("Enter")
    page.wait_for_function(f"() => document.querySelectorAll({BOT_MESSAGES!r}).length > {answers}")

    page.keyboard.press("Escape")
    assert page.locator(".hepb-panel").is_hidden()
    assert "hepb-launcher" in focused(page)["classes"], "closing returns focus to the launcher"
    page.keyboard.press("Enter")
    assert "hepb-log" in focused(page)["classes"]
    first = session_id(page)
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Shift+Tab")
    assert focused(page)["text"] == "Start over" and focused(page)["outline"] != "none"
    page.keyboard.press("Enter")
    page.wait_for_function(
        "old => JSON.parse(sessionStorage.getItem('hepb-chat') || '{}').sessionId"
        " && JSON.parse(sessionStorage.getItem('hepb-chat')).sessionId !== old",
        arg=first,
    )
    wait_for_answer(page)
    assert user_texts(page) == [] and "hepb-reply" in focused(page)["classes"]


@pytest.mark.parametrize("view", VIEWS)
def test_axe_finds_no_wcag_21_aa_violations_in_the_open_widget(widget, view):
    width, height, query = VIEWS[view]
    widget.page.set_viewport_size({"width": width, "height": height})
    page = widget.open(query)
    if not query:
        assert run_axe(page) == [], "the page with the chat closed"
        page.locator(LAUNCHER).click()
    interferon_check(page)  # lists, buttons, both speakers
    page.locator(".hepb-input").fill("/human_handoff")
    page.keyboard.press("Enter")
    page.locator(f"{BOT_MESSAGES} a, {BOT_MESSAGES} .hepb-link-text").first.wait_for()
    violations = run_axe(page)
    widget.shot(view)
    assert violations == [], violations


@pytest.mark.parametrize("width,height", [(320, 640), (640, 400)], ids=["phone-320px", "zoom-200pc"])
def test_usable_on_a_320px_phone_and_at_200_percent_zoom(widget, width, height):
    """200% zoom of a 1280x800 window lays the page out in 640x400 CSS pixels."""
    widget.page.set_viewport_size({"width": width, "height": height})
    page = widget.open()
    page.locator(LAUNCHER).click()
    wait_for_answer(page)
    assert page.evaluate("() => document.documentElement.scrollWidth") <= width, "no sideways scrolling"
    assert page.locator(LOG).evaluate("e => e.scrollWidth <= e.clientWidth")
    controls = [".hepb-start-over", ".hepb-close", ".hepb-input", ".hepb-send", REPLIES]
    for selector in controls:
        for control in page.locator(selector).all():
            control.scroll_into_view_if_needed()
            box = control.bounding_box()
            assert box["x"] >= 0 and box["x"] + box["width"] <= width, selector
            assert box["height"] >= 24, selector
    assert page.locator(LOG).bounding_box()["height"] >= height / 3, "room to read the conversation"
    widget.shot(f"{width}x{height}")


def test_reduced_motion_stops_the_typing_animation(widget):
    page = widget.open()
    animation = "() => getComputedStyle(document.querySelector('.hepb-dot')).animationName"
    assert page.evaluate(animation) == "hepb-blink"
    page.emulate_media(reduced_motion="reduce")
    assert page.evaluate(animation) == "none"
