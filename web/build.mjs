/*
 * `make web`: bundle the widget (web/src/, with socket.io-client) and copy the demo page into
 * web/dist/, the folder that is served and that a hospital copies. Writes the licences of the
 * bundled packages next to the bundle, prints each file's gzipped size and fails when what a page
 * loads for the widget is over the size budget.
 */
import { build } from "esbuild";
import { copyFileSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";

const WEB = dirname(fileURLToPath(import.meta.url));
const ROOT = dirname(WEB);
const DIST = join(WEB, "dist");
const BUDGET_BYTES = 150 * 1024;
const WIDGET_FILES = ["hepb-chat.js", "hepb-chat.css"];

function licences(inputs) {
  const folders = new Set(Object.keys(inputs)
    .map((path) => /^(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(path))
    .filter(Boolean)
    .map((match) => match[1]));
  return [...folders].sort().map((folder) => {
    const name = folder.replace(/^.*node_modules\//, "");
    const file = readdirSync(join(ROOT, folder)).find((entry) => /^licen[sc]e/i.test(entry));
    if (!file) throw new Error(`${name} ships no licence file`);
    return `${name}\n${"=".repeat(name.length)}\n${readFileSync(join(ROOT, folder, file), "utf8").trim()}\n`;
  }).join("\n");
}

rmSync(DIST, { recursive: true, force: true });
mkdirSync(DIST);
const bundled = await build({
  entryPoints: [join(WEB, "src", "index.js")],
  outfile: join(DIST, "hepb-chat.js"),
  bundle: true,
  minify: true,
  format: "iife",
  platform: "browser",
  target: ["es2018"],
  legalComments: "none", // the licences are in THIRD-PARTY-LICENSES.txt
  metafile: true,
  logLevel: "warning",
});
await build({
  entryPoints: [join(WEB, "src", "hepb-chat.css")],
  outfile: join(DIST, "hepb-chat.css"),
  minify: true,
  logLevel: "warning",
});
writeFileSync(join(DIST, "THIRD-PARTY-LICENSES.txt"),
  `Packages bundled into hepb-chat.js:\n\n${licences(bundled.metafile.inputs)}`);
for (const file of readdirSync(join(WEB, "page"))) copyFileSync(join(WEB, "page", file), join(DIST, file));

let total = 0;
for (const file of WIDGET_FILES) {
  const text = readFileSync(join(DIST, file));
  const gzipped = gzipSync(text, { level: 9 }).length;
  total += gzipped;
  console.log(`web/dist/${file}: ${(text.length / 1024).toFixed(1)} KB, ${(gzipped / 1024).toFixed(1)} KB gzipped`);
}
console.log(`widget total: ${(total / 1024).toFixed(1)} KB gzipped (budget ${BUDGET_BYTES / 1024} KB)`);
if (total > BUDGET_BYTES) throw new Error("the widget is over its size budget");
