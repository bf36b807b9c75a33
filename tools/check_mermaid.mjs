// Parse Mermaid files with Mermaid's own parser (dev-time check of `iacscan graph` output; no browser).
//   cd "$(mktemp -d)" && npm install mermaid@11 jsdom && node /path/to/tools/check_mermaid.mjs g.mmd ...
// Exits 1 when a file does not parse. Rendering to SVG needs a browser (mermaid-cli + Chrome).
import { JSDOM } from "jsdom";
import { readFileSync } from "node:fs";
const dom = new JSDOM("<!doctype html><html><body></body></html>");
globalThis.window = dom.window;
globalThis.document = dom.window.document;
globalThis.DOMParser = dom.window.DOMParser;
const { default: mermaid } = await import("mermaid");
mermaid.initialize({ startOnLoad: false });
let failed = 0;
for (const file of process.argv.slice(2)) {
  try {
    const result = await mermaid.parse(readFileSync(file, "utf8"));
    console.log(file, "OK", result.diagramType);
  } catch (error) {
    failed += 1;
    console.log(file, "ERROR", String(error.message || error).split("\n").slice(0, 4).join(" | "));
  }
}
process.exit(failed ? 1 : 0);
