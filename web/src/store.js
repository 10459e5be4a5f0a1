/*
 * The conversation as this tab remembers it, in sessionStorage only: the session id the server
 * confirmed, the messages on screen and whether the chat was open. A reload keeps it; closing
 * the tab or "Start over" ends it. Nothing goes to localStorage or cookies.
 */
const KEY = "hepb-chat";

function emptyRecord() {
  return { sessionId: null, open: false, messages: [] };
}

function storage() {
  try {
    return window.sessionStorage;
  } catch (error) {
    return null; // storage disabled: the conversation lasts as long as the page
  }
}

export function load() {
  try {
    const record = JSON.parse(storage().getItem(KEY));
    if (record && Array.isArray(record.messages)) return { ...emptyRecord(), ...record };
  } catch (error) {
    /* nothing stored, unreadable, or storage disabled */
  }
  return emptyRecord();
}

export function save(record) {
  try {
    storage().setItem(KEY, JSON.stringify(record));
  } catch (error) {
    /* storage full or disabled: the page still works */
  }
}

/** Forget the conversation; returns the empty record to carry on with. */
export function clear() {
  try {
    storage().removeItem(KEY);
  } catch (error) {
    /* storage disabled */
  }
  return emptyRecord();
}
