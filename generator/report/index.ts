// Findings in each output format the validate command offers, and the plan and unusable-input formats beside them.
import { ManifestSet } from "../manifests/types";
import { Finding } from "../findings";
import { RULES } from "../validate/rules";
import { github } from "./github";
import { json } from "./json";
import { junit } from "./junit";
import { ChangeContext, markdown } from "./markdown";
import { sarif } from "./sarif";
import { short } from "./short";
import { text } from "./text";

export { acknowledge } from "./acknowledge";
export { ChangeContext } from "./markdown";
export { PLAN_FORMATS, PlanFormat, formatPlan } from "./planFormat";
export { cleanToolOutput, formatProblems } from "./problems";

export const FORMATS = ["text", "short", "json", "github", "sarif", "junit", "markdown"] as const;
export type Format = (typeof FORMATS)[number];

export interface ReportOptions {
  /** ANSI colour in text output. */
  color?: boolean;
  /** Prefix of repository paths in github and sarif output (the root's place in the CI workspace). */
  prefix?: string;
  /** The base revision the findings judge the change against: the Markdown report shows what changes. */
  change?: ChangeContext;
}

export function formatReport(
  format: Format,
  findings: Finding[],
  sets: ManifestSet[],
  version: string,
  options: ReportOptions = {},
): string {
  switch (format) {
    case "text":
      return text(findings, sets, options.color);
    case "short":
      return short(findings);
    case "json":
      return json(findings);
    case "github":
      return github(findings, options.prefix);
    case "sarif":
      return sarif(findings, RULES, version, options.prefix);
    case "junit":
      return junit(findings, RULES, sets);
    case "markdown":
      return markdown(findings, sets, options.change);
  }
}
