/*
 * Kiosk mode: the chat fills the screen (everything else on the page is hidden), and idleSeconds
 * after the last touch, key or message on screen the conversation is started over, after a
 * warning with a countdown. An untouched welcome screen is left alone (no empty conversations).
 */
import { el } from "./dom.js";

export function hidePageForKiosk() {
  document.documentElement.classList.add("hepb-kiosk-page");
}

export function watchIdle({ root, log, startOver }, idleSeconds) {
  const count = el("span", { class: "hepb-idle-count", "aria-hidden": "true" });
  const stillHere = el("button", { type: "button", class: "hepb-still-here", text: "I am still here" });
  const warning = el("div", { class: "hepb-idle-warning", hidden: true }, [
    el("p", { role: "alert", text: "Are you still there? The screen will be cleared soon." }),
    el("p", { class: "hepb-idle-countdown" }, ["Clearing in ", count, " s"]),
    stillHere,
  ]);
  root.append(warning);

  const warnSeconds = Math.min(30, Math.floor(idleSeconds / 3));
  let last = Date.now();
  let used = false;
  const seen = () => {
    last = Date.now();
    warning.hidden = true;
  };
  const touched = () => {
    used = true;
    seen();
  };
  ["pointerdown", "keydown", "input", "wheel"].forEach((name) => {
    document.addEventListener(name, touched, { capture: true, passive: true });
  });
  // an answer appearing on screen counts too: the countdown starts once it is shown
  new MutationObserver(seen).observe(log, { childList: true, subtree: true });

  window.setInterval(() => {
    const left = idleSeconds - (Date.now() - last) / 1000;
    if (!used) {
      if (left <= 0) last = Date.now();
    } else if (left <= 0) {
      used = false;
      seen();
      startOver();
    } else if (warnSeconds > 0 && left <= warnSeconds) {
      count.textContent = String(Math.ceil(left));
      warning.hidden = false;
    }
  }, 250);
}
