#!/usr/bin/env node
// Renders a Markdown report (a pull-request summary) to HTML as GitHub shows a job summary, and screenshots it at
// 1,000 px in headless Chromium, to see what a reviewer sees. Not part of the test suite: it needs Chromium
// (Debian: apt-get install -y chromium fonts-noto-color-emoji).
//
//   node scripts/summary-screenshot.js SUMMARY.md OUT.png [--width 1000]
//
// e.g. npx kafka-overlays validate --base origin/main -o markdown > /tmp/summary.md
//      node scripts/summary-screenshot.js /tmp/summary.md docs/pr-summary.png
// Prints the page's width and height; exits 1 when the page is wider than the window (a reader would scroll
// sideways), 2 on a usage error or a failing browser. Nothing reaches the network: the page is a local file,
// and Chromium runs with a fresh profile and its background services off.
"use strict";
const { execFileSync } = require("node:child_process");
const { mkdtempSync, readFileSync, rmSync, writeFileSync } = require("node:fs");
const { tmpdir } = require("node:os");
const { join, resolve } = require("node:path");
const MarkdownIt = require("markdown-it");

const CHROMIUM = process.env.CHROMIUM || "/usr/bin/chromium";
const TIME_LIMIT_MS = 60_000;

// Close to GitHub's Markdown styles: system font at 14 px, bordered tables, shaded code.
const STYLE = `
body { margin: 0; padding: 16px 24px; font: 14px/1.5 -apple-system, "Segoe UI", "Noto Sans", Helvetica, Arial, sans-serif, "Noto Color Emoji"; color: #1f2328; background: #fff; }
h1, h2 { border-bottom: 1px solid #d1d9e0; padding-bottom: .3em; } h1 { font-size: 2em; } h2 { font-size: 1.5em; } h3 { font-size: 1.25em; }
table { border-collapse: collapse; display: block; width: max-content; max-width: 100%; overflow: auto; margin: 0 0 16px; }
th, td { border: 1px solid #d1d9e0; padding: 6px 13px; } tr:nth-child(2n) { background: #f6f8fa; }
code { background: rgba(129,139,152,.12); border-radius: 6px; padding: .2em .4em; font: 85% ui-monospace, "DejaVu Sans Mono", monospace; }
pre { background: #f6f8fa; border-radius: 6px; padding: 16px; overflow: auto; } pre code { background: none; padding: 0; }
details { margin: 0 0 16px; } summary { cursor: pointer; }
`;

function usage(message) {
  console.error(
    `summary-screenshot: ${message}\nusage: node scripts/summary-screenshot.js SUMMARY.md OUT.png [--width 1000]`,
  );
  process.exit(2);
}

function chromium(profile, args) {
  const flags = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    `--user-data-dir=${profile}`,
    "--hide-scrollbars",
  ];
  return execFileSync(CHROMIUM, [...flags, ...args], {
    encoding: "utf8",
    timeout: TIME_LIMIT_MS,
    stdio: ["ignore", "pipe", "pipe"],
    maxBuffer: 64 * 1024 * 1024,
  });
}

function main(argv) {
  const args = [...argv];
  let width = 1000;
  const flag = args.indexOf("--width");
  if (flag >= 0) {
    width = Number(args[flag + 1]);
    if (!Number.isInteger(width) || width < 200)
      usage(`--width must be a whole number of pixels >= 200, got ${args[flag + 1]}`);
    args.splice(flag, 2);
  }
  if (args.length !== 2) usage("expected SUMMARY.md and OUT.png");
  const [input, output] = args.map((path) => resolve(path));
  // GitHub renders HTML in summaries (details, sub) and strips scripts: so does this page, html on, no scripts of the input's.
  const body = new MarkdownIt({ html: true, linkify: false })
    .render(readFileSync(input, "utf8"))
    .replace(/<script[\s\S]*?<\/script>/gi, "");
  const scratch = mkdtempSync(join(tmpdir(), "summary-screenshot-"));
  try {
    const page = join(scratch, "summary.html");
    // The page measures itself once laid out (details closed, as GitHub first shows them) and writes its size into its title.
    const measure = `<script>document.querySelectorAll("details").forEach((d) => (d.open = false));
addEventListener("load", () => document.title = document.documentElement.scrollWidth + "x" + document.documentElement.scrollHeight);</script>`;
    writeFileSync(
      page,
      `<!doctype html><html><head><meta charset="utf-8"><title></title><style>${STYLE}</style></head><body>${body}${measure}</body></html>`,
    );
    const dom = chromium(join(scratch, "profile-measure"), [
      `--window-size=${width},800`,
      "--virtual-time-budget=5000",
      "--dump-dom",
      `file://${page}`,
    ]);
    const size = /<title>(\d+)x(\d+)<\/title>/.exec(dom);
    if (!size) throw new Error("the page did not report its size");
    const [pageWidth, pageHeight] = [Number(size[1]), Number(size[2])];
    chromium(join(scratch, "profile-shot"), [
      `--window-size=${width},${pageHeight}`,
      `--screenshot=${output}`,
      `file://${page}`,
    ]);
    console.log(
      `${output}: ${width} x ${pageHeight} px; page width ${pageWidth} px${pageWidth > width ? ` (wider than ${width} px: a reader scrolls sideways)` : ""}`,
    );
    return pageWidth > width ? 1 : 0;
  } catch (error) {
    console.error(`summary-screenshot: ${String(error.message || error).split("\n")[0]}`);
    return 2;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

process.exitCode = main(process.argv.slice(2));
