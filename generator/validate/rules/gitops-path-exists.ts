// Every path an Application or Kustomization syncs exists in the repository and builds.
import { Report, Rule } from "../rule";
import { isWiring, syncedPaths } from "../../model";

export const rule: Rule = {
  id: "gitops-path-exists",
  group: "gitops",
  scope: "cluster",
  title: "Every synced path exists and builds",
  severity: "error",
  docs: {
    checks:
      "Every path an Application or Kustomization syncs exists in the repository and builds with kustomize " +
      "(a directory without a kustomization is read as plain manifests, as Flux and Argo CD do).",
    fix: "correct the path.",
  },
  messages: {
    pathProblem: "{{kind}} {{name}} syncs {{path}}: {{problem}}",
  },
  check(context) {
    const reports: Report[] = [];
    for (const set of context.sets) {
      for (const manifest of set.manifests.filter(isWiring)) {
        for (const { path, field } of syncedPaths(manifest)) {
          const wired = set.wiring?.get(path);
          if (wired?.problem) {
            reports.push({
              set,
              manifest,
              at: { field },
              messageId: "pathProblem",
              data: {
                kind: manifest.object.kind,
                name: manifest.object.metadata.name,
                path,
                problem: wired.problem,
              },
            });
          }
        }
      }
    }
    return reports;
  },
};
