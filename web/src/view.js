/*
 * The widget's structure: a launcher button and a chat panel (or, in kiosk mode, the panel
 * alone filling the screen). Messages go into a role="log" live region; every control is a
 * native <button> or <input> with a visible label or an accessible name.
 */
import { el, screenReaderText } from "./dom.js";

let widgets = 0;

/** Elements of a new widget, keyed by role; nothing is in the page until `root` is placed. */
export function buildView(o) {
  const id = (name) => `hepb-chat-${widgets}-${name}`;
  widgets += 1;
  const title = el(o.kiosk ? "h1" : "h2", { class: "hepb-title", id: id("title"), text: o.title });
  const startOver = el("button", { type: "button", class: "hepb-start-over", text: "Start over" });
  const close = o.kiosk ? null
    : el("button", { type: "button", class: "hepb-close", text: "Close", "aria-label": "Close the chat" });
  const header = el("div", { class: "hepb-header" }, [
    el("div", { class: "hepb-heading" }, [title, el("p", { class: "hepb-subtitle", text: o.subtitle })]),
    el("div", { class: "hepb-actions" }, close ? [startOver, close] : [startOver]),
  ]);
  const status = el("p", { class: "hepb-status", role: "status" });
  const log = el("div", {
    class: "hepb-log", role: "log", "aria-live": "polite", "aria-relevant": "additions",
    "aria-label": "Conversation", tabindex: "0",
  });
  const typing = el("div", { class: "hepb-typing", hidden: true }, [
    el("span", { class: "hepb-dot", "aria-hidden": "true" }),
    el("span", { class: "hepb-dot", "aria-hidden": "true" }),
    el("span", { class: "hepb-dot", "aria-hidden": "true" }),
    screenReaderText("The assistant is typing"),
  ]);
  const input = el("input", {
    type: "text", class: "hepb-input", id: id("input"), autocomplete: "off", maxlength: "1000",
    placeholder: o.inputHint, enterkeyhint: "send",
  });
  const send = el("button", { type: "submit", class: "hepb-send", text: "Send" });
  const composer = el("form", { class: "hepb-composer" }, [
    el("label", { class: "hepb-sr", for: id("input"), text: "Your message" }), input, send,
  ]);
  const panel = el("section", { class: "hepb-panel", id: id("panel"), "aria-labelledby": id("title") },
    [header, status, log, typing, composer]);
  const launcher = o.kiosk ? null : el("button", {
    type: "button", class: "hepb-launcher", "aria-expanded": "false", "aria-controls": id("panel"),
  }, [el("span", { class: "hepb-launcher-icon", "aria-hidden": "true" }), o.title]);
  const root = el(o.kiosk ? "main" : "div", { class: o.kiosk ? "hepb-chat hepb-kiosk" : "hepb-chat", lang: o.language },
    launcher ? [launcher, panel] : [panel]);
  root.style.setProperty("--hepb-main", o.mainColor); // CSSOM, allowed by a strict style-src
  return { root, launcher, panel, startOver, close, status, log, typing, composer, input };
}

/** A message in the log: who said it (for screen readers) and what. */
export function messageNode(from, content) {
  const assistant = from === "bot";
  return el("div", { class: `hepb-message ${assistant ? "hepb-from-bot" : "hepb-from-user"}` }, [
    screenReaderText(assistant ? "Assistant: " : "You: "),
    el("div", { class: "hepb-bubble" }, content),
  ]);
}

/** The choices offered with the latest message, as buttons. */
export function repliesNode(buttons, choose) {
  return el("div", { class: "hepb-replies", role: "group", "aria-label": "Choose an answer" },
    buttons.map((button) => {
      const node = el("button", { type: "button", class: "hepb-reply", text: button.title });
      node.addEventListener("click", () => choose(button));
      return node;
    }));
}
