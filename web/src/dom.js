/*
 * Building the widget's DOM. Text always goes in as text (textContent), never as HTML, so
 * nothing a message says can become markup or script.
 */
import { parse } from "./markdown.js";

/** <tag attributes...>children</tag>; `text` sets the text, `class` the class. */
export function el(tag, attributes = {}, children = []) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (name === "text") node.textContent = value;
    else if (name === "class") node.className = value;
    else if (value === true) node.setAttribute(name, "");
    else if (value !== false && value !== null && value !== undefined) node.setAttribute(name, value);
  }
  node.append(...children);
  return node;
}

/** Text only seen by screen readers. */
export function screenReaderText(text) {
  return el("span", { class: "hepb-sr", text });
}

function inlineNode(inline, followLinks) {
  if (inline.strong !== undefined) return el("strong", { text: inline.strong });
  if (inline.link === undefined) return document.createTextNode(inline.text);
  if (!followLinks) {
    // kiosk: a link would take the screen away from the assistant; show where it points instead
    const shown = inline.link.replace(/^(https?:\/\/|mailto:|tel:)/i, "").replace(/\/$/, "");
    const label = shown === inline.text ? inline.text : `${inline.text} (${shown})`;
    return el("span", { class: "hepb-link-text", text: label });
  }
  return el("a", { href: inline.link, target: "_blank", rel: "noopener noreferrer" },
    [inline.text, screenReaderText(" (opens in a new tab)")]);
}

function inlines(list, followLinks) {
  return list.map((inline) => inlineNode(inline, followLinks));
}

/** A message's Markdown as paragraphs and lists. */
export function markdown(text, { followLinks }) {
  return parse(text).map((block) => (block.type === "list"
    ? el("ul", {}, block.items.map((item) => el("li", {}, inlines(item, followLinks))))
    : el("p", {}, inlines(block.inlines, followLinks))));
}
