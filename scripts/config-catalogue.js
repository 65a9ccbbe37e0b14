#!/usr/bin/env node
// Writes generator/spec/catalogue/<product>-<version>.json: the configuration keys a Kafka or ZooKeeper
// version documents, with their types, defaults and valid values, so that `config:` entries are checked
// against the real catalogue. It reads a local copy of the project's own documentation and never the network:
//   node scripts/config-catalogue.js kafka 3.9 <kafka-site checkout, or its 39/generated/kafka_config.html> [OUT_DIR]
//   node scripts/config-catalogue.js zookeeper 3.8 <zookeeper checkout, or its zookeeperAdmin.md> [OUT_DIR]
// (kafka-site is github.com/apache/kafka-site; zookeeper is github.com/apache/zookeeper at a release-3.8.x tag.)
"use strict";
const fs = require("node:fs");
const path = require("node:path");

const OUT = path.join(__dirname, "..", "generator", "spec", "catalogue");

function main([product, version, source, outDir = OUT]) {
  if (!["kafka", "zookeeper"].includes(product) || !/^\d+\.\d+$/.test(version ?? "") || !source) {
    process.stderr.write("usage: node scripts/config-catalogue.js kafka|zookeeper MAJOR.MINOR PATH [OUT_DIR]\n");
    return 2;
  }
  const file = product === "kafka" ? kafkaFile(source, version) : zookeeperFile(source);
  if (!fs.existsSync(file)) {
    process.stderr.write(`config-catalogue: ${file}: no such file\n`);
    return 2;
  }
  const text = fs.readFileSync(file, "utf8");
  const catalogue = product === "kafka" ? kafkaCatalogue(text, version) : zookeeperCatalogue(text, version);
  const out = path.join(outDir, `${product}-${version}.json`);
  fs.mkdirSync(outDir, { recursive: true });
  fs.writeFileSync(out, `${JSON.stringify(catalogue, null, 2)}\n`);
  process.stdout.write(`${path.relative(process.cwd(), out)}: ${Object.keys(catalogue.keys).length} keys\n`);
  return 0;
}

function kafkaFile(source, version) {
  if (!fs.statSync(source, { throwIfNoEntry: false })?.isDirectory()) return source;
  return path.join(source, version.replace(".", ""), "generated", "kafka_config.html");
}

function zookeeperFile(source) {
  if (!fs.statSync(source, { throwIfNoEntry: false })?.isDirectory()) return source;
  return path.join(source, "zookeeper-docs", "src", "main", "resources", "markdown", "zookeeperAdmin.md");
}

const ENTITIES = { "&quot;": '"', "&amp;": "&", "&lt;": "<", "&gt;": ">", "&#39;": "'", "&apos;": "'" };
const unescape = (s) => s.replace(/&(quot|amp|lt|gt|#39|apos);/g, (e) => ENTITIES[e]);

/** Kafka's generated broker configuration page: one <li> per key, a table of Type, Default and Valid Values. */
function kafkaCatalogue(html, version) {
  const keys = {};
  for (const item of html.split("<li>").slice(1)) {
    const name = /<h4><a id="([^"]+)"><\/a>/.exec(item)?.[1];
    if (!name) continue;
    const row = (label) => {
      const match = new RegExp(`<tr><th>${label}:</th><td>([\\s\\S]*?)</td></tr>`).exec(item);
      return match ? unescape(match[1].trim()) : undefined;
    };
    const entry = { type: row("Type") ?? "string" };
    const defaultValue = row("Default");
    if (defaultValue !== undefined && defaultValue !== "null" && defaultValue !== "") entry.default = defaultValue;
    Object.assign(entry, validValues(row("Valid Values") ?? ""));
    keys[name] = entry;
  }
  return {
    product: "kafka",
    version,
    source: `kafka-site ${version.replace(".", "")}/generated/kafka_config.html (broker configs)`,
    // Per-listener overrides: listener.name.<listener>.<key> takes any key of the catalogue.
    prefixes: ["listener.name.*."],
    keys: sorted(keys),
  };
}

/** "[1,...]" and "[0,...,100]" are ranges, "[a, b, c]" an enumeration; other wordings are not checked. */
function validValues(text) {
  const range = /^\[(-?[0-9.]+),\.\.\.(?:,(-?[0-9.]+))?\]$/.exec(text);
  if (range) return { min: Number(range[1]), ...(range[2] !== undefined ? { max: Number(range[2]) } : {}) };
  const list = /^\[([^\].]+(?:, [^\],]+)*)\]$/.exec(text);
  if (list && !text.includes("...")) return { values: list[1].split(", ") };
  return {};
}

/** ZooKeeper's administrator guide: "* *key* :" entries of the configuration sections; its types are prose. */
function zookeeperCatalogue(markdown, version) {
  const start = markdown.indexOf("### Configuration Parameters");
  const end = markdown.indexOf("### Metrics Providers", start);
  const section = markdown.slice(start, end < 0 ? undefined : end);
  const keys = {};
  const patterns = [];
  for (const entry of section.split(/\n(?=\* \*)/).slice(1)) {
    const heading = /^\* \*([^*]+)\*/.exec(entry)?.[1].trim();
    if (!heading) continue;
    const body = entry.slice(entry.indexOf("\n"));
    const names = heading.split(" and ").map((n) => n.trim());
    for (const name of names) {
      const pattern = /^([a-z]+)\.x=/.exec(name);
      if (pattern) patterns.push(`${pattern[1]}.N`);
      else if (/^[A-Za-z0-9._-]+$/.test(name)) keys[name] = zookeeperEntry(body);
    }
    // Keys also documented only by their system property (zookeeper.<key> is read from zoo.cfg as <key>).
    const property = /\(Java system propert(?:y|ies):([^)]*)\)/.exec(body)?.[1] ?? "";
    for (const [, name] of property.matchAll(/\*\*zookeeper\.([A-Za-z0-9._-]+?)\.?\*\*/g))
      keys[name] ??= zookeeperEntry(body);
  }
  return {
    product: "zookeeper",
    version,
    source: "zookeeper-docs/src/main/resources/markdown/zookeeperAdmin.md (Configuration Parameters)",
    patterns: [...new Set(patterns)].sort(),
    keys: sorted(keys),
  };
}

/** The type follows from the documented default where the prose states one ("The default is 0", "Defaults to true"). */
function zookeeperEntry(body) {
  const stated = /defaults?(?: value)?(?: is| to|:)\s+\**(true|false|-?[0-9][0-9,]*)\b/i.exec(
    body.replace(/\s+/g, " "),
  );
  if (!stated) return { type: "any" };
  return { type: /^(true|false)$/i.test(stated[1]) ? "boolean" : "long" };
}

function sorted(object) {
  return Object.fromEntries(Object.entries(object).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

process.exitCode = main(process.argv.slice(2));
