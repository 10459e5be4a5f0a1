/*
 * Hepatitis B assistant chat widget: a thin wrapper around rasa-webchat (Apache-2.0,
 * https://github.com/botfront/rasa-webchat), whose prebuilt bundle `make web` copies to
 * vendor/rasa-webchat.js. It maps the hospital's options onto the widget and adds kiosk mode.
 *
 *   <script src="https://assistant.example.org/hepb-chat.js"></script>
 *   <script>HepBChat.init({ serverUrl: "https://assistant.example.org" });</script>
 *
 * Options (all optional except serverUrl):
 *   serverUrl       Rasa server (socket.io), e.g. "https://assistant.example.org"
 *   socketPath      socket.io path on that server ("/socket.io/")
 *   title, subtitle header text
 *   mainColor       header, buttons and the user's bubbles (also userBackgroundColor,
 *                   userTextColor, assistBackgroundColor, assistTextColor)
 *   language        sent with every message as metadata and set as the widget's lang ("en")
 *   initialMessage  sent when a conversation starts ("/greet": the greeting with topic buttons)
 *   inputHint       placeholder of the text field
 *   storage         "session" (default: the conversation survives a reload, not closing the tab)
 *                   or "local" (survives closing the browser)
 *   element         where to mount (an element or a CSS selector; default: a new div in body)
 *   kiosk           true: full screen, large buttons, "Start over", idle reset
 *   idleSeconds     kiosk: seconds without a touch before the screen is cleared (180)
 *   widgetScript    URL of rasa-webchat's bundle (default: vendor/rasa-webchat.js next to this file)
 */
