import { ManifestSet } from "../../manifests/types";
import { Finding } from "../rule";
import { RULES } from "../rules";
import { github } from "./github";
import { json } from "./json";
import { junit } from "./junit";
import { markdown } from "./markdown";
import { sarif } from "./sarif";
import { text } from "./text";

export const FORMATS = ["text", "json", "github", "sarif", "junit", "markdown"] as const;
export type Format = (typeof FORMATS)[number];

export function formatReport(format: Format, findings: Finding[], sets: ManifestSet[], version: string): string {
  switch (format) {
    case "text":
      return text(findings, sets);
    case "json":
      return json(findings);
    case "github":
      return github(findings);
    case "sarif":
      return sarif(findings, RULES, version);
    case "junit":
      return junit(findings, RULES, sets);
    case "markdown":
      return markdown(findings, sets);
  }
}
