/*
 * The demo page's widget: the Rasa server from config.js (scripts/serve_web.py), kiosk mode and
 * its idle time from the query string (?kiosk=1&idle=60). The server URL is never taken from the
 * query string, so a link cannot point the page at another server.
 */
(function () {
  "use strict";
  var config = window.HEPB_CHAT_CONFIG || {};
  var query = new URLSearchParams(window.location.search);
  var options = { serverUrl: config.serverUrl };
  if (query.get("kiosk") === "1" || query.get("kiosk") === "true") options.kiosk = true;
  if (query.get("idle")) options.idleSeconds = Number(query.get("idle"));
  if (query.get("lang")) options.language = query.get("lang");
  window.HepBChat.init(options);
})();
