// The step after the rules: each finding gets the file and line a person edits, the Environment or Cluster
// document field behind the value where there is one (specOrigin.ts), else the rendered file (locator.ts).
import { Finding } from "../findings";
import { oneLine } from "../problems";
import { RuleFinding } from "../validate/rule";
import { Locator } from "./locator";
import { SpecOrigins } from "./specOrigin";

/** The engine's findings, located in the repository at `root`; file readers live for this one call. */
export function locate(checked: RuleFinding[], root: string): Finding[] {
  const locator = new Locator(root);
  const origins = new SpecOrigins(root);
  return checked.map(({ finding, report }) => {
    if (!report) return finding;
    const rendered = locator.locate(report.manifest, report.at);
    const origin = origins.locate(report.set.environment, report.manifest?.object, report.at, rendered);
    const location = origin ? { ...origin, rendered } : rendered;
    const { hint, ...identity } = finding;
    return { ...identity, ...location, ...(location.file !== undefined ? { file: oneLine(location.file) } : {}), hint };
  });
}
