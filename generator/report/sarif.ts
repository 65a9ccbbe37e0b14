// SARIF 2.1.0, for code-scanning dashboards.
import { Rule } from "../validate/rule";
import { Finding } from "../findings";
import { ruleText } from "./rulesDoc";

const LEVEL = { error: "error", warning: "warning", info: "note" };
const DOCS = "docs/rules.md";

export function sarif(findings: Finding[], rules: Rule[], version: string, prefix = ""): string {
  const index = new Map(rules.map((rule, i) => [rule.id, i]));
  const log = {
    $schema: "https://json.schemastore.org/sarif-2.1.0.json",
    version: "2.1.0",
    runs: [
      {
        tool: {
          driver: {
            name: "kafka-overlays",
            version,
            rules: rules.map((rule) => ({
              id: rule.id,
              name: rule.id.replace(/(^|-)(\w)/g, (_m, _d, c: string) => c.toUpperCase()),
              shortDescription: { text: rule.title },
              fullDescription: { text: rule.docs.checks },
              help: { text: ruleText(rule), markdown: ruleText(rule) },
              helpUri: `${DOCS}#${rule.id}`,
              defaultConfiguration: { level: LEVEL[rule.severity] },
              properties: { group: rule.group },
            })),
          },
        },
        results: findings.map((f) => ({
          ruleId: f.rule,
          ...(index.has(f.rule) ? { ruleIndex: index.get(f.rule) } : {}),
          level: LEVEL[f.severity],
          message: { text: f.hint ? `${f.message} (hint: ${f.hint})` : f.message },
          locations: [
            {
              physicalLocation: {
                artifactLocation: { uri: `${prefix}${f.file ?? f.overlay}` },
                ...(f.line ? { region: { startLine: f.line, ...(f.column ? { startColumn: f.column } : {}) } } : {}),
              },
              ...(f.object
                ? {
                    logicalLocations: [
                      {
                        name: f.object.name,
                        kind: "object",
                        fullyQualifiedName: `${f.overlay}/${f.object.kind}/${f.object.namespace ?? ""}/${f.object.name}`,
                      },
                    ],
                  }
                : {}),
            },
          ],
          ...(f.rendered?.file
            ? {
                relatedLocations: [
                  {
                    id: 0,
                    message: { text: "rendered" },
                    physicalLocation: {
                      artifactLocation: { uri: `${prefix}${f.rendered.file}` },
                      ...(f.rendered.line ? { region: { startLine: f.rendered.line } } : {}),
                    },
                  },
                ],
              }
            : {}),
          ...(f.field || f.messageId
            ? {
                properties: {
                  ...(f.field ? { field: f.field } : {}),
                  ...(f.messageId ? { messageId: f.messageId } : {}),
                },
              }
            : {}),
          ...(f.acknowledged ? { suppressions: [{ kind: "inSource", justification: f.acknowledged }] } : {}),
        })),
      },
    ],
  };
  return JSON.stringify(log, null, 2);
}