(function () {
  "use strict";

  var RESET_FLAG = "hepb-chat-reset";
  var thisScript = document.currentScript;
  var baseUrl = thisScript ? thisScript.src.replace(/[^/]*$/, "") : "";

  var DEFAULTS = {
    serverUrl: null,
    socketPath: "/socket.io/",
    title: "Hepatitis B questions",
    subtitle: "Answers from the patient guides",
    mainColor: "#00558c",
    userBackgroundColor: null,
    userTextColor: null,
    assistBackgroundColor: null,
    assistTextColor: null,
    language: "en",
    initialMessage: "/greet",
    inputHint: "Type a message...",
    storage: "session",
    element: null,
    kiosk: false,
    idleSeconds: 180,
    widgetScript: null,
  };

  function merge(options) {
    var merged = {};
    Object.keys(DEFAULTS).forEach(function (key) {
      merged[key] = options && options[key] !== undefined && options[key] !== null ? options[key] : DEFAULTS[key];
    });
    return merged;
  }

  function loadScript(src) {
    return new Promise(function (resolve, reject) {
      if (window.WebChat) return resolve();
      var script = document.createElement("script");
      script.src = src;
      script.async = true;
      script.onload = function () { resolve(); };
      script.onerror = function () { reject(new Error("could not load " + src)); };
      document.head.appendChild(script);
    });
  }

  function clearStorage() {
    try { window.sessionStorage.clear(); } catch (e) { /* storage disabled */ }
    try { window.localStorage.clear(); } catch (e) { /* storage disabled */ }
  }

  /* Kiosk: forget everything and load the page again: a new conversation, new session id. */
  var leaving = false;
  function startOver() {
    if (leaving) return;
    leaving = true;
    try { window.sessionStorage.setItem(RESET_FLAG, "1"); } catch (e) { /* storage disabled */ }
    window.location.reload();
  }

  function mountElement(o) {
    if (o.element) {
      return typeof o.element === "string" ? document.querySelector(o.element) : o.element;
    }
    var node = document.createElement("div");
    node.id = "hepb-chat";
    document.body.appendChild(node);
    return node;
  }

  function kioskFrame(o) {
    document.documentElement.classList.add("hepb-kiosk");
    var frame = document.createElement("div");
    frame.className = "hepb-kiosk-frame";
    frame.innerHTML =
      '<header class="hepb-kiosk-bar">' +
      '  <span class="hepb-kiosk-title"></span>' +
      '  <button type="button" class="hepb-start-over" id="hepb-start-over">Start over</button>' +
      "</header>" +
      '<div class="hepb-kiosk-chat"></div>' +
      '<div class="hepb-idle-warning" id="hepb-idle-warning" hidden role="alertdialog" aria-live="assertive">' +
      '  <p>Are you still there? The screen will be cleared in <span class="hepb-idle-count"></span> seconds.</p>' +
      '  <button type="button" class="hepb-still-here">I am still here</button>' +
      "</div>";
    frame.querySelector(".hepb-kiosk-title").textContent = o.title;
    frame.querySelector(".hepb-start-over").style.backgroundColor = o.mainColor;
    frame.querySelector(".hepb-still-here").style.backgroundColor = o.mainColor;
    frame.querySelector(".hepb-start-over").addEventListener("click", startOver);
    document.body.appendChild(frame);
    var chat = frame.querySelector(".hepb-kiosk-chat");
    watchIdle(frame, chat, Math.max(1, Number(o.idleSeconds) || DEFAULTS.idleSeconds));
    return chat;
  }

  /* Clear the screen idleSeconds after the last touch, key, click or new message on screen;
     warn shortly before. */
  function watchIdle(frame, chat, idleSeconds) {
    var warning = frame.querySelector(".hepb-idle-warning");
    var count = frame.querySelector(".hepb-idle-count");
    var warnSeconds = Math.min(30, Math.floor(idleSeconds / 3));
    var last = Date.now();
    var used = false; // an untouched welcome screen is left alone (no empty conversations)
    var seen = function () {
      last = Date.now();
      warning.hidden = true;
    };
    var touched = function () {
      used = true;
      seen();
    };
    ["pointerdown", "touchstart", "keydown", "input", "wheel"].forEach(function (name) {
      document.addEventListener(name, touched, { capture: true, passive: true });
    });
    // an answer still appearing on screen counts too: the countdown starts once it is shown
    new MutationObserver(seen).observe(chat, { childList: true, subtree: true });
    window.setInterval(function () {
      var left = idleSeconds - (Date.now() - last) / 1000;
      if (!used) {
        if (left <= 0) last = Date.now();
      } else if (left <= 0) {
        startOver();
      } else if (warnSeconds > 0 && left <= warnSeconds) {
        count.textContent = String(Math.ceil(left));
        warning.hidden = false;
      }
    }, 250);
  }

  function colourProps(o) {
    var props = { mainColor: o.mainColor };
    if (o.userBackgroundColor || o.mainColor) props.userBackgroundColor = o.userBackgroundColor || o.mainColor;
    if (o.userTextColor) props.userTextColor = o.userTextColor;
    if (o.assistBackgroundColor) props.assistBackgoundColor = o.assistBackgroundColor; // sic, rasa-webchat's name
    if (o.assistTextColor) props.assistTextColor = o.assistTextColor;
    return props;
  }

  function init(options) {
    var o = merge(options);
    if (!o.serverUrl) {
      throw new Error("HepBChat.init: serverUrl is required (the URL of the Rasa server)");
    }
    var flagged = false;
    try { flagged = window.sessionStorage.getItem(RESET_FLAG) === "1"; } catch (e) { /* disabled */ }
    if (flagged) clearStorage();

    var ready = document.readyState === "loading"
      ? new Promise(function (resolve) { document.addEventListener("DOMContentLoaded", resolve); })
      : Promise.resolve();
    return ready.then(function () {
      var target = o.kiosk ? kioskFrame(o) : mountElement(o);
      target.setAttribute("lang", o.language);
      target.classList.add("hepb-chat");
      return loadScript(o.widgetScript || baseUrl + "vendor/rasa-webchat.js").then(function () {
        var props = Object.assign({
          socketUrl: o.serverUrl,
          socketPath: o.socketPath,
          title: o.title,
          subtitle: o.subtitle,
          initPayload: o.initialMessage,
          customData: { language: o.language },
          inputTextFieldHint: o.inputHint,
          params: { storage: o.storage },
          embedded: !!o.kiosk,
          showCloseButton: !o.kiosk,
          showFullScreenButton: !o.kiosk,
          hideWhenNotConnected: !o.kiosk,
          connectingText: "Connecting...",
          // rasa-webchat shows its typing indicator for this long before each bot message
          customMessageDelay: function (message) {
            return Math.min(900, Math.max(300, (message || "").length * 5));
          },
        }, colourProps(o));
        window.WebChat.default(props, target);
        return { startOver: startOver };
      });
    });
  }

  /* Options for the demo page: config.js (served by scripts/serve_web.py) and the query string.
     The server URL is never taken from the query string, so a link cannot point the page at
     another server. */
  function optionsFromPage() {
    var config = window.HEPB_CHAT_CONFIG || {};
    var query = new URLSearchParams(window.location.search);
    var options = Object.assign({}, config.options || {});
    options.serverUrl = config.serverUrl ||
      window.location.protocol + "//" + window.location.hostname + ":" + (config.rasaPort || 5005);
    if (query.get("kiosk") === "1" || query.get("kiosk") === "true") options.kiosk = true;
    if (query.get("idle")) options.idleSeconds = Number(query.get("idle"));
    if (query.get("lang")) options.language = query.get("lang");
    return options;
  }

  window.HepBChat = { init: init, startOver: startOver, optionsFromPage: optionsFromPage };
})();
