/*
 * The chat: what the server says goes into the log (one message after another, with the typing
 * indicator between), what the patient types or taps goes to the server, and the conversation is
 * kept in the tab (store.js) so a reload shows it again.
 */
import { createConnection } from "./connection.js";
import { markdown } from "./dom.js";
import * as store from "./store.js";
import { buildView, messageNode, repliesNode } from "./view.js";

const ANSWER_TIMEOUT_MS = 30000;
const STATUS_TEXT = {
  connected: "",
  reconnecting: "The connection was lost. Reconnecting…",
  unreachable: "The assistant cannot be reached at the moment. Trying again…",
  noAnswer: "The assistant did not answer. Please try again.",
  restarted: "Your earlier conversation could not be continued, so a new one has started.",
};

/** Rasa's message: text and quick replies or buttons (other kinds are not shown). */
function toEntry(message) {
  const text = typeof message.text === "string" ? message.text : "";
  const offered = message.quick_replies || message.buttons;
  const buttons = (Array.isArray(offered) ? offered : [])
    .filter((b) => b && typeof b.title === "string" && typeof b.payload === "string")
    .map((b) => ({ title: b.title, payload: b.payload }));
  return text || buttons.length ? { from: "bot", text, buttons } : null;
}

/** How long the typing indicator shows before a message: longer for longer messages. */
function typingDelay(entry) {
  return Math.min(900, Math.max(300, entry.text.length * 5));
}

export function createWidget(o, mount) {
  const view = buildView(o);
  const { log, input } = view;
  let record = store.load();
  const queue = [];
  let showTimer = null;
  let answerTimer = null;
  let focusReplies = false; // after a choice, focus waits on the log for the next choices

  let statusKey = "connected";
  const setStatus = (key) => {
    statusKey = key;
    view.status.textContent = STATUS_TEXT[key];
  };
  const clearNote = (...notes) => { if (notes.includes(statusKey)) setStatus("connected"); };
  const save = () => store.save(record);

  /** Scroll down to the newest message, but keep the patient's last message in view, so a
      long answer is read from its start. */
  function reveal(smooth) {
    const question = [...log.querySelectorAll(".hepb-from-user")].pop();
    const end = log.scrollHeight - log.clientHeight;
    const top = question ? Math.min(end, question.offsetTop - 8) : end;
    const motion = smooth && !window.matchMedia("(prefers-reduced-motion: reduce)").matches;
    log.scrollTo({ top, behavior: motion ? "smooth" : "auto" });
  }

  function setTyping(on) {
    view.typing.hidden = !on;
  }

  /** Typing until the answer comes; if none comes, say so instead of typing forever. */
  function awaitAnswer() {
    setTyping(true);
    window.clearTimeout(answerTimer);
    answerTimer = window.setTimeout(() => { setTyping(false); setStatus("noAnswer"); }, ANSWER_TIMEOUT_MS);
  }

  function removeReplies() {
    log.querySelectorAll(".hepb-replies").forEach((node) => node.remove());
  }

  function showEntry(entry, isLatest) {
    const content = entry.from === "bot" ? markdown(entry.text, { followLinks: !o.kiosk }) : [entry.text];
    if (entry.text) log.append(messageNode(entry.from, content));
    if (!isLatest || !entry.buttons || !entry.buttons.length) return;
    removeReplies();
    const replies = repliesNode(entry.buttons, choose);
    log.append(replies);
    if (focusReplies && document.activeElement === log) replies.querySelector("button").focus();
    focusReplies = false;
  }

  /** The next message in the queue after its typing delay (it stays queued until shown). */
  function showNext() {
    showTimer = null;
    if (!queue.length) { setTyping(false); return; }
    setTyping(true);
    showTimer = window.setTimeout(() => {
      showEntry(queue.shift(), true);
      reveal(true);
      showNext();
    }, typingDelay(queue[0]));
  }

  /** Show at once what is still waiting for its turn (the patient is already answering). */
  function showQueuedNow() {
    window.clearTimeout(showTimer);
    showTimer = null;
    while (queue.length) showEntry(queue.shift(), true);
    setTyping(false);
  }

  function receive(message) {
    const entry = toEntry(message);
    if (!entry) return;
    window.clearTimeout(answerTimer);
    clearNote("noAnswer");
    record.messages.push(entry);
    save();
    queue.push(entry);
    if (!showTimer) showNext();
  }

  function say(text, payload) {
    clearNote("noAnswer", "restarted");
    focusReplies = false;
    showQueuedNow();
    removeReplies();
    const entry = { from: "user", text };
    record.messages.push(entry);
    save();
    showEntry(entry, true);
    reveal(true);
    connection.send(payload, { language: o.language });
    awaitAnswer();
  }

  function choose(button) {
    log.focus({ preventScroll: true }); // the tapped button is about to go
    say(button.title, button.payload);
    focusReplies = true;
  }

  function clearScreen() {
    queue.length = 0;
    showQueuedNow();
    window.clearTimeout(answerTimer);
    log.replaceChildren();
    input.value = "";
  }

  /** The server confirmed a session: the stored one goes on, any other is a new conversation. */
  function onSession(sessionId) {
    if (sessionId === record.sessionId) return;
    const lost = record.sessionId !== null;
    clearScreen();
    record = { ...store.clear(), open: record.open, sessionId };
    save();
    connection.dropPending();
    if (lost) setStatus("restarted");
    if (!o.initialMessage) return;
    connection.send(o.initialMessage, { language: o.language });
    awaitAnswer();
  }

  const connection = createConnection({
    serverUrl: o.serverUrl,
    socketPath: o.socketPath,
    storedSession: () => record.sessionId,
    onSession,
    onMessage: receive,
    onStatus: setStatus,
  });

  function startOver() {
    clearScreen();
    record = { ...store.clear(), open: record.open };
    save();
    setStatus("connected");
    focusReplies = true;
    if (view.panel.contains(document.activeElement)) log.focus({ preventScroll: true });
    connection.restart();
  }

  function setOpen(open, moveFocus) {
    record.open = open;
    save();
    view.panel.hidden = !open;
    if (view.launcher) {
      view.launcher.hidden = open;
      view.launcher.setAttribute("aria-expanded", String(open));
    }
    if (open) {
      connection.open();
      reveal(false);
    }
    if (moveFocus) {
      focusReplies = open; // the greeting's choices take the focus when they come
      (open ? log : view.launcher).focus();
    }
  }

  record.messages.forEach((entry, index) => showEntry(entry, index === record.messages.length - 1));
  view.composer.addEventListener("submit", (event) => {
    event.preventDefault();
    const text = input.value.trim();
    if (!text) return;
    input.value = "";
    say(text, text);
  });
  view.startOver.addEventListener("click", startOver);
  if (view.launcher) {
    view.launcher.addEventListener("click", () => setOpen(true, true));
    view.close.addEventListener("click", () => setOpen(false, true));
    view.panel.addEventListener("keydown", (event) => {
      if (event.key === "Escape") setOpen(false, true);
    });
  }
  mount.append(view.root);
  setOpen(o.kiosk || record.open, false);
  return { root: view.root, log, startOver };
}
