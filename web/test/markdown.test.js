// node --test web/test: the widget's pure modules (no browser needed).
import assert from "node:assert/strict";
import { test } from "node:test";

import { parse, parseInline } from "../src/markdown.js";
import { contrastWithWhite } from "../src/options.js";

test("lines, a list and a link as the assistant writes them", () => {
  const text = "What the guide checks:\n- ✔ met: ALT **2 to 10** times\n- ? unknown: HBeAg\n"
    + "Call [hospital.example/liver](https://hospital.example/liver).";
  assert.deepEqual(parse(text), [
    { type: "line", inlines: [{ text: "What the guide checks:" }] },
    { type: "list", items: [
      [{ text: "✔ met: ALT " }, { strong: "2 to 10" }, { text: " times" }],
      [{ text: "? unknown: HBeAg" }],
    ] },
    { type: "line", inlines: [
      { text: "Call " }, { link: "https://hospital.example/liver", text: "hospital.example/liver" }, { text: "." },
    ] },
  ]);
});

test("markup stays text and only web, mail and phone links become links", () => {
  assert.deepEqual(parseInline("<img src=x onerror=alert(1)>"), [{ text: "<img src=x onerror=alert(1)>" }]);
  for (const line of ["[click](javascript:alert(1))", "[x](data:text/html,hi)", "[x](//evil.example)"]) {
    assert.ok(parseInline(line).every((inline) => inline.link === undefined), line);
  }
  assert.deepEqual(parseInline("[call](tel:+441234567890) or [mail](mailto:a@b.example)"), [
    { link: "tel:+441234567890", text: "call" }, { text: " or " }, { link: "mailto:a@b.example", text: "mail" },
  ]);
});

test("blank lines are dropped and a lone asterisk or bracket is text", () => {
  assert.deepEqual(parse("\n5 * 10 [sic]\n\n"), [{ type: "line", inlines: [{ text: "5 * 10 [sic]" }] }]);
});

test("white text on the default colour passes WCAG AA, on a light colour it does not", () => {
  assert.ok(contrastWithWhite("#00558c") >= 4.5);
  assert.ok(contrastWithWhite("#fc0") < 4.5);
  assert.equal(contrastWithWhite("rebeccapurple"), null);
});
