/*
 * Hepatitis B assistant chat widget: `make web` bundles this (with socket.io-client 4) into
 * web/dist/hepb-chat.js. A hospital's page:
 *
 *   <link rel="stylesheet" href="https://assistant.example.org/hepb-chat.css">
 *   <script src="https://assistant.example.org/hepb-chat.js"></script>
 *   <script>HepBChat.init({ serverUrl: "https://assistant.example.org" });</script>
 *
 * Options: options.js and the README ("Web chat widget").
 */
import { hidePageForKiosk, watchIdle } from "./kiosk.js";
import { resolveOptions } from "./options.js";
import { createWidget } from "./widget.js";

function domReady() {
  return document.readyState === "loading"
    ? new Promise((resolve) => document.addEventListener("DOMContentLoaded", resolve, { once: true }))
    : Promise.resolve();
}

function mountPoint(element) {
  if (!element) return document.body;
  const node = typeof element === "string" ? document.querySelector(element) : element;
  if (!node) throw new Error(`HepBChat.init: no element ${element} on this page`);
  return node;
}

/** Put the widget on the page; resolves to `{ startOver }`. */
function init(options) {
  const o = resolveOptions(options);
  return domReady().then(() => {
    if (o.kiosk) hidePageForKiosk();
    const widget = createWidget(o, o.kiosk ? document.body : mountPoint(o.element));
    if (o.kiosk) watchIdle(widget, o.idleSeconds);
    return { startOver: widget.startOver };
  });
}

window.HepBChat = { init };
