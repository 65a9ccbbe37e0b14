// docs/rules.md, made from the rules' own docs and the groups': one section per rule, in report order within
// its group. `npm run docs` writes it; a test fails when the committed page differs.
import { GROUPS, PREAMBLE, RUN_NOTES } from "../validate/groups";
import { Rule, RuleDocs } from "../validate/rule";

const WIDTH = 110;
const LABELS: [keyof RuleDocs, string][] = [
  ["why", "Why"],
  ["info", "Info"],
  ["fix", "Fix"],
  ["procedure", "Safe procedure"],
  ["designs", "Designs"],
];

/** The page, ending with a newline. */
export function rulesDocument(rules: Rule[]): string {
  const parts = [
    "# Validation rules",
    "<!-- Generated from each rule's `docs` (generator/validate/rules/) and generator/validate/groups.ts by `npm run docs`: edit those, not this page. -->",
    wrap(PREAMBLE),
  ];
  for (const group of GROUPS) {
    parts.push(`## ${group.title}`);
    if (group.intro) parts.push(wrap(group.intro));
    for (const rule of rules.filter((r) => r.group === group.id)) parts.push(`### ${rule.id}\n${ruleText(rule)}`);
  }
  parts.push(`## ${RUN_NOTES.title}`, wrap(RUN_NOTES.text));
  return `${parts.join("\n\n")}\n`;
}

/** A rule's section without its heading: what it checks, then each labelled part, then severity and runbook,
 * run into one paragraph as far as lists allow. */
export function ruleText(rule: Rule): string {
  const { docs } = rule;
  const labelled = LABELS.filter(([key]) => docs[key]).map(([key, label]) => labelledPart(label, docs[key]!));
  const link = docs.runbook?.replace(/^docs\//, "");
  const parts = [
    docs.checks,
    ...labelled,
    `*Severity:* ${rule.severity}.`,
    ...(link ? [`*Runbook:* [${link}](${link})`] : []),
  ];
  return wrap(parts.reduce((text, part) => `${text}${endsWithList(text) ? "\n\n" : " "}${part}`));
}

/** A list starts on the line after its label. */
function labelledPart(label: string, text: string): string {
  return `*${label}:*${LIST_ITEM.test(text) ? "\n" : " "}${text}`;
}

const LIST_ITEM = /^(\d+\. |- )/;

/** A paragraph after a list must be set apart from it, or Markdown continues the last item with it. */
function endsWithList(text: string): boolean {
  return LIST_ITEM.test(text.slice(text.lastIndexOf("\n") + 1));
}

/** Markdown whose paragraphs and list items are one line each, wrapped at WIDTH columns: list items keep their
 * indentation on continued lines, a code span is never broken, and table rows and headings stay whole. */
export function wrap(markdown: string): string {
  return markdown
    .split("\n")
    .map((line) => {
      if (/^[|#]/.test(line)) return line; // table rows and headings stay whole
      const item = line.match(LIST_ITEM);
      return wrapLine(line, item ? " ".repeat(item[1].length) : "");
    })
    .join("\n");
}

function wrapLine(line: string, indent: string): string {
  const words = spans(line);
  const lines: string[] = [];
  let current = "";
  for (const word of words) {
    const next = current ? `${current} ${word}` : word;
    if (current && next.length > WIDTH) {
      lines.push(current);
      current = `${indent}${word}`;
    } else current = next;
  }
  lines.push(current);
  return lines.join("\n");
}

/** The line's words, a code span with spaces counting as one word. */
function spans(line: string): string[] {
  const words: string[] = [];
  let open = false;
  for (const piece of line.split(" ")) {
    if (open) words[words.length - 1] += ` ${piece}`;
    else words.push(piece);
    if ((piece.match(/`/g) ?? []).length % 2 === 1) open = !open;
  }
  return words;
}
