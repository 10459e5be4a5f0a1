/*
 * The Markdown the assistant writes, parsed into plain data (no HTML is ever parsed):
 * lines, "- " list items, **bold** and [links](https://...). A message is one paragraph
 * (Rasa's socket.io channel sends each paragraph as its own message).
 *
 *   parse("Hi **you**\n- [a](https://x)") ->
 *     [{type: "line", inlines: [{text: "Hi "}, {strong: "you"}]},
 *      {type: "list", items: [[{link: "https://x", text: "a"}]]}]
 */
const INLINE = /\*\*([^*]+)\*\*|\[([^\]]+)\]\(([^)\s]+)\)/g;
const LIST_ITEM = /^\s*[-*]\s+(.*)$/;
const SAFE_LINK = /^(https?:\/\/|mailto:|tel:)/i;

/** Text, bold runs and links of one line; a link to any other scheme stays text. */
export function parseInline(line) {
  const inlines = [];
  let last = 0;
  for (const match of line.matchAll(INLINE)) {
    if (match.index > last) inlines.push({ text: line.slice(last, match.index) });
    if (match[1] !== undefined) inlines.push({ strong: match[1] });
    else if (SAFE_LINK.test(match[3])) inlines.push({ link: match[3], text: match[2] });
    else inlines.push({ text: match[2] });
    last = match.index + match[0].length;
  }
  if (last < line.length) inlines.push({ text: line.slice(last) });
  return inlines;
}

/** Blocks of one message: lines, and runs of list items as one list. */
export function parse(text) {
  const blocks = [];
  for (const line of String(text).split("\n")) {
    const item = LIST_ITEM.exec(line);
    const previous = blocks[blocks.length - 1];
    if (item && previous && previous.type === "list") previous.items.push(parseInline(item[1]));
    else if (item) blocks.push({ type: "list", items: [parseInline(item[1])] });
    else if (line.trim()) blocks.push({ type: "line", inlines: parseInline(line) });
  }
  return blocks;
}
