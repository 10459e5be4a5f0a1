/*
 * The assistant's socket.io channel (Rasa 3.6 on python-socketio 5 / Engine.IO 4):
 * `session_request` -> `session_confirm`, then `user_uttered` -> `bot_uttered`.
 *
 * The session id belongs to the server: after every (re)connection the widget asks to continue
 * the stored session, and whatever id the server confirms is the one used from then on (an
 * unknown or expired id gets a new session). The widget never makes up an id.
 */
import { io } from "socket.io-client";

/** A socket session; call `open()` to connect. */
export function createConnection({ serverUrl, socketPath, storedSession, onSession, onMessage, onStatus }) {
  const socket = io(serverUrl, { path: socketPath, autoConnect: false });
  const pending = [];
  let sessionId = null;
  let restarting = false;

  const emit = (data) => socket.emit("user_uttered", { ...data, session_id: sessionId });

  socket.on("connect", () => {
    sessionId = null;
    onStatus("connected");
    restarting = false;
    socket.emit("session_request", { session_id: storedSession() });
  });
  socket.on("session_confirm", (data) => {
    const confirmed = typeof data === "string" ? data : data && data.session_id;
    if (typeof confirmed !== "string" || !confirmed) return;
    sessionId = confirmed;
    onSession(confirmed); // may call dropPending() when the conversation starts afresh
    pending.splice(0).forEach(emit);
  });
  socket.on("bot_uttered", (message) => {
    if (message && typeof message === "object") onMessage(message);
  });
  socket.on("disconnect", () => {
    sessionId = null;
    if (!restarting) onStatus("reconnecting");
  });
  socket.on("connect_error", () => onStatus("unreachable"));

  return {
    open() {
      if (!socket.connected && !socket.active) socket.connect();
    },
    /** Send a message (queued until the server has confirmed the session). */
    send(message, metadata) {
      const data = { message, customData: metadata };
      if (sessionId && socket.connected) emit(data);
      else pending.push(data);
    },
    dropPending() {
      pending.length = 0;
    },
    /** A new connection, for a new session once the stored one has been forgotten: answers
        still on their way to the old session no longer reach this page. */
    restart() {
      restarting = true;
      sessionId = null;
      pending.length = 0;
      socket.disconnect();
      socket.connect();
    },
  };
}
