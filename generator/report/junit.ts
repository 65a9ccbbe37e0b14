// JUnit XML: one suite per manifest set, one test case per rule; errors fail, warnings are written out.
import { ManifestSet } from "../manifests/types";
import { Rule } from "../validate/rule";
import { Finding } from "../findings";
import { objectName, renderedAt, where } from "./summary";

const xml = (s: string) =>
  s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&apos;");

export function junit(findings: Finding[], rules: Rule[], sets: ManifestSet[]): string {
  const suites = sets.map((set) => {
    const mine = findings.filter((f) => f.overlay === set.name);
    const failures = rules.filter((r) => mine.some((f) => f.rule === r.id && f.severity === "error")).length;
    const cases = rules.map((rule) => {
      const found = mine.filter((f) => f.rule === rule.id);
      const describe = (f: Finding) =>
        `${where(f)} ${objectName(f)}: ${f.message}${renderedAt(f) ? ` (rendered: ${renderedAt(f)})` : ""}${f.hint ? ` (hint: ${f.hint})` : ""}`;
      const errors = found.filter((f) => f.severity === "error" && !f.acknowledged);
      const others = found.filter((f) => f.severity !== "error" || f.acknowledged);
      const body = [
        ...errors.map(
          (f) => `      <failure message="${xml(f.message)}" type="${rule.id}">${xml(describe(f))}</failure>`,
        ),
        ...(others.length
          ? [
              `      <system-out>${xml(others.map((f) => `${f.severity}${f.acknowledged ? ` (acknowledged: ${f.acknowledged})` : ""}: ${describe(f)}`).join("\n"))}</system-out>`,
            ]
          : []),
      ];
      const open = `    <testcase classname="${xml(set.name)}" name="${xml(`${rule.id}: ${rule.title}`)}"`;
      return body.length ? `${open}>\n${body.join("\n")}\n    </testcase>` : `${open}/>`;
    });
    return `  <testsuite name="${xml(set.name)}" tests="${rules.length}" failures="${failures}" errors="0" skipped="0">\n${cases.join("\n")}\n  </testsuite>`;
  });
  const failures = sets.reduce(
    (n, set) =>
      n +
      rules.filter((r) => findings.some((f) => f.overlay === set.name && f.rule === r.id && f.severity === "error"))
        .length,
    0,
  );
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="kafka-overlays validate" tests="${rules.length * sets.length}" failures="${failures}">\n${suites.join("\n")}\n</testsuites>`;
}
