// Unusable input (exit 2) in each output format, so an uploaded report is never an empty file.
import { Problem, formatProblem, oneLine } from "../problems";
import { Format } from "./index";
import { annotation } from "./github";

const xml = (s: string) =>
  s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&apos;");
const cell = (s: string) => s.replace(/\|/g, "\\|").replace(/\n/g, "<br>");
const what = (p: Problem) => (p.field ? `${p.field}: ${p.message}` : p.message);
/** file:line:col: message, or the message alone for a problem of the setup rather than of a file. */
const full = (p: Problem) => (p.file ? formatProblem(p) : what(p));

/** kustomize's log framing (`E1126 12:00:00.1 42 run.go:72] "command failed" err="…"`) reduced to its message. */
export function cleanToolOutput(text: string): string {
  return text
    .split("\n")
    .map((line) => {
      const klog = /^[EWIF]\d{4} [\d:.]+\s+\d+ [\w./-]+:\d+\] (.*)$/.exec(line);
      if (!klog) return line.replace(/^Error: /, "");
      const failed = /^"command failed" err="(.*)"$/.exec(klog[1]);
      return failed ? failed[1].replace(/\\"/g, '"') : klog[1];
    })
    .join("\n");
}

export function formatProblems(format: Format, problems: Problem[], version: string, prefix: string): string {
  const count = `${problems.length} problem(s): the input is unusable, nothing was checked`;
  switch (format) {
    case "text":
      return `${problems.map(full).join("\n")}\n${problems.length} problem(s)`;
    case "short":
      // As findings print in this format; a problem of the setup rather than of a file is placed at the root.
      return problems
        .map((p) =>
          oneLine(
            `${[p.file || ".", p.line, p.column].filter((x) => x !== undefined).join(":")}: error unusable-input: ${what(p)}`,
          ),
        )
        .join("\n");
    case "json":
      return JSON.stringify(
        {
          findings: [],
          problems: problems.map((p) => ({
            file: p.file || null,
            line: p.line ?? null,
            column: p.column ?? null,
            field: p.field ?? null,
            message: p.message,
          })),
          summary: { errors: 0, warnings: 0, infos: 0, acknowledged: 0, problems: problems.length },
        },
        null,
        2,
      );
    case "github":
      return problems
        .map((p) =>
          annotation(
            "error",
            {
              file: p.file === "-" || !p.file ? undefined : p.file,
              line: p.line,
              column: p.column,
              title: "kafka-overlays: unusable input",
            },
            what(p),
            prefix,
          ),
        )
        .join("\n");
    case "sarif":
      return JSON.stringify(
        {
          $schema: "https://json.schemastore.org/sarif-2.1.0.json",
          version: "2.1.0",
          runs: [
            {
              tool: {
                driver: {
                  name: "kafka-overlays",
                  version,
                  rules: [{ id: "unusable-input", shortDescription: { text: "The input can be read and rendered" } }],
                },
              },
              invocations: [
                {
                  executionSuccessful: false,
                  exitCode: 2,
                  toolExecutionNotifications: problems.map((p) => ({ level: "error", message: { text: full(p) } })),
                },
              ],
              results: problems.map((p) => ({
                ruleId: "unusable-input",
                ruleIndex: 0,
                level: "error",
                message: { text: what(p) },
                ...(p.file
                  ? {
                      locations: [
                        {
                          physicalLocation: {
                            artifactLocation: { uri: `${prefix}${p.file}` },
                            ...(p.line
                              ? { region: { startLine: p.line, ...(p.column ? { startColumn: p.column } : {}) } }
                              : {}),
                          },
                        },
                      ],
                    }
                  : {}),
              })),
            },
          ],
        },
        null,
        2,
      );
    case "junit": {
      const cases = problems.map(
        (p) =>
          `    <testcase classname="input" name="${xml(p.file || "kafka-overlays")}">\n      <error message="${xml(what(p))}" type="unusable-input">${xml(full(p))}</error>\n    </testcase>`,
      );
      return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="kafka-overlays validate" tests="${problems.length}" failures="0" errors="${problems.length}">\n  <testsuite name="input" tests="${problems.length}" failures="0" errors="${problems.length}" skipped="0">\n${cases.join("\n")}\n  </testsuite>\n</testsuites>`;
    }
    case "markdown":
      return [
        "## kafka-overlays validate",
        "",
        `❌ **${count}.**`,
        "",
        "| where | problem |",
        "|---|---|",
        ...problems.map(
          (p) =>
            `| ${p.file ? `\`${cell([p.file, p.line, p.column].filter((x) => x !== undefined).join(":"))}\`` : ""} | ${cell(what(p))} |`,
        ),
        "",
      ].join("\n");
  }
}
